namespace ShopAffiliate.Core.Engine;

/// <summary>
/// Replays one stored order's facts (its latest version, its refunds, the staff decisions on it) through the engine
/// under another plan or other attribution settings, on a fresh state: nothing of the stored state's bookings or
/// revision is reused, so the result says what the order would earn, not what moving to it would book.
/// Approval and payment are left out on purpose: they move money between buckets and never change a commission's amount.
/// </summary>
public static class OrderReplay
{
    /// <summary>
    /// The attribution inputs for replaying <paramref name="stored"/>: a staff assignment (a resolved dispute, a phone
    /// order) is a fact about the order and is kept; everything else is decided again from the order's touches.
    /// </summary>
    public static AttributionInputs InputsFor(OrderCommissionState stored, AttributionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(inputs);
        return stored.Attribution is { Method: AttributionMethod.Manual, AffiliateId: { } staffPick }
            ? inputs with { Manual = new ManualAttribution(staffPick, "assignment kept from the stored order") }
            : inputs with { Manual = null };
    }

    /// <summary>
    /// The order's state after its version, refunds and decisions are applied afresh with <paramref name="attribution"/>
    /// and <paramref name="quote"/>; each commission's <see cref="CommissionState.Target"/> is what it would be now.
    /// Null for a row that holds only an early refund (no order version yet).
    /// </summary>
    public static OrderCommissionState? Replay(OrderCommissionState stored, AttributionResult attribution, CommissionQuote quote)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Order is not { } order)
            return null;
        var state = OrderCommissionState.Empty(stored.Key).ApplyOrder(order, attribution, quote).State;
        foreach (var refund in stored.Refunds)
            state = state.ApplyRefund(refund).State;
        foreach (var decision in stored.Decisions)
            state = state.Decide(decision).State;
        return state;
    }

    /// <summary>
    /// The order's sales for performance tiers and revenue figures: merchandise after discounts less what was refunded,
    /// never below zero; zero for a test or cancelled order, which sells nothing.
    /// </summary>
    public static decimal SalesAfterRefunds(OrderEvent order, decimal refunded)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.IsTest || order.State == OrderState.Cancelled ? 0m : Math.Max(0m, order.NetRevenue - refunded);
    }
}
