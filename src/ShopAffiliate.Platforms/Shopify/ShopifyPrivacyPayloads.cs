using System.Text.Json;
using static ShopAffiliate.Platforms.PayloadJson<ShopAffiliate.Platforms.Shopify.ShopifyPayloadException>;
using static ShopAffiliate.Platforms.Shopify.ShopifyJson;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>The customer a privacy request is about; any part may be missing.</summary>
public sealed record ShopifyPrivacyCustomer(string? Id, string? Email, string? Phone);

/// <summary>customers/data_request: send the merchant what we hold on this customer.</summary>
/// <param name="ShopPlatformId">Shopify's numeric shop id, as text.</param>
public sealed record ShopifyCustomerDataRequest(
    string? ShopPlatformId,
    string ShopDomain,
    ShopifyPrivacyCustomer Customer,
    IReadOnlyList<string> OrdersRequested,
    string? DataRequestId);

/// <summary>customers/redact: erase this customer's personal data (and that of the listed orders).</summary>
public sealed record ShopifyCustomerRedact(
    string? ShopPlatformId,
    string ShopDomain,
    ShopifyPrivacyCustomer Customer,
    IReadOnlyList<string> OrdersToRedact);

/// <summary>shop/redact: 48 hours after uninstall, erase the shop's data.</summary>
public sealed record ShopifyShopRedact(string? ShopPlatformId, string ShopDomain);

/// <summary>Parses the three mandatory privacy webhooks (verify the HMAC first; a bad one gets 401).</summary>
public static class ShopifyPrivacyPayloads
{
    public static ShopifyCustomerDataRequest ParseCustomerDataRequest(JsonElement body)
    {
        var (shopId, domain) = Shop(body, ShopifyWebhookTopics.CustomersDataRequest);
        var request = TryGet(body, "data_request", out var r) ? Id(r, "id", "data_request.id") : null;
        return new(shopId, domain, Customer(body), Ids(body, "orders_requested"), request);
    }

    public static ShopifyCustomerRedact ParseCustomerRedact(JsonElement body)
    {
        var (shopId, domain) = Shop(body, ShopifyWebhookTopics.CustomersRedact);
        return new(shopId, domain, Customer(body), Ids(body, "orders_to_redact"));
    }

    public static ShopifyShopRedact ParseShopRedact(JsonElement body)
    {
        var (shopId, domain) = Shop(body, ShopifyWebhookTopics.ShopRedact);
        return new(shopId, domain);
    }

    private static (string? ShopId, string Domain) Shop(JsonElement body, string topic)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ShopifyPayloadException($"A Shopify {topic} body must be a JSON object.");
        var domain = Str(body, "shop_domain") is { Length: > 0 } d ? ShopifyShopDomain.Normalize(d)
            : throw new ShopifyPayloadException($"The Shopify {topic} body has no shop_domain.");
        return (Id(body, "shop_id", "shop_id"), domain);
    }

    private static ShopifyPrivacyCustomer Customer(JsonElement body) =>
        TryGet(body, "customer", out var c) && c.ValueKind == JsonValueKind.Object
            ? new(Id(c, "id", "customer.id"), Blank(Str(c, "email")), Blank(Str(c, "phone")))
            : new(null, null, null);

    private static List<string> Ids(JsonElement body, string name) =>
        Array(body, name).Select((e, i) => e.ValueKind switch
        {
            JsonValueKind.Number when e.TryGetInt64(out var id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonValueKind.String when !string.IsNullOrWhiteSpace(Text(e, $"{name}[{i}]")) => Text(e, $"{name}[{i}]").Trim(),
            _ => throw new ShopifyPayloadException($"'{name}[{i}]' is not an order id."),
        }).ToList();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
