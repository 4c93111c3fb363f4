using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Explanations;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

/// <summary>The seeded program with portal accounts for its affiliates, each signed in once per class.</summary>
public abstract class PortalSeededProgram(Db provider) : SeededProgram(provider)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<HttpClient>>> _portals = new();

    public const string Password = "an-affiliate-passphrase";

    /// <summary>A portal browser signed in as the affiliate (an account with a password, then the sign-in form).</summary>
    public Task<HttpClient> PortalAsync(Guid affiliateId) =>
        _portals.GetOrAdd(affiliateId, id => new Lazy<Task<HttpClient>>(() => SignInAsync(id))).Value;

    public async Task<string> SlugAsync() => await S.WithDbAsync(db => db.Workspaces.Where(w => w.Id == WorkspaceId).Select(w => w.Slug).SingleAsync());

    private async Task<HttpClient> SignInAsync(Guid affiliateId)
    {
        string email;
        await using (var scope = App.Scope(WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var affiliate = await db.Affiliates.SingleAsync(a => a.Id == affiliateId);
            email = affiliate.Email;
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = affiliate.Name };
            var created = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            affiliate.UserId = user.Id;
            await db.SaveChangesAsync();
        }
        var client = Staff.Client(App);
        var signedIn = await Forms.SubmitAsync(client, "/portal/login",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }
}

public sealed class PortalSeededProgramOnSqlite() : PortalSeededProgram(Db.Sqlite);

public sealed class PortalSeededProgramOnPostgres() : PortalSeededProgram(Db.Postgres);

/// <summary>
/// The portal's dashboard and commissions pages on the seeded program (Ann has link orders in USD and EUR, paid and
/// refunded ones, and second-tier commissions on her recruit Cid's orders; Bob has his own). Expected figures come
/// from the services the admin and the API use, never from sums written here.
/// </summary>
public abstract partial class PortalFiguresTests(PortalSeededProgram program)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    private async Task<string> PathAsync(string rest = "") => $"/portal/p/{await program.SlugAsync()}{rest}";

    private async Task<List<Guid>> CommissionIdsAsync(Guid affiliate, Func<IQueryable<Core.Commissions.Commission>, IQueryable<Core.Commissions.Commission>>? filter = null) =>
        await program.S.WithDbAsync(db => (filter ?? (q => q))(db.Commissions.Where(c => c.AffiliateId == affiliate)).Select(c => c.Id).ToListAsync());

    private static List<Guid> ListedIds(string html) =>
        RowId().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static string Kpi(string html, string label) =>
        Regex.Match(html, $"<p class=\"label\">{Regex.Escape(label)}</p><p class=\"value\">([^<]*)</p>").Groups[1].Value;

    [Fact]
    public async Task TheDashboardShowsTheReportServicesFiguresAndTheLedgersBalanceForTheAffiliate()
    {
        var portal = await program.PortalAsync(program.Ann);
        var html = await portal.GetStringAsync(await PathAsync());

        var (summary, series) = await program.S.WithServiceAsync<(ReportSummary, TimeseriesReport), ReportService>(async reports =>
        {
            var today = await reports.TodayAsync(default);
            var period = new ReportPeriod(today.AddDays(-29), today, AffiliateId: program.Ann);
            return (await reports.SummaryAsync(period, default), await reports.TimeseriesAsync(ReportMetric.Commission, ReportGrouping.Day, period, default));
        });
        // The balance is the ledger's, as the API's /affiliates/{id}/balance and the payouts page read it.
        var balances = await program.S.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/affiliates/{program.Ann}/balance");

        Assert.True(summary.Current.Clicks > 0 && summary.Current.Orders > 0, "The seeded month gives Ann clicks and orders in the last 30 days.");
        Assert.Equal(Formats.Number(summary.Current.Clicks, English), Kpi(html, "Clicks"));
        Assert.Equal(Formats.Number(summary.Current.Orders, English), Kpi(html, "Sales"));
        var top = summary.Current.Currencies.OrderByDescending(c => c.Commission).First();
        Assert.Equal(Formats.Money(top.Commission, top.Currency, English), Kpi(html, "Earnings"));
        Assert.NotEqual(Formats.Money(0m, top.Currency, English), Kpi(html, "Earnings"));

        Assert.NotEmpty(balances.EnumerateArray());
        foreach (var b in balances.EnumerateArray())
        {
            var currency = b.GetProperty("currency").GetString()!;
            decimal M(string field) => decimal.Parse(b.GetProperty(field).GetProperty("amount").GetString()!, CultureInfo.InvariantCulture);
            var row = Regex.Match(html, $"<tr data-currency=\"{currency}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Contains($"data-testid=\"closing\"><span class=\"num\">{Formats.Money(M("pending") + M("payable"), currency, English)}</span>", row);
            Assert.Contains($"data-testid=\"pending\"><span class=\"num\">{Formats.Money(M("pending"), currency, English)}</span>", row);
            Assert.Contains($"data-testid=\"payable\"><span class=\"num\">{Formats.Money(M("payable"), currency, English)}</span>", row);
        }
        // The threshold and hold period are the program's settings (1 and 60 days in the seed).
        Assert.Contains("reaches 1 in a currency", html);
        Assert.Contains("ready 60 days after", html);
        // The chart is the timeseries of the chart's currency: as many days, none left out.
        Assert.Equal(30, series.Series.Single(s => s.Currency == top.Currency).Points.Count);
        Assert.DoesNotContain("data-testid=\"dashboard-empty\"", html);
    }

    [Fact]
    public async Task TheCommissionsPageListsExactlyTheAffiliatesOwnCommissionsInThisProgram()
    {
        var portal = await program.PortalAsync(program.Ann);
        var html = await portal.GetStringAsync(await PathAsync("/commissions?pageSize=200"));
        var mine = await CommissionIdsAsync(program.Ann);
        Assert.True(await program.S.WithDbAsync(db => db.Commissions.AnyAsync(c => c.AffiliateId == program.Ann && c.Tier == 2)), "Ann earns a second tier on her recruit Cid.");
        Assert.Equal(mine.Order(), ListedIds(html).Order());
        foreach (var other in (await CommissionIdsAsync(program.Bob)).Concat(await CommissionIdsAsync(program.Cid)))
            Assert.DoesNotContain(other.ToString(), html);
        Assert.Contains("Second tier", html);
        Assert.Contains("Link", html);
    }

    [Fact]
    public async Task TheStatusAndDateFiltersAndThePagerNarrowTheRows()
    {
        var portal = await program.PortalAsync(program.Ann);
        var paid = await CommissionIdsAsync(program.Ann, q => q.Where(c => c.Status == CommissionStatus.Paid));
        Assert.NotEmpty(paid);
        Assert.Equal(paid.Order(), ListedIds(await portal.GetStringAsync(await PathAsync("/commissions?status=paid"))).Order());

        // 1–14 November in Copenhagen: O2 (5th), O6 (14th); not O1 (31 Oct 23:30 UTC is 1 Nov 00:30 there, so it is in).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");
        var (start, end) = ReportCalendar.UtcRange(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 14), zone);
        var inRange = await program.S.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == program.Ann)
            .Join(db.Orders.Where(o => o.PlacedAt >= start && o.PlacedAt < end), c => c.OrderId, o => o.Id, (c, o) => c.Id).ToListAsync());
        var listed = ListedIds(await portal.GetStringAsync(await PathAsync("/commissions?from=2026-11-01&to=2026-11-14")));
        Assert.Equal(inRange.Order(), listed.Order());
        Assert.NotEqual((await CommissionIdsAsync(program.Ann)).Count, listed.Count);

        var all = await CommissionIdsAsync(program.Ann);
        var first = ListedIds(await portal.GetStringAsync(await PathAsync("/commissions?pageSize=2")));
        var second = ListedIds(await portal.GetStringAsync(await PathAsync("/commissions?pageSize=2&page=2")));
        Assert.Equal(2, first.Count);
        Assert.Empty(first.Intersect(second));
        Assert.True(all.Count > 2 && second.Count > 0);
    }

    [Fact]
    public async Task TheCsvParsesBackToTheFilteredRows()
    {
        var portal = await program.PortalAsync(program.Ann);
        var response = await portal.GetAsync(await PathAsync("/commissions?handler=csv&status=pending"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Reports.Rfc4180.Parse(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["commission_id", "order_number", "order_placed_at_utc", "amount", "currency", "status", "tier", "came_by", "explanation"], lines[0]);
        var expected = await program.S.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == program.Ann && c.Status == CommissionStatus.Pending)
            .Select(c => new { c.Id, c.Amount, c.Currency, c.Explanation }).ToListAsync());
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, lines.Count - 1);
        foreach (var row in lines.Skip(1))
        {
            var e = expected.Single(x => x.Id == Guid.Parse(row[0]));
            Assert.Equal(e.Amount, decimal.Parse(row[3], CultureInfo.InvariantCulture));
            Assert.Equal(e.Currency, row[4]);
            Assert.Equal("Pending", row[5]);
            Assert.Equal(e.Explanation, row[8]);
        }
    }

    /// <summary>
    /// The commission page explains in the reader's language from the stored parts (ADR 0051): Danish for a Danish
    /// reader, the stored English text for an English one; a row stored before parts (no JSON) shows its English text.
    /// </summary>
    [Fact]
    public async Task TheExplanationIsInTheReadersLanguageAndARowWithoutPartsShowsItsEnglishText()
    {
        var portal = await program.PortalAsync(program.Ann);
        var one = await program.S.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == program.Ann && c.Tier == 1)
            .OrderBy(c => c.Id).Select(c => new { c.Id, c.Explanation, c.ExplanationJson }).FirstAsync());
        Assert.NotNull(one.ExplanationJson);
        var path = await PathAsync($"/commissions/{one.Id}");

        var danish = await ExplanationOnPageAsync(portal, path, "da");
        Assert.Equal(ExplanationRenderer.Render(one.ExplanationJson, one.Explanation, "da"), danish);
        Assert.StartsWith("Henvisning fra ", danish, StringComparison.Ordinal);
        Assert.Contains(" I alt ", danish, StringComparison.Ordinal);
        Assert.NotEqual(one.Explanation, danish);
        Assert.Equal(one.Explanation, await ExplanationOnPageAsync(portal, path, "en"));
        // The list renders the same way.
        var list = await GetAsync(portal, await PathAsync("/commissions?pageSize=200"), "da");
        var row = Regex.Match(list, $"<tr data-commission=\"{one.Id}\">.*?class=\"explanation\">(.*?)</td>", RegexOptions.Singleline);
        Assert.Equal(danish, System.Net.WebUtility.HtmlDecode(row.Groups[1].Value));

        await program.S.WithDbAsync(db => db.Commissions.Where(c => c.Id == one.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExplanationJson, (string?)null)));
        try
        {
            Assert.Equal(one.Explanation, await ExplanationOnPageAsync(portal, path, "da"));
        }
        finally
        {
            await program.S.WithDbAsync(db => db.Commissions.Where(c => c.Id == one.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExplanationJson, one.ExplanationJson)));
        }
    }

    private static async Task<string> GetAsync(HttpClient client, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> ExplanationOnPageAsync(HttpClient client, string path, string language)
    {
        var html = await GetAsync(client, path, language);
        var match = Regex.Match(html, "<dd data-testid=\"explanation\">(.*?)</dd>", RegexOptions.Singleline);
        Assert.True(match.Success, "The page shows the commission's explanation.");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [Fact]
    public async Task AnotherAffiliatesCommissionAndAnotherProgramsSlugAre404()
    {
        var portal = await program.PortalAsync(program.Ann);
        var mine = (await CommissionIdsAsync(program.Ann))[0];
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync(await PathAsync($"/commissions/{mine}"))).StatusCode);
        var bobs = (await CommissionIdsAsync(program.Bob))[0];
        Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync(await PathAsync($"/commissions/{bobs}"))).StatusCode);

        await using var scope = program.App.Scope();
        var other = (await scope.ServiceProvider.GetRequiredService<Core.Workspaces.WorkspaceProvisioner>()
            .CreateAsync("Second Program", "EUR", $"owner.{Guid.NewGuid():N}@example.com", "another-password-1")).Workspace;
        Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync($"/portal/p/{other.Slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync($"/portal/p/{other.Slug}/commissions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync($"/portal/p/{other.Slug}/commissions?handler=csv")).StatusCode);
    }

    [Theory]
    [InlineData("from=2026-13-01")]
    [InlineData("to=yesterday")]
    [InlineData("from=2026-11-20&to=2026-11-01")]
    [InlineData("status=3")]
    [InlineData("status=lost")]
    public async Task BadFiltersAreA400ProblemNotA500(string query)
    {
        var portal = await program.PortalAsync(program.Ann);
        foreach (var path in (string[])[$"/commissions?{query}", $"/commissions?handler=csv&{query}"])
        {
            var response = await portal.GetAsync(await PathAsync(path));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [GeneratedRegex("data-commission=\"([0-9a-f-]{36})\"")]
    private static partial Regex RowId();
}

public sealed class PortalFiguresOnSqlite(PortalSeededProgramOnSqlite program) : PortalFiguresTests(program), IClassFixture<PortalSeededProgramOnSqlite>;

public sealed class PortalFiguresOnPostgres(PortalSeededProgramOnPostgres program) : PortalFiguresTests(program), IClassFixture<PortalSeededProgramOnPostgres>;
