using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Commissions;

/// <summary>A commission as listed and filtered: projected from the order's engine state after every change.</summary>
public sealed class Commission : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid OrderId { get; init; }
    public Guid AffiliateId { get; init; }

    /// <summary>1 = the credited affiliate, 2 = their recruiter.</summary>
    public int Tier { get; init; }

    public CommissionStatus Status { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public string Explanation { get; set; } = "";

    /// <summary><see cref="Explanation"/> as message keys and arguments (ADR 0051); null on rows stored before them.</summary>
    public string? ExplanationJson { get; set; }
    public string? StatusReason { get; set; }
    public bool HeldForReview { get; set; }

    /// <summary>When the hold period ends (null while the order is unpaid or the commission is settled).</summary>
    public DateTime? EligibleAt { get; set; }

    public DateTime? ApprovedAt { get; set; }
    public DateTime? PaidAt { get; set; }
    public Guid? PayoutBatchId { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An immutable money movement (see <see cref="LedgerEntry"/>). Never updated or deleted: balances are sums of
/// these rows. <see cref="Key"/> is deterministic per order revision, so a retried save cannot book twice.
/// </summary>
public sealed class LedgerRecord : ITenantOwned
{
    public long Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public required string Key { get; init; }
    public Guid AffiliateId { get; init; }
    public Guid? OrderId { get; init; }
    public int Tier { get; init; }
    public LedgerEntryKind Kind { get; init; }
    public LedgerBucket Bucket { get; init; }
    public decimal Amount { get; init; }
    public required string Currency { get; init; }
    public DateTime At { get; init; }
    public required string Description { get; init; }
    public string? Reference { get; init; }
    public Guid? PayoutBatchId { get; init; }
}

/// <summary>A commission plan. Rules are stored as JSON: they are read whole and only ever by the engine.</summary>
public sealed class CommissionGroup : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public required string Name { get; set; }
    public bool IsDefault { get; set; }
    public decimal SecondTierRate { get; set; }

    /// <summary>Which period performance tiers count sales over.</summary>
    public TierPeriod TierPeriod { get; set; } = TierPeriod.Month;

    public required string RulesJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum TierPeriod
{
    Month,
    Quarter,
    Year,
    AllTime,
}
