using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Payouts;

public enum PayoutBatchStatus
{
    /// <summary>Created and exportable; nothing is marked paid yet.</summary>
    Open,
    Paid,
}

/// <summary>A batch of payouts in one currency, exported for PayPal or the bank, then marked paid.</summary>
public sealed class PayoutBatch : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>Short human reference (also the note in exports), e.g. <c>PAY-20261123-1</c>.</summary>
    public required string Reference { get; init; }

    public required string Currency { get; init; }
    public PayoutBatchStatus Status { get; set; }
    public decimal Total { get; set; }
    public DateTime? PaidAt { get; set; }
    public List<PayoutItem> Items { get; init; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One affiliate's line in a batch: the approved balance plus carried clawbacks (which can reduce it).</summary>
public sealed class PayoutItem : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid PayoutBatchId { get; init; }
    public Guid AffiliateId { get; init; }
    public required string Name { get; init; }
    public required string Email { get; init; }
    public decimal Amount { get; init; }
    public decimal Approved { get; init; }
    public decimal Carried { get; init; }
    public required string Reference { get; init; }

    /// <summary>The orders whose approved commissions this line pays (marked paid together).</summary>
    public List<Guid> OrderIds { get; init; } = [];
}
