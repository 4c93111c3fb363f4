using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>
/// Shopify's two HMAC-SHA256 signatures: the hex <c>hmac</c> on admin launches and OAuth callbacks, and the base64
/// <c>X-Shopify-Hmac-Sha256</c> over a webhook's raw body. Both fail closed and compare in constant time.
/// </summary>
public static class ShopifyHmac
{
    private const int DigestLength = 32;

    /// <summary>
    /// Verifies the query's <c>hmac</c>: every other parameter except <c>signature</c>, sorted by key (ordinal),
    /// each <c>key=value</c> form-urlencoded, joined with <c>&amp;</c>, HMAC-SHA256 with the client secret, hex.
    /// Does not check the timestamp: call <see cref="IsFresh"/> too.
    /// </summary>
    public static bool VerifyQuery(IEnumerable<KeyValuePair<string, string>> query, IEnumerable<string> secrets)
    {
        string? provided = null;
        var rest = new List<KeyValuePair<string, string>>();
        foreach (var pair in query)
        {
            if (pair.Key == "hmac")
            {
                if (provided is not null)
                    return false; // two hmac parameters: not something Shopify sends
                provided = pair.Value;
            }
            else
            {
                rest.Add(pair);
            }
        }

        if (string.IsNullOrEmpty(provided) || provided.Length != DigestLength * 2)
            return false;
        Span<byte> expected = stackalloc byte[DigestLength];
        if (Convert.FromHexString(provided, expected, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != DigestLength)
            return false;

        var message = Encoding.UTF8.GetBytes(CanonicalQuery(rest));
        return MatchesAny(message, expected, secrets);
    }

    /// <summary>The lowercase hex <c>hmac</c> Shopify would put on this query (for tests and fakes).</summary>
    public static string SignQuery(IEnumerable<KeyValuePair<string, string>> query, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(CanonicalQuery(query))));

    /// <summary>The signed message: <c>hmac</c> and <c>signature</c> dropped, keys sorted ordinally, form-urlencoded.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Where(p => p.Key is not ("hmac" or "signature"))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => FormEncode(p.Key) + "=" + FormEncode(p.Value ?? "")));

    /// <summary>True when the unix-seconds <paramref name="timestamp"/> is within <paramref name="window"/> of now (either side).</summary>
    public static bool IsFresh(string? timestamp, DateTimeOffset now, TimeSpan window)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return false;
        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age.Duration() <= window;
    }

    /// <summary>Verifies <c>X-Shopify-Hmac-Sha256</c>: base64 HMAC-SHA256 of the raw body bytes, before any parsing.</summary>
    public static bool VerifyWebhook(ReadOnlySpan<byte> rawBody, string? hmacHeaderBase64, IEnumerable<string> secrets)
    {
        if (string.IsNullOrWhiteSpace(hmacHeaderBase64))
            return false;
        Span<byte> expected = stackalloc byte[DigestLength + 3]; // room to notice a too-long value
        if (!Convert.TryFromBase64String(hmacHeaderBase64.Trim(), expected, out var written) || written != DigestLength)
            return false;
        return MatchesAny(rawBody, expected[..DigestLength], secrets);
    }

    /// <summary>The <c>X-Shopify-Hmac-Sha256</c> value Shopify would send with this body (for tests and fakes).</summary>
    public static string SignWebhook(ReadOnlySpan<byte> rawBody, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody));

    private static bool MatchesAny(ReadOnlySpan<byte> message, ReadOnlySpan<byte> expected, IEnumerable<string> secrets)
    {
        Span<byte> actual = stackalloc byte[DigestLength];
        var match = false;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
                continue; // an empty key would let anyone sign
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message, actual);
            match |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        return match;
    }

    /// <summary>
    /// application/x-www-form-urlencoded as the WHATWG URL standard (and so Shopify's URLSearchParams) writes it:
    /// ASCII letters, digits and <c>*-._</c> stay, a space becomes <c>+</c>, every other UTF-8 byte is <c>%XX</c>.
    /// </summary>
    internal static string FormEncode(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
                builder.Append((char)b);
            else if (b == (byte)' ')
                builder.Append('+');
            else
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
