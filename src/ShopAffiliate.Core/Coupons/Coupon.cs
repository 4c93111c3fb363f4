using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Coupons;

public enum DiscountType
{
    Percentage,
    FixedAmount,
}

/// <summary>An affiliate's personal discount code: an order carrying it is credited to the affiliate.</summary>
public sealed class Coupon : ITenantOwned, IAuditable
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
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string Normalize(string code) => code.Trim().ToLowerInvariant();
}
