using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// Turns stored WooCommerce order payloads into engine events. The payload is built when WooCommerce delivers it
/// (an <c>order.created</c> may already show a later status), so every order topic is simply "this is the order now".
/// Its <c>refunds[]</c> show only totals (tax and shipping included), so for a refund the engine does not hold yet the
/// store is asked for the refund's lines (<c>GET /orders/{id}/refunds</c>): the commission drops by the refunded lines.
/// Each refund is applied once. When the lines cannot be read (the key lost its rights, the store is gone, or it kept
/// failing until the last attempt), the total is spread over the order instead (<see cref="WooOrderMapper.MapRefunds"/>)
/// and a warning is logged; a passing failure (no answer, 429, 5xx) before that fails the delivery, so the inbox retries it.
/// </summary>
public sealed partial class WooInboxHandler(
    AppDbContext db, OrderProcessor orders, WooConnector connector, WooCommerceClient client, ILogger<WooInboxHandler> logger) : IInboxHandler
{
    public ShopPlatform Platform => ShopPlatform.WooCommerce;

    public async Task<bool> HandleAsync(InboxMessage message, CancellationToken ct)
    {
        var shop = message.ShopId is { } id ? await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == id, ct) : null;
        if (shop is not { Status: ShopStatus.Active }) return false;
        var shopId = new ShopId(shop.Id);
        using var json = JsonDocument.Parse(message.Body);
        switch (message.Topic)
        {
            case "order.created" or "order.updated" or "order.restored":
                var order = WooOrderMapper.MapOrder(json.RootElement, shopId);
                await orders.ApplyOrderAsync(order, ct);
                foreach (var refund in await NewRefundsAsync(shop, json.RootElement, order, lastAttempt: message.Attempts >= InboxMessage.MaxAttempts, ct))
                    await orders.ApplyRefundAsync(refund, ct);
                return true;
            case "order.deleted":
                await orders.CancelDeletedAsync(shopId, WooOrderMapper.DeletedOrderId(json.RootElement), ct);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The order's refunds the engine does not hold yet, with their lines when the store gives them.</summary>
    private async Task<IReadOnlyList<RefundEvent>> NewRefundsAsync(Shop shop, JsonElement body, OrderEvent order, bool lastAttempt, CancellationToken ct)
    {
        var listed = WooOrderMapper.RefundIds(body);
        if (listed.Count == 0) return []; // most deliveries: no refunds, no reads
        var known = await orders.RefundIdsAsync(order.ShopId, order.ExternalOrderId, ct);
        var missing = listed.Where(r => !known.Contains(r)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count == 0) return [];

        var estimates = WooOrderMapper.MapRefunds(body, order.ShopId).Where(r => missing.Contains(r.RefundId)).ToList();
        string? problem;
        if (connector.StoreOf(shop) is not { } store)
            problem = "the store's API key is not available";
        else
        {
            try
            {
                var details = (await client.ListRefundsAsync(store, order.ExternalOrderId.Value, ct))
                    .Select(r => WooOrderMapper.MapRefundDetail(body, r, order.ShopId))
                    .Where(r => missing.Contains(r.RefundId))
                    .ToDictionary(r => r.RefundId, StringComparer.Ordinal);
                // A refund the list does not show (more than a page of them, or deleted since): its total, spread.
                var notListed = estimates.Where(e => !details.ContainsKey(e.RefundId)).ToList();
                if (notListed.Count > 0)
                    LogEstimated(shop.Domain, order.ExternalOrderId.Value, string.Join(", ", notListed.Select(e => e.RefundId)), "not in the store's refund list");
                return [.. details.Values.OrderBy(r => r.RefundId, StringComparer.Ordinal), .. notListed];
            }
            // A passing failure fails the delivery (the inbox retries it) until the last attempt; then, like a lasting one, it
            // falls back to the totals.
            catch (Exception e) when (Passing(e, ct) ? lastAttempt : e is WooApiException or WooPayloadException)
            {
                problem = e.Message;
            }
        }

        LogEstimated(shop.Domain, order.ExternalOrderId.Value, string.Join(", ", estimates.Select(e => e.RefundId)), problem);
        return estimates;
    }

    /// <summary>No answer, a timeout, 429 or a 5xx: worth another try.</summary>
    private static bool Passing(Exception e, CancellationToken ct) => e switch
    {
        WooApiException api => api.StatusCode is null or HttpStatusCode.TooManyRequests || (int?)api.StatusCode >= 500,
        HttpRequestException => true,
        TaskCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "WooCommerce {Store} order {OrderId}: refund(s) {RefundIds} applied from the order's totals, spread over the order, without their lines: {Problem}")]
    private partial void LogEstimated(string store, string orderId, string refundIds, string problem);
}
