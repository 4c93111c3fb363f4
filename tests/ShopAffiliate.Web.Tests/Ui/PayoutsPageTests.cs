using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Payouts;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>/admin/payouts over HTTP: balances due, a batch created, downloaded, paid or cancelled, the paged history.</summary>
public abstract class PayoutsPageTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task TheOwnerCreatesABatchDownloadsItsFileAndMarksItPaid()
    {
        var (program, browser, email) = await ProgramOwingAsync("Payout Flow", 120m);
        var url = $"/admin/payouts?ws={program.WorkspaceId}";

        var before = await PageAsync(browser, url);
        Assert.Contains("<tr data-testid=\"due-row\" data-currency=\"USD\">", before);
        Assert.Contains("$12.00", before); // 10 % of 120.00
        Assert.Contains("No batches yet", before);

        var created = await Forms.SubmitAsync(browser, url, new Dictionary<string, string> { ["currency"] = "USD" }, url + "&handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var open = await PageAsync(browser, url);
        var batch = await OnlyBatchAsync(program);
        Assert.Contains($"Batch {batch.Reference} is ready: 1 affiliates.", open);
        Assert.Contains($"data-testid=\"open-batch\" data-reference=\"{batch.Reference}\"", open);
        Assert.Contains("A batch is open: pay it or cancel it first.", open);

        var paypal = await browser.GetAsync($"{url}&handler=Export&id={batch.Id}&format=paypal");
        Assert.Equal(HttpStatusCode.OK, paypal.StatusCode);
        Assert.Equal($"{batch.Reference}-paypal.csv", paypal.Content.Headers.ContentDisposition?.FileNameStar ?? paypal.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal($"{email},12.00,USD,{batch.Reference}-0001,Affiliate commissions {batch.Reference}\r\n", await paypal.Content.ReadAsStringAsync());
        var bank = await browser.GetStringAsync($"{url}&handler=Export&id={batch.Id}&format=csv");
        Assert.StartsWith("affiliate_id,name,email,amount,currency,reference\r\n", bank);
        Assert.Contains($",Bea Buyer,{email},12.00,USD,{batch.Reference}-0001", bank);

        var paid = await Forms.SubmitAsync(browser, url, new Dictionary<string, string> { ["id"] = batch.Id.ToString() }, url + "&handler=MarkPaid");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        var after = await PageAsync(browser, url);
        Assert.Contains($"Batch {batch.Reference} is marked paid", after);
        Assert.DoesNotContain("data-testid=\"open-batch\"", after);
        Assert.DoesNotContain("data-testid=\"due-row\"", after); // nothing approved is left unpaid
        Assert.Equal(PayoutBatchStatus.Paid, (await OnlyBatchAsync(program)).Status);
        var api = await program.Api.GetFromJsonAsync<JsonElement>($"/api/v1/payouts/batches/{batch.Id}");
        Assert.Equal("Paid", api.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancellingAnOpenBatchRemovesItAndItsMoneyIsDueAgain()
    {
        var (program, browser, _) = await ProgramOwingAsync("Payout Cancel", 50m);
        var url = $"/admin/payouts?ws={program.WorkspaceId}";
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(browser, url, new Dictionary<string, string> { ["currency"] = "USD" }, url + "&handler=Create")).StatusCode);
        var batch = await OnlyBatchAsync(program);

        var cancelled = await Forms.SubmitAsync(browser, url, new Dictionary<string, string> { ["id"] = batch.Id.ToString() }, url + "&handler=Cancel");

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        var page = await PageAsync(browser, url);
        Assert.Contains($"Batch {batch.Reference} is cancelled", page);
        Assert.Contains(">Create a USD batch</button>", page);
        Assert.Equal(0, await BatchCountAsync(program));
    }

    [Fact]
    public async Task ASecondBatchInTheSameCurrencyIsAConflictExplainedOnThePage()
    {
        var (program, browser, _) = await ProgramOwingAsync("Payout Twice", 80m);
        var url = $"/admin/payouts?ws={program.WorkspaceId}";
        var token = await Forms.TokenAsync(browser, url);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(browser, url + "&handler=Create", new Dictionary<string, string> { ["currency"] = "USD" }, token)).StatusCode);

        var again = await Forms.PostAsync(browser, url + "&handler=Create", new Dictionary<string, string> { ["currency"] = "USD" }, token);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("A USD batch is still open: mark it paid (or cancel it) before creating another.", await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await BatchCountAsync(program));
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefusedAndCreatesNoBatch()
    {
        var (program, browser, _) = await ProgramOwingAsync("Payout Forgery", 80m);
        var url = $"/admin/payouts?ws={program.WorkspaceId}";
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url)).StatusCode); // the antiforgery cookie is set

        var forged = await browser.PostAsync(url + "&handler=Create", new FormUrlEncodedContent(new Dictionary<string, string> { ["currency"] = "USD" }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await BatchCountAsync(program));
    }

    [Fact]
    public async Task AnAnalystSeesWhatIsDueButMayNotCreateABatch()
    {
        var (program, _, _) = await ProgramOwingAsync("Payout Analyst", 80m);
        var (analyst, _) = await Staff.SignedInAsync(App, await program.StaffAsync(StaffRole.Analyst));
        var url = $"/admin/payouts?ws={program.WorkspaceId}";

        var page = await PageAsync(analyst, url);
        var refused = await Forms.SubmitAsync(analyst, url, new Dictionary<string, string> { ["currency"] = "USD" }, url + "&handler=Create");

        Assert.Contains("data-testid=\"due-row\"", page);
        Assert.DoesNotContain("Create a USD batch", page);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, await BatchCountAsync(program));
    }

    [Fact]
    public async Task TheHistoryIsPagedOnTheServerNewestFirst()
    {
        var program = await NewProgram.CreateAsync(App, "Payout History");
        await using (var scope = App.Scope(program.WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            for (var i = 1; i <= 27; i++)
            {
                db.PayoutBatches.Add(new PayoutBatch
                {
                    WorkspaceId = program.WorkspaceId, Reference = $"PAY-20261101-{i}", Currency = "USD", Status = PayoutBatchStatus.Paid, Total = i,
                    CreatedAt = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i), PaidAt = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc),
                });
            }
            await db.SaveChangesAsync();
        }
        var (browser, _) = await Staff.SignedInAsync(App, program.Owner);

        var first = await PageAsync(browser, $"/admin/payouts?ws={program.WorkspaceId}");
        var second = await PageAsync(browser, $"/admin/payouts?ws={program.WorkspaceId}&page=2");

        Assert.Equal(25, Count(first, "data-testid=\"history-row\""));
        Assert.Contains("1–25 of 27", first);
        Assert.True(first.IndexOf("PAY-20261101-27", StringComparison.Ordinal) < first.IndexOf("PAY-20261101-26", StringComparison.Ordinal));
        Assert.Equal(2, Count(second, "data-testid=\"history-row\""));
        Assert.Contains("data-reference=\"PAY-20261101-1\"", second);
        Assert.Contains("26–27 of 27", second);
    }

    [Fact]
    public async Task AnUnknownExportFormatIsAProblemNotAFile()
    {
        var (program, browser, _) = await ProgramOwingAsync("Payout Format", 80m);
        var url = $"/admin/payouts?ws={program.WorkspaceId}";
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(browser, url, new Dictionary<string, string> { ["currency"] = "USD" }, url + "&handler=Create")).StatusCode);
        var batch = await OnlyBatchAsync(program);

        var wrong = await browser.GetAsync($"{url}&handler=Export&id={batch.Id}&format=xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Contains("format=paypal or format=csv", await wrong.Content.ReadAsStringAsync());
    }

    private async Task<(NewProgram Program, HttpClient Browser, string Email)> ProgramOwingAsync(string name, decimal revenue)
    {
        var program = await NewProgram.CreateAsync(App, name);
        await program.SettingsAsync(new { payoutThreshold = 5m, defaultCommissionRate = 0.1m, holdDays = 30 });
        var shop = await program.ShopAsync();
        var code = "bea" + Guid.NewGuid().ToString("N")[..6];
        var (_, email) = await program.ApprovedAffiliateAsync("Bea Buyer", code);
        await program.ApprovedCommissionAsync(shop, code, revenue);
        var (browser, _) = await Staff.SignedInAsync(App, program.Owner);
        return (program, browser, email);
    }

    private async Task<PayoutBatch> OnlyBatchAsync(NewProgram program)
    {
        await using var scope = App.Scope(program.WorkspaceId);
        return Assert.Single(scope.ServiceProvider.GetRequiredService<AppDbContext>().PayoutBatches.ToList());
    }

    private async Task<int> BatchCountAsync(NewProgram program)
    {
        await using var scope = App.Scope(program.WorkspaceId);
        return scope.ServiceProvider.GetRequiredService<AppDbContext>().PayoutBatches.Count();
    }

    private static int Count(string html, string needle) => (html.Length - html.Replace(needle, "", StringComparison.Ordinal).Length) / needle.Length;

    private static async Task<string> PageAsync(HttpClient browser, string url)
    {
        var response = await browser.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {html[..Math.Min(html.Length, 2000)]}");
        return html;
    }
}

public sealed class PayoutsPageOnSqlite(SqliteApp fixture) : PayoutsPageTests(fixture), IClassFixture<SqliteApp>;

public sealed class PayoutsPageOnPostgres(PostgresApp fixture) : PayoutsPageTests(fixture), IClassFixture<PostgresApp>;
