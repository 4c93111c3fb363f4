using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Statements;

/// <summary>GET /api/v1/affiliates/{id}/statements/{yyyy-MM} on the seeded program (see <see cref="SeededProgram"/>).</summary>
public abstract class StatementHostTests(SeededProgram program)
{
    private string Url(Guid affiliate, string month, string query = "") => $"/api/v1/affiliates/{affiliate}/statements/{month}{query}";

    private async Task<JsonElement> StatementAsync(Guid affiliate, string month) =>
        await program.S.Api.GetFromJsonAsync<JsonElement>(Url(affiliate, month));

    private static JsonElement Currency(JsonElement statement, string currency) =>
        statement.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == currency);

    [Fact]
    public async Task AnnsNovemberAddsUpFromTheLedgerInTheProgramsTimeZone()
    {
        var statement = await StatementAsync(program.Ann, "2026-11");
        Assert.Equal(("2026-11", "2026-11-01", "2026-11-30", "Europe/Copenhagen", "Ann Able"), (
            statement.GetProperty("month").GetString(), statement.GetProperty("from").GetString(), statement.GetProperty("to").GetString(),
            statement.GetProperty("timeZone").GetString(), statement.GetProperty("name").GetString()));

        // From the reports' rollups: Ann's two November clicks (not the one a minute before it starts in Copenhagen), and
        // the orders credited to her: O1, O2, O6 (EUR) and O9; not the cancelled O8, nor O3 and O11 (her second tier).
        Assert.Equal((2, 2, 4), (statement.GetProperty("clicks").GetInt32(), statement.GetProperty("uniqueClicks").GetInt32(), statement.GetProperty("orders").GetInt32()));

        var usd = Currency(statement, "USD");
        // Opening: O0's 10% of 300 (October). Earned in November (Copenhagen): O1 (31 Oct 23:30 UTC), O2, O9 at 10%;
        // 5% second tier of Cid's O3 and O11; not O7 (1 Dec in Copenhagen). Paid on 25 Nov: O0 and O1 (30 + 20).
        // O1's refund of one of two units after payment: a clawback of half its 20.
        Assert.Equal("30.00", usd.GetProperty("openingBalance").GetString());
        Assert.Equal((20m + 10m + 10m + 15m + 3m).ToString("F2", CultureInfo.InvariantCulture), usd.GetProperty("earned").GetString());
        Assert.Equal("0.00", usd.GetProperty("refunds").GetString());
        Assert.Equal("-10.00", usd.GetProperty("clawbacks").GetString());
        Assert.Equal("50.00", usd.GetProperty("payouts").GetString());
        Assert.Equal((30m + 58m - 10m - 50m).ToString("F2", CultureInfo.InvariantCulture), usd.GetProperty("closingBalance").GetString());
        // What is owed at the close: the unpaid November commissions pending, the clawback carried.
        Assert.Equal("38.00", usd.GetProperty("pending").GetString());
        Assert.Equal("0.00", usd.GetProperty("approved").GetString());
        Assert.Equal("-10.00", usd.GetProperty("carried").GetString());
        Assert.Equal("-10.00", usd.GetProperty("payable").GetString());

        var byStatus = usd.GetProperty("commissions").EnumerateArray()
            .ToDictionary(l => l.GetProperty("status").GetString()!, l => (l.GetProperty("count").GetInt32(), l.GetProperty("amount").GetString()));
        Assert.Equal((4, "38.00"), byStatus["Pending"]); // O2, O3 (tier 2), O9, O11 (tier 2)
        Assert.Equal((1, "10.00"), byStatus["Paid"]); // O1 after its refund
        Assert.Equal((1, "0.00"), byStatus["Reversed"]); // O8, cancelled
        Assert.Equal(3, byStatus.Count);

        var eur = Currency(statement, "EUR");
        Assert.Equal(("0.00", "8.00", "8.00"), (eur.GetProperty("openingBalance").GetString(), eur.GetProperty("earned").GetString(), eur.GetProperty("closingBalance").GetString()));
    }

    [Fact]
    public async Task DecemberOpensWithNovembersClosingBalance()
    {
        var november = Currency(await StatementAsync(program.Ann, "2026-11"), "USD");
        var december = Currency(await StatementAsync(program.Ann, "2026-12"), "USD");
        Assert.Equal(november.GetProperty("closingBalance").GetString(), december.GetProperty("openingBalance").GetString());
        Assert.Equal("100.00", december.GetProperty("earned").GetString()); // O7, 30 Nov 23:30 UTC = 1 Dec in Copenhagen
    }

    [Fact]
    public async Task TheCsvParsesBackToTheSameNumbersAsTheJson()
    {
        var json = await StatementAsync(program.Ann, "2026-11");
        var response = await program.S.Api.GetAsync(Url(program.Ann, "2026-11", "?format=csv"));
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]); // so Excel reads UTF-8
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(["section", "currency", "item", "count", "amount"], lines[0]);

        foreach (var item in (string[])["clicks", "uniqueClicks", "orders"])
            Assert.Equal(json.GetProperty(item).GetInt64(), long.Parse(lines.Single(l => l[0] == "activity" && l[2] == item)[3], CultureInfo.InvariantCulture));
        var balances = lines.Where(l => l[0] == "balance").ToList();
        var commissions = lines.Where(l => l[0] == "commissions").ToList();
        var expectedBalances = 0;
        var expectedCommissions = 0;
        foreach (var currency in json.GetProperty("currencies").EnumerateArray())
        {
            var code = currency.GetProperty("currency").GetString()!;
            foreach (var field in currency.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.String && f.Name != "currency"))
            {
                var row = balances.Single(l => l[1] == code && l[2] == field.Name);
                Assert.Equal(decimal.Parse(field.Value.GetString()!, CultureInfo.InvariantCulture), decimal.Parse(row[4], CultureInfo.InvariantCulture));
                expectedBalances++;
            }
            foreach (var line in currency.GetProperty("commissions").EnumerateArray())
            {
                var row = commissions.Single(l => l[1] == code && l[2] == line.GetProperty("status").GetString());
                Assert.Equal(line.GetProperty("count").GetInt32(), int.Parse(row[3], CultureInfo.InvariantCulture));
                Assert.Equal(decimal.Parse(line.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture), decimal.Parse(row[4], CultureInfo.InvariantCulture));
                expectedCommissions++;
            }
        }
        Assert.Equal(expectedBalances, balances.Count);
        Assert.Equal(expectedCommissions, commissions.Count);
        Assert.Equal(20, expectedBalances); // 10 figures for each of USD and EUR
    }

    [Fact]
    public async Task ThePrintablePageSpeaksDanishWithDanishMoneyAndDates()
    {
        var response = await program.S.Api.GetAsync(Url(program.Ann, "2026-11", "?format=html&lang=da"));
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("style-src 'sha256-", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"da\">", html);
        Assert.Contains("Provisionsopgørelse", html);
        Assert.Contains("1. november 2026 – 30. november 2026", html);
        Assert.Contains("<th scope=\"row\">Saldo ved periodens slut</th><td class=\"num\">28,00 USD</td>", html);
        Assert.Contains("<th scope=\"row\">Udbetalinger</th><td class=\"num\">-50,00 USD</td>", html);
        Assert.Contains("<th scope=\"row\">Modregnes i næste udbetaling</th><td class=\"num\">-10,00 USD</td>", html);
        Assert.Contains("<th scope=\"row\">Udbetalt</th>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal)); // nothing from elsewhere

        var english = await program.S.Api.GetStringAsync(Url(program.Ann, "2026-11", "?format=html&lang=en"));
        Assert.Contains("1 November 2026 – 30 November 2026", english);
        Assert.Contains("<th scope=\"row\">Closing balance</th><td class=\"num\">28.00 USD</td>", english);

        // Without lang, the browser's first language decides.
        var request = new HttpRequestMessage(HttpMethod.Get, Url(program.Ann, "2026-11", "?format=html"));
        request.Headers.AcceptLanguage.ParseAdd("da-DK,da;q=0.9,en;q=0.5");
        var negotiated = await (await program.S.Api.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"da\">", negotiated);
    }

    [Fact]
    public async Task AnotherWorkspacesKeyGetsA404ForThisProgramsAffiliate()
    {
        var other = await program.OtherWorkspaceClientAsync();
        foreach (var format in (string[])["", "?format=csv", "?format=html"])
        {
            var response = await other.GetAsync(Url(program.Ann, "2026-11", format));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // ...and the program's own key reads it, so the 404 is isolation.
        Assert.Equal(HttpStatusCode.OK, (await program.S.Api.GetAsync(Url(program.Ann, "2026-11"))).StatusCode);
    }

    [Theory]
    [InlineData("2026-13", "")]
    [InlineData("november", "")]
    [InlineData("2026-11", "?format=pdf")]
    [InlineData("2026-11", "?format=html&lang=fr")]
    public async Task BadInputIsA400ProblemNotA500(string month, string query)
    {
        var response = await program.S.Api.GetAsync(Url(program.Ann, month, query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownAffiliateIsA404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await program.S.Api.GetAsync(Url(Guid.NewGuid(), "2026-11"))).StatusCode);
}

public sealed class StatementHostOnSqlite(SeededProgramOnSqlite program) : StatementHostTests(program), IClassFixture<SeededProgramOnSqlite>;

public sealed class StatementHostOnPostgres(SeededProgramOnPostgres program) : StatementHostTests(program), IClassFixture<SeededProgramOnPostgres>;
