using System.Globalization;
using System.Text.Json;

namespace ShopAffiliate.Platforms;

/// <summary>A platform's "this payload cannot be read" exception, so the shared readers throw the platform's own type.</summary>
public interface IPayloadError<TSelf> where TSelf : Exception, IPayloadError<TSelf>
{
    static abstract TSelf Create(string message);
}

/// <summary>
/// Tolerant readers for the platforms' JSON: missing and null are the same, ids come as numbers or strings (64-bit, never
/// through a double), numbers as numbers or strings. What cannot be read throws <typeparamref name="TError"/> naming
/// the field by its path.
/// </summary>
internal static class PayloadJson<TError> where TError : Exception, IPayloadError<TError>
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

    public static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        TryGet(parent, name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    /// <summary>An id as text, exactly as sent; a blank string is no id. <paramref name="digitsOnly"/>: a string id must be digits.</summary>
    public static string? IdText(JsonElement parent, string name, string path, bool digitsOnly)
    {
        if (!TryGet(parent, name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Number when value.TryGetUInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String when string.IsNullOrWhiteSpace(value.GetString()) => null,
            JsonValueKind.String when !digitsOnly || value.GetString()!.Trim().All(char.IsAsciiDigit) => value.GetString()!.Trim(),
            _ => throw TError.Create($"'{path}' is not an id: {Raw(value)}."),
        };
    }

    /// <summary>A decimal as a number or an invariant string (<c>"45.00"</c>, <c>"-10.00"</c>); blank is null.</summary>
    public static decimal? Decimal(JsonElement parent, string name, string path, string what)
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
        throw TError.Create($"'{path}' is not {what}: {Raw(value)}.");
    }

    /// <summary>An ISO 8601 time as UTC; one without an offset is read as UTC.</summary>
    public static DateTime? Time(JsonElement parent, string name, string path)
    {
        if (Str(parent, name) is not { Length: > 0 } text)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime
            : throw TError.Create($"'{path}' is not a date: '{Cut(text)}'.");
    }

    public static string Raw(JsonElement value) => Cut(value.GetRawText());

    private static string Cut(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
