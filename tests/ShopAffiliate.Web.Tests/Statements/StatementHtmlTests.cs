using ShopAffiliate.Core.Statements;

namespace ShopAffiliate.Web.Tests.Statements;

public sealed class StatementHtmlTests
{
    [Theory]
    [InlineData(1234.5, "DKK", StatementLanguage.Danish, "1.234,50 kr.")]
    [InlineData(-1234567.891, "EUR", StatementLanguage.Danish, "-1.234.567,89 EUR")]
    [InlineData(1234.5, "DKK", StatementLanguage.English, "1,234.50 DKK")]
    [InlineData(1500, "JPY", StatementLanguage.Danish, "1.500 JPY")]
    public void MoneyIsWrittenInTheLanguagesFormat(double amount, string currency, StatementLanguage language, string expected) =>
        Assert.Equal(expected, StatementHtml.Money((decimal)amount, currency, language));

    [Fact]
    public void AnAffiliatesNameIsTextNotMarkup()
    {
        var statement = new Statement(Guid.NewGuid(), "<img src=x onerror=alert(1)> Søren & Co", "2026-11",
            new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), "UTC", 0, 0, 0, []);
        var (html, _) = StatementHtml.Render(statement, StatementLanguage.Danish);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; Søren &amp; Co", html);
        Assert.Contains("Ingen provision eller udbetalinger i perioden.", html);
    }

    [Theory]
    [InlineData(null, "da-DK,da;q=0.9", StatementLanguage.Danish)]
    [InlineData(null, "en-GB,da;q=0.9", StatementLanguage.English)]
    [InlineData("da", "en-GB", StatementLanguage.Danish)]
    [InlineData("EN", "da", StatementLanguage.English)]
    [InlineData(null, null, StatementLanguage.English)]
    public void TheLanguageIsTheAskedOneElseTheBrowsersFirst(string? lang, string? acceptLanguage, StatementLanguage expected) =>
        Assert.Equal(expected, StatementHtml.LanguageOf(lang, acceptLanguage));
}
