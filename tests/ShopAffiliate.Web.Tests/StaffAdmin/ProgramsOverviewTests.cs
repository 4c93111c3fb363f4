using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Reports;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>
/// The agency overview (<c>/admin/programs</c>): each program's last 30 days per currency, from orders credited through
/// the engine and rolled up by the worker, checked against the sums of those known orders.
/// </summary>
public abstract class ProgramsOverviewTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task EachProgramsCardShowsItsLast30DaysRevenueCommissionAndOrdersPerCurrency()
    {
        // Orders at 10 %: Jane 1000 DKK and Bob 300 DKK three days ago, Bob 200 EUR yesterday; Jane 5000 DKK 45 days ago (outside).
        var p = await ReportProgram.CreateAsync(App);
        var dkk = await p.ShopAsync("knits", "DKK");
        var eur = await p.ShopAsync("strik", "EUR");
        var (_, jane) = await p.AffiliateAsync("Jane");
        var (_, bob) = await p.AffiliateAsync("Bob");
        var now = DateTime.UtcNow;
        await p.OrderAsync(dkk, "a1" + p.Suffix, now.AddDays(-3), 1000m, jane, "DKK");
        await p.OrderAsync(dkk, "a2" + p.Suffix, now.AddDays(-3), 300m, bob, "DKK");
        await p.OrderAsync(eur, "a3" + p.Suffix, now.AddDays(-1), 200m, bob, "EUR");
        await p.OrderAsync(dkk, "a4" + p.Suffix, now.AddDays(-45), 5000m, jane, "DKK");
        await p.CaughtUpAsync();

        // An agency user: staff of the bootstrapped program and, as a manager, of this one.
        var login = await Staff.CreateAsync(App, StaffRole.Owner);
        await using (var scope = App.Scope(p.WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.StaffMembers.Add(new StaffMember { WorkspaceId = p.WorkspaceId, UserId = login.UserId, Role = StaffRole.Manager });
            await db.SaveChangesAsync();
        }
        var (browser, _) = await Staff.SignedInAsync(App, login);
        var response = await browser.GetAsync("/admin/programs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();

        var card = Card(html, p.WorkspaceId);
        var rows = Rows(card);
        Assert.Equal(["DKK", "EUR"], rows.Select(r => r.Currency));
        var en = CultureInfo.GetCultureInfo("en");
        Assert.Equal((Formats.Money(1300m, "DKK", en), Formats.Money(130m, "DKK", en), "2"), (rows[0].Revenue, rows[0].Commission, rows[0].Orders));
        Assert.Equal((Formats.Money(200m, "EUR", en), Formats.Money(20m, "EUR", en), "1"), (rows[1].Revenue, rows[1].Commission, rows[1].Orders));
        // Two cards: the bootstrapped program's and this one's, each with its own figures.
        Assert.Equal(2, Regex.Matches(html, "data-testid=\"program-card\"").Count);
    }

    private static string Card(string html, Guid ws)
    {
        var start = html.IndexOf($"data-ws=\"{ws}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no card for the program");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static List<(string Currency, string Revenue, string Commission, string Orders)> Rows(string card) =>
        Regex.Matches(card, "<tr data-testid=\"currency-row\" data-currency=\"([A-Z]{3})\">\\s*<td>[A-Z]{3}</td>\\s*<td class=\"num\"><span class=\"num\">([^<]*)</span></td>\\s*<td class=\"num\"><span class=\"num\">([^<]*)</span></td>\\s*<td class=\"num\">(\\d+)</td>")
            .Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value), WebUtility.HtmlDecode(m.Groups[3].Value), m.Groups[4].Value)).ToList();
}

public sealed class ProgramsOverviewOnSqlite(SqliteApp fixture) : ProgramsOverviewTests(fixture), IClassFixture<SqliteApp>;

public sealed class ProgramsOverviewOnPostgres(PostgresApp fixture) : ProgramsOverviewTests(fixture), IClassFixture<PostgresApp>;
