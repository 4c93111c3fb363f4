using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>The result of finishing a connection: the shop, and what is left to fix (null when everything worked).</summary>
public sealed record WooConnection(Shop Shop, string? Problem);

/// <summary>
/// Connects a WooCommerce store once its REST keys arrived: stores them encrypted, creates our webhooks with our own
/// per-store secret, and sends the companion plugin its configuration. Also keeps the webhooks alive afterwards
/// (WooCommerce disables a webhook after repeated failed deliveries and never retries).
/// </summary>
public sealed partial class WooConnector(
    AppDbContext db, ShopSecrets secrets, WooCommerceClient client, WorkspaceProvisioner provisioner, IOptions<AppOptions> app, TimeProvider clock,
    ILogger<WooConnector> logger)
{
    /// <summary>What WooCommerce sends us. <c>order.updated</c> also fires on refunds.</summary>
    public static readonly string[] Topics = ["order.created", "order.updated", "order.deleted", "order.restored"];

    /// <summary>How far back a new connection imports orders (the first reconciliation poll).</summary>
    public static readonly TimeSpan Backfill = TimeSpan.FromDays(60);

    public string DeliveryUrl(Shop shop) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/webhooks/woocommerce/{shop.Id}";

    /// <summary>
    /// Stores the verified keys on the store's shop row (created in <paramref name="workspaceId"/> when new) and sets up
    /// webhooks and the plugin. Throws <see cref="StoreOwnedElsewhereException"/> when another program has the store.
    /// </summary>
    public async Task<WooConnection> ConnectAsync(Guid workspaceId, WooStore store, CancellationToken ct)
    {
        var domain = WooStoreUrl.DomainOf(store.BaseUrl);
        var shop = await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Platform == ShopPlatform.WooCommerce && s.Domain == domain, ct);
        if (shop is not null && shop.WorkspaceId != workspaceId) throw new StoreOwnedElsewhereException(domain);
        var workspace = await db.Workspaces.FirstAsync(w => w.Id == workspaceId, ct);
        if (shop is null)
        {
            shop = new Shop
            {
                WorkspaceId = workspaceId, Platform = ShopPlatform.WooCommerce, Domain = domain, Name = domain, Currency = workspace.Currency,
                SyncedThrough = clock.GetUtcNow().UtcDateTime - Backfill,
            };
            db.Shops.Add(shop);
        }
        shop.Status = ShopStatus.Active;
        shop.CredentialsFailedAt = null;
        shop.BaseUrl = store.BaseUrl.ToString().TrimEnd('/');
        shop.PlainPermalinks = store.PlainPermalinks;
        shop.ApiAuth = store.AuthMode.ToString();
        shop.EncryptedCredentials = secrets.Protect(new ShopCredentials("", "read_write", null, null, null, store.ConsumerKey, store.ConsumerSecret));
        // Keep secrets across reconnects: webhooks already created keep signing with the old one.
        shop.EncryptedWebhookSecret ??= secrets.ProtectWebhookSecret(WooWebhookSignature.NewSecret());
        shop.EncryptedLaunchSecret ??= secrets.ProtectLaunchSecret(NewLaunchSecret());
        shop.SyncError = null;
        await db.SaveChangesAsync(ct);

        var problems = new List<string>();
        if (await AdoptStoreSettingsAsync(shop, store, ct) is { } settingsProblem) problems.Add(settingsProblem);
        if (await EnsureWebhooksAsync(shop, store, ct) is { } webhookProblem) problems.Add(webhookProblem);
        if (await PushConfigAsync(shop, store, workspace, ct) is { } configProblem) problems.Add(configProblem);
        shop.SyncError = problems.Count > 0 ? Truncate(string.Join(" ", problems)) : null;
        await db.SaveChangesAsync(ct);
        LogConnected(domain, workspaceId, shop.SyncError ?? "none");
        return new WooConnection(shop, shop.SyncError);
    }

    /// <summary>
    /// Creates each missing webhook and re-enables disabled or paused ones (their secret is still ours). Returns null
    /// on success, otherwise what went wrong (the next reconciliation tries again).
    /// </summary>
    public async Task<string?> EnsureWebhooksAsync(Shop shop, WooStore store, CancellationToken ct)
    {
        var secret = secrets.WebhookSecret(shop) ?? throw new InvalidOperationException($"{shop.Domain} has no webhook secret.");
        var url = DeliveryUrl(shop);
        try
        {
            var existing = (await client.ListWebhooksAsync(store, ct))
                .Where(w => string.Equals(w.DeliveryUrl.TrimEnd('/'), url, StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var topic in Topics)
            {
                var mine = existing.Where(w => w.Topic == topic).ToList();
                if (mine.Count == 0)
                {
                    await client.CreateWebhookAsync(store, $"ShopAffiliate {topic}", topic, url, secret, ct);
                    LogWebhook("created", topic, shop.Domain);
                }
                else if (!mine.Any(w => w.Status == "active"))
                {
                    await client.ActivateWebhookAsync(store, mine[0].Id, ct);
                    LogWebhook("re-enabled", topic, shop.Domain);
                }
            }
            shop.CredentialsFailedAt = null;
            return null;
        }
        catch (Exception e) when (e is WooApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The store refused our keys (revoked in WooCommerce, or the user lost the rights): the admin shows "token failing".
            if (e is WooApiException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden })
                shop.CredentialsFailedAt ??= clock.GetUtcNow().UtcDateTime;
            LogStepFailed(e, "webhooks", shop.Domain);
            return $"Webhooks could not be set up: {e.Message}";
        }
    }

    /// <summary>
    /// The store's currency and time zone onto the shop row; a first shop of a program without orders gives the program
    /// its currency too. Null on success, otherwise what went wrong (the shop keeps the program's currency then).
    /// </summary>
    private async Task<string?> AdoptStoreSettingsAsync(Shop shop, WooStore store, CancellationToken ct)
    {
        try
        {
            var settings = await client.StoreSettingsAsync(store, ct);
            shop.Currency = settings.Currency;
            shop.TimeZone = settings.TimeZone;
            await provisioner.AdoptFirstShopCurrencyAsync(shop.WorkspaceId, shop.Id, settings.Currency, ct);
            return null;
        }
        catch (Exception e) when (e is WooApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogStepFailed(e, "store settings", shop.Domain);
            return $"The store's currency could not be read: {e.Message}";
        }
    }

    private async Task<string?> PushConfigAsync(Shop shop, WooStore store, Workspace workspace, CancellationToken ct)
    {
        var settings = await SettingsStore.GetAsync(db, shop.WorkspaceId, ct);
        var config = new WooPluginConfig(shop.Id.ToString(), secrets.LaunchSecret(shop), app.Value.PublicBaseUrl.TrimEnd('/'), workspace.Slug,
            settings.CookieWindowDays, settings.AttributionModel.ToString(), ConsentCategory: null);
        try
        {
            return await client.PushConfigAsync(store, config, ct)
                ? null
                : "The ShopAffiliate companion plugin was not found on the store: install and activate it, then press Connect again (orders are tracked without it, from WooCommerce's own attribution).";
        }
        catch (Exception e) when (e is WooApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogStepFailed(e, "plugin configuration", shop.Domain);
            return $"The companion plugin could not be configured: {e.Message}";
        }
    }

    /// <summary>The store as the REST client needs it; null when the shop holds no keys (paused or never connected).</summary>
    public WooStore? StoreOf(Shop shop) =>
        shop is { Platform: ShopPlatform.WooCommerce, BaseUrl: { } baseUrl } && secrets.Credentials(shop) is { ConsumerKey: { } key, ConsumerSecret: { } secret }
            ? new WooStore(new Uri(baseUrl), key, secret, Enum.TryParse<WooAuthMode>(shop.ApiAuth, out var mode) ? mode : WooAuthMode.Basic, shop.PlainPermalinks)
            : null;

    /// <summary>48 characters from A-Za-z0-9: inside the plugin's rule (32-256 printable ASCII, no spaces).</summary>
    private static string NewLaunchSecret() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 48);

    private static string Truncate(string s) => s.Length > 1000 ? s[..1000] : s;

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce store {Store} connected to workspace {WorkspaceId}; problems: {Problems}")]
    private partial void LogConnected(string store, Guid workspaceId, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce webhook {Action} for {Topic} on {Store}")]
    private partial void LogWebhook(string action, string topic, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WooCommerce {Step} failed for {Store}")]
    private partial void LogStepFailed(Exception e, string step, string store);
}

/// <summary>The store is already connected to another program; it is not moved.</summary>
public sealed class StoreOwnedElsewhereException(string domain)
    : Exception($"{domain} is already connected to another ShopAffiliate program.");
