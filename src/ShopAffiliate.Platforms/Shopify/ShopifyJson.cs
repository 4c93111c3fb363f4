using System.Globalization;
using System.Text.Json;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>Tolerant readers for Shopify's REST-shaped JSON: missing and null are the same, ids and money come as numbers or strings.</summary>
internal static class ShopifyJson
{
    public static bool TryGet(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    public static string? Str(JsonElement parent, string name) =>
        TryGet(parent, name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A 64-bit id as text, exactly as sent (never through a double).</summary>
    public static string? Id(JsonElement parent, string name, string path)
    {
        if (!TryGet(parent, name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Number when value.TryGetUInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString()!.Trim(),
            JsonValueKind.String => null,
            _ => throw new ShopifyPayloadException($"'{path}' is not an id: {Raw(value)}."),
        };
    }

    public static decimal? Money(JsonElement parent, string name, string path)
    {
        if (!TryGet(parent, name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
            return null;
        throw new ShopifyPayloadException($"'{path}' is not an amount: {Raw(value)}.");
    }

    /// <summary>The shop-currency amount: <c>{name}_set.shop_money.amount</c> when present, else the plain field.</summary>
    public static decimal? ShopMoney(JsonElement parent, string name, string path) =>
        TryGet(parent, name + "_set", out var set) && TryGet(set, "shop_money", out var shopMoney)
            ? Money(shopMoney, "amount", $"{path}_set.shop_money.amount") ?? Money(parent, name, path)
            : Money(parent, name, path);

    public static int Int(JsonElement parent, string name, string path) =>
        !TryGet(parent, name, out var value) ? 0
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new ShopifyPayloadException($"'{path}' is not a whole number: {Raw(value)}.");

    public static bool Bool(JsonElement parent, string name) =>
        TryGet(parent, name, out var value) && (value.ValueKind == JsonValueKind.True
            || (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var b) && b));

    /// <summary>An ISO 8601 time with offset, as UTC.</summary>
    public static DateTime? Time(JsonElement parent, string name, string path)
    {
        if (Str(parent, name) is not { Length: > 0 } text)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime
            : throw new ShopifyPayloadException($"'{path}' is not a date: '{text}'.");
    }

    public static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    /// <summary>The resource itself; a REST-style <c>{"order": {...}}</c> wrapper is unwrapped.</summary>
    public static JsonElement Root(JsonElement body, string wrapper, string what)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ShopifyPayloadException($"A Shopify {what} must be a JSON object, not {body.ValueKind}.");
        return !body.TryGetProperty("id", out _) && TryGet(body, wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object
            ? inner
            : body;
    }

    private static string Raw(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 60 ? raw : raw[..60] + "…";
    }
}
