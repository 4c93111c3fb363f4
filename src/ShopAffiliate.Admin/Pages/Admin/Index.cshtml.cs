using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

public sealed record StoreAdminSummary(Guid Id, string Email, bool CreatedByLaunch);

public sealed record ShopSummary(Guid Id, string Domain, ShopPlatform Platform, ShopStatus Status, string? Problem, IReadOnlyList<StoreAdminSummary> StoreAdmins);

public sealed record ProgramSummary(Membership Membership, int Affiliates, int PendingApplications, IReadOnlyList<ShopSummary> ShopList)
{
    public int Shops => ShopList.Count;
}

/// <summary>A connect code just created, shown once, under the program it connects to.</summary>
public sealed record NewConnectCode(Guid WorkspaceId, string Code, DateTime ExpiresAt);

/// <summary>
/// The programs this staff member works on, with the numbers that need attention; connect codes for the WooCommerce
/// plugin, and which staff a store's launch link may sign in (ADR 0018).
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.DisableRateLimiting] // anonymous visitors are only sent to sign-in or set-up; its forms need staff
public sealed class IndexModel(AppDbContext db, TenantContext tenant, TimeProvider clock, Microsoft.Extensions.Configuration.IConfiguration configuration) : PageModel
{
    public List<ProgramSummary> Programs { get; } = [];

    public bool ShopifyEnabled => !string.IsNullOrEmpty(configuration["Shopify:ApiKey"]) && !string.IsNullOrEmpty(configuration["Shopify:ApiSecret"]);

    [BindProperty(SupportsGet = true)] public string? Connected { get; set; }

    /// <summary><c>denied</c> when the merchant declined WooCommerce's key approval.</summary>
    [BindProperty(SupportsGet = true)] public string? WooCommerce { get; set; }

    public NewConnectCode? NewCode { get; private set; }

    /// <summary>The outcome of a store-admin link or unlink, and whether it worked.</summary>
    public (string Text, bool Ok)? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await db.Workspaces.AnyAsync(ct)) return RedirectToPage("/Admin/Setup");
        if (User.Identity?.IsAuthenticated != true) return RedirectToPage("/Admin/Login", new { ReturnUrl = "/admin" });
        return await LoadAsync(ct);
    }

    /// <summary>A code the companion plugin's Connect button sends instead of an API key: 15 minutes, once.</summary>
    public async Task<IActionResult> OnPostConnectCodeAsync(Guid ws, CancellationToken ct)
    {
        if (await EnterAsync(ws, StaffRole.Manager, ct) is { } denied) return denied;
        var now = clock.GetUtcNow().UtcDateTime;
        await db.ConnectCodes.IgnoreQueryFilters().Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var (code, row) = ConnectCode.Create(ws, AdminSession.UserId(User)!.Value, now);
        db.ConnectCodes.Add(row);
        await db.SaveChangesAsync(ct);
        NewCode = new NewConnectCode(ws, code, row.ExpiresAt);
        return await LoadAsync(ct);
    }

    /// <summary>Lets a staff member of the program open it from the store's WordPress admin. Owners only.</summary>
    public async Task<IActionResult> OnPostLinkStoreAdminAsync(Guid ws, Guid shopId, string? email, CancellationToken ct)
    {
        if (await EnterAsync(ws, StaffRole.Owner, ct) is { } denied) return denied;
        var shop = await db.Shops.FirstOrDefaultAsync(s => s.Id == shopId && s.Platform == ShopPlatform.WooCommerce, ct);
        if (shop is null) return NotFound();
        var normalized = (email ?? "").Trim().ToUpperInvariant();
        var userId = normalized.Length == 0 ? null
            : await (from u in db.Users
                     join s in db.StaffMembers on u.Id equals s.UserId
                     where u.NormalizedEmail == normalized
                     select (Guid?)u.Id).FirstOrDefaultAsync(ct);
        if (userId is null)
            Message = ($"No staff member of this program has the e-mail '{email?.Trim()}'. Invite them to the program first.", false);
        else if (await db.StoreAdmins.AnyAsync(a => a.ShopId == shop.Id && a.UserId == userId, ct))
            Message = ($"{email!.Trim()} can already open the program from {shop.Domain}.", true);
        else
        {
            db.StoreAdmins.Add(new StoreAdmin { WorkspaceId = ws, ShopId = shop.Id, UserId = userId.Value, CreatedByLaunch = false });
            await db.SaveChangesAsync(ct);
            Message = ($"{email!.Trim()} can now open the program from {shop.Domain}'s WordPress admin.", true);
        }
        return await LoadAsync(ct);
    }

    /// <summary>The store's launch link no longer signs this user in (their staff role is unchanged). Owners only.</summary>
    public async Task<IActionResult> OnPostUnlinkStoreAdminAsync(Guid ws, Guid storeAdminId, CancellationToken ct)
    {
        if (await EnterAsync(ws, StaffRole.Owner, ct) is { } denied) return denied;
        var removed = await db.StoreAdmins.Where(a => a.Id == storeAdminId).ExecuteDeleteAsync(ct);
        Message = removed == 1 ? ("The store can no longer sign that user in.", true) : ("That link was already removed.", true);
        return await LoadAsync(ct);
    }

    /// <summary>Null when the signed-in user has at least <paramref name="needed"/> in <paramref name="ws"/> (which the tenant filter then points at).</summary>
    private async Task<IActionResult?> EnterAsync(Guid ws, StaffRole needed, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return Challenge();
        var membership = await AdminSession.EnterAsync(db, tenant, User, ws, ct);
        if (membership is null) return NotFound();
        return membership.Role.AtMost(needed) == needed ? null : Forbid();
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        foreach (var m in await AdminSession.MembershipsAsync(db, User, ct))
        {
            // Counted per workspace the user is verified staff of; the filter is bypassed only for those ids.
            var affiliates = db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == m.WorkspaceId);
            var admins = (await (
                    from a in db.StoreAdmins.IgnoreQueryFilters()
                    join u in db.Users on a.UserId equals u.Id
                    where a.WorkspaceId == m.WorkspaceId
                    orderby u.Email
                    select new { a.ShopId, Admin = new StoreAdminSummary(a.Id, u.Email ?? "", a.CreatedByLaunch) }).ToListAsync(ct))
                .ToLookup(a => a.ShopId, a => a.Admin);
            var shops = await db.Shops.IgnoreQueryFilters().Where(s => s.WorkspaceId == m.WorkspaceId).OrderBy(s => s.Domain)
                .Select(s => new { s.Id, s.Domain, s.Platform, s.Status, s.SyncError }).ToListAsync(ct);
            Programs.Add(new ProgramSummary(
                m,
                await affiliates.CountAsync(a => a.Status == AffiliateStatus.Approved, ct),
                await affiliates.CountAsync(a => a.Status == AffiliateStatus.Pending, ct),
                shops.Select(s => new ShopSummary(s.Id, s.Domain, s.Platform, s.Status, s.SyncError, admins[s.Id].ToList())).ToList()));
        }
        return Page();
    }
}
