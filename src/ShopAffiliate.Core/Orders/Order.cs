using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Orders;

/// <summary>
/// A platform order as we hold it: the engine's whole per-order state (<see cref="StateJson"/>: latest order version,
/// refunds, decisions, commissions) plus columns projected from it for queries. A refund that arrives before its
/// order creates the row with no order data yet (<see cref="HasOrder"/> false).
/// </summary>
public sealed class Order : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid ShopId { get; init; }
    public required string ExternalId { get; init; }

    public bool HasOrder { get; set; }
    public string? Number { get; set; }
    public DateTime? PlacedAt { get; set; }

    /// <summary>The platform's updated_at of the version we hold.</summary>
    public DateTime? PlatformUpdatedAt { get; set; }

    public string Currency { get; set; } = "";
    public OrderState? State { get; set; }
    public bool IsTest { get; set; }
    public decimal NetRevenue { get; set; }
    public decimal RefundedAmount { get; set; }

    /// <summary>A refund is held as estimated from the order's totals (<see cref="RefundEvent.FromTotals"/>): its lines are still to be read.</summary>
    public bool RefundsFromTotals { get; set; }

    /// <summary>Personal data: erased by a customer redaction.</summary>
    public string? CustomerEmail { get; set; }

    public Guid? AffiliateId { get; set; }
    public AttributionMethod AttributionMethod { get; set; }
    public string AttributionExplanation { get; set; } = "";

    /// <summary>
    /// <see cref="AttributionExplanation"/> as message keys and arguments (<see cref="ExplanationJson"/>), which the
    /// portal and admin render in the reader's language. Null on rows stored before ADR 0051: they show the English text.
    /// </summary>
    public string? AttributionExplanationJson { get; set; }

    /// <summary>The coupon code (lowercase) that credited the order, when it came by coupon: usage per coupon.</summary>
    public string? CouponCode { get; set; }

    /// <summary>
    /// The stored click that won the order (<see cref="AttributionMethod.Link"/>), with its link, sub-ID and creative
    /// copied from the click when the engine chose it, so the figures survive the clicks' retention purge.
    /// Null for other methods and for orders attributed before the engine recorded it.
    /// </summary>
    public Guid? ClickId { get; set; }

    public Guid? LinkId { get; set; }
    public string? SubId { get; set; }
    public Guid? CreativeId { get; set; }

    public required string StateJson { get; set; }

    /// <summary>Optimistic concurrency: two workers applying events to one order cannot both win.</summary>
    public int Revision { get; set; }

    public DateTime ReceivedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A customer who stays an affiliate's (lifetime commissions): by platform customer id or email.</summary>
public sealed class LifetimeCustomer : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary><see cref="CustomerKey"/> as text: <c>{shopId:N}:{customerId}</c> or a lowercase email.</summary>
    public required string CustomerKey { get; set; }

    public Guid AffiliateId { get; init; }
    public Guid? FirstOrderId { get; init; }
    public DateTime CreatedAt { get; init; }
}
