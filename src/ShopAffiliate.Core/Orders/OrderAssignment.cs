using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Core.Orders;

public sealed partial class OrderProcessor
{
    /// <summary>
    /// Staff credit a stored order to <paramref name="affiliateId"/> by hand (a resolved dispute, a phone order): the
    /// engine attributes it as <see cref="AttributionMethod.Manual"/> with the reason, quotes it from the affiliate's plan
    /// and re-attributes the held state, so another affiliate's commission on it is reversed in the same transaction and
    /// the ledger stays the sum of its entries. Later versions of the order keep the assignment (attribution is sticky).
    /// Assigning the order again to the affiliate it is already assigned to by hand changes nothing.
    /// </summary>
    /// <param name="actor">Who assigned it (a staff email or "API key"), for the log.</param>
    public async Task<ApplyOutcome> AssignAsync(Guid orderId, Guid affiliateId, string reason, string actor, CancellationToken ct)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > 2000)
            throw ValidationFailedException.For("reason", "Give a reason (up to 2000 characters) for assigning the order: the affiliate sees it.");
        // The tenant filter scopes both look-ups to the caller's program: a foreign order or affiliate is simply not found.
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId)
            .Select(o => new { o.ShopId, o.ExternalId, o.HasOrder, o.Number }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No order with that id in this program.");
        if (!order.HasOrder)
            throw new ConflictException("Only a refund of this order has arrived so far; it can be assigned once the order itself is here.");
        var affiliate = await db.Affiliates.AsNoTracking().Where(a => a.Id == affiliateId)
            .Select(a => new { a.Name, a.Status }).FirstOrDefaultAsync(ct)
            ?? throw ValidationFailedException.For("affiliateId", "No affiliate with that id in this program.");
        if (affiliate.Status != AffiliateStatus.Approved)
            throw new ConflictException($"{affiliate.Name} is {affiliate.Status.ToString().ToLowerInvariant()}: only an approved affiliate can be credited with an order.");

        var manual = new ManualAttribution(new AffiliateId(affiliateId), reason);
        var shop = new ShopId(order.ShopId);
        var outcome = await WithRetryAsync(shop, new ExternalOrderId(order.ExternalId), async (ctx, state) =>
        {
            if (state.Order is not { } held) return null;
            if (state.Attribution is { Method: AttributionMethod.Manual } current && current.AffiliateId == manual.Affiliate) return null;
            var facts = new BatchFacts(db, [held], new Dictionary<Guid, Guid> { [shop.Value] = ctx.WorkspaceId });
            var attribution = AttributionEngine.Attribute(held, await facts.InputsAsync(ctx, held, ct, manual));
            if (attribution.Method != AttributionMethod.Manual)
                throw new ConflictException($"The engine did not accept the assignment: {attribution.Explanation}");
            var quote = await QuoteAsync(ctx, held, attribution, facts, new Dictionary<OrderKey, OpenOrder>(), ct);
            var change = state.Reattribute(attribution, quote, Now);
            await facts.LinkLifetimeCustomersAsync(ctx, attribution, Now, ct);
            return change;
        }, ct);
        if (outcome == ApplyOutcome.Applied) LogAssigned(order.Number ?? order.ExternalId, affiliateId, actor, reason);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Order} assigned by hand to affiliate {AffiliateId} by {Actor}: {Reason}")]
    private partial void LogAssigned(string order, Guid affiliateId, string actor, string reason);
}
