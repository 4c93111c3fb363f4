using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ShopAffiliate.Core.Shops;

/// <summary>A shop's API credentials. Stored only encrypted (<see cref="ShopSecrets"/>); never logged.</summary>
public sealed record ShopCredentials(
    string AccessToken, string? Scope, DateTime? ExpiresAt, string? RefreshToken, DateTime? RefreshTokenExpiresAt,
    string? ConsumerKey = null, string? ConsumerSecret = null)
{
    public override string ToString() => "ShopCredentials { *** }";
}

/// <summary>Encrypts shop credentials and webhook secrets with ASP.NET Data Protection (keys live in the database).</summary>
public sealed class ShopSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _credentials = provider.CreateProtector("ShopAffiliate.Shops.Credentials.v1");
    private readonly IDataProtector _webhookSecret = provider.CreateProtector("ShopAffiliate.Shops.WebhookSecret.v1");
    private readonly IDataProtector _launchSecret = provider.CreateProtector("ShopAffiliate.Shops.LaunchSecret.v1");

    public string Protect(ShopCredentials credentials) => _credentials.Protect(JsonSerializer.Serialize(credentials));

    public ShopCredentials? Credentials(Shop shop) =>
        shop.EncryptedCredentials is { Length: > 0 } protectedJson
            ? JsonSerializer.Deserialize<ShopCredentials>(_credentials.Unprotect(protectedJson))
            : null;

    public string ProtectWebhookSecret(string secret) => _webhookSecret.Protect(secret);

    public string? WebhookSecret(Shop shop) =>
        shop.EncryptedWebhookSecret is { Length: > 0 } value ? _webhookSecret.Unprotect(value) : null;

    public string ProtectLaunchSecret(string secret) => _launchSecret.Protect(secret);

    public string? LaunchSecret(Shop shop) =>
        shop.EncryptedLaunchSecret is { Length: > 0 } value ? _launchSecret.Unprotect(value) : null;
}
