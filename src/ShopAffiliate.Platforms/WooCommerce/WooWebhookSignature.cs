using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// <c>X-WC-Webhook-Signature</c>: <c>base64(HMAC-SHA256(key = the webhook's secret, message = the raw body))</c>
/// (<c>WC_Webhook::generate_signature</c>). Verification fails closed and compares in constant time.
/// </summary>
public static class WooWebhookSignature
{
    public const string SignatureHeader = "X-WC-Webhook-Signature";

    private const int DigestLength = 32;
    private const int SecretLength = 40;

    /// <summary>The signature WooCommerce would send with this body (for tests and fakes).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>Checks the header against the raw body bytes, before any parsing. Missing, malformed or empty-secret: false.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? signatureHeader, string secret)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader) || string.IsNullOrEmpty(secret))
            return false;
        Span<byte> provided = stackalloc byte[DigestLength + 3]; // room to notice a too-long value
        if (!Convert.TryFromBase64String(signatureHeader.Trim(), provided, out var written) || written != DigestLength)
            return false;
        Span<byte> expected = stackalloc byte[DigestLength];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided[..DigestLength]);
    }

    /// <summary>
    /// A fresh webhook secret: 40 letters and digits from <see cref="RandomNumberGenerator"/>. Alphanumeric because WooCommerce
    /// HTML-decodes the secret (<c>wp_specialchars_decode</c>) before signing, which would change <c>&amp;amp;</c> and the like.
    /// </summary>
    public static string NewSecret() => WooRandom.Alphanumeric(SecretLength);

    /// <summary>
    /// The unsigned ping WooCommerce sends to the delivery URL when a webhook is created (<c>WC_Webhook::deliver_ping</c>):
    /// a form body of exactly <c>webhook_id=&lt;digits&gt;</c>, without X-WC headers. Answer it 200 without treating it as
    /// an attack; it proves nothing, so do nothing else with it.
    /// </summary>
    public static bool IsPing(ReadOnlySpan<byte> body, string? contentType, out long webhookId)
    {
        webhookId = 0;
        if (!string.IsNullOrWhiteSpace(contentType)
            && (!MediaTypeHeaderValue.TryParse(contentType, out var media)
                || !string.Equals(media.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
            return false;
        if (!body.StartsWith(PingPrefix))
            return false;
        var digits = body[PingPrefix.Length..];
        if (digits.Length is 0 or > 19 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || !Utf8Parser.TryParse(digits, out long id, out _) || id <= 0)
            return false;
        webhookId = id;
        return true;
    }

    private static ReadOnlySpan<byte> PingPrefix => "webhook_id="u8;
}

/// <summary>Random letters and digits: secrets and nonces that survive every encoding unchanged.</summary>
internal static class WooRandom
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Alphanumeric(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
