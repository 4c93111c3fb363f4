using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// WooCommerce never retries a failed webhook and disables one after repeated failures, so each store is polled:
/// its webhooks are re-created or re-enabled, and orders modified since the last poll are stored in the inbox like
/// webhook deliveries (the same content dedupes; the engine ignores versions it already holds), so a missed order is
/// credited exactly once. Refunds applied from an order's totals because their lines could not be read are read again
/// (ADR 0012), so the commission ends up reduced by the refunded lines even when the order never changes again.
/// </summary>
public sealed partial class WooReconciler(
    AppDbContext db, WooConnector connector, WooCommerceClient client, WooRefundReader refunds, OrderProcessor orders,
    InboxSignal signal, TimeProvider clock, ILogger<WooReconciler> logger)
{
    /// <summary>Polls overlap a little: a store's clock and its modification times are not ours.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    private const int MaxPagesPerRun = 50;

    // Two calls each (the order, its refunds): a store with many estimated refunds catches up over a few runs.
    private const int MaxRereadsPerRun = 20;

    /// <summary>Reconciles every active WooCommerce store; returns how many orders were newly stored.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var ids = await db.Shops.IgnoreQueryFilters()
            .Where(s => s.Platform == ShopPlatform.WooCommerce && s.Status == ShopStatus.Active && s.EncryptedCredentials != null)
            .Select(s => s.Id).ToListAsync(ct);
        var stored = 0;
        foreach (var id in ids)
        {
            db.ChangeTracker.Clear();
            var shop = await db.Shops.IgnoreQueryFilters().FirstAsync(s => s.Id == id, ct);
            stored += await ReconcileAsync(shop, ct);
        }
        return stored;
    }

    public async Task<int> ReconcileAsync(Shop shop, CancellationToken ct)
    {
        if (connector.StoreOf(shop) is not { } store) return 0;
        var started = clock.GetUtcNow().UtcDateTime;
        // Before the shop is changed: the order processor starts every change from a cleared change tracker.
        var rereadProblem = await RereadEstimatedRefundsAsync(shop, store, ct);
        if (db.Entry(shop).State == EntityState.Detached) db.Shops.Attach(shop);
        var webhookProblem = await connector.EnsureWebhooksAsync(shop, store, ct);

        var since = (shop.SyncedThrough ?? started - WooConnector.Backfill) - Overlap;
        var stored = 0;
        string? pollProblem = null;
        try
        {
            var complete = false;
            DateTime? lastModified = null;
            for (var page = 1; page <= MaxPagesPerRun; page++)
            {
                var result = await client.ListOrdersModifiedAfterAsync(store, since, page, ct);
                foreach (var order in result.Orders)
                {
                    var body = JsonSerializer.SerializeToUtf8Bytes(order);
                    lastModified = ModifiedAt(order) ?? lastModified;
                    if (await WooInbox.StoreAsync(db, shop, "order.updated", "order", body, clock.GetUtcNow().UtcDateTime, ct)) stored++;
                }
                if (page >= result.TotalPages || result.Orders.Count == 0)
                {
                    complete = true;
                    break;
                }
            }
            // A very busy store: the next run goes on from the last order it saw, not from the start.
            shop.SyncedThrough = complete ? started : lastModified is { } last && last > since + Overlap ? last : since + Overlap;
        }
        catch (Exception e) when (e is WooApiException or WooPayloadException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogPollFailed(e, shop.Domain);
            pollProblem = $"Polling orders failed: {e.Message}";
        }

        if (stored > 0) signal.Notify();
        var problem = string.Join(" ", new[] { webhookProblem, pollProblem, rereadProblem }.OfType<string>());
        shop.SyncError = problem.Length == 0 ? null : problem.Length > 1000 ? problem[..1000] : problem;
        await db.SaveChangesAsync(ct);
        if (stored > 0) LogStored(stored, shop.Domain);
        return stored;
    }

    /// <summary>
    /// For the orders whose refunds are held as estimated from the totals (oldest first), reads the order and its refunds
    /// again; the engine swaps an estimate for the lines once. Stops at the first failure (the store refuses all alike) and
    /// says what it was. An order the store no longer has, or whose refunds it answered for, is not asked about again.
    /// </summary>
    private async Task<string?> RereadEstimatedRefundsAsync(Shop shop, WooStore store, CancellationToken ct)
    {
        var orderIds = await db.Orders.IgnoreQueryFilters()
            .Where(o => o.ShopId == shop.Id && o.RefundsFromTotals)
            .OrderBy(o => o.UpdatedAt).Select(o => o.ExternalId).Take(MaxRereadsPerRun).ToListAsync(ct);
        foreach (var orderId in orderIds)
        {
            try
            {
                var body = await client.GetOrderAsync(store, orderId, ct);
                var read = await refunds.ReadAsync(shop, body, new ExternalOrderId(orderId), lastAttempt: true, ct);
                foreach (var refund in read.Refunds)
                    await orders.ApplyRefundAsync(refund, ct);
                if (read.Problem is not null)
                    return $"Refund lines could not be read: {read.Problem}";
            }
            catch (WooApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Deleted from the store: its refunds stay as estimated.
            }
            catch (Exception e) when (e is WooApiException or WooPayloadException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                LogRereadFailed(e, shop.Domain, orderId);
                return $"Refund lines could not be read: {e.Message}";
            }

            // A refund the store does not list (deleted there) keeps its estimate; the order's next delivery still tries.
            await db.Orders.IgnoreQueryFilters().Where(o => o.ShopId == shop.Id && o.ExternalId == orderId && o.RefundsFromTotals)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.RefundsFromTotals, false), ct);
        }
        return null;
    }

    private static DateTime? ModifiedAt(JsonElement order) =>
        order.ValueKind == JsonValueKind.Object && order.TryGetProperty("date_modified_gmt", out var value) && value.ValueKind == JsonValueKind.String
            && DateTime.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling WooCommerce store {Store} failed; the next run tries again")]
    private partial void LogPollFailed(Exception e, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the refunds of WooCommerce {Store} order {OrderId} again failed; the next run tries again")]
    private partial void LogRereadFailed(Exception e, string store, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation found {Count} order version(s) of {Store} not seen before")]
    private partial void LogStored(int count, string store);
}

/// <summary>Runs <see cref="WooReconciler"/> shortly after start and then every <see cref="WooCommerceOptions.ReconcileInterval"/>.</summary>
public sealed partial class WooReconcileLoop(IServiceScopeFactory scopes, IOptions<WooCommerceOptions> options, TimeProvider clock, ILogger<WooReconcileLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WooReconciler>().RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRunFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WooCommerce reconciliation failed; retrying at the next interval")]
    private partial void LogRunFailed(Exception e);
}
