using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace ShopAffiliate.Core.Webhooks;

/// <summary>
/// The signature receivers check (docs/WEBHOOKS.md): <c>v1=</c> and the lower-case hex HMAC-SHA256, keyed with the
/// endpoint's secret, of the Unix-seconds timestamp, a dot and the exact body bytes.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string Sign(string secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>The receiver's side: the signature matches and the timestamp is within the tolerance of now.</summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, out var ts) || signatureHeader is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        return signatureHeader.Split(',', StringSplitOptions.TrimEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}

/// <summary>Protects endpoint secrets at rest with Data Protection, as <see cref="Shops.ShopSecrets"/> does shop tokens.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ShopAffiliate.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(WebhookEndpoint endpoint) => _protector.Unprotect(endpoint.EncryptedSecret);
}
