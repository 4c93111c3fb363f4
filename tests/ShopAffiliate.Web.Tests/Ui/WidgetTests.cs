using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin;
using ShopAffiliate.Admin.TagHelpers;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Paging;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>The shared widgets render what a person of each language expects, from the real resource files.</summary>
public sealed class WidgetTests
{
    private static readonly CultureInfo Danish = new("da"), English = new("en");

    [Theory]
    [InlineData("da", 1234.5, "DKK", "1.234,50 kr.")]
    [InlineData("da", -1234.5, "DKK", "-1.234,50 kr.")]
    [InlineData("da", 1234.5, "EUR", "1.234,50 EUR")]
    [InlineData("en", 1234.5, "DKK", "DKK 1,234.50")]
    [InlineData("en", 1234.5, "USD", "$1,234.50")]
    [InlineData("en", 1234, "JPY", "JPY 1,234")]
    public void MoneyIsWrittenTheCulturesWayWithItsCurrency(string culture, decimal amount, string currency, string expected) =>
        Assert.Equal(expected, Formats.Money(amount, currency, new CultureInfo(culture)));

    [Fact]
    public void AuditChangesLeaveOutFieldsEmptyOnBothSidesAndKeepEveryRealChange()
    {
        var changes = AuditChanges.Of(
            """{"Name":"Ann","Website":null,"Hosts":[],"Status":"Pending","Note":""}""",
            """{"Name":"Ann","Website":"https://ann.example","Hosts":[],"Status":"Approved","Note":null,"GroupId":null}""");
        Assert.Equal(
            [new AuditChange("Name", "Ann", "Ann"), new AuditChange("Website", null, "https://ann.example"), new AuditChange("Status", "Pending", "Approved")],
            changes);
        Assert.Equal([new AuditChange("Id", null, "42")], AuditChanges.Of(null, """{"Id":42,"Deleted":null,"Tags":[]}"""));
    }

    [Fact]
    public void ADateIsShownInTheProgramsTimeZone()
    {
        var utc = new DateTime(2026, 12, 1, 23, 30, 0, DateTimeKind.Utc); // 00:30 the next day in Copenhagen
        Assert.Equal("2. dec. 2026 kl. 00.30", Formats.DateTime(utc, "Europe/Copenhagen", Danish));
        Assert.Equal("Dec 1, 2026 23:30", Formats.DateTime(utc, "UTC", English));
        Assert.Equal("Dec 2, 2026", Formats.DateTime(utc, "Europe/Copenhagen", English, withTime: false));
    }

    [Fact]
    public void TheDateTimeWidgetCarriesTheExactInstantAndTheZoneItWasShownIn()
    {
        var html = Render(new DateTimeTagHelper(new UiContext { TimeZone = "Europe/Copenhagen" }) { Value = new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc) }, "sa-datetime", English);
        Assert.Equal("<time datetime=\"2026-06-01T10:00:00Z\" title=\"Europe/Copenhagen\">Jun 1, 2026 12:00</time>", html);
    }

    [Theory]
    [InlineData(120, 100, "change up", "Up 20.0% vs previous period")]
    [InlineData(80, 100, "change down", "Down 20.0% vs previous period")]
    [InlineData(5, 0, "change flat", "No earlier period to compare with")]
    [InlineData(0, 0, "change flat", "Unchanged vs previous period")]
    public void AKpiShowsItsChangeAgainstThePreviousPeriod(decimal value, decimal previous, string css, string words)
    {
        var html = Render(new KpiTagHelper(Text()) { Label = "Orders", Value = value, Previous = previous }, "sa-kpi", English);
        Assert.Contains($"<p class=\"{css}\">", html);
        Assert.Contains(words, html);
    }

    [Fact]
    public void AKpiWhoseRatioHasNoDenominatorShowsADashNotZero()
    {
        var html = Render(new KpiTagHelper(Text()) { Label = "ROI", Value = null, Previous = 2m, Format = KpiFormat.Percent }, "sa-kpi", English);
        Assert.Contains("<p class=\"value\">—</p>", html);
        Assert.Contains("Not defined: nothing to divide by in this period", html);
        Assert.DoesNotContain("0.0", html);
    }

    [Fact]
    public void AKpiIsWrittenInDanishForADane()
    {
        var html = Render(new KpiTagHelper(Text()) { Label = "Omsætning", Value = 1500m, Previous = 1000m, Format = KpiFormat.Money, Currency = "DKK" }, "sa-kpi", Danish);
        Assert.Contains("1.500,00 kr.", html);
        Assert.Contains("50,0 % højere end forrige periode", html);
    }

    [Fact]
    public void AFallInAFigureWhereLessIsBetterIsShownAsGood() =>
        Assert.Contains("<p class=\"change up\">",
            Render(new KpiTagHelper(Text()) { Label = "Refunds", Value = 5, Previous = 10, LowerIsBetter = true }, "sa-kpi", English));

    [Theory]
    [InlineData("Pending", "en", "badge warning", "Pending")]
    [InlineData("Approved", "da", "badge success", "Godkendt")]
    [InlineData("Reversed", "da", "badge critical", "Tilbageført")]
    [InlineData("Paid", "da", "badge success", "Udbetalt")]
    [InlineData("SomethingNew", "en", "badge neutral", "SomethingNew")]
    public void ABadgeIsColouredByWhatTheStatusMeansAndNamedInTheLanguage(string status, string culture, string css, string label) =>
        Assert.Equal($"<span class=\"{css}\">{label}</span>", Render(new BadgeTagHelper(Text()) { Status = status }, "sa-badge", new CultureInfo(culture)));

    [Fact]
    public void ThePagerKeepsTheFiltersAndSortAndStopsAtTheEnds()
    {
        var view = View("/admin/affiliates", "?q=anna&sort=revenue&dir=desc&page=2");
        var html = Render(new PagerTagHelper(Text()) { Paged = new PagedResult<int>([], 2, 25, 60), ViewContext = view }, "sa-pager", English);
        Assert.Contains("26–50 of 60", html);
        Assert.Contains("href=\"/admin/affiliates?q=anna&amp;sort=revenue&amp;dir=desc\" rel=\"prev\"", html); // page 1 has no page=
        Assert.Contains("href=\"/admin/affiliates?q=anna&amp;sort=revenue&amp;dir=desc&amp;page=3\" rel=\"next\"", html);

        var last = Render(new PagerTagHelper(Text()) { Paged = new PagedResult<int>([], 3, 25, 60), ViewContext = View("/admin/affiliates", "?page=3") }, "sa-pager", English);
        Assert.Contains("<span class=\"disabled\" aria-disabled=\"true\">Next</span>", last);
        Assert.Contains("51–60 of 60", last);
    }

    [Fact]
    public void ASortHeaderTogglesItsDirectionAndGoesBackToTheFirstPage()
    {
        var sorted = Render(new SortHeaderTagHelper { Key = "revenue", ViewContext = View("/admin/affiliates", "?sort=revenue&dir=desc&page=4&q=a") }, "th", English, "Revenue");
        Assert.Contains("aria-sort=\"descending\"", sorted);
        Assert.Contains("href=\"/admin/affiliates?q=a&amp;sort=revenue&amp;dir=asc\"", sorted);

        var other = Render(new SortHeaderTagHelper { Key = "name", ViewContext = View("/admin/affiliates", "?sort=revenue&dir=desc") }, "th", English, "Name");
        Assert.DoesNotContain("aria-sort", other);
        Assert.Contains("href=\"/admin/affiliates?sort=name&amp;dir=asc\"", other);
    }

    [Fact]
    public void AnEmptyStateLinksOnlyToThisAppsOwnPages()
    {
        var local = Render(new EmptyStateTagHelper { Heading = "No affiliates yet", ActionText = "Invite", ActionHref = "/admin/affiliates/invite" }, "sa-empty-state", English, "Why");
        Assert.Contains("<a class=\"button\" href=\"/admin/affiliates/invite\">Invite</a>", local);
        foreach (var outside in (string[])["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
            Assert.DoesNotContain("<a ", Render(new EmptyStateTagHelper { Heading = "x", ActionText = "Go", ActionHref = outside }, "sa-empty-state", English, "Why"));
    }

    [Fact]
    public void TheChartHasATableOfItsFiguresForScreenReaders()
    {
        var html = Render(new ChartTagHelper(Text()) { Label = "Revenue", Points = [new("Dec 1", 10), new("Dec 2", 30)] }, "sa-chart", English);
        Assert.Contains("role=\"img\" aria-label=\"Revenue\"", html);
        Assert.Contains("<polyline class=\"series\" points=\"8,133.3 632,16\"/>", html); // 30 is the top (y 16), 10 a third of the way up from the axis (y 192)
        Assert.Contains("<tr><td>Dec 2</td><td>30</td></tr>", html);
    }

    private static IStringLocalizer<SharedText> Text() =>
        new StringLocalizer<SharedText>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance));

    private static ViewContext View(string path, string query)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        return new ViewContext { HttpContext = http };
    }

    private static string Render(TagHelper helper, string tag, CultureInfo culture, string content = "")
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            var context = new TagHelperContext(new TagHelperAttributeList(), new Dictionary<object, object>(), "t");
            var output = new TagHelperOutput(tag, [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent().SetContent(content)));
            helper.ProcessAsync(context, output).GetAwaiter().GetResult();
            using var writer = new StringWriter();
            output.WriteTo(writer, UiEncoding.Html);
            return writer.ToString();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}
