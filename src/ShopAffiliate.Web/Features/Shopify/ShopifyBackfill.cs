using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary>
/// After install, the last 60 days of orders are imported so reports start full and past coupon orders are credited.
/// It runs as inbox messages: each does pages for up to <see cref="MessageBudget"/> (each page one engine batch) and
/// enqueues the next cursor, so a large shop never holds one worker lease for long. After each stored page the shop
/// row records the cursor, the page and the orders read so far (the import's progress, shown on the shops page), so an
/// interrupted import resumes from its last stored page. Orders go through the same engine as webhooks, so an order
/// that also arrives by webhook is credited once.
/// </summary>
public static class ShopifyBackfill
{
    public const string Topic = "app/backfill";
    public const int Days = 60;
    public const int PagesPerMessage = 100;

    /// <summary>Well inside the inbox worker's 5-minute lease: a message never outlives the claim that runs it.</summary>
    public static readonly TimeSpan MessageBudget = TimeSpan.FromMinutes(1);

    /// <param name="Pages">Pages stored before this message (0 for the first; absent in bodies queued before it existed).</param>
    private sealed record Progress(DateTime Since, string? Cursor, int Pages = 0);

    public static async Task EnqueueAsync(AppDbContext db, Shop shop, DateTime now, string? cursor, CancellationToken ct, DateTime? since = null, int pages = 0)
    {
        var from = since ?? now.Date.AddDays(-Days);
        var key = cursor is null ? "start" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cursor)))[..24];
        var deliveryId = $"backfill:{shop.Id:N}:{from.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}:{key}";
        // Same day, same page: queued already, and the unique delivery id keeps it at one.
        var added = await InboxStore.TryAddAsync(db, new InboxMessage
        {
            Platform = ShopPlatform.Shopify, ShopId = shop.Id, WorkspaceId = shop.WorkspaceId, ShopDomain = shop.Domain, Topic = Topic,
            DeliveryId = deliveryId, Body = JsonSerializer.Serialize(new Progress(from, cursor, pages)), ReceivedAt = now, NextAttemptAt = now,
        }, ct);
        if (added && cursor is null)
        {
            // A new import: its progress starts from nothing (an import queued already keeps its own).
            await db.Shops.IgnoreQueryFilters().Where(s => s.Id == shop.Id).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.ImportSince, from)
                .SetProperty(s => s.ImportStartedAt, now)
                .SetProperty(s => s.ImportFinishedAt, (DateTime?)null)
                .SetProperty(s => s.ImportOrders, 0)
                .SetProperty(s => s.ImportTotal, (int?)null)
                .SetProperty(s => s.ImportPages, 0)
                .SetProperty(s => s.ImportCursor, (string?)null)
                .SetProperty(s => s.ImportError, (string?)null), ct);
        }
    }

    public static async Task<bool> RunAsync(
        AppDbContext db, Shop shop, string body, ShopifyAdminClient admin, ShopifyTokens tokens, OrderProcessor orders,
        InboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var progress = JsonSerializer.Deserialize<Progress>(body) ?? throw new InvalidOperationException("A backfill message without progress.");
        var cursor = progress.Cursor;
        var pages = progress.Pages;
        var read = 0;
        if (shop.ImportSince is { } since && since != progress.Since) return false; // a newer import of the shop replaced this one
        if (shop.ImportSince is null)
        {
            // Queued before progress was kept: this import adopts the shop's progress from here on.
            await SaveAsync(db, shop.Id, u => u.SetProperty(s => s.ImportSince, progress.Since).SetProperty(s => s.ImportStartedAt, clock.GetUtcNow().UtcDateTime), ct);
        }
        else if (shop.ImportFinishedAt is not null && shop.ImportPages >= pages) return false; // stored to its end already (a retried message)
        else if (shop.ImportPages >= pages)
        {
            // Pages this message (or its predecessor) stored before it was interrupted are not read again.
            (cursor, pages, read) = (shop.ImportCursor, shop.ImportPages, shop.ImportOrders);
            if (cursor is null && pages > 0) return false;
        }

        try
        {
            return await RunPagesAsync(db, shop, progress.Since, cursor, pages, read, admin, tokens, orders, signal, clock, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The inbox retries the message with backoff (and parks it after the last attempt); the shop says why meanwhile.
            var error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
            await SaveAsync(db, shop.Id, u => u.SetProperty(s => s.ImportError, error), CancellationToken.None);
            throw;
        }
    }

    private static async Task<bool> RunPagesAsync(
        AppDbContext db, Shop shop, DateTime since, string? cursor, int pages, int read, ShopifyAdminClient admin, ShopifyTokens tokens,
        OrderProcessor orders, InboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var excludeTests = (await SettingsStore.GetAsync(db, shop.WorkspaceId, ct)).ExcludeTestOrders;
        var accessToken = await tokens.AccessTokenAsync(shop, ct);
        var shopId = new ShopId(shop.Id);
        if (pages == 0 && cursor is null)
        {
            // "X of Y": a number the store may not give (an older API version); the import does not depend on it.
            try
            {
                var total = await admin.OrdersCountAsync(shop.Domain, accessToken, since, ct);
                await SaveAsync(db, shop.Id, u => u.SetProperty(s => s.ImportTotal, total), ct);
            }
            catch (Exception e) when (e is ShopifyApiException or HttpRequestException)
            {
                // Shown without a total.
            }
        }

        var started = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = admin.OrdersAsync(shop.Domain, accessToken, since, cursor, stop.Token);
        try
        {
            for (var page = 0; ; page++)
            {
                var result = await next;
                var more = result.NextCursor is not null && page + 1 < PagesPerMessage && started.Elapsed < MessageBudget;
                // The next page is read while this one is applied: the store's answer time and the engine's overlap.
                if (more) next = admin.OrdersAsync(shop.Domain, accessToken, since, result.NextCursor, stop.Token);

                // A page is one engine batch (one state load, one transaction), as webhook deliveries are.
                var events = new List<BatchEvent>();
                foreach (var rest in result.Orders)
                {
                    var order = ShopifyOrderMapper.MapOrder(JsonSerializer.SerializeToElement(rest), shopId);
                    if (order.IsTest && excludeTests) continue;
                    events.Add(new BatchEvent(events.Count, order, null));
                }
                foreach (var refund in result.Refunds)
                    events.Add(new BatchEvent(events.Count, null, ShopifyOrderMapper.MapRefund(JsonSerializer.SerializeToElement(refund), shopId)));
                if (events.Count > 0)
                {
                    var applied = await orders.ApplyBatchAsync(events, null, ct);
                    // An order that fails fails the message, which is retried from this page (the rest of it is stored and repeats are no-ops).
                    if (applied.Failed.Count > 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(applied.Failed.Values.First());
                }

                // Only after the page's batch has committed: a crash before this line reads the page again, and its
                // orders are repeats the engine leaves unchanged.
                pages++;
                read += result.Orders.Count;
                var now = clock.GetUtcNow().UtcDateTime;
                var (nextCursor, storedPages, storedOrders) = (result.NextCursor, pages, read);
                await SaveAsync(db, shop.Id, u => u
                    .SetProperty(s => s.ImportCursor, nextCursor)
                    .SetProperty(s => s.ImportPages, storedPages)
                    .SetProperty(s => s.ImportOrders, storedOrders)
                    .SetProperty(s => s.ImportError, (string?)null)
                    .SetProperty(s => s.ImportFinishedAt, nextCursor == null ? now : null), ct);
                if (result.NextCursor is null) return true;
                if (!more)
                {
                    await EnqueueAsync(db, shop, now, result.NextCursor, ct, since, pages);
                    signal.Notify();
                    return true;
                }
            }
        }
        finally
        {
            // A page read ahead that is not used (a failure) is not left running.
            await stop.CancelAsync();
            try
            {
                await next;
            }
            catch (Exception)
            {
                // Its outcome no longer matters.
            }
        }
    }

    private static Task SaveAsync(
        AppDbContext db, Guid shopId,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Shop>> set, CancellationToken ct) =>
        db.Shops.IgnoreQueryFilters().Where(s => s.Id == shopId).ExecuteUpdateAsync(set, ct);
}
