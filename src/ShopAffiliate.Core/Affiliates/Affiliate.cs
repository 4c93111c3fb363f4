using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Affiliates;

public enum AffiliateStatus
{
    Pending,
    Approved,
    Rejected,
    Suspended,
}

/// <summary>A person or business promoting the workspace's shops.</summary>
public sealed class Affiliate : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>Stored lowercase; unique within the workspace.</summary>
    public required string Email { get; set; }

    /// <summary>The code in <c>?ref=</c> links; unique within the workspace, compared case-insensitively (stored lowercase).</summary>
    public required string ReferralCode { get; set; }

    public AffiliateStatus Status { get; set; } = AffiliateStatus.Pending;

    /// <summary>Why the last screening decision was made (shown to the affiliate on rejection).</summary>
    public string? StatusReason { get; set; }

    public string? Website { get; set; }
    public Guid? ParentAffiliateId { get; set; }

    /// <summary>Commission group (plan); null = the program's default group.</summary>
    public Guid? GroupId { get; set; }
    public string? AcceptedTermsVersion { get; set; }

    /// <summary>Where payouts go (a PayPal email or bank details), as the affiliate entered it in the portal.</summary>
    public string? PayoutDetails { get; set; }

    /// <summary>The language the affiliate reads this program's pages and mail in (<c>en</c>, <c>da</c>): the one they
    /// applied in, then their choice in the portal's switcher; null = the program's default.</summary>
    public string? Language { get; set; }

    /// <summary>Identity user of the affiliate's portal login, once they have one.</summary>
    public Guid? UserId { get; set; }

    /// <summary>When the affiliate had their personal data erased (GDPR article 17): the row is then a pseudonym
    /// that keeps their money records together (<see cref="Privacy.AffiliatePrivacy"/>).</summary>
    public DateTime? ErasedAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The screening and suspension moves staff may make; everything else is refused.</summary>
    public static bool CanBecome(AffiliateStatus from, AffiliateStatus to) => (from, to) switch
    {
        (AffiliateStatus.Pending, AffiliateStatus.Approved or AffiliateStatus.Rejected) => true,
        (AffiliateStatus.Rejected, AffiliateStatus.Approved) => true,   // reconsidered
        (AffiliateStatus.Approved, AffiliateStatus.Suspended) => true,
        (AffiliateStatus.Suspended, AffiliateStatus.Approved) => true,  // reinstated
        _ => false,
    };
}
