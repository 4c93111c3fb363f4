using ShopAffiliate.Core.Coupons;

namespace ShopAffiliate.Core.Tests.Coupons;

public sealed class CouponCodesTests
{
    private static readonly Guid Ana = Guid.NewGuid(), Bo = Guid.NewGuid(), Cy = Guid.NewGuid();

    [Fact]
    public void ThePatternPutsEachReferralCodeInPlaceOfCodeInUppercase()
    {
        var plan = CouponCodes.Plan([(Ana, "Ana", "ana"), (Bo, "Bo", "bo-b")], "{code}10", null, new HashSet<string>());

        Assert.Equal(["ANA10", "BO-B10"], plan.Select(p => p.Code));
        Assert.All(plan, p => Assert.False(p.Clashed));
    }

    [Fact]
    public void ACodeTakenInTheProgramGetsTheFirstFreeSuffixAndIsReportedAsAClash()
    {
        var taken = new HashSet<string> { "ana10", "ana10-2" };

        var plan = CouponCodes.Plan([(Ana, "Ana", "ana"), (Bo, "Bo", "bo")], "{CODE}10", null, taken);

        Assert.Equal("ANA10-3", plan[0].Code);
        Assert.True(plan[0].Clashed);
        Assert.Equal("ANA10", plan[0].Wanted);
        Assert.Equal("BO10", plan[1].Code);
        Assert.Contains("ana10-3", taken); // the plan's own codes count as taken for the rest of it
    }

    [Fact]
    public void AChosenBaseGivesEveryAffiliateTheSameStemWithSuffixesInTheGivenOrder()
    {
        var plan = CouponCodes.Plan([(Ana, "Ana", "ana"), (Bo, "Bo", "bo"), (Cy, "Cy", "cy")], "{CODE}10", "summer", new HashSet<string>());

        Assert.Equal(["SUMMER10", "SUMMER10-2", "SUMMER10-3"], plan.Select(p => p.Code));
    }

    [Fact]
    public void AnAffiliateWhoseCodeCannotBeMadeIsSkippedWithTheReason()
    {
        var plan = CouponCodes.Plan([(Ana, "Ana", new string('a', 39))], "{CODE}10", null, new HashSet<string>());

        Assert.Null(plan[0].Code);
        Assert.Contains("not a usable code", plan[0].Problem);
    }

    [Theory]
    [InlineData(null, "Give a pattern")]
    [InlineData("JANE10", "needs {CODE}")]
    [InlineData("{CODE} 10", "only letters")]
    public void ABadPatternIsRefusedWithWhatIsWrong(string? pattern, string message) =>
        Assert.Contains(message, CouponCodes.CheckPattern(pattern));

    [Fact]
    public void AReplacementIsTheOldCodeWithFourRandomCharactersNotTheNextSuffix()
    {
        var replacements = Enumerable.Range(0, 20).Select(_ => CouponCodes.Replacement("JANE10")).ToList();

        Assert.All(replacements, r => Assert.Matches("^JANE10-[A-HJ-NP-Z2-9]{4}$", r));
        Assert.True(replacements.Distinct().Count() > 1);
        Assert.All(replacements, r => Assert.True(CouponCodes.IsValid(r)));
    }
}
