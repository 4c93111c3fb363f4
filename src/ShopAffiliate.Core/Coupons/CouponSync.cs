using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Coupons;

public enum CouponSyncStatus
{
    Pending,
    Synced,

    /// <summary>The shop already has a discount with this code (not ours): the merchant picks another code.</summary>
    Taken,

    /// <summary>The shop refused or could not be reached after retries; <see cref="CouponSync.Error"/> says why.</summary>
    Failed,

    /// <summary>Taken out of use in the shop (the coupon leaked): Shopify deactivated it, WooCommerce expired it.</summary>
    Deactivated,
}

/// <summary>Where a coupon stands in one shop of the program.</summary>
public sealed class CouponSync : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid CouponId { get; init; }
    public Guid ShopId { get; init; }
    public CouponSyncStatus Status { get; set; }

    /// <summary>The platform's id of the discount (Shopify: the DiscountCodeNode gid).</summary>
    public string? ExternalId { get; set; }

    /// <summary>Why the last push or deactivation did not go through; null once it did.</summary>
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTime UpdatedAt { get; set; }
}
