using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary>Connects a Shopify store: the shop row, its encrypted token, its workspace and its webhook subscriptions.</summary>
public sealed partial class ShopifyInstaller(
    AppDbContext db, ShopSecrets secrets, WorkspaceProvisioner provisioner, ShopifyAdminClient admin,
    IOptions<AppOptions> app, TimeProvider clock, ShopAffiliate.Core.Inbox.InboxSignal signal, ILogger<ShopifyInstaller> logger)
{
    public static readonly string[] Topics =
        ["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create", "app/uninstalled"];

    /// <param name="attachTo">A workspace a signed-in staff member chose; null creates one for a new shop.</param>
    public async Task<Shop> InstallAsync(string shopDomain, ShopifyToken token, Guid? attachTo, CancellationToken ct)
    {
        var domain = ShopifyShopDomain.Normalize(shopDomain);
        // The program pays and reports in the shop's currency and counts days in its time zone, so read them first.
        var details = await admin.ShopSettingsAsync(domain, token.AccessToken, ct);
        var shop = await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Platform == ShopPlatform.Shopify && s.Domain == domain, ct);
        if (shop is null)
        {
            var workspaceId = attachTo ?? (await provisioner.CreateForShopAsync(domain.Split('.')[0], details.Currency, ct)).Id;
            shop = new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = domain, Name = domain.Split('.')[0] };
            db.Shops.Add(shop);
            if (attachTo is { } existing)
                await provisioner.AdoptFirstShopCurrencyAsync(existing, shop.Id, details.Currency, ct);
        }
        shop.Currency = details.Currency;
        shop.TimeZone = ProgramTimeZone.Normalize(details.TimeZone);
        shop.Status = ShopStatus.Active;
        shop.CredentialsFailedAt = null;
        shop.EncryptedCredentials = secrets.Protect(new ShopCredentials(token.AccessToken, token.Scope, token.ExpiresAt, token.RefreshToken, token.RefreshTokenExpiresAt));
        await db.SaveChangesAsync(ct);

        var webhooks = await admin.EnsureWebhooksAsync(domain, token.AccessToken, CallbackUrl, Topics, ct);
        foreach (var problem in webhooks.Problems)
            LogOldWebhookKept(domain, problem);
        await ShopifyBackfill.EnqueueAsync(db, shop, clock.GetUtcNow().UtcDateTime, cursor: null, ct);
        signal.Notify();
        LogInstalled(domain, shop.WorkspaceId, webhooks.Created.Count, webhooks.Removed.Count);
        return shop;
    }

    public string CallbackUrl => app.Value.PublicBaseUrl.TrimEnd('/') + "/webhooks/shopify";

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shopify store {Shop} connected to workspace {WorkspaceId}; {Created} webhook subscription(s) created, {Removed} at an old address removed")]
    private partial void LogInstalled(string shop, Guid workspaceId, int created, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopify store {Shop}: {Problem}")]
    private partial void LogOldWebhookKept(string shop, string problem);
}

/// <summary>
/// A valid Admin API token for a shop: refreshes an expiring offline token shortly before it expires and stores
/// the rotated pair at once (a refresh token works only once).
/// </summary>
public sealed class ShopifyTokens(AppDbContext db, ShopSecrets secrets, ShopifyAuthClient auth, TimeProvider clock)
{
    public async Task<string> AccessTokenAsync(Shop shop, CancellationToken ct)
    {
        var credentials = secrets.Credentials(shop) ?? throw new InvalidOperationException($"{shop.Domain} has no stored token (uninstalled?).");
        if (credentials.ExpiresAt is not { } expires || expires > clock.GetUtcNow().UtcDateTime.AddMinutes(5) || credentials.RefreshToken is null)
            return credentials.AccessToken;

        var token = await auth.RefreshAsync(shop.Domain, credentials.RefreshToken, ct);
        shop.EncryptedCredentials = secrets.Protect(new ShopCredentials(token.AccessToken, token.Scope, token.ExpiresAt, token.RefreshToken, token.RefreshTokenExpiresAt));
        await db.SaveChangesAsync(ct);
        return token.AccessToken;
    }
}
