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
/// (an <c>order.created</c> may already show a later status), so every order topic is simply "this is the order now";
/// its <c>refunds[]</c> become refund events, each applied once.
/// </summary>
public sealed class WooInboxHandler(AppDbContext db, OrderProcessor orders) : IInboxHandler
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
                foreach (var refund in WooOrderMapper.MapRefunds(json.RootElement, shopId))
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
