using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Portal;

/// <summary>One program the signed-in person is an affiliate of.</summary>
public sealed record PortalProgram(Workspace Workspace, Affiliate Affiliate);

/// <summary>
/// The affiliate side's session: its own cookie scheme (<see cref="Scheme"/>), so a staff cookie is no affiliate
/// session and an affiliate cookie opens no admin page (ADR 0023). One account may be an affiliate of several programs.
/// </summary>
public static class PortalSession
{
    public const string Scheme = "Portal";
    public const string CookieName = "sa_portal";

    /// <summary>Rate-limit policies of the affiliate side's public forms (options under <c>RateLimits:{name}</c>).</summary>
    public const string ApplyLimit = "Apply";
    public const string SignInLimit = "PortalSignIn";
    public const string EmailLimit = "PortalEmail";
    public const string PageLimit = "ProgramPage";

    public static Guid? UserId(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType is not null && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The programs where this person is an approved (or suspended, so they still see their history) affiliate.</summary>
    public static async Task<List<PortalProgram>> ProgramsAsync(AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (UserId(user) is not { } userId) return [];
        return await (
            from a in db.Affiliates.IgnoreQueryFilters()
            join w in db.Workspaces on a.WorkspaceId equals w.Id
            where a.UserId == userId && (a.Status == AffiliateStatus.Approved || a.Status == AffiliateStatus.Suspended)
            orderby w.Name
            select new PortalProgram(w, a)).ToListAsync(ct);
    }

    public static async Task<ProgramPage> PageAsync(AppDbContext db, Guid workspaceId, CancellationToken ct) =>
        await db.ProgramPages.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId, ct)
        ?? new ProgramPage { WorkspaceId = workspaceId };
}

/// <summary>Signing a person into the portal's own scheme, never the staff one.</summary>
public static class PortalSignIn
{
    public static async Task SignInAsync(Microsoft.AspNetCore.Http.HttpContext http, Microsoft.AspNetCore.Identity.SignInManager<Core.Identity.AppUser> signIn, Core.Identity.AppUser user)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignInAsync(http, PortalSession.Scheme, principal);
    }

    /// <summary>Whether the person is, or applied to be, an affiliate anywhere: only they get portal emails.</summary>
    public static Task<bool> IsAffiliateAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Affiliates.IgnoreQueryFilters().AnyAsync(a => a.UserId == userId && (a.Status == AffiliateStatus.Approved || a.Status == AffiliateStatus.Suspended), ct);
}
