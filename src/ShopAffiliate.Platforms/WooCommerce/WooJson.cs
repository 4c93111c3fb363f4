using System.Globalization;
using System.Text.Json;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// Tolerant readers for WooCommerce's JSON: missing and null are the same, ids come as numbers or strings, money as
/// strings (sometimes numbers). What cannot be read throws <see cref="WooPayloadException"/> naming the field.
/// </summary>
internal static class WooJson
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

    /// <summary>A 64-bit id as text, exactly as sent (never through a double); an empty string is no id.</summary>
    public static string? Id(JsonElement parent, string name, string path)
    {
        if (!TryGet(parent, name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Number when value.TryGetUInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String when string.IsNullOrWhiteSpace(value.GetString()) => null,
            JsonValueKind.String when value.GetString()!.Trim().All(char.IsAsciiDigit) => value.GetString()!.Trim(),
            _ => throw new WooPayloadException($"'{path}' is not an id: {Raw(value)}."),
        };
    }

    /// <summary>A money string (<c>"45.00"</c>, <c>"-10.00"</c>) or number, invariant; blank is null.</summary>
    public static decimal? Money(JsonElement parent, string name, string path) => Number(parent, name, path, "an amount");

    /// <summary>A whole quantity; a fractional one (some plugins sell by weight) is 0, the engine's "unknown".</summary>
    public static int Quantity(JsonElement parent, string name, string path)
    {
        var quantity = Number(parent, name, path, "a quantity") ?? 0m;
        return quantity == decimal.Truncate(quantity) && quantity is > 0m and <= int.MaxValue ? (int)quantity : 0;
    }

    /// <summary>
    /// A date as UTC. WooCommerce's <c>*_gmt</c> fields carry no offset (<c>2025-03-14T15:28:02</c>) and are read as UTC;
    /// a string with an offset keeps it.
    /// </summary>
    public static DateTime? Time(JsonElement parent, string name, string path)
    {
        if (Str(parent, name) is not { Length: > 0 } text)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime
            : throw new WooPayloadException($"'{path}' is not a date: '{Cut(text)}'.");
    }

    public static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private static decimal? Number(JsonElement parent, string name, string path, string what)
    {
        if (!TryGet(parent, name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
            return null;
        if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        throw new WooPayloadException($"'{path}' is not {what}: {Raw(value)}.");
    }

    private static string Raw(JsonElement value) => Cut(value.GetRawText());

    private static string Cut(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
