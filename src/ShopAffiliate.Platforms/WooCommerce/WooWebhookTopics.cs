namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>WooCommerce webhook topics (<c>X-WC-Webhook-Topic</c>) the app uses.</summary>
public static class WooWebhookTopics
{
    public const string OrderCreated = "order.created";

    /// <summary>Also fires on refunds.</summary>
    public const string OrderUpdated = "order.updated";

    /// <summary>Moved to the trash, or deleted: the body is only <c>{"id":N}</c>.</summary>
    public const string OrderDeleted = "order.deleted";

    public const string OrderRestored = "order.restored";

    /// <summary>What the app keeps a webhook for in every connected store.</summary>
    public static IReadOnlyList<string> Subscribed { get; } = [OrderCreated, OrderUpdated, OrderDeleted, OrderRestored];
}
