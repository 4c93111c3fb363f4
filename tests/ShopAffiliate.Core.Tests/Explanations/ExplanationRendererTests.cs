using System.Globalization;
using System.Text.RegularExpressions;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Explanations;
using ShopAffiliate.Core.Tests.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Explanations;

public sealed class ExplanationRendererTests
{
    private const string English = "en";
    private const string Danish = "da";
    private static readonly Regex Placeholder = new(@"\{(\d)\}");

    /// <summary>Keys whose text has no words of its own (a verbatim text, a parenthesis): the same in both languages.</summary>
    private static readonly HashSet<string> WordlessKeys = [ExplanationTexts.Verbatim, "commission.status"];

    public static TheoryData<string> Keys() => new(ExplanationTexts.English.Keys);

    [Fact]
    public void EveryKeyHasADanishTextAndDanishHasNoKeyEnglishLacks()
    {
        Assert.Empty(ExplanationTexts.English.Keys.Except(ExplanationRenderer.Danish.Keys));
        Assert.Empty(ExplanationRenderer.Danish.Keys.Except(ExplanationTexts.English.Keys));
    }

    [Fact]
    public void EveryAffiliateStatusHasAKeyForWhyItWasSkipped()
    {
        foreach (var status in Enum.GetValues<AffiliateStatus>())
            Assert.True(ExplanationTexts.English.ContainsKey("attr.why." + status.ToString().ToLowerInvariant()), status.ToString());
    }

    /// <summary>Each key in both languages, with its arguments in place: Danish uses every argument English uses, in its own words.</summary>
    [Theory]
    [MemberData(nameof(Keys))]
    public void EachKeyRendersInEnglishAndDanishWithEveryArgument(string key)
    {
        var english = ExplanationTexts.English[key];
        var danish = ExplanationRenderer.Danish[key];
        var used = Placeholder.Matches(english).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal(used.Order(), Placeholder.Matches(danish).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order());

        var count = used.Count == 0 ? 0 : used.Max() + 1;
        var part = ExplanationPart.Of(key, Enumerable.Range(0, count).Select(i => ExplanationArg.Of($"<arg{i}>")).ToArray());
        var inEnglish = ExplanationRenderer.Render([part], English);
        var inDanish = ExplanationRenderer.Render([part], Danish);

        Assert.Equal(Placeholder.Replace(english, m => $"<arg{m.Groups[1].Value}>"), inEnglish);
        Assert.Equal(Placeholder.Replace(danish, m => $"<arg{m.Groups[1].Value}>"), inDanish);
        for (var i = 0; i < count; i++)
            Assert.Contains($"<arg{i}>", inDanish, StringComparison.Ordinal);
        if (!WordlessKeys.Contains(key))
            Assert.NotEqual(inEnglish, inDanish);
        Assert.DoesNotMatch(Placeholder, inDanish);
    }

    [Fact]
    public void MoneyPercentNumberAndDateAreWrittenTheWayEachLanguageWritesThem()
    {
        ExplanationPart[] parts =
        [
            ExplanationPart.Of("calc.secondTier", ExplanationArg.OfPercent(0.125m), new Money(1234.5m, "DKK"), new Money(50m, "EUR")),
            ExplanationPart.Of("attr.skip.old", "Jens", ExplanationPart.Of("attr.touch.at", ExplanationPart.Of("attr.source.click"),
                ExplanationArg.OfDate(T0, withYear: true)), 30),
        ];

        Assert.Equal(
            "Second tier: 12.5% of 1234.50 DKK = 50.00 EUR. Jens's link click from Fri 14 Mar 2025 is older than the 30-day window.",
            ExplanationRenderer.Render(parts, English));
        Assert.Equal(
            "Andet niveau: 12,5\u00a0% af 1.234,50 kr. = 50,00 EUR. Henvisningen fra Jens (linkklik fra fre. 14. mar. 2025) er ældre end vinduet på 30 dage.",
            ExplanationRenderer.Render(parts, Danish));
    }

    [Fact]
    public void AWholePercentHasNoDecimalsAndAYenAmountNone()
    {
        var part = ExplanationPart.Of("calc.rate.percent", ExplanationArg.OfPercent(0.10m), new Money(1500m, "JPY"));

        Assert.Equal("10% of 1500 JPY", ExplanationRenderer.Render([part], English));
        Assert.Equal("10\u00a0% af 1.500 JPY", ExplanationRenderer.Render([part], Danish));
    }

    [Fact]
    public void AnEngineExplanationReadsInDanish()
    {
        var inputs = Inputs() with { Clicks = new Dictionary<Guid, ClickFact> { [Guid.Empty] = new(Bob.Id, T0.AddDays(-3)) } };
        var order = Order(codes: ["JANE10"], touches: [ClickTouch(Guid.Empty)]);
        var attribution = ExplainedEngine.Attribute(order, inputs);
        var quote = ExplainedEngine.Calculate(order, TenPercent);

        Assert.Equal(
            "Rabatkoden JANE10 tilhører Jane Doe (rabatkoden vinder over henvisningen fra Bob Smith: linkklik fra tirs. 11. mar.).",
            ExplanationRenderer.Render(ExplanationJson.Serialize(attribution.Parts!), attribution.Explanation, Danish));
        Assert.Equal(
            "Plan Standard: 10\u00a0% af 100,00 USD efter reglen »all products« på linje L1 = 10,00 USD. I alt 10,00 USD.",
            ExplanationRenderer.Render(ExplanationJson.Serialize(quote.Parts!), quote.Explanation, Danish));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{not json")]
    public void ARowWithoutPartsShowsItsStoredEnglishText(string? json)
    {
        Assert.Equal("Coupon JANE10 belongs to Jane Doe.", ExplanationRenderer.Render(json, "Coupon JANE10 belongs to Jane Doe.", Danish));
        Assert.Equal("Coupon JANE10 belongs to Jane Doe.", ExplanationRenderer.Render(json, "Coupon JANE10 belongs to Jane Doe.", English));
    }

    [Fact]
    public void AStateStoredBeforePartsExplainsWithItsTextVerbatim()
    {
        var old = new AttributionResult(Jane.Id, AttributionMethod.Coupon, "Coupon JANE10 belongs to Jane Doe.");

        Assert.Equal("Coupon JANE10 belongs to Jane Doe.", ExplanationRenderer.Render(old.PartsOrText, Danish));
    }

    [Fact]
    public void TheEnginesStatusReasonsAreKeysAndStaffsOwnWordsStayVerbatim()
    {
        var held = ExplanationTexts.StatusReason("Self-referral: held until staff review it.");
        var staff = ExplanationTexts.StatusReason("Ordered by mistake");

        Assert.Equal("status.selfReferralHeld", held.Key);
        Assert.Equal("Selvhenvisning: holdes tilbage, til personalet har gennemgået den.", ExplanationRenderer.Render([held], Danish));
        Assert.Equal("Ordered by mistake", ExplanationRenderer.Render([staff], Danish));
    }

    [Fact]
    public void ReplacingANameReachesNestedTextsAndLeavesOtherArgumentsAlone()
    {
        var inputs = Inputs() with { Clicks = new Dictionary<Guid, ClickFact> { [Guid.Empty] = new(Bob.Id, T0.AddDays(-3)) } };
        var attribution = ExplainedEngine.Attribute(Order(codes: ["JANE10"], touches: [ClickTouch(Guid.Empty)]), inputs);

        var replaced = ExplanationJson.Replace(attribution.Parts!, "Bob Smith", "Affiliate 7");

        Assert.Equal(attribution.Explanation.Replace("Bob Smith", "Affiliate 7", StringComparison.Ordinal), ExplanationEnglish.Render(replaced));
        Assert.DoesNotContain("Bob Smith", ExplanationJson.Serialize(replaced), StringComparison.Ordinal);
        Assert.Contains("Affiliate 7", ExplanationRenderer.Render(replaced, Danish), StringComparison.Ordinal);
    }

    [Fact]
    public void DanishNamesAreStoredReadableInTheJson()
    {
        var json = ExplanationJson.Serialize([ExplanationPart.Of("attr.manual", "Søren Ærø", "Telefonordre")]);

        Assert.Contains("Søren Ærø", json, StringComparison.Ordinal);
    }
}
