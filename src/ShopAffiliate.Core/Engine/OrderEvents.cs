namespace ShopAffiliate.Core.Engine;

/// <summary>Pending = placed, not paid (or on hold); Paid = earned; Cancelled = reversed (voided, cancelled, failed).</summary>
public enum OrderState
{
    Pending,
    Paid,
    Cancelled,
}

/// <summary>
/// One version of a platform order, normalised by the platform adapter. <see cref="UpdatedAt"/> is the version: an
/// older version never overwrites a newer one. All times are UTC. Money fields are in <see cref="Currency"/>, the shop
/// currency (never the buyer's presentment currency). <see cref="TaxesIncluded"/>: the shop's prices contain the tax
/// (Shopify <c>taxes_included</c>); the lines' <see cref="OrderLine.NetRevenue"/> has it taken out either way, but a
/// refund line's amount still contains it (see <see cref="RefundLine.Tax"/>).
/// </summary>
public sealed record OrderEvent(
    ShopId ShopId,
    ExternalOrderId ExternalOrderId,
    string? OrderNumber,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string Currency,
    OrderState State,
    bool IsTest,
    string? CustomerId,
    string? CustomerEmail,
    IReadOnlyList<OrderLine> Lines,
    IReadOnlyList<string> DiscountCodes,
    IReadOnlyList<ReferralTouch> Touches,
    decimal ShippingTotal,
    decimal TaxTotal,
    bool TaxesIncluded = false)
{
    public OrderKey Key => new(ShopId, ExternalOrderId);

    /// <summary>"#1042" for merchants and affiliates; falls back to the external id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(OrderNumber) ? ExternalOrderId.Value : OrderNumber;

    public decimal NetRevenue => Lines.Sum(l => l.NetRevenue);
}

/// <summary>
/// A line: <see cref="NetRevenue"/> is the line's revenue after discounts, before tax and shipping, also when the shop's
/// prices include tax (the tax is taken out); <see cref="Tax"/> is the tax on it. The basis of commissions and of partial
/// refunds. <see cref="Quantity"/> 0 means unknown. A gift card (<see cref="IsGiftCard"/>) is not merchandise: it earns
/// only where the program pays commission on gift cards, since the order that spends it earns again.
/// <see cref="Title"/> is the product's name as the shop sent it (for reports; it decides nothing).
/// </summary>
public sealed record OrderLine(
    string LineId,
    string? ProductId,
    IReadOnlyList<string> CollectionIds,
    int Quantity,
    decimal NetRevenue,
    decimal Tax,
    bool IsGiftCard = false,
    string? Title = null);

public enum TouchSource
{
    /// <summary>A cart attribute written by our storefront script (Shopify note_attributes).</summary>
    CartAttribute,

    /// <summary>Order meta written by the Woo companion plugin.</summary>
    OrderMeta,

    /// <summary>A <c>?ref=</c> in the order's landing URL.</summary>
    LandingUrl,

    /// <summary>Woo's order attribution <c>utm_source</c>.</summary>
    UtmSource,

    /// <summary>A click we recorded on our redirect (found through a click id).</summary>
    Click,
}

/// <summary>
/// Evidence that a referral led to the order. <see cref="At"/> null = unknown time: a touch carried by the order itself
/// (cart attribute, order meta, landing URL, UTM) then counts as made at the order's creation.
/// </summary>
public sealed record ReferralTouch(string ReferralCode, Guid? ClickId, DateTime? At, TouchSource Source);

/// <summary>
/// A refund. Line amounts are positive (WooCommerce's negative refund totals are accepted and read as their absolute
/// value). <see cref="OtherAmount"/> is an order-level merchandise refund not tied to a line (leave shipping refunds
/// out): it reduces every line's commission in proportion to the line's NetRevenue. <see cref="FromTotals"/>: the
/// platform's lines could not be read, so this is an estimate from the order's totals; the same refund read later with
/// its lines replaces it (once).
/// </summary>
public sealed record RefundEvent(
    ShopId ShopId,
    ExternalOrderId ExternalOrderId,
    string RefundId,
    DateTime CreatedAt,
    IReadOnlyList<RefundLine> Lines,
    decimal OtherAmount = 0m,
    bool FromTotals = false)
{
    public OrderKey Key => new(ShopId, ExternalOrderId);
}

/// <summary>
/// Quantity 0 = unknown: the refund then counts by <see cref="Amount"/> as a share of the line's NetRevenue. Where the
/// order's prices include tax, <see cref="Amount"/> is what the platform reports (tax included) and <see cref="Tax"/> the
/// tax in it, which comes out before the share is taken.
/// </summary>
public sealed record RefundLine(string LineId, int Quantity, decimal Amount, decimal Tax = 0m)
{
    /// <summary>The merchandise refunded, before tax: <see cref="Amount"/>, less <see cref="Tax"/> where prices include it.</summary>
    public decimal NetAmount(bool taxesIncluded) => Math.Max(0m, Math.Abs(Amount) - (taxesIncluded ? Math.Abs(Tax) : 0m));
}
