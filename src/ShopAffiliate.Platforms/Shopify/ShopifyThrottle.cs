using System.Text.Json;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>
/// Reads a GraphQL <c>THROTTLED</c> answer (HTTP 200, or 429): <c>{"errors":[{"extensions":{"code":"THROTTLED"}}],
/// "extensions":{"cost":{"requestedQueryCost":N,"throttleStatus":{"maximumAvailable":M,"currentlyAvailable":A,"restoreRate":R}}}}</c>.
/// The query runs once the bucket holds its cost again: after (N - A) / R seconds.
/// </summary>
internal static class ShopifyThrottle
{
    /// <summary>Longer than any real wait (a 1,000-point query on an empty 100-point/s bucket: 10 s).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    // A throttled answer carries no data: a few hundred bytes. Larger answers are not read twice.
    private const int MaxThrottledAnswer = 16 * 1024;

    private static ReadOnlySpan<byte> Marker => "\"THROTTLED\""u8;

    /// <summary>
    /// How long to wait before asking again, or null when <paramref name="response"/> is not a throttled GraphQL answer, or
    /// one that waiting cannot help (the query costs more than the bucket holds). A cost that cannot be read waits
    /// one second. The body stays readable.
    /// </summary>
    public static async Task<TimeSpan?> WaitAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode is not (System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.TooManyRequests)
            || request.RequestUri?.AbsolutePath.EndsWith("/graphql.json", StringComparison.Ordinal) != true
            || response.Content.Headers.ContentLength is > MaxThrottledAnswer)
            return null;

        // Refit reads the whole answer anyway; buffered, it can be read twice (and its length is known).
        await response.Content.LoadIntoBufferAsync(ct);
        if (response.Content.Headers.ContentLength is not (> 0 and <= MaxThrottledAnswer))
            return null;
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return body.AsSpan().IndexOf(Marker) >= 0 ? Wait(body) : null;
    }

    private static TimeSpan? Wait(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array
                || !errors.EnumerateArray().Any(IsThrottled))
                return null;
            if (!TryNumber(root, out var requested, "extensions", "cost", "requestedQueryCost")
                || !TryNumber(root, out var available, "extensions", "cost", "throttleStatus", "currentlyAvailable")
                || !TryNumber(root, out var rate, "extensions", "cost", "throttleStatus", "restoreRate") || rate <= 0)
                return TimeSpan.FromSeconds(1);
            if (TryNumber(root, out var maximum, "extensions", "cost", "throttleStatus", "maximumAvailable") && requested > maximum)
                return null;
            // At least one point's worth: the bucket was short when Shopify answered, whatever it says now.
            var seconds = Math.Max(requested - available, 1) / rate;
            return seconds >= MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromSeconds(seconds);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsThrottled(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
        && extensions.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.ValueEquals("THROTTLED");

    private static bool TryNumber(JsonElement element, out double value, params string[] path)
    {
        value = 0;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                return false;
        }
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }
}
