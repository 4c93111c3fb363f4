using System.Text.RegularExpressions;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>Webhook topics as Shopify names them in headers (<c>orders/create</c>) and in GraphQL (<c>ORDERS_CREATE</c>).</summary>
public static partial class ShopifyWebhookTopics
{
    public const string OrdersCreate = "orders/create";
    public const string OrdersUpdated = "orders/updated";
    public const string OrdersPaid = "orders/paid";
    public const string OrdersCancelled = "orders/cancelled";
    public const string RefundsCreate = "refunds/create";
    public const string AppUninstalled = "app/uninstalled";

    /// <summary>Declared in shopify.app.toml <c>compliance_topics</c>, never through the API.</summary>
    public const string CustomersDataRequest = "customers/data_request";
    public const string CustomersRedact = "customers/redact";
    public const string ShopRedact = "shop/redact";

    /// <summary>What <see cref="ShopifyAdminClient.EnsureWebhooksAsync"/> subscribes a shop to.</summary>
    public static IReadOnlyList<string> Subscribed { get; } =
        [OrdersCreate, OrdersUpdated, OrdersPaid, OrdersCancelled, RefundsCreate, AppUninstalled];

    /// <summary><c>orders/create</c> -> <c>ORDERS_CREATE</c>.</summary>
    public static string ToGraphQlEnum(string topic)
    {
        var t = topic.Trim();
        if (!Topic().IsMatch(t))
            throw new ArgumentException($"'{topic}' is not a webhook topic like 'orders/create'.", nameof(topic));
        return t.Replace('/', '_').ToUpperInvariant();
    }

    [GeneratedRegex(@"^[a-z_]+/[a-z_]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Topic();
}
