using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;

namespace ShopAffiliate.Core.Shops;

/// <summary>How a shop stands with us: orders flow, it was disconnected, or the platform refuses our credentials.</summary>
public enum ShopConnectionState
{
    Connected,
    Disconnected,

    /// <summary>Active, but the platform answered 401/403 to our stored token or keys (or none are stored when we needed them).</summary>
    TokenFailing,
}

/// <summary>Where the shop's import of past orders stands: Shopify's backfill pages, WooCommerce's reconciliation polls.</summary>
public enum ShopImportState
{
    None,
    Running,
    Done,
    Failed,
}

/// <param name="LastDeliveryAt">The last webhook delivery stored for the shop (any time), UTC.</param>
/// <param name="Retrying">Deliveries of the last 24 hours that failed and wait for another try.</param>
/// <param name="Parked">Deliveries of the last 24 hours that were given up on (kept for staff to replay).</param>
public sealed record WebhookHealth(DateTime? LastDeliveryAt, int Retrying, int Parked)
{
    public static readonly WebhookHealth None = new(null, 0, 0);

    public bool Healthy => Retrying == 0 && Parked == 0;
}

/// <param name="BatchesDone">Shopify: backfill messages processed (up to <c>PagesPerMessage</c> pages each); 0 for WooCommerce.</param>
/// <param name="CheckedThrough">WooCommerce: orders modified up to this time were polled. Shopify: when the last backfill batch ran.</param>
/// <param name="Orders">Orders of the shop stored so far.</param>
/// <param name="Progress">Shopify: the import's own figures, kept page by page; null for WooCommerce and for imports queued before they were kept.</param>
public sealed record ShopImport(
    ShopImportState State, int BatchesDone, int BatchesLeft, DateTime? CheckedThrough, string? LastError, int Orders, ImportProgress? Progress = null);

/// <param name="Since">The period imported: orders created from this time on (UTC).</param>
/// <param name="Imported">Orders of the period read from the store and stored so far.</param>
/// <param name="Total">What the store said the period holds when the import began; null when it could not tell.</param>
/// <param name="Pages">Pages stored so far.</param>
public sealed record ImportProgress(DateTime Since, DateTime StartedAt, DateTime? FinishedAt, int Imported, int? Total, int Pages);

public sealed record ShopHealthRow(Shop Shop, ShopConnectionState State, WebhookHealth Webhooks, ShopImport Import)
{
    /// <summary>What the overview counts as a shop with a problem.</summary>
    public bool HasProblem => State != ShopConnectionState.Connected || !Webhooks.Healthy || Shop.SyncError is not null || Import.State == ShopImportState.Failed;
}

/// <summary>
/// The connected shops of the current program (the tenant the request entered) with their webhook health and import
/// progress: one grouped query over the inbox and one over the orders for all shops, never one per shop.
/// </summary>
public sealed class ShopHealthService(AppDbContext db, TimeProvider clock)
{
    /// <summary>The topic Shopify's import of past orders runs under in the inbox (<c>ShopifyBackfill.Topic</c> in the host).</summary>
    public const string BackfillTopic = "app/backfill";

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<List<ShopHealthRow>> ListAsync(CancellationToken ct)
    {
        var shops = await db.Shops.OrderBy(s => s.Domain).ToListAsync(ct);
        if (shops.Count == 0) return [];
        var ids = shops.Select(s => s.Id).ToList();
        var since = clock.GetUtcNow().UtcDateTime - Window;

        // The inbox is not tenant-filtered: only this program's shop ids are read.
        var inbox = await db.Inbox
            .Where(m => m.ShopId != null && ids.Contains(m.ShopId.Value))
            .GroupBy(m => m.ShopId!.Value)
            .Select(g => new
            {
                ShopId = g.Key,
                LastDelivery = g.Max(m => m.Topic != BackfillTopic ? (DateTime?)m.ReceivedAt : null),
                Retrying = g.Count(m => m.Topic != BackfillTopic && m.ReceivedAt >= since && m.Status == InboxStatus.Pending && m.Attempts > 0),
                Parked = g.Count(m => m.Topic != BackfillTopic && m.ReceivedAt >= since && m.Status == InboxStatus.Failed),
                ImportDone = g.Count(m => m.Topic == BackfillTopic && m.Status == InboxStatus.Processed),
                ImportLeft = g.Count(m => m.Topic == BackfillTopic && m.Status == InboxStatus.Pending),
                ImportFailed = g.Count(m => m.Topic == BackfillTopic && m.Status == InboxStatus.Failed),
                ImportRanAt = g.Max(m => m.Topic == BackfillTopic ? m.ProcessedAt : null),
                ImportFailedAt = g.Max(m => m.Topic == BackfillTopic && m.Status == InboxStatus.Failed ? (DateTime?)m.ReceivedAt : null),
            })
            .ToDictionaryAsync(x => x.ShopId, ct);
        // The last failed import batch's error per shop (failed batches are few: each stops its import).
        var importErrors = (await db.Inbox
                .Where(m => m.ShopId != null && ids.Contains(m.ShopId.Value) && m.Topic == BackfillTopic && m.Status == InboxStatus.Failed)
                .OrderByDescending(m => m.Id).Select(m => new { ShopId = m.ShopId!.Value, m.LastError }).Take(100).ToListAsync(ct))
            .GroupBy(m => m.ShopId).ToDictionary(g => g.Key, g => g.First().LastError);
        var orders = await db.Orders.Where(o => ids.Contains(o.ShopId)).GroupBy(o => o.ShopId)
            .Select(g => new { ShopId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.ShopId, x => x.Count, ct);

        return shops.Select(shop =>
        {
            inbox.TryGetValue(shop.Id, out var i);
            var count = orders.GetValueOrDefault(shop.Id);
            var webhooks = i is null ? WebhookHealth.None : new WebhookHealth(i.LastDelivery, i.Retrying, i.Parked);
            ShopImport import = shop.Platform == ShopPlatform.Shopify
                ? ShopifyImport(shop, i?.ImportDone ?? 0, i?.ImportLeft ?? 0, i?.ImportFailed ?? 0, i?.ImportFailedAt, i?.ImportRanAt,
                    importErrors.GetValueOrDefault(shop.Id), count)
                : new ShopImport(
                    shop.SyncedThrough is null ? ShopImportState.None : shop.SyncError is not null ? ShopImportState.Failed : ShopImportState.Done,
                    0, 0, shop.SyncedThrough, shop.SyncError, count);
            return new ShopHealthRow(shop, StateOf(shop), webhooks, import);
        }).ToList();
    }

    /// <summary>
    /// A Shopify import's state: done once its last page is stored; failed when its batch was given up on (after the
    /// import began: a parked batch of an earlier import does not count); running while a batch waits or runs.
    /// </summary>
    private static ShopImport ShopifyImport(
        Shop shop, int done, int left, int failed, DateTime? failedAt, DateTime? ranAt, string? messageError, int orders)
    {
        var progress = shop is { ImportSince: { } since, ImportStartedAt: { } started }
            ? new ImportProgress(since, started, shop.ImportFinishedAt, shop.ImportOrders, shop.ImportTotal, shop.ImportPages)
            : null;
        var failedNow = failed > 0 && (progress is null || failedAt >= progress.StartedAt);
        var state = progress is { FinishedAt: not null } ? ShopImportState.Done
            : left > 0 ? ShopImportState.Running
            : failedNow ? ShopImportState.Failed
            : progress is not null ? ShopImportState.Running
            : done > 0 ? ShopImportState.Done
            : ShopImportState.None;
        var error = state == ShopImportState.Done ? null : shop.ImportError ?? (failedNow ? messageError : null);
        return new ShopImport(state, done, left, ranAt, error, orders, progress);
    }

    public static ShopConnectionState StateOf(Shop shop) =>
        shop.Status == ShopStatus.Paused ? ShopConnectionState.Disconnected
        : shop.CredentialsFailedAt is not null ? ShopConnectionState.TokenFailing
        : ShopConnectionState.Connected;
}

/// <summary>The outcome of asking a shop to send us its webhooks again.</summary>
/// <param name="Problem">What the platform answered when it did not work (its own words); null on success.</param>
public sealed record WebhookRegistration(bool Ok, bool CredentialsRefused, IReadOnlyList<string> Created, string? Problem);

/// <summary>What the admin asks of a connected shop; the platform calls live in the host (<c>ShopConnections</c>).</summary>
public interface IShopConnections
{
    /// <summary>
    /// Creates the webhook subscriptions the shop lacks (and re-enables disabled ones), records whether the platform
    /// accepted our credentials on the shop (<see cref="Shop.CredentialsFailedAt"/>). Does not save: the caller saves,
    /// with its audit entry.
    /// </summary>
    Task<WebhookRegistration> ReregisterWebhooksAsync(Shop shop, CancellationToken ct);
}
