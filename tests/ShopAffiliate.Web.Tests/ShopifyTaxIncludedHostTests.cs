using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;
using static ShopAffiliate.Web.Tests.Infrastructure.HostQueries;

namespace ShopAffiliate.Web.Tests;

/// <summary>A DKK program with a Danish Shopify shop (prices include 25 % moms) and Jane, who earns 10 %.</summary>
public abstract class DanishShopApp(Db provider) : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
        {
            ["Bootstrap:Currency"] = "DKK",
            ["Shopify:ApiKey"] = FakeShopify.ApiKey,
            ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
        });
        var s = new Scenario(App);
        await s.ShopAsync(FakeShopify.Shop, "DKK");
        await s.ApprovedAffiliateAsync("Jane Doe", "jane");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class DanishShopOnSqlite() : DanishShopApp(Db.Sqlite);

public sealed class DanishShopOnPostgres() : DanishShopApp(Db.Postgres);

/// <summary>
/// The Danish order of <see cref="DanishOrderPayloads"/> through the webhook endpoint, the inbox and the engine:
/// commissions on the merchandise without moms, to the øre, through a refund, an edit and a second refund.
/// </summary>
public abstract class ShopifyTaxIncludedHostTests(DanishShopApp fixture)
{
    private TestApp App => fixture.App;

    private async Task DeliverAllAsync(params (string Topic, string Body)[] deliveries)
    {
        foreach (var (topic, body) in deliveries)
            Assert.Equal(HttpStatusCode.OK, (await ShopifyWebhooks.DeliverAsync(App, topic, body, DateTimeOffset.UtcNow)).StatusCode);
        await WaitForInboxAsync(App);
    }

    /// <summary>The order's one commission and its refunded merchandise (before moms).</summary>
    private async Task<(decimal Commission, string Currency, decimal Refunded)> OrderAsync(long externalId)
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var order = await db.Orders.IgnoreQueryFilters().SingleAsync(o => o.ExternalId == externalId.ToString());
        var commission = await db.Commissions.IgnoreQueryFilters().SingleAsync(c => c.OrderId == order.Id);
        return (commission.Amount, commission.Currency, order.RefundedAmount);
    }

    [Fact]
    public async Task TheDanishOrderEarnsOnMerchandiseWithoutMomsThroughARefundAnEditAndASecondRefund()
    {
        await DeliverAllAsync(("orders/create", DanishOrderPayloads.Placed));
        Assert.Equal((89.58m, "DKK", 0m), await OrderAsync(DanishOrderPayloads.OrderId)); // 10 % of 895.80, not of 1119.75

        await DeliverAllAsync(("refunds/create", DanishOrderPayloads.FirstRefund), ("orders/updated", DanishOrderPayloads.AfterFirstRefund));
        Assert.Equal((80.41m, "DKK", 91.68m), await OrderAsync(DanishOrderPayloads.OrderId)); // the mug's 114.60 less its 22.92 moms

        await DeliverAllAsync(("orders/updated", DanishOrderPayloads.AfterEdit));
        Assert.Equal((71.24m, "DKK", 91.68m), await OrderAsync(DanishOrderPayloads.OrderId));

        await DeliverAllAsync(("orders/updated", DanishOrderPayloads.AfterSecondRefund), ("refunds/create", DanishOrderPayloads.SecondRefund));
        Assert.Equal((62.08m, "DKK", 183.36m), await OrderAsync(DanishOrderPayloads.OrderId)); // 10 % of 529.09 + 91.68 (one mug left)
    }

    [Fact]
    public async Task GiftCardLinesEarnNothingByDefaultAndDoWithTheSetting()
    {
        static string GiftCardOrder(long id) => DanishOrderPayloads.PlacedWith(o =>
        {
            o["id"] = id;
            o["name"] = $"#{id % 10000}";
            var card = o["line_items"]![1]!;
            card["gift_card"] = true;
            card["tax_lines"] = new JsonArray(); // no moms on a gift card
        });
        var api = App.ApiClient();
        Assert.False((await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("commissionOnGiftCards").GetBoolean());

        await DeliverAllAsync(("orders/create", GiftCardOrder(6203451239001)));
        Assert.Equal(52.91m, (await OrderAsync(6203451239001)).Commission); // the blanket only

        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/program", new { commissionOnGiftCards = true })).StatusCode);
        try
        {
            await DeliverAllAsync(("orders/create", GiftCardOrder(6203451239002)));
            Assert.Equal(98.75m, (await OrderAsync(6203451239002)).Commission); // 10 % of 529.09 + 458.39
        }
        finally
        {
            await api.PutAsJsonAsync("/api/v1/settings/program", new { commissionOnGiftCards = false });
        }
    }

    [Fact]
    public async Task TheProgramTimeZoneTakesAnIanaIdAndRefusesAnythingElseWithAProblem()
    {
        var api = App.ApiClient();
        Assert.Equal("UTC", (await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("timeZone").GetString());

        foreach (var bad in new[] { "Mars/Olympus_Mons", "Romance Standard Time", "" })
        {
            var refused = await api.PutAsJsonAsync("/api/v1/settings/program", new { timeZone = bad });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Contains("IANA time zone", await refused.Content.ReadAsStringAsync());
        }

        var set = await api.PutAsJsonAsync("/api/v1/settings/program", new { timeZone = "Europe/Copenhagen" });
        try
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal("Europe/Copenhagen", (await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("timeZone").GetString());
        }
        finally
        {
            await api.PutAsJsonAsync("/api/v1/settings/program", new { timeZone = "UTC" });
        }
    }
}

public sealed class ShopifyTaxIncludedOnSqlite(DanishShopOnSqlite fixture) : ShopifyTaxIncludedHostTests(fixture), IClassFixture<DanishShopOnSqlite>;

public sealed class ShopifyTaxIncludedOnPostgres(DanishShopOnPostgres fixture) : ShopifyTaxIncludedHostTests(fixture), IClassFixture<DanishShopOnPostgres>;
