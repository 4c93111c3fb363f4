using System.Security.Cryptography;
using System.Text;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// The companion plugin's signed launch link (integrations/woocommerce/README.md, section 3):
/// <c>sig</c> = lowercase hex HMAC-SHA256(launch secret, canonical), canonical = every other parameter sorted by key
/// (ordinal), each <c>rawurlencode(key)=rawurlencode(value)</c>, joined with <c>&amp;</c>.
/// </summary>
public static class WooLaunchLink
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);
    private static readonly string[] Required = ["email", "nonce", "shop", "ts", "user"];

    public sealed record Launch(string Shop, string User, string Email, string Nonce, DateTimeOffset IssuedAt);

    public static string Canonical(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Where(p => p.Key != "sig").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Canonical(parameters))));

    /// <summary>The parameters as sent, when each appears once and the required ones are there; else why not.</summary>
    public static Launch? Read(IReadOnlyList<KeyValuePair<string, string>> parameters, out string? error)
    {
        error = null;
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (!byKey.TryAdd(key, value))
            {
                error = $"The launch link repeats '{key}'.";
                return null;
            }
        }
        if (Required.Concat(["sig"]).FirstOrDefault(k => string.IsNullOrEmpty(byKey.GetValueOrDefault(k))) is { } missing)
        {
            error = $"The launch link has no '{missing}'.";
            return null;
        }
        if (!long.TryParse(byKey["ts"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ts)
            || ts > 253402300799)
        {
            error = "The launch link's 'ts' is not a unix time.";
            return null;
        }
        return new Launch(byKey["shop"], byKey["user"], byKey["email"], byKey["nonce"], DateTimeOffset.FromUnixTimeSeconds(ts));
    }

    /// <summary>Signature over every received parameter but <c>sig</c> (an added parameter breaks it), compared in constant time.</summary>
    public static bool HasValidSignature(IReadOnlyList<KeyValuePair<string, string>> parameters, string secret)
    {
        var sig = parameters.FirstOrDefault(p => p.Key == "sig").Value;
        if (sig is null || sig.Length != 64) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(parameters, secret));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig.ToLowerInvariant()));
    }

    public static bool IsFresh(Launch launch, DateTimeOffset now) =>
        launch.IssuedAt >= now - MaxAge && launch.IssuedAt <= now + MaxClockSkew;
}
