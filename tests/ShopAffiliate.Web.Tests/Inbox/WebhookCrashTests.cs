using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;

namespace ShopAffiliate.Web.Tests.Inbox;

/// <summary>
/// The app as real processes on one database, under a burst of signed orders/create deliveries (each order carrying the
/// affiliate's coupon): what was answered 200 is credited exactly once, whatever happens to the process afterwards.
/// </summary>
public abstract class WebhookProcessTests(Db provider) : IAsyncLifetime
{
    private const string Key = "sa_crash_test_key_0123456789abcdefghijklmnop";
    private const string Domain = "burst.myshopify.com";
    private string _connectionString = "";
    private string? _sqliteFile;

    public async Task InitializeAsync()
    {
        if (provider == Db.Postgres) _connectionString = await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync();
        else
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"sa-crash-{Guid.NewGuid():N}.db");
            _connectionString = $"Data Source={_sqliteFile}";
        }
    }

    public Task DisposeAsync()
    {
        if (_sqliteFile is null) return Task.CompletedTask;
        SqliteConnection.ClearAllPools();
        foreach (var f in (string[])[_sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm"])
        {
            try { File.Delete(f); } catch (IOException) { }
        }
        return Task.CompletedTask;
    }

    protected AppProcess StartApp() => AppProcess.Start(new Dictionary<string, string>
    {
        ["Database__Provider"] = provider.ToString(),
        [provider == Db.Postgres ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] = _connectionString,
        ["Shopify__ApiKey"] = FakeShopify.ApiKey,
        ["Shopify__ApiSecret"] = FakeShopify.ApiSecret,
        ["Bootstrap__OwnerEmail"] = "owner@example.com",
        ["Bootstrap__OwnerPassword"] = "a-long-password",
        ["Bootstrap__WorkspaceName"] = "Burst",
        ["Bootstrap__ApiKey"] = Key,
        ["Logging__LogLevel__Default"] = "Warning",
    });

    protected async Task<AppProcess> StartHealthyAsync()
    {
        var app = StartApp();
        Assert.True(await app.WaitUntilHealthyAsync(), app.Output);
        return app;
    }

    /// <summary>Jane with the coupon JANE10, through the API; the shop as a row (installing needs Shopify itself).</summary>
    protected async Task SetUpProgramAsync(string baseUrl)
    {
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        var jane = await (await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Jane Doe", email = "jane@example.com", referralCode = "jane" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = jane.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "ok" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = id, code = "JANE10", discountType = "Percentage", amount = 10 })).EnsureSuccessStatusCode();
        var workspace = await ScalarAsync<string>("""SELECT CAST("Id" AS TEXT) FROM "Workspaces" """);
        var shopId = provider == Db.Postgres ? Guid.NewGuid().ToString() : Guid.NewGuid().ToString().ToUpperInvariant();
        await ScalarAsync<object>($"""
            INSERT INTO "Shops" ("Id", "WorkspaceId", "Platform", "Domain", "Name", "Currency", "Status", "PlainPermalinks", "CreatedAt", "UpdatedAt")
            VALUES ('{shopId}', '{workspace}', 'Shopify', '{Domain}', 'Burst', 'USD', 'Active', false, '2026-01-01 00:00:00', '2026-01-01 00:00:00')
            """);
    }

    /// <summary>Order <paramref name="orderId"/> as Shopify sends it, under a new webhook id; true when answered 200.</summary>
    protected static async Task<bool> DeliverAsync(HttpClient http, long orderId)
    {
        var json = JsonNode.Parse(OrdersCreatePayload.Json)!;
        json["id"] = orderId;
        json["name"] = $"#{orderId}";
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Shopify-Hmac-Sha256", ShopifyHmac.SignWebhook(bytes, FakeShopify.ApiSecret));
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", Domain);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    protected Task WaitForInboxAsync() => Eventually.HoldsAsync(
        () => ScalarAsync<long>("""SELECT count(*) FROM "Inbox" WHERE "Status" = 'Pending' """), n => n == 0, "the inbox to be processed", 120_000);

    /// <summary>Orders with their commissions and ledger entries, by external id: (commissions, ledger entries).</summary>
    protected async Task<Dictionary<string, (long Commissions, long Entries)>> CreditsAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT o."ExternalId",
                   (SELECT count(*) FROM "Commissions" c WHERE c."OrderId" = o."Id"),
                   (SELECT count(*) FROM "Ledger" l WHERE l."OrderId" = o."Id" AND l."Kind" <> 'Approved')
            FROM "Orders" o WHERE o."AffiliateId" IS NOT NULL
            """;
        var credits = new Dictionary<string, (long, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) credits[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return credits;
    }

    private DbConnection Connect() => provider == Db.Postgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);

    protected async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Senders posting distinct orders until stopped; the ids answered 200 go into <paramref name="answered"/>.</summary>
    protected static List<Task> Burst(HttpClient http, int senders, long firstId, ConcurrentDictionary<long, bool> answered, CancellationToken stop)
    {
        var next = firstId;
        return [.. Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Interlocked.Increment(ref next);
                try
                {
                    if (await DeliverAsync(http, id)) answered[id] = true;
                }
                catch (HttpRequestException)
                {
                    return; // the process is gone
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        }))];
    }

    [Fact]
    public async Task EveryDeliveryAnswered200BeforeAKill9IsCreditedExactlyOnceAfterTheRestart()
    {
        var answered = new ConcurrentDictionary<long, bool>();
        await using (var first = await StartHealthyAsync())
        {
            await SetUpProgramAsync(first.BaseUrl);
            using var http = new HttpClient { BaseAddress = new Uri(first.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            using var stop = new CancellationTokenSource();
            var senders = Burst(http, 16, 7_000_000_000, answered, stop.Token);
            await Eventually.HoldsAsync(() => Task.FromResult(answered.Count), n => n >= 300, "300 deliveries answered 200", 120_000);
            await first.KillAsync(); // mid-burst: requests in flight, batches queued and claimed
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        // What the dead process had claimed comes back when its lease ends (5 minutes); end the leases now instead.
        await ScalarAsync<object>("""UPDATE "Inbox" SET "LockedUntil" = NULL WHERE "Status" = 'Pending' """);
        await using var second = await StartHealthyAsync();
        await WaitForInboxAsync();

        var credits = await CreditsAsync();
        var missing = answered.Keys.Where(id => !credits.ContainsKey(id.ToString())).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} orders answered 200 were not credited: {string.Join(", ", missing.Take(10))}");
        var doubled = credits.Where(c => c.Value != (1, 1)).ToList();
        Assert.True(doubled.Count == 0, $"orders not credited exactly once (commissions, ledger entries): {string.Join(", ", doubled.Take(10))}");
        Assert.Equal(0, await ScalarAsync<long>("""SELECT count(*) FROM "Inbox" WHERE "Status" <> 'Processed' """));
    }
}

public sealed class WebhookProcessOnSqlite() : WebhookProcessTests(Db.Sqlite);

public sealed class WebhookProcessOnPostgres() : WebhookProcessTests(Db.Postgres)
{
    [Fact]
    public async Task TwoAppProcessesOnOnePostgresShareABurstAndEveryOrderIsCreditedExactlyOnce()
    {
        // One after the other: two first starts on an empty database would both run the migrations.
        await using var a = await StartHealthyAsync();
        await using var b = await StartHealthyAsync();
        await SetUpProgramAsync(a.BaseUrl);

        // Every order goes to both nodes under two webhook ids, at the same time: their workers race for the same orders.
        using var toA = new HttpClient { BaseAddress = new Uri(a.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var toB = new HttpClient { BaseAddress = new Uri(b.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var orders = Enumerable.Range(1, 400).Select(i => 8_000_000_000L + i).ToList();
        using var gate = new SemaphoreSlim(16);
        var answers = await Task.WhenAll(orders.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                var both = await Task.WhenAll(DeliverAsync(toA, id), DeliverAsync(toB, id));
                return both.All(ok => ok);
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.All(answers, Assert.True);
        await WaitForInboxAsync();

        var credits = await CreditsAsync();
        Assert.Equal(orders.Select(id => id.ToString()).Order(StringComparer.Ordinal), credits.Keys.Order(StringComparer.Ordinal));
        var notOnce = credits.Where(c => c.Value != (1, 1)).ToList();
        Assert.True(notOnce.Count == 0, $"orders not credited exactly once (commissions, ledger entries): {string.Join(", ", notOnce.Take(10))}");
        Assert.Equal(800, await ScalarAsync<long>("""SELECT count(*) FROM "Inbox" WHERE "Status" = 'Processed' """));
    }
}
