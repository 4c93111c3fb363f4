using System.Text.Json;

namespace ShopAffiliate.Platforms;

/// <summary>Free text from a payload that we keep only to show (a product's name): bounded and without control characters.</summary>
public static class PayloadText
{
    public const int MaxTitle = 200;

    /// <summary>
    /// A display-only field of <paramref name="parent"/> (a line's product name): a string read as <see cref="Title(string?)"/>;
    /// anything else, or text that is not valid (an unpaired surrogate), is no title rather than an unreadable order.
    /// </summary>
    public static string? Title(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            return Title(value.GetString());
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The text trimmed, control characters as spaces, at most <see cref="MaxTitle"/> characters; blank is null.</summary>
    public static string? Title(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        if (clean.Length > MaxTitle)
        {
            // Never cut a surrogate pair in half.
            var cut = char.IsHighSurrogate(clean[MaxTitle - 1]) ? MaxTitle - 1 : MaxTitle;
            clean = clean[..cut].TrimEnd();
        }
        return clean.Length == 0 ? null : clean;
    }
}
