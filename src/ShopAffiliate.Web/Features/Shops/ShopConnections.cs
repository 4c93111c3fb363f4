using System.Net;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.Shopify;
using ShopAffiliate.Web.Features.WooCommerce;

namespace ShopAffiliate.Web.Features.Shops;

/// <summary>
/// The admin's "re-register webhooks" for either platform, through the same code the install and the reconciliation
/// use (<see cref="ShopifyAdminClient.EnsureWebhooksAsync"/>, <see cref="WooConnector.EnsureWebhooksAsync"/>).
/// </summary>
public sealed partial class ShopConnections(
    ShopifyAdminClient shopify, ShopifyTokens tokens, ShopifyInstaller installer, WooConnector woo, TimeProvider clock,
    ILogger<ShopConnections> logger) : IShopConnections
{
    public async Task<WebhookRegistration> ReregisterWebhooksAsync(Shop shop, CancellationToken ct)
    {
        var result = shop.Platform == ShopPlatform.Shopify ? await ShopifyAsync(shop, ct) : await WooAsync(shop, ct);
        if (result.CredentialsRefused) shop.CredentialsFailedAt ??= clock.GetUtcNow().UtcDateTime;
        else if (result.Ok) shop.CredentialsFailedAt = null;
        LogReregistered(shop.Domain, result.Ok, result.Created.Count);
        return result;
    }

    private async Task<WebhookRegistration> ShopifyAsync(Shop shop, CancellationToken ct)
    {
        if (shop.EncryptedCredentials is null) return new(false, true, [], null);
        try
        {
            var token = await tokens.AccessTokenAsync(shop, ct);
            var sync = await shopify.EnsureWebhooksAsync(shop.Domain, token, installer.CallbackUrl, ShopifyInstaller.Topics, ct);
            return new(true, false, sync.Created, sync.Problems.Count > 0 ? string.Join(" ", sync.Problems) : null);
        }
        catch (ShopifyApiException e)
        {
            LogFailed(e, shop.Domain);
            var refused = e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || e.ErrorCode == "invalid_grant";
            return new(false, refused, [], e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogFailed(e, shop.Domain);
            return new(false, false, [], e.Message);
        }
    }

    private async Task<WebhookRegistration> WooAsync(Shop shop, CancellationToken ct)
    {
        if (woo.StoreOf(shop) is not { } store) return new(false, true, [], null);
        var problem = await woo.EnsureWebhooksAsync(shop, store, ct);
        // EnsureWebhooksAsync marks the shop when the store refused our keys.
        return new(problem is null, shop.CredentialsFailedAt is not null && problem is not null, [], problem);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhooks of {Shop} registered again by staff: ok {Ok}, {Created} created")]
    private partial void LogReregistered(string shop, bool ok, int created);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the webhooks of {Shop} again failed")]
    private partial void LogFailed(Exception e, string shop);
}
