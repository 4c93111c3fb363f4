using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;

namespace ShopAffiliate.Core.Privacy;

/// <summary>A customer as a platform names them in a privacy request.</summary>
public sealed record PrivacySubject(string? CustomerId, string? Email, IReadOnlyList<string> OrderIds);

/// <summary>
/// GDPR requests relayed by the shop platforms. What we hold on a shopper is small: the email and customer id on
/// their orders (for self-referral checks and lifetime links) and lifetime links themselves. Clicks carry no
/// identity (the IP is a salted hash). Redaction removes the identity and keeps the money: commission amounts and
/// the ledger stay, so affiliates' balances do not change.
/// </summary>
public sealed class PrivacyService(AppDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<PrivacyRequest> ExportCustomerAsync(Guid shopId, string? requestId, PrivacySubject subject, CancellationToken ct)
    {
        var shop = await db.Shops.IgnoreQueryFilters().FirstAsync(s => s.Id == shopId, ct);
        var orders = await OrdersOfAsync(shopId, subject, ct);
        var affiliateIds = orders.Where(o => o.AffiliateId is not null).Select(o => o.AffiliateId!.Value).Distinct().ToList();
        var names = await db.Affiliates.IgnoreQueryFilters().Where(a => affiliateIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var links = await LifetimeLinksOfAsync(shop.WorkspaceId, shopId, subject, ct);

        var export = new
        {
            customer = new { id = subject.CustomerId, email = subject.Email },
            shop = shop.Domain,
            orders = orders.Select(o => new
            {
                externalId = o.ExternalId, number = o.Number, placedAt = o.PlacedAt, currency = o.Currency,
                netRevenue = o.NetRevenue, referredBy = o.AffiliateId is { } a && names.TryGetValue(a, out var n) ? n : null,
                howReferred = o.AttributionMethod.ToString(), explanation = o.AttributionExplanation,
            }),
            lifetimeReferral = links.Select(l => new { referredBy = names.GetValueOrDefault(l.AffiliateId), since = l.CreatedAt }),
            note = "ShopAffiliate keeps no addresses, phone numbers or payment data. Visits through referral links are stored without the visitor's identity (the IP address only as a salted hash).",
        };
        return await RecordAsync(shop.WorkspaceId, shopId, shop.Domain, PrivacyRequestKind.DataRequest, requestId, subject,
            JsonSerializer.Serialize(export, ExportJson), $"Exported {orders.Count} order(s) and {links.Count} lifetime referral link(s).", ct);
    }

    public async Task<PrivacyRequest> RedactCustomerAsync(Guid shopId, PrivacySubject subject, CancellationToken ct)
    {
        var shop = await db.Shops.IgnoreQueryFilters().FirstAsync(s => s.Id == shopId, ct);
        var orders = await OrdersOfAsync(shopId, subject, ct);
        foreach (var order in orders)
        {
            order.CustomerEmail = null;
            var state = OrderStateJson.Deserialize(order.StateJson);
            if (state.Order is { } e) state = state with { Order = e with { CustomerEmail = null, CustomerId = null } };
            order.StateJson = OrderStateJson.Serialize(state);
            order.Revision++;
        }
        var links = await LifetimeLinksOfAsync(shop.WorkspaceId, shopId, subject, ct);
        db.LifetimeCustomers.RemoveRange(links);
        await db.SaveChangesAsync(ct);
        return await RecordAsync(shop.WorkspaceId, shopId, shop.Domain, PrivacyRequestKind.CustomerRedact, null, subject, null,
            $"Removed the customer's identity from {orders.Count} order(s) and deleted {links.Count} lifetime referral link(s); commissions are unchanged.", ct);
    }

    /// <summary>48 h after uninstall: the shop's orders, deliveries and credentials go; affiliates' ledger history stays.</summary>
    public async Task<PrivacyRequest> RedactShopAsync(Guid shopId, CancellationToken ct)
    {
        var shop = await db.Shops.IgnoreQueryFilters().FirstAsync(s => s.Id == shopId, ct);
        var keyPrefix = new ShopId(shopId) + ":";
        // All or nothing; the shop's stored deliveries (which hold order bodies) go last, the redaction's own included.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var orders = await db.Orders.IgnoreQueryFilters().Where(o => o.ShopId == shopId).ExecuteDeleteAsync(ct);
        await db.LifetimeCustomers.IgnoreQueryFilters().Where(l => l.WorkspaceId == shop.WorkspaceId && l.CustomerKey.StartsWith(keyPrefix)).ExecuteDeleteAsync(ct);
        await db.Shops.IgnoreQueryFilters().Where(s => s.Id == shopId).ExecuteDeleteAsync(ct);
        await db.Inbox.Where(m => m.ShopId == shopId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return await RecordAsync(shop.WorkspaceId, null, shop.Domain, PrivacyRequestKind.ShopRedact, null, null, null,
            $"Erased the shop, its {orders} order(s) and their commissions; affiliates' ledger history is kept.", ct);
    }

    private async Task<List<Order>> OrdersOfAsync(Guid shopId, PrivacySubject subject, CancellationToken ct)
    {
        var email = subject.Email?.Trim().ToLowerInvariant();
        var ids = subject.OrderIds.ToList();
        var orders = await db.Orders.IgnoreQueryFilters()
            .Where(o => o.ShopId == shopId && (ids.Contains(o.ExternalId) || (email != null && email != "" && o.CustomerEmail == email)))
            .ToListAsync(ct);
        if (subject.CustomerId is { Length: > 0 } customerId)
        {
            // The customer id lives only inside the stored state: check the shop's remaining orders for it.
            var known = orders.Select(o => o.Id).ToHashSet();
            foreach (var order in await db.Orders.IgnoreQueryFilters().Where(o => o.ShopId == shopId && !known.Contains(o.Id)).ToListAsync(ct))
            {
                if (OrderStateJson.Deserialize(order.StateJson).Order?.CustomerId == customerId) orders.Add(order);
            }
        }
        return orders;
    }

    private async Task<List<LifetimeCustomer>> LifetimeLinksOfAsync(Guid workspaceId, Guid shopId, PrivacySubject subject, CancellationToken ct)
    {
        var keys = new List<string>();
        if (subject.Email is { Length: > 0 } email) keys.Add(CustomerKey.ForEmail(email).ToString());
        if (subject.CustomerId is { Length: > 0 } id) keys.Add(CustomerKey.ForCustomer(new ShopId(shopId), id).ToString());
        return await db.LifetimeCustomers.IgnoreQueryFilters().Where(l => l.WorkspaceId == workspaceId && keys.Contains(l.CustomerKey)).ToListAsync(ct);
    }

    private async Task<PrivacyRequest> RecordAsync(
        Guid workspaceId, Guid? shopId, string domain, PrivacyRequestKind kind, string? requestId, PrivacySubject? subject,
        string? export, string outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var request = new PrivacyRequest
        {
            WorkspaceId = workspaceId, ShopId = shopId, ShopDomain = domain, Kind = kind, ExternalRequestId = requestId,
            // After a redaction only the platform's customer id is kept, as the reference the platform itself uses.
            CustomerReference = subject is null ? null : kind == PrivacyRequestKind.DataRequest ? subject.Email ?? subject.CustomerId : subject.CustomerId,
            ExportJson = export, Outcome = outcome, ReceivedAt = now, CompletedAt = now,
        };
        db.PrivacyRequests.Add(request);
        await db.SaveChangesAsync(ct);
        return request;
    }
}
