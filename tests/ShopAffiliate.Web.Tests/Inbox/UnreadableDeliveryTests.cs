using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;
using static ShopAffiliate.Web.Tests.Infrastructure.HostQueries;

namespace ShopAffiliate.Web.Tests.Inbox;

/// <summary>
/// Mutated bodies that pass the signature check (the shop signed what it sent, however broken) go into the inbox; the
/// worker parks each at its first attempt with the mapper's reason, and a valid delivery after them is still credited.
/// </summary>
public abstract class UnreadableDeliveryTests(Db provider) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
    {
        ["Shopify:ApiKey"] = FakeShopify.ApiKey,
        ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string Order(Action<JsonNode> change)
    {
        var order = JsonNode.Parse(OrdersCreatePayload.Json)!;
        change(order);
        return order.ToJsonString();
    }

    [Fact]
    public async Task MutatedDeliveriesAreParkedWithAReadableReasonAndAValidOneAfterThemIsCredited()
    {
        var s = new Scenario(_app);
        await s.ShopAsync(FakeShopify.Shop);
        var jane = (await s.ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();
        (string Topic, string Body, string Reason)[] broken =
        [
            ("orders/create", Order(o => o.AsObject().Remove("id")), "Unreadable payload: The Shopify order has no id."),
            ("orders/create", Order(o => o["line_items"]![0]!["quantity"] = "many"),
                "Unreadable payload: 'line_items[0].quantity' is not a whole number: \"many\"."),
            ("orders/create", Order(o => o["line_items"]![0]!["price_set"]!["shop_money"]!["amount"] = 79228162514264337593543950335m),
                "Unreadable payload: 'line_items[0].price_set.shop_money.amount' is not an amount a shop could send: 79228162514264337593543950335."),
            ("orders/create", Order(o => o["email"] = "\u0001").Replace("\\u0001", "\\ud800", StringComparison.Ordinal),
                "Unreadable payload: 'email' is not valid text (an unpaired surrogate): \"\\ud800\"."),
            ("orders/create", "[" + OrdersCreatePayload.Json + "]", "Unreadable payload: A Shopify order must be a JSON object, not Array."),
            ("refunds/create", RefundsCreatePayload.Json.Replace("\"created_at\": \"", "\"created_at\": \"yesterday", StringComparison.Ordinal),
                "Unreadable payload: 'created_at' is not a date:"),
        ];
        foreach (var (topic, body, _) in broken)
            Assert.Equal(HttpStatusCode.OK, (await ShopifyWebhooks.DeliverAsync(_app, topic, body, DateTimeOffset.UtcNow)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ShopifyWebhooks.DeliverAsync(_app, "orders/create", OrdersCreatePayload.Json, DateTimeOffset.UtcNow)).StatusCode);

        await WaitForInboxAsync(_app);

        var messages = await s.WithDbAsync(db => db.Inbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(broken.Length + 1, messages.Count);
        foreach (var (message, (_, _, reason)) in messages.Zip(broken))
        {
            Assert.Equal(InboxStatus.Failed, message.Status);
            Assert.Equal(1, message.Attempts);
            Assert.StartsWith(reason, message.LastError);
        }
        Assert.Equal(InboxStatus.Processed, messages[^1].Status);
        var commission = Assert.Single(await CommissionsAsync(_app));
        Assert.Equal((jane, 9.50m), (commission.AffiliateId, commission.Amount));
    }
}

public sealed class UnreadableDeliveryOnSqlite() : UnreadableDeliveryTests(Db.Sqlite);

public sealed class UnreadableDeliveryOnPostgres() : UnreadableDeliveryTests(Db.Postgres);
