using System.Text.Json;

namespace ShopAffiliate.Platforms;

/// <summary>An error response body, read for a message worth showing: each platform reads its own JSON object shape.</summary>
internal static class ErrorBody
{
    /// <summary>
    /// Blank is nothing; a JSON object goes to <paramref name="readObject"/> (its message cut short); anything else (not
    /// JSON, or not an object) is the message itself, cut short.
    /// </summary>
    public static (string? Code, string? Message) Read(string? content, Func<JsonElement, (string? Code, string? Message)> readObject)
    {
        if (string.IsNullOrWhiteSpace(content))
            return (null, null);
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Cut(content));
            var (code, message) = readObject(document.RootElement);
            return (code, string.IsNullOrEmpty(message) ? null : Cut(message));
        }
        catch (JsonException)
        {
            return (null, Cut(content));
        }
    }

    /// <summary>At most 300 characters, trimmed, with an ellipsis when cut.</summary>
    public static string Cut(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";

    /// <summary>A string property, or null.</summary>
    public static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
