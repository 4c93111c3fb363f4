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
            JsonValueKind.String => Text(value, name),
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
        var text = value.ValueKind == JsonValueKind.String ? Text(value, path).Trim() : null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Number when value.TryGetUInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String when text!.Length == 0 => null,
            JsonValueKind.String when !digitsOnly || text!.All(char.IsAsciiDigit) => text,
            _ => throw TError.Create($"'{path}' is not an id: {Raw(value)}."),
        };
    }

    /// <summary>
    /// A decimal as a number or an invariant string (<c>"45.00"</c>, <c>"-10.00"</c>); blank is null. <paramref name="bounded"/>:
    /// beyond <see cref="MaxMagnitude"/> is an error (amounts); a caller that reads out-of-range values its own way passes false.
    /// </summary>
    public static decimal? Decimal(JsonElement parent, string name, string path, string what, bool bounded = true)
    {
        if (!TryGet(parent, name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            return bounded ? Plausible(number, value, path, what) : number;
        var text = value.ValueKind == JsonValueKind.String ? Text(value, path) : null;
        if (text is not null && string.IsNullOrWhiteSpace(text))
            return null;
        if (text is not null && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            return bounded ? Plausible(parsed, value, path, what) : parsed;
        throw TError.Create($"'{path}' is not {what}: {Raw(value)}.");
    }

    /// <summary>
    /// No shop sells a line for a trillion: a larger amount or quantity is a broken payload, refused here, before a price
    /// times a quantity or a sum of lines overflows decimal further on (an OverflowException names no field).
    /// </summary>
    public const decimal MaxMagnitude = 1_000_000_000_000m;

    private static decimal Plausible(decimal number, JsonElement value, string path, string what) =>
        Math.Abs(number) <= MaxMagnitude ? number : throw TError.Create($"'{path}' is not {what} a shop could send: {Raw(value)}.");

    /// <summary>
    /// A JSON string's text. An escaped unpaired surrogate (<c>"\ud800"</c>) is valid JSON but no text: System.Text.Json
    /// throws InvalidOperationException for it, which would name no field; here it is the platform's payload error.
    /// </summary>
    public static string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw TError.Create($"'{path}' is not valid text (an unpaired surrogate): {Raw(value)}.");
        }
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

    /// <summary>A currency code as the engine takes it (three ASCII letters, upper case); null or blank is null.</summary>
    public static string? CurrencyCode(string? text, string path) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().ToUpperInvariant() is not { } code ? null
        : code.Length == 3 && code.All(char.IsAsciiLetterUpper) ? code
        : throw TError.Create($"'{path}' is not a currency code: '{Cut(text)}'.");

    public static string Raw(JsonElement value) => Cut(value.GetRawText());

    private static string Cut(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
