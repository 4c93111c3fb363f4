using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Data.Sqlite;
using Npgsql;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Inbox;

/// <summary>
/// A 60-day import of a Shopify store (WireMock, 40 pages of 50 orders, every 5th with the affiliate's coupon) into the
/// app as a real process, killed with SIGKILL half-way and started again: the import goes on from the last page it
/// stored, and every order ends stored once and every coupon order credited once.
/// </summary>
public abstract class BackfillCrashTests(Db provider) : IAsyncLifetime, IDisposable
{
    private const string Shop = "crash-import.myshopify.com";
    private const int Pages = 40;
    private const int PageSize = 50;
    private const long FirstOrder = 6_100_000_000_000;
    private readonly WireMockServer _shopify = WireMockServer.Start();
    private string _connectionString = "";
    private string? _sqliteFile;

    public async Task InitializeAsync()
    {
        if (provider == Db.Postgres) _connectionString = await (await PostgresServer.InstanceAsync()).CreateDatabaseAsync();
        else
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"sa-backfill-crash-{Guid.NewGuid():N}.db");
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

    public void Dispose()
    {
        _shopify.Stop();
        _shopify.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AnImportKilledHalfWayGoesOnFromItsLastStoredPageAndCreditsEveryCouponOrderOnce()
    {
        StubInstall();
        var apiKey = "sa_backfill_crash_" + Guid.NewGuid().ToString("N");
        long committedPages;
        string committedCursor;
        await using (var first = await StartHealthyAsync())
        {
            await InstallAsync(first.BaseUrl);
            await SetUpProgramAsync(first.BaseUrl, apiKey);
            // The store answers orders only now, so the import (queued at install, failed meanwhile) sees the coupon.
            StubOrders();
            await ScalarAsync<object>("""UPDATE "Inbox" SET "NextAttemptAt" = '2000-01-01 00:00:00' WHERE "Topic" = 'app/backfill' AND "Status" = 'Pending' """);
            await Eventually.HoldsAsync(() => ScalarAsync<long>("""SELECT "ImportPages" FROM "Shops" """), n => n >= 8, "eight pages to be stored", 180_000);
            await first.KillAsync();
        }
        committedPages = await ScalarAsync<long>("""SELECT "ImportPages" FROM "Shops" """);
        committedCursor = await ScalarAsync<string>("""SELECT "ImportCursor" FROM "Shops" """);
        Assert.InRange(committedPages, 8, Pages - 1); // killed half-way, not after the end
        Assert.Equal(Cursor((int)committedPages), committedCursor);
        var requestsBefore = _shopify.LogEntries.Count();

        // What the dead process had claimed comes back when its lease ends (5 minutes); end the lease now instead.
        await ScalarAsync<object>("""UPDATE "Inbox" SET "LockedUntil" = NULL WHERE "Status" = 'Pending' """);
        await using var second = await StartHealthyAsync();
        await Eventually.HoldsAsync(() => ScalarAsync<long>("""SELECT count(*) FROM "Shops" WHERE "ImportFinishedAt" IS NOT NULL"""), n => n == 1, "the import to finish", 180_000);

        var after = _shopify.LogEntries.Skip(requestsBefore).Where(e => e.RequestMessage!.Body!.Contains("orders(first")).ToList();
        var read = after.Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!["variables"]!["after"]?.GetValue<string>()).ToList();
        Assert.Equal(committedCursor, read[0]);
        // No page before the stored one was read again, and every page after it was read. A page after it may be read
        // twice: a page whose batch failed once (a retry after the restart) is fetched again, which is not a re-import.
        var pagesRead = read.Select(c => c is null ? 0 : int.Parse(c["cursor-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(pagesRead, n => Assert.InRange(n, (int)committedPages, Pages - 1));
        Assert.Equal(Enumerable.Range((int)committedPages, Pages - (int)committedPages), pagesRead.Distinct().Order());
        Assert.Equal((long)Pages, await ScalarAsync<long>("""SELECT "ImportPages" FROM "Shops" """));
        Assert.Equal((long)Pages * PageSize, await ScalarAsync<long>("""SELECT "ImportOrders" FROM "Shops" """));
        Assert.Equal((long)Pages * PageSize, await ScalarAsync<long>("""SELECT count(DISTINCT "ExternalId") FROM "Orders" """));
        Assert.Equal((long)Pages * PageSize, await ScalarAsync<long>("""SELECT count(*) FROM "Orders" """));
        var couponOrders = Pages * PageSize / 5;
        Assert.Equal((long)couponOrders, await ScalarAsync<long>("""SELECT count(*) FROM "Orders" WHERE "AffiliateId" IS NOT NULL"""));
        Assert.Equal((long)couponOrders, await ScalarAsync<long>("""SELECT count(DISTINCT "OrderId") FROM "Commissions" """));
        Assert.Equal((long)couponOrders, await ScalarAsync<long>("""SELECT count(*) FROM "Commissions" """));
        Assert.Equal((long)couponOrders, await ScalarAsync<long>("""SELECT count(*) FROM "Ledger" WHERE "Kind" = 'Earned'"""));
        Assert.Equal(0L, await ScalarAsync<long>("""SELECT count(*) FROM "Inbox" WHERE "Topic" = 'app/backfill' AND "Status" NOT IN ('Processed', 'Ignored')"""));
    }

    private AppProcess StartApp() => AppProcess.Start(new Dictionary<string, string>
    {
        ["Database__Provider"] = provider.ToString(),
        [provider == Db.Postgres ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] = _connectionString,
        ["Shopify__ApiKey"] = FakeShopify.ApiKey,
        ["Shopify__ApiSecret"] = FakeShopify.ApiSecret,
        ["Shopify__ShopBaseUrl"] = _shopify.Url!,
        ["Outbound__AllowPrivateNetworks"] = "true", // the fake store listens on 127.0.0.1
        ["Logging__LogLevel__Default"] = "Warning",
    });

    private async Task<AppProcess> StartHealthyAsync()
    {
        var app = StartApp();
        Assert.True(await app.WaitUntilHealthyAsync(), app.Output);
        return app;
    }

    private void StubInstall()
    {
        void Answer(string marker, string json) => _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost()
                .WithBody((string? b) => b is not null && b.Contains(marker)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(json));
        _shopify.Given(Request.Create().WithPath("/admin/oauth/access_token").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"access_token":"shpat_crash","scope":"read_orders,write_discounts","expires_in":86400,"refresh_token":"shprt_crash","refresh_token_expires_in":7776000}"""));
        Answer("shop {", """{"data":{"shop":{"currencyCode":"USD","ianaTimezone":"Europe/Copenhagen"}}}""");
        Answer("webhookSubscriptions(", """{"data":{"webhookSubscriptions":{"edges":[],"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}""");
        Answer("webhookSubscriptionCreate", """{"data":{"webhookSubscriptionCreate":{"webhookSubscription":{"id":"gid://shopify/WebhookSubscription/1"},"userErrors":[]}}}""");
        Answer("discountCodeBasicCreate", """{"data":{"discountCodeBasicCreate":{"codeDiscountNode":{"id":"gid://shopify/DiscountCodeNode/1"},"userErrors":[]}}}""");
        Answer("ordersCount(", """{"data":{"ordersCount":{"count":""" + (Pages * PageSize) + ""","precision":"EXACT"}}}""");
    }

    /// <summary>Page p answers the cursor of page p - 1 (the first: none), a little slowly, as a store does.</summary>
    private void StubOrders()
    {
        for (var page = 0; page < Pages; page++)
        {
            var after = page == 0 ? "\"after\":null" : $"\"after\":\"{Cursor(page)}\"";
            var nodes = new JsonArray(Enumerable.Range(page * PageSize, PageSize).Select(i => (JsonNode)Order(i)).ToArray());
            var body = new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["orders"] = new JsonObject
                    {
                        ["pageInfo"] = new JsonObject { ["hasNextPage"] = page < Pages - 1, ["endCursor"] = Cursor(page + 1) },
                        ["nodes"] = nodes,
                    },
                },
            }.ToJsonString();
            _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost()
                    .WithBody((string? b) => b is not null && b.Contains("orders(first") && b.Contains(after)))
                .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(250)).WithHeader("Content-Type", "application/json").WithBody(body));
        }
    }

    /// <summary>The cursor after <paramref name="pages"/> pages.</summary>
    private static string Cursor(int pages) => $"cursor-{pages}";

    private static JsonObject Order(int i)
    {
        static JsonObject Money(string amount) => new() { ["shopMoney"] = new JsonObject { ["amount"] = amount } };
        var id = FirstOrder + i;
        var at = DateTime.UtcNow.AddDays(-30).AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = $"gid://shopify/Order/{id}", ["name"] = $"#{i}", ["createdAt"] = at, ["updatedAt"] = at, ["test"] = false,
            ["currencyCode"] = "USD", ["taxesIncluded"] = false, ["displayFinancialStatus"] = "PAID", ["cancelledAt"] = null, ["email"] = $"b{i}@example.com",
            ["customer"] = new JsonObject { ["id"] = $"gid://shopify/Customer/{id}", ["email"] = $"b{i}@example.com" },
            ["discountCodes"] = i % 5 == 0 ? new JsonArray("JANE10") : new JsonArray(),
            ["customAttributes"] = new JsonArray(),
            ["totalTaxSet"] = Money("0.00"), ["totalShippingPriceSet"] = Money("5.00"),
            ["lineItems"] = new JsonObject
            {
                ["nodes"] = new JsonArray(new JsonObject
                {
                    ["id"] = $"gid://shopify/LineItem/{id * 10}", ["quantity"] = 1, ["currentQuantity"] = 1, ["isGiftCard"] = false,
                    ["product"] = new JsonObject { ["id"] = "gid://shopify/Product/77" }, ["title"] = "Hoodie",
                    ["originalUnitPriceSet"] = Money("40.00"), ["discountAllocations"] = new JsonArray(), ["taxLines"] = new JsonArray(),
                }),
            },
            ["refunds"] = new JsonArray(),
        };
    }

    /// <summary>The merchant installs the app from the Shopify admin: a signed launch, Shopify's authorize step, the signed callback.</summary>
    private async Task InstallAsync(string baseUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        string Signed(Dictionary<string, string> query)
        {
            query["shop"] = Shop;
            query["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            query["host"] = "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvY3Jhc2gtaW1wb3J0";
            return string.Join("&", query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")) + "&hmac=" + ShopifyHmac.SignQuery(query, FakeShopify.ApiSecret);
        }
        var launch = await browser.GetAsync("/shopify?" + Signed([]));
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        var state = HttpUtility.ParseQueryString(launch.Headers.Location!.Query)["state"]!;
        var callback = await browser.GetAsync("/shopify/callback?" + Signed(new() { ["code"] = "crash-code", ["state"] = state }));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
    }

    /// <summary>An API key for the workspace the install made (as a row: keys are stored hashed), Jane and her coupon JANE10.</summary>
    private async Task SetUpProgramAsync(string baseUrl, string apiKey)
    {
        var workspace = await ScalarAsync<string>("""SELECT CAST("WorkspaceId" AS TEXT) FROM "Shops" """);
        var keyId = provider == Db.Postgres ? Guid.NewGuid().ToString() : Guid.NewGuid().ToString().ToUpperInvariant();
        await ScalarAsync<object>($"""
            INSERT INTO "ApiKeys" ("Id", "WorkspaceId", "Name", "Hash", "Hint", "CreatedAt", "UpdatedAt")
            VALUES ('{keyId}', '{workspace}', 'Crash test', '{ApiKey.HashOf(apiKey)}', '{apiKey[..10]}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')
            """);
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        var jane = await (await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Jane Doe", email = "jane@example.com", referralCode = "jane" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = jane.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "ok" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = id, code = "JANE10", discountType = "Percentage", amount = 10 })).EnsureSuccessStatusCode();
    }

    private DbConnection Connect() => provider == Db.Postgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class BackfillCrashOnSqlite() : BackfillCrashTests(Db.Sqlite);

public sealed class BackfillCrashOnPostgres() : BackfillCrashTests(Db.Postgres);
