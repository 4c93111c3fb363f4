using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

/// <summary>
/// The seeded program (<see cref="SeededProgram"/>: Ann's paid USD batch with a clawback after it, her recruit Cid) and a
/// Danish affiliate, Dorte: one order in a DKK shop whose prices include 25 % moms (123,45 kr. with 24,69 kr. moms, so
/// 98,76 kr. of goods and 9,88 kr. of commission at 10 %), approved and in a DKK batch that is exported, not paid yet.
/// Eve has nothing at all.
/// </summary>
public abstract class PortalMoneyProgram(Db provider) : PortalSeededProgram(provider), IAsyncLifetime
{
    public Guid Dorte { get; private set; }
    public Guid Eve { get; private set; }
    public Guid DkkBatch { get; private set; }
    public Guid AnnsBatch { get; private set; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        AnnsBatch = await S.WithDbAsync(db => db.PayoutItems.Where(i => i.AffiliateId == Ann).Select(i => i.PayoutBatchId).SingleAsync());
        Dorte = (await S.ApprovedAffiliateAsync("Dorte Dansk", "dorte")).GetProperty("id").GetGuid();
        Eve = (await S.ApprovedAffiliateAsync("Eve Empty", "eve")).GetProperty("id").GetGuid();
        var dkk = await S.ShopAsync("dkk-shop.myshopify.com", "DKK");
        var at = new DateTime(2026, 11, 18, 12, 0, 0, DateTimeKind.Utc);
        var order = Scenario.Order(dkk, "D1", at, OrderState.Paid, 0m, [new ReferralTouch("dorte", null, at.AddHours(-2), TouchSource.CartAttribute)], currency: "DKK")
            with { Lines = [new OrderLine("L1", "P1", [], 1, 98.76m, 24.69m)], TaxTotal = 24.69m, TaxesIncluded = true };
        await S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));
        var commission = await S.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == Dorte).Select(c => c.Id).SingleAsync());
        Assert.True((await S.Api.PostAsJsonAsync($"/api/v1/commissions/{commission}/approve", new { reason = "Checked" })).IsSuccessStatusCode);
        var batch = await S.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "DKK" });
        Assert.True(batch.IsSuccessStatusCode, await batch.Content.ReadAsStringAsync());
        DkkBatch = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await App.Services.GetRequiredService<Core.Reports.RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }
}

public sealed class PortalMoneyProgramOnSqlite() : PortalMoneyProgram(Db.Sqlite);

public sealed class PortalMoneyProgramOnPostgres() : PortalMoneyProgram(Db.Postgres);

/// <summary>
/// The portal's payouts and statements pages against the API on the same data: every figure the page shows is the
/// API's (formatted in the page's language), and a download is the API's file byte for byte.
/// </summary>
public abstract partial class PortalMoneyTests(PortalMoneyProgram program)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Danish = CultureInfo.GetCultureInfo("da");

    private async Task<string> PathAsync(string rest = "") => $"/portal/p/{await program.SlugAsync()}{rest}";

    private async Task<string> GetAsync(Guid affiliate, string rest, string language = "en")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, await PathAsync(rest));
        request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await (await program.PortalAsync(affiliate)).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{rest}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
        return body;
    }

    private static string Row(string html, string attribute, string value) =>
        Regex.Match(html, $"<tr {attribute}=\"{value}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;

    private static string Cell(string row, string testId) =>
        Regex.Match(row, $"data-testid=\"{testId}\"[^>]*>(?:<[^>]+>)*([^<]*)<").Groups[1].Value;

    private static decimal Amount(JsonElement money) => decimal.Parse(money.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ThePayoutsPageShowsTheApisBalancePerCurrencyAndTheDashboardsFigures()
    {
        var html = await GetAsync(program.Ann, "/payouts");
        var dashboard = await GetAsync(program.Ann, "");
        var balances = await program.S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates/{program.Ann}/balance");
        Assert.Equal(["EUR", "USD"], balances.EnumerateArray().Select(b => b.GetProperty("currency").GetString()!).Order().ToArray());
        foreach (var b in balances.EnumerateArray())
        {
            var currency = b.GetProperty("currency").GetString()!;
            var row = Row(html, "data-currency", currency);
            foreach (var (testId, field) in (ValueTuple<string, string>[])[("pending", "pending"), ("approved", "approved"), ("carried", "carried"), ("paid", "paid")])
                Assert.Equal(Formats.Money(Amount(b.GetProperty(field)), currency, English), Cell(row, testId));
            // The dashboard's balance is the same money: pending, and ready for payout = approved + carried.
            var onDashboard = Row(dashboard, "data-currency", currency);
            Assert.Equal(Cell(row, "pending"), Cell(onDashboard, "pending"));
            Assert.Equal(Formats.Money(Amount(b.GetProperty("payable")), currency, English), Cell(onDashboard, "payable"));
        }
        var usd = balances.EnumerateArray().Single(b => b.GetProperty("currency").GetString() == "USD");
        Assert.Equal((138m, 0m, -10m, 50m), (Amount(usd.GetProperty("pending")), Amount(usd.GetProperty("approved")), Amount(usd.GetProperty("carried")), Amount(usd.GetProperty("paid"))));
        // Payable is -10 (the clawback): below the threshold of 1, so 11 more approved money is needed.
        Assert.Contains("$11.00 more approved money is needed for a payout.", Row(html, "data-currency", "USD"));
        Assert.Contains("ready 60 days after", dashboard);
        Assert.Contains("Commissions wait 60 days after the order is paid", html);
        Assert.Contains("reaches 1, it goes into", html);
        Assert.DoesNotContain("data-testid=\"payouts-empty\"", html);
    }

    [Fact]
    public async Task TheHistoryShowsOnlyTheAffiliatesOwnLineAndItsOrdersAddUpToIt()
    {
        var html = await GetAsync(program.Ann, "/payouts");
        var batch = await program.S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/payouts/batches/{program.AnnsBatch}");
        var line = batch.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("affiliateId").GetGuid() == program.Ann);
        Assert.Equal(50m, Amount(line.GetProperty("amount")));
        var row = Row(html, "data-batch", program.AnnsBatch.ToString());
        Assert.Equal(Formats.Money(Amount(line.GetProperty("amount")), "USD", English), Cell(row, "line-amount"));
        Assert.Contains(line.GetProperty("reference").GetString()!, row);
        Assert.DoesNotContain(program.DkkBatch.ToString(), html);

        var detail = await GetAsync(program.Ann, $"/payouts/{program.AnnsBatch}");
        Assert.Equal(Formats.Money(50m, "USD", English), Cell(detail, "payout-amount"));
        var orders = await program.S.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == "O0" || o.ExternalId == "O1").Select(o => o.Id).ToListAsync());
        var listed = Regex.Matches(detail, "<tr data-order=\"([0-9a-f-]{36})\">").Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(orders.Order(), listed.Order());
        // The rows are the ledger's Paid entries of this batch: 30 (O0) + 20 (O1) = the line's 50, to the cent.
        Assert.Contains($"<tr class=\"total\"><th scope=\"row\" colspan=\"2\">Total</th><td class=\"num\" data-label=\"Total\"><span class=\"num\">{Formats.Money(50m, "USD", English)}</span>", detail);
        Assert.Contains(Formats.Money(30m, "USD", English), detail);
        Assert.Contains(Formats.Money(20m, "USD", English), detail);
    }

    [Fact]
    public async Task ADanishBatchBeingPaidIsTheNextPayoutToTheOere()
    {
        var html = await GetAsync(program.Dorte, "/payouts", "da");
        var balance = (await program.S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates/{program.Dorte}/balance")).EnumerateArray().Single();
        Assert.Equal(("DKK", 9.88m), (balance.GetProperty("currency").GetString(), Amount(balance.GetProperty("approved"))));
        var row = Row(html, "data-currency", "DKK");
        Assert.Equal("9,88 kr.", Cell(row, "approved"));
        Assert.Equal("0,00 kr.", Cell(row, "paid"));
        Assert.Contains("Under udbetaling nu:", row);
        Assert.Contains($"/payouts/{program.DkkBatch}", row);
        Assert.Contains("Under udbetaling", Row(html, "data-batch", program.DkkBatch.ToString()));

        var detail = await GetAsync(program.Dorte, $"/payouts/{program.DkkBatch}", "da");
        Assert.Equal("9,88 kr.", Cell(detail, "payout-amount"));
        Assert.Contains("Det dækker udbetalingen", detail);
        Assert.Contains("#D1", detail);
    }

    [Fact]
    public async Task AnAffiliateWithNothingSeesHowPayoutsAndStatementsWork()
    {
        var payouts = await GetAsync(program.Eve, "/payouts");
        Assert.Contains("data-testid=\"payouts-empty\"", payouts);
        Assert.Contains("No payouts yet", payouts);
        var statements = await GetAsync(program.Eve, "/statements", "da");
        Assert.Contains("Ingen opgørelser endnu", statements);
        Assert.DoesNotContain("data-month=", statements);
    }

    [Fact]
    public async Task TheStatementsAreTheMonthsWithActivityAndEachIsTheApisStatement()
    {
        var list = await GetAsync(program.Ann, "/statements");
        // O0 (October), November's orders, payout and refund, O7 (30 Nov 23:30 UTC, 1 December in Copenhagen).
        Assert.Equal(["2026-12", "2026-11", "2026-10"], Regex.Matches(list, "data-month=\"([0-9-]+)\"").Select(m => m.Groups[1].Value).ToArray());
        Assert.Contains("November 2026", list);

        var portal = await program.PortalAsync(program.Ann);
        var slug = await program.SlugAsync();
        foreach (var month in (string[])["2026-10", "2026-11", "2026-12"])
        {
            foreach (var lang in (string[])["en", "da"])
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"/portal/p/{slug}/statements/{month}");
                request.Headers.AcceptLanguage.ParseAdd(lang);
                var response = await portal.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("style-src 'sha256-", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
                var page = await response.Content.ReadAsStringAsync();
                var api = await program.S.Api.GetStringAsync($"/api/v1/affiliates/{program.Ann}/statements/{month}?format=html&lang={lang}");
                // The same page as the API's, plus the portal's links (shown on screen, not printed).
                var links = Regex.Match(page, "<nav class=\"actions\".*?</nav>", RegexOptions.Singleline).Value;
                Assert.Contains($"href=\"/portal/p/{slug}/statements/{month}?handler=csv\"", links);
                Assert.Equal(api, page.Replace(links, "", StringComparison.Ordinal));
            }

            var csv = await portal.GetAsync($"/portal/p/{slug}/statements/{month}?handler=csv");
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var bytes = await csv.Content.ReadAsByteArrayAsync();
            Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
            Assert.Equal(await program.S.Api.GetByteArrayAsync($"/api/v1/affiliates/{program.Ann}/statements/{month}?format=csv"), bytes);
        }
    }

    [Fact]
    public async Task TheDanishStatementHasTheMomsOrderToTheOere()
    {
        var json = await program.S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates/{program.Dorte}/statements/2026-11");
        var dkk = json.GetProperty("currencies").EnumerateArray().Single();
        // 10 % of 123,45 kr. less 25 % moms (98,76 kr.): 9,876, rounded to the øre.
        Assert.Equal(("DKK", "9.88", "9.88", "9.88"), (dkk.GetProperty("currency").GetString(), dkk.GetProperty("earned").GetString(),
            dkk.GetProperty("approved").GetString(), dkk.GetProperty("closingBalance").GetString()));

        var page = await GetAsync(program.Dorte, "/statements/2026-11", "da");
        Assert.Contains("<html lang=\"da\">", page);
        Assert.Contains("<th scope=\"row\">Optjent provision</th><td class=\"num\">9,88 kr.</td>", page);
        Assert.Contains("<th scope=\"row\">Saldo ved periodens slut</th><td class=\"num\">9,88 kr.</td>", page);
        Assert.Contains(">Alle dine opgørelser</a>", page);

        var csv = Encoding.UTF8.GetString((await (await program.PortalAsync(program.Dorte)).GetByteArrayAsync(await PathAsync("/statements/2026-11?handler=csv")))[3..]);
        var rows = Reports.Rfc4180.Parse(csv);
        Assert.Equal("9.88", rows.Single(r => r[0] == "balance" && r[1] == "DKK" && r[2] == "earned")[4]);
        Assert.Equal("Dorte Dansk", rows.Single(r => r[0] == "statement" && r[2] == "name")[4]);
    }

    [Fact]
    public async Task AnotherAffiliatesBatchAndAnotherProgramsSlugAre404()
    {
        var bob = await program.PortalAsync(program.Bob);
        var ann = await program.PortalAsync(program.Ann);
        Assert.Equal(HttpStatusCode.OK, (await ann.GetAsync(await PathAsync($"/payouts/{program.AnnsBatch}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(await PathAsync($"/payouts/{program.AnnsBatch}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync(await PathAsync($"/payouts/{program.DkkBatch}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync(await PathAsync($"/payouts/{Guid.NewGuid()}"))).StatusCode);

        await using var scope = program.App.Scope();
        var other = (await scope.ServiceProvider.GetRequiredService<Core.Workspaces.WorkspaceProvisioner>()
            .CreateAsync("Third Program", "EUR", $"owner.{Guid.NewGuid():N}@example.com", "another-password-1")).Workspace;
        foreach (var path in (string[])["/payouts", $"/payouts/{program.AnnsBatch}", "/statements", "/statements/2026-11", "/statements/2026-11?handler=csv", "/team"])
            Assert.Equal((path, HttpStatusCode.NotFound), (path, (await ann.GetAsync($"/portal/p/{other.Slug}{path}")).StatusCode));
    }

    [Fact]
    public async Task TheTeamPageShowsTheRecruitsAndTheLedgersSecondTierFromThem()
    {
        var html = await GetAsync(program.Ann, "/team");
        Assert.Contains($"/portal/p/{await program.SlugAsync()}/team\">Your team</a>", html);
        // Cid's O3 (8 Nov, 5 % of 300) and O11 (22 Nov, 5 % of 60): both in this month (25 November) in Copenhagen.
        var fromCid = await program.S.WithDbAsync(db => db.Ledger.Where(e => e.AffiliateId == program.Ann && e.Tier == 2)
            .Select(e => e.Amount).ToListAsync());
        Assert.Equal(18m, fromCid.Sum());
        var row = Row(html, "data-recruit", $"{program.Cid}\" data-currency=\"USD");
        Assert.Contains("Cid Cole", row);
        Assert.Equal(Formats.Money(18m, "USD", English), Cell(row, "month"));
        Assert.Equal(Formats.Money(18m, "USD", English), Cell(row, "overall"));
        Assert.DoesNotContain(program.Bob.ToString(), html);
        Assert.Contains($"/p/{await program.SlugAsync()}/apply?by=ann</code>", html);

        var bobs = await GetAsync(program.Bob, "/team", "da");
        Assert.Contains("Ingen på dit team endnu", bobs);
        Assert.DoesNotContain("data-recruit=", bobs);
    }

    [Fact]
    public async Task ApplyingThroughTheRecruitLinkMakesTheApplicantTheRecruitersRecruit()
    {
        var slug = await program.SlugAsync();
        var applicant = Staff.Client(program.App, "10.9.8.7");
        Assert.Contains("name=\"Input.By\" value=\"ann\"", await applicant.GetStringAsync($"/p/{slug}/apply?by=ann"));
        var email = $"rita.{Guid.NewGuid():N}@example.com";
        var sent = await Forms.SubmitAsync(applicant, $"/p/{slug}/apply?by=ann",
            new Dictionary<string, string> { ["Input.Name"] = "Rita Recruit", ["Input.Email"] = email, ["Input.By"] = "ann" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(program.Ann, await program.S.WithDbAsync(db => db.Affiliates.Where(a => a.Email == email).Select(a => a.ParentAffiliateId).SingleAsync()));

        // A code that is no approved affiliate's recruits nobody.
        var other = $"sam.{Guid.NewGuid():N}@example.com";
        await Forms.SubmitAsync(applicant, $"/p/{slug}/apply", new Dictionary<string, string> { ["Input.Name"] = "Sam Stray", ["Input.Email"] = other, ["Input.By"] = "nobody" });
        Assert.Null(await program.S.WithDbAsync(db => db.Affiliates.Where(a => a.Email == other).Select(a => a.ParentAffiliateId).SingleAsync()));
    }

    [Theory]
    [InlineData("/statements/2026-13")]
    [InlineData("/statements/november")]
    [InlineData("/statements/2026-13?handler=csv")]
    [InlineData("/statements?handler=csv")]
    [InlineData("/payouts?page=x")]
    public async Task BadInputIsA4xxNotA500(string path)
    {
        var response = await (await program.PortalAsync(program.Ann)).GetAsync(await PathAsync(path));
        if (path.StartsWith("/payouts", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // an unreadable page number is the first page
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class PortalMoneyOnSqlite(PortalMoneyProgramOnSqlite program) : PortalMoneyTests(program), IClassFixture<PortalMoneyProgramOnSqlite>;

public sealed class PortalMoneyOnPostgres(PortalMoneyProgramOnPostgres program) : PortalMoneyTests(program), IClassFixture<PortalMoneyProgramOnPostgres>;
