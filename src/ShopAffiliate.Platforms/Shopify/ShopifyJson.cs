using System.Globalization;
using System.Text.Json;
using static ShopAffiliate.Platforms.PayloadJson<ShopAffiliate.Platforms.Shopify.ShopifyPayloadException>;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>Shopify's readings on top of <see cref="PayloadJson{TError}"/>: shop money, whole numbers, flags, wrapped resources.</summary>
internal static class ShopifyJson
{
    /// <summary>A 64-bit id as text, exactly as sent (never through a double).</summary>
    public static string? Id(JsonElement parent, string name, string path) =>
        PayloadJson<ShopifyPayloadException>.IdText(parent, name, path, digitsOnly: false);

    public static decimal? Money(JsonElement parent, string name, string path) =>
        PayloadJson<ShopifyPayloadException>.Decimal(parent, name, path, "an amount");

    /// <summary>The shop-currency amount: <c>{name}_set.shop_money.amount</c> when present, else the plain field.</summary>
    public static decimal? ShopMoney(JsonElement parent, string name, string path) =>
        TryGet(parent, name + "_set", out var set) && TryGet(set, "shop_money", out var shopMoney)
            ? Money(shopMoney, "amount", $"{path}_set.shop_money.amount") ?? Money(parent, name, path)
            : Money(parent, name, path);

    public static int Int(JsonElement parent, string name, string path) =>
        !TryGet(parent, name, out var value) ? 0
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : value.ValueKind == JsonValueKind.String && int.TryParse(PayloadJson<ShopifyPayloadException>.Text(value, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new ShopifyPayloadException($"'{path}' is not a whole number: {PayloadJson<ShopifyPayloadException>.Raw(value)}.");

    public static bool Bool(JsonElement parent, string name) =>
        TryGet(parent, name, out var value) && (value.ValueKind == JsonValueKind.True
            || (value.ValueKind == JsonValueKind.String && bool.TryParse(PayloadJson<ShopifyPayloadException>.Text(value, name), out var b) && b));

    /// <summary>The resource itself; a REST-style <c>{"order": {...}}</c> wrapper is unwrapped.</summary>
    public static JsonElement Root(JsonElement body, string wrapper, string what)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ShopifyPayloadException($"A Shopify {what} must be a JSON object, not {body.ValueKind}.");
        return !body.TryGetProperty("id", out _) && TryGet(body, wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object
            ? inner
            : body;
    }
}
