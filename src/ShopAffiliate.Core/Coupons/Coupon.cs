using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Coupons;

public enum DiscountType
{
    Percentage,
    FixedAmount,
}

/// <summary>An affiliate's personal discount code: an order carrying it is credited to the affiliate.</summary>
public sealed class Coupon : ITenantOwned, IAuditable, Campaigns.ICampaignMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }

    /// <summary>As the merchant typed it (shown to affiliates and pushed to shops).</summary>
    public required string Code { get; set; }

    /// <summary>Lowercase: codes match case-insensitively on every platform (Woo lowercases them).</summary>
    public required string NormalizedCode { get; set; }

    public DiscountType DiscountType { get; set; }

    /// <summary>Percent as a number of percent (10 = 10%), or a fixed amount in the shop's currency.</summary>
    public decimal Amount { get; set; }

    public bool IsArchived { get; set; }

    /// <summary>The campaign it is part of (shown with the campaign in the affiliate's materials).</summary>
    public Guid? CampaignId { get; set; }

    /// <summary>
    /// When the merchant took the code out of use (published on a coupon site): it is deactivated in every shop and no
    /// longer pushed. It still credits orders that carry it, so an order placed before the deactivation keeps its affiliate.
    /// </summary>
    public DateTime? DeactivatedAt { get; set; }

    /// <summary>Why, in the merchant's words (shown to the affiliate in the mail and the portal).</summary>
    public string? DeactivationReason { get; set; }

    /// <summary>The coupon issued to the affiliate in its place.</summary>
    public Guid? ReplacedById { get; set; }

    /// <summary>The leaked coupon this one replaces.</summary>
    public Guid? ReplacesId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string Normalize(string code) => code.Trim().ToLowerInvariant();
}
