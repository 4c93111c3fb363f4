using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;
using static ShopAffiliate.Web.Tests.Infrastructure.HostQueries;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// <c>dotnet ShopAffiliate.Web.dll backup</c> and <c>restore</c> as an operator runs them, against the database of a
/// running app: what the API served before the changes is what the restored copy serves. One test, one app: the restore
/// replaces the database the app runs on.
/// </summary>
public abstract class BackupRestoreTests(Db provider) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sa-backup-").FullName;
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
    {
        ["Shopify:ApiKey"] = FakeShopify.ApiKey,
        ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
    });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>The command on this app's database; its exit code and what it printed.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var command = AppProcess.Start(new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            [provider == Db.Postgres ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] = _app.ConnectionString,
        }, arguments);
        var exitCode = await command.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (exitCode, command.Output);
    }

    /// <summary>Affiliates, commissions and each affiliate's balances (the ledger's sums) as the API serves them.</summary>
    private static async Task<string> ServedAsync(TestApp app)
    {
        var api = app.ApiClient();
        var affiliates = await api.GetFromJsonAsync<JsonElement>("/api/v1/affiliates?pageSize=100");
        var commissions = await api.GetFromJsonAsync<JsonElement>("/api/v1/commissions?pageSize=100");
        var balances = new List<JsonElement>();
        foreach (var affiliate in affiliates.GetProperty("items").EnumerateArray().OrderBy(a => a.GetProperty("id").GetGuid()))
            balances.Add(await api.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates/{affiliate.GetProperty("id").GetGuid()}/balance"));
        return JsonSerializer.Serialize(new { affiliates, commissions, balances });
    }

    private async Task<string> LedgerRowsAsync(TestApp app) =>
        JsonSerializer.Serialize((await LedgerAsync(app)).Select(e => new { e.Id, e.AffiliateId, e.Kind, e.Amount, e.Currency }));

    [Fact]
    public async Task ABackupTakenWhileTheAppRunsRestoresTheSameAffiliatesCommissionsAndLedger()
    {
        var s = new Scenario(_app);
        await s.ShopAsync(FakeShopify.Shop);
        await s.ApprovedAffiliateAsync("Jane Doe", "jane");
        await s.ApprovedAffiliateAsync("Bob Stone", "bob");
        // Placed now, so its commission stays in its hold period whenever the approval job runs (a restart runs it).
        var order = System.Text.Json.Nodes.JsonNode.Parse(OrdersCreatePayload.Json)!;
        foreach (var field in (string[])["created_at", "processed_at", "updated_at"]) order[field] = DateTimeOffset.UtcNow.ToString("O");
        Assert.Equal(HttpStatusCode.OK, (await ShopifyWebhooks.DeliverAsync(_app, "orders/create", order.ToJsonString(), DateTimeOffset.UtcNow)).StatusCode);
        await WaitForInboxAsync(_app);
        Assert.NotEmpty(await CommissionsAsync(_app));
        var served = await ServedAsync(_app);
        var ledger = await LedgerRowsAsync(_app);
        var file = Path.Combine(_folder, "shopaffiliate.backup");

        var backup = await RunAsync("backup", file);
        Assert.True(backup.ExitCode == 0, backup.Output);
        Assert.True(new FileInfo(file).Length > 0);

        // After the backup: a new affiliate, a commission approved (a ledger entry more), the ledger's first row gone.
        await s.ApprovedAffiliateAsync("Eve Later", "eve");
        var commission = (await CommissionsAsync(_app))[0];
        Assert.Equal(HttpStatusCode.OK, (await _app.ApiClient().PostAsJsonAsync($"/api/v1/commissions/{commission.Id}/approve", new { reason = "Checked" })).StatusCode);
        await s.WithDbAsync(db => db.Ledger.IgnoreQueryFilters().OrderBy(e => e.Id).Take(1).ExecuteDeleteAsync());
        Assert.NotEqual(served, await ServedAsync(_app));


        var changed = await ServedAsync(_app);
        var refused = await RunAsync("restore", file);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is in use", refused.Output);
        var notes = Path.Combine(_folder, "notes.backup");
        await File.WriteAllTextAsync(notes, "not a database");
        var notOurs = await RunAsync("restore", notes, "--force");
        Assert.Equal(1, notOurs.ExitCode);
        Assert.Contains(provider == Db.Postgres ? "is not a pg_dump custom-format file" : "is not a ShopAffiliate backup", notOurs.Output);
        Assert.Equal(changed, await ServedAsync(_app)); // both refusals changed nothing

        _app = await _app.RestartAsync(whileStopped: () =>
        {
            // The test process's own idle pooled connections would keep the database "in use".
            if (provider == Db.Sqlite) SqliteConnection.ClearAllPools();
            else NpgsqlConnection.ClearPool(new NpgsqlConnection(_app.ConnectionString));
            var restore = RunAsync("restore", file).GetAwaiter().GetResult();
            Assert.True(restore.ExitCode == 0, restore.Output);
        });

        Assert.Equal(served, await ServedAsync(_app));
        Assert.Equal(ledger, await LedgerRowsAsync(_app));
    }
}

public sealed class BackupRestoreOnSqlite() : BackupRestoreTests(Db.Sqlite);

public sealed class BackupRestoreOnPostgres() : BackupRestoreTests(Db.Postgres);
