using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// Turns stored WooCommerce order payloads into engine events. The payload is built when WooCommerce delivers it
/// (an <c>order.created</c> may already show a later status), so every order topic is simply "this is the order now".
/// Its <c>refunds[]</c> show only totals (tax and shipping included), so the refunds' lines come from the store through
/// <see cref="WooRefundReader"/>: the commission drops by the refunded lines. When the lines cannot be read (the key lost
/// its rights, the store is gone, or it kept failing until the last attempt), the total is spread over the order instead
/// (<see cref="WooOrderMapper.MapRefunds"/>), and the next delivery of the order tries the lines again; a passing failure
/// (no answer, 429, 5xx) before that fails the delivery, so the inbox retries it.
/// </summary>
public sealed class WooInboxHandler(AppDbContext db, OrderProcessor orders, WooRefundReader refunds) : IInboxHandler
{
    public ShopPlatform Platform => ShopPlatform.WooCommerce;

    /// <summary>
    /// An order delivery without refunds goes into the batch; one with refunds is handled alone, because a new refund's
    /// lines are read from the store first; a deletion is handled alone because it needs the version held.
    /// </summary>
    public InboxPlan Plan(InboxMessage message, Shop? shop, WorkspaceSettings? settings)
    {
        if (shop is not { Status: ShopStatus.Active }) return InboxPlan.Ignore;
        switch (message.Topic)
        {
            case "order.created" or "order.updated" or "order.restored":
                using (var json = JsonDocument.Parse(message.Body))
                {
                    return WooOrderMapper.RefundIds(json.RootElement).Count > 0
                        ? InboxPlan.HandleAlone
                        : InboxPlan.Apply(new BatchEvent(message.Id, WooOrderMapper.MapOrder(json.RootElement, new ShopId(shop.Id)), null));
                }
            case "order.deleted":
                return InboxPlan.HandleAlone;
            default:
                return InboxPlan.Ignore;
        }
    }

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
                var read = await refunds.ReadAsync(shop, json.RootElement, order.ExternalOrderId, lastAttempt: message.Attempts >= InboxMessage.MaxAttempts, ct);
                foreach (var refund in read.Refunds)
                    await orders.ApplyRefundAsync(refund, ct);
                return true;
            case "order.deleted":
                await orders.CancelDeletedAsync(shopId, WooOrderMapper.DeletedOrderId(json.RootElement), ct);
                return true;
            default:
                return false;
        }
    }
}
