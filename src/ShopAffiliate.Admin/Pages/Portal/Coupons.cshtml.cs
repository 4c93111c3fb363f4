using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Paging;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's own coupon codes in this program: their discount, where they work (with Shopify's share link),
/// whether a code was taken out of use and what replaced it, and the orders, revenue and commission each brought.
/// The list is filtered to the signed-in affiliate inside the entered program: nobody else's code can show.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class CouponsModel(AppDbContext db, TenantContext tenant, CouponService coupons) : PortalPageModel(db, tenant)
{
    public PagedResult<CouponRow> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    public string Currency => Current.Workspace.Currency;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var page = int.TryParse(Request.Query["page"], out var n) ? n : 1;
        Rows = await coupons.PageAsync(new CouponFilter(AffiliateId: Current.Affiliate.Id), Currency, PageRequest.Of(page), ct);
        return Page();
    }
}
