using ShopAffiliate.Core.Affiliates;

namespace ShopAffiliate.Core.Tests.Affiliates;

public sealed class ScreeningTests
{
    private static ScreeningFacts Facts(string email, string? website = null, bool sameMailbox = false, bool sameIp = false, bool customer = false) =>
        new(email, website, sameMailbox, sameIp, customer);

    [Theory]
    [InlineData("Ann+aff2@Example.com", "ann@example.com")]
    [InlineData("ann@example.com", "ann@example.com")]
    [InlineData("+x@example.com", "+x@example.com")]
    public void AMailboxIgnoresPlusTagsAndCase(string email, string mailbox) => Assert.Equal(mailbox, Screening.Mailbox(email));

    [Fact]
    public void AnEmailOnTheWebsitesDomainMatchesAndAFreeMailAddressDiffers()
    {
        Assert.Equal([ScreeningSignal.EmailMatchesWebsite], Screening.Signals(Facts("ann@knits.example", "https://www.knits.example/blog")));
        Assert.Equal([ScreeningSignal.EmailMatchesWebsite], Screening.Signals(Facts("ann@knits.example", "https://shop.knits.example/")));
        Assert.Equal([ScreeningSignal.EmailDiffersFromWebsite], Screening.Signals(Facts("ann@gmail.com", "https://knits.example")));
        Assert.Empty(Screening.Signals(Facts("ann@gmail.com")));
    }

    [Fact]
    public void ThrowawayDomainsDuplicatesAndCustomersAreSignalled()
    {
        var signals = Screening.Signals(Facts("x@Mailinator.com", sameMailbox: true, sameIp: true, customer: true));

        Assert.Equal([ScreeningSignal.DuplicateEmail, ScreeningSignal.DuplicateIp, ScreeningSignal.DisposableEmail, ScreeningSignal.ExistingCustomer], signals);
    }

    [Fact]
    public void AutoApprovalFollowsItsRuleAndNeverPassesAWarning()
    {
        string[] domains = ["partner.example"];
        Assert.True(Screening.AutoApproves(AutoApproveRule.EmailDomain, domains, "a@Partner.example", []));
        Assert.False(Screening.AutoApproves(AutoApproveRule.EmailDomain, domains, "a@other.example", []));
        Assert.True(Screening.AutoApproves(AutoApproveRule.ExistingCustomer, [], "a@x.example", [ScreeningSignal.ExistingCustomer]));
        Assert.False(Screening.AutoApproves(AutoApproveRule.ExistingCustomer, [], "a@x.example", []));
        Assert.True(Screening.AutoApproves(AutoApproveRule.All, [], "a@x.example", [ScreeningSignal.EmailDiffersFromWebsite]));
        Assert.False(Screening.AutoApproves(AutoApproveRule.Never, [], "a@x.example", []));
        foreach (var warning in new[] { ScreeningSignal.DuplicateEmail, ScreeningSignal.DuplicateIp, ScreeningSignal.DisposableEmail })
            Assert.False(Screening.AutoApproves(AutoApproveRule.All, [], "a@x.example", [warning]));
    }
}

public sealed class ApplicationFormTests
{
    private static readonly ApplicationQuestion[] Questions =
    [
        new("n", "Followers", QuestionKind.Number, Required: true),
        new("c", "Channel", QuestionKind.Choice, Required: false, ["Blog", "TikTok"]),
        new("u", "Sample", QuestionKind.Url, Required: false),
    ];

    private static CheckedApplication Check(Dictionary<string, string?> answers, string email = "ann@example.com", string? website = null) =>
        ApplicationForm.Check(new ApplicationInput("Ann", email, website, answers), Questions);

    [Fact]
    public void AValidApplicationKeepsTheAnswersWithTheirLabelsAndSkipsEmptyOptionalOnes()
    {
        var result = Check(new() { ["n"] = " 1200 ", ["c"] = "TikTok", ["u"] = "" }, " Ann@Example.COM ");

        Assert.True(result.IsValid);
        Assert.Equal("ann@example.com", result.Email);
        Assert.Equal([new ApplicationAnswer("n", "Followers", "1200"), new ApplicationAnswer("c", "Channel", "TikTok")], result.Answers);
    }

    [Fact]
    public void EachWrongAnswerIsReportedAtItsOwnField()
    {
        var result = Check(new() { ["c"] = "Radio", ["u"] = "javascript:alert(1)" }, "not-an-email", "ftp://x");

        Assert.Equal(["Email", "Website", "n", "c", "u"], result.Errors.Keys);
    }

    [Fact]
    public void QuestionLinesRoundTripAndBadLinesAreNamed()
    {
        var read = QuestionLines.Read("choice | required | Where? | Blog; TikTok\nnumber | optional | Where?", out var problems);
        Assert.Empty(problems);
        Assert.Equal(["where", "where-2"], read.Select(q => q.Key));
        Assert.Equal(read, QuestionLines.Read(QuestionLines.Write(read), out _), new QuestionComparer());

        QuestionLines.Read("colour | required | X\ntext | maybe | Y\nchoice | required | Z | only-one", out problems);
        Assert.Equal(3, problems.Count);
        Assert.Equal([1, 2, 3], problems.Select(p => p.Line));
        Assert.StartsWith("Line 1: the kind is", problems[0].ToString());
        Assert.StartsWith("Line 3", problems[2].ToString());
    }

    private sealed class QuestionComparer : IEqualityComparer<ApplicationQuestion>
    {
        public bool Equals(ApplicationQuestion? x, ApplicationQuestion? y) =>
            x!.Key == y!.Key && x.Label == y.Label && x.Kind == y.Kind && x.Required == y.Required && (x.Options ?? []).SequenceEqual(y.Options ?? []);

        public int GetHashCode(ApplicationQuestion q) => q.Key.GetHashCode(StringComparison.Ordinal);
    }
}
