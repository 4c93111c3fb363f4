using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary>Turns stored Shopify deliveries into engine events (batched by the inbox worker), uninstalls, backfill pages and privacy work.</summary>
public sealed class ShopifyInboxHandler(
    AppDbContext db, OrderProcessor orders, PrivacyService privacy, ShopifyAdminClient admin, ShopifyTokens tokens, InboxSignal signal, TimeProvider clock)
    : IInboxHandler
{
    public ShopPlatform Platform => ShopPlatform.Shopify;

    public InboxPlan Plan(InboxMessage message, Shop? shop, WorkspaceSettings? settings)
    {
        switch (message.Topic)
        {
            case "orders/create" or "orders/updated" or "orders/paid" or "orders/cancelled":
            {
                if (shop is not { Status: ShopStatus.Active }) return InboxPlan.Ignore;
                using var json = JsonDocument.Parse(message.Body);
                var order = ShopifyOrderMapper.MapOrder(json.RootElement, new ShopId(shop.Id));
                return order.IsTest && settings is not { ExcludeTestOrders: false } ? InboxPlan.Ignore : InboxPlan.Apply(new BatchEvent(message.Id, order, null));
            }
            case "refunds/create":
            {
                if (shop is not { Status: ShopStatus.Active }) return InboxPlan.Ignore;
                using var json = JsonDocument.Parse(message.Body);
                return InboxPlan.Apply(new BatchEvent(message.Id, null, ShopifyOrderMapper.MapRefund(json.RootElement, new ShopId(shop.Id))));
            }
            default:
                return InboxPlan.HandleAlone;
        }
    }

    /// <summary>The deliveries <see cref="Plan"/> leaves to be handled alone.</summary>
    public async Task<bool> HandleAsync(InboxMessage message, CancellationToken ct)
    {
        var shop = message.ShopId is { } id ? await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == id, ct) : null;
        using var json = JsonDocument.Parse(message.Body);
        var body = json.RootElement;
        switch (message.Topic)
        {
            case ShopifyBackfill.Topic:
                if (shop is not { Status: ShopStatus.Active }) return false;
                return await ShopifyBackfill.RunAsync(db, shop, message.Body, admin, tokens, orders, signal, clock, ct);
            case "app/uninstalled":
                if (shop is null) return false;
                shop.Status = ShopStatus.Paused;
                shop.EncryptedCredentials = null; // the token is dead anyway; keep nothing we cannot use
                await db.SaveChangesAsync(ct);
                return true;
            case "customers/data_request":
            {
                if (shop is null) return false;
                var request = ShopifyPrivacyPayloads.ParseCustomerDataRequest(body);
                await privacy.ExportCustomerAsync(shop.Id, request.DataRequestId,
                    new PrivacySubject(request.Customer.Id, request.Customer.Email, request.OrdersRequested), ct);
                return true;
            }
            case "customers/redact":
            {
                if (shop is null) return false;
                var request = ShopifyPrivacyPayloads.ParseCustomerRedact(body);
                await privacy.RedactCustomerAsync(shop.Id, new PrivacySubject(request.Customer.Id, request.Customer.Email, request.OrdersToRedact), ct);
                return true;
            }
            case "shop/redact":
                if (shop is null) return false; // nothing held
                await privacy.RedactShopAsync(shop.Id, ct);
                return true;
            default:
                return false;
        }
    }
}
