using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Admin;

public sealed record ShopSummary(string Domain, ShopAffiliate.Core.Shops.ShopPlatform Platform, ShopAffiliate.Core.Shops.ShopStatus Status, string? Problem);

public sealed record ProgramSummary(Membership Membership, int Affiliates, int PendingApplications, IReadOnlyList<ShopSummary> ShopList)
{
    public int Shops => ShopList.Count;
}

/// <summary>The programs this staff member works on, with the numbers that need attention.</summary>
[AllowAnonymous]
public sealed class IndexModel(AppDbContext db, Microsoft.Extensions.Configuration.IConfiguration configuration) : PageModel
{
    public List<ProgramSummary> Programs { get; } = [];

    public bool ShopifyEnabled => !string.IsNullOrEmpty(configuration["Shopify:ApiKey"]) && !string.IsNullOrEmpty(configuration["Shopify:ApiSecret"]);

    [BindProperty(SupportsGet = true)] public string? Connected { get; set; }

    /// <summary><c>denied</c> when the merchant declined WooCommerce's key approval.</summary>
    [BindProperty(SupportsGet = true)] public string? WooCommerce { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await db.Workspaces.AnyAsync(ct)) return RedirectToPage("/Admin/Setup");
        if (User.Identity?.IsAuthenticated != true) return RedirectToPage("/Admin/Login", new { ReturnUrl = "/admin" });

        foreach (var m in await AdminSession.MembershipsAsync(db, User, ct))
        {
            // Counted per workspace the user is verified staff of; the filter is bypassed only for those ids.
            var affiliates = db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == m.WorkspaceId);
            Programs.Add(new ProgramSummary(
                m,
                await affiliates.CountAsync(a => a.Status == AffiliateStatus.Approved, ct),
                await affiliates.CountAsync(a => a.Status == AffiliateStatus.Pending, ct),
                await db.Shops.IgnoreQueryFilters().Where(s => s.WorkspaceId == m.WorkspaceId).OrderBy(s => s.Domain)
                    .Select(s => new ShopSummary(s.Domain, s.Platform, s.Status, s.SyncError)).ToListAsync(ct)));
        }
        return Page();
    }
}
