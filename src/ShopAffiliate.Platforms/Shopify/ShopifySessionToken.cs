using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>What a verified session token says: who (a staff user of a shop) and until when.</summary>
/// <param name="Shop">The shop domain from <c>dest</c>, normalised (lower case).</param>
/// <param name="UserId"><c>sub</c>: the shop's staff user id (absent on some non-admin surfaces).</param>
/// <param name="SessionId"><c>sid</c>, when present.</param>
/// <param name="ExpiresAt"><c>exp</c>, UTC.</param>
public sealed record SessionTokenClaims(string Shop, string? UserId, string? SessionId, DateTime ExpiresAt);

/// <summary>
/// App Bridge session tokens (the embedded admin's <c>Authorization: Bearer</c> / <c>id_token</c>): HS256 JWTs signed with
/// the client secret. Verified by hand so that nothing but HS256 is ever accepted.
/// </summary>
public static class ShopifySessionToken
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(10);

    public static bool TryValidate(
        string jwt,
        ShopifyOptions options,
        DateTimeOffset now,
        [NotNullWhen(true)] out SessionTokenClaims? claims,
        [NotNullWhen(false)] out string? error)
    {
        claims = null;
        error = Validate(jwt, options, now, ref claims);
        return error is null;
    }

    private static string? Validate(string jwt, ShopifyOptions options, DateTimeOffset now, ref SessionTokenClaims? claims)
    {
        if (string.IsNullOrWhiteSpace(jwt))
            return "The session token is missing.";
        var parts = jwt.Trim().Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            return "The session token is not a signed JWT.";
        if (!options.Enabled)
            return "Shopify is not configured (Shopify:ApiKey and Shopify:ApiSecret).";

        using var header = ParseSegment(parts[0]);
        using var payload = ParseSegment(parts[1]);
        var signature = DecodeSegment(parts[2]);
        if (header is null || payload is null || signature is null)
            return "The session token is malformed.";
        var alg = header.RootElement.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (alg != "HS256")
            return $"The session token's algorithm '{alg ?? "(none)"}' is not allowed; only HS256 is.";
        if (signature.Length != 32 || !SignatureMatches(parts[0] + "." + parts[1], signature, options.Secrets))
            return "The session token's signature is invalid.";

        var body = payload.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
            return "The session token is malformed.";
        if (UnixTime(body, "exp") is not { } exp)
            return "The session token has no expiry.";
        if (now > exp + ClockSkew)
            return "The session token has expired.";
        if (UnixTime(body, "nbf") is { } nbf && now < nbf - ClockSkew)
            return "The session token is not valid yet.";
        if (!HasAudience(body, options.ApiKey!))
            return "The session token is for another app (aud).";

        if (!Uri.TryCreate(Text(body, "dest"), UriKind.Absolute, out var dest) || dest.Scheme != Uri.UriSchemeHttps
            || !ShopifyShopDomain.IsValid(dest.Host))
            return "The session token's destination is not a shop.";
        if (!Uri.TryCreate(Text(body, "iss"), UriKind.Absolute, out var iss) || iss.Scheme != Uri.UriSchemeHttps
            || !string.Equals(iss.Host, dest.Host, StringComparison.OrdinalIgnoreCase) || iss.AbsolutePath.TrimEnd('/') != "/admin")
            return "The session token's issuer does not match its destination.";

        claims = new(ShopifyShopDomain.Normalize(dest.Host), Text(body, "sub"), Text(body, "sid"), exp.UtcDateTime);
        return null;
    }

    private static bool SignatureMatches(string signingInput, byte[] signature, IEnumerable<string> secrets)
    {
        var data = Encoding.ASCII.GetBytes(signingInput);
        var match = false;
        foreach (var secret in secrets)
            match |= CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data), signature);
        return match;
    }

    private static bool HasAudience(JsonElement body, string apiKey)
    {
        if (!body.TryGetProperty("aud", out var aud))
            return false;
        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == apiKey,
            JsonValueKind.Array => aud.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String && x.GetString() == apiKey),
            _ => false,
        };
    }

    private static DateTimeOffset? UnixTime(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799) // year 9999
            return null;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static JsonDocument? ParseSegment(string segment)
    {
        var bytes = DecodeSegment(segment);
        if (bytes is null)
            return null;
        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? DecodeSegment(string segment)
    {
        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
