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
/// It runs as inbox messages: each does a few pages (each page one engine batch) and enqueues the next cursor, so a large shop never holds one
/// worker lease for long and an interrupted import resumes where it stopped. Orders go through the same engine as
/// webhooks, so an order that also arrives by webhook is credited once.
/// </summary>
public static class ShopifyBackfill
{
    public const string Topic = "app/backfill";
    public const int Days = 60;
    public const int PagesPerMessage = 10;

    private sealed record Progress(DateTime Since, string? Cursor);

    public static async Task EnqueueAsync(AppDbContext db, Shop shop, DateTime now, string? cursor, CancellationToken ct, DateTime? since = null)
    {
        var from = since ?? now.Date.AddDays(-Days);
        var key = cursor is null ? "start" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cursor)))[..24];
        var deliveryId = $"backfill:{shop.Id:N}:{from.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}:{key}";
        // Same day, same page: queued already, and the unique delivery id keeps it at one.
        await InboxStore.TryAddAsync(db, new InboxMessage
        {
            Platform = ShopPlatform.Shopify, ShopId = shop.Id, WorkspaceId = shop.WorkspaceId, ShopDomain = shop.Domain, Topic = Topic,
            DeliveryId = deliveryId, Body = JsonSerializer.Serialize(new Progress(from, cursor)), ReceivedAt = now, NextAttemptAt = now,
        }, ct);
    }

    public static async Task<bool> RunAsync(
        AppDbContext db, Shop shop, string body, ShopifyAdminClient admin, ShopifyTokens tokens, OrderProcessor orders,
        InboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var progress = JsonSerializer.Deserialize<Progress>(body) ?? throw new InvalidOperationException("A backfill message without progress.");
        var excludeTests = (await SettingsStore.GetAsync(db, shop.WorkspaceId, ct)).ExcludeTestOrders;
        var accessToken = await tokens.AccessTokenAsync(shop, ct);
        var shopId = new ShopId(shop.Id);
        var cursor = progress.Cursor;
        for (var page = 0; page < PagesPerMessage; page++)
        {
            var result = await admin.OrdersAsync(shop.Domain, accessToken, progress.Since, cursor, ct);
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
            cursor = result.NextCursor;
            if (cursor is null) return true;
        }
        await EnqueueAsync(db, shop, clock.GetUtcNow().UtcDateTime, cursor, ct, progress.Since);
        signal.Notify();
        return true;
    }
}
