using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin;

public sealed record Membership(Guid WorkspaceId, string WorkspaceName, string Slug, string Currency, StaffRole Role);

/// <summary>What the signed-in staff user may see: their workspaces, and the one a page acts on.</summary>
public static class AdminSession
{
    public static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static async Task<List<Membership>> MembershipsAsync(AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (UserId(user) is not { } userId) return [];
        return await (
            from s in db.StaffMembers.IgnoreQueryFilters()
            join w in db.Workspaces on s.WorkspaceId equals w.Id
            where s.UserId == userId
            orderby w.Name
            select new Membership(w.Id, w.Name, w.Slug, w.Currency, s.Role)).ToListAsync(ct);
    }

    /// <summary>
    /// The membership for <paramref name="workspaceId"/> (or the user's only/first workspace), and points the
    /// request's tenant at it so every tenant-owned query is filtered. Null when the user is not staff there.
    /// </summary>
    public static async Task<Membership?> EnterAsync(
        AppDbContext db, TenantContext tenant, ClaimsPrincipal user, Guid? workspaceId, CancellationToken ct)
    {
        var memberships = await MembershipsAsync(db, user, ct);
        var chosen = workspaceId is { } id ? memberships.FirstOrDefault(m => m.WorkspaceId == id) : memberships.FirstOrDefault();
        if (chosen is not null) tenant.WorkspaceId = chosen.WorkspaceId;
        return chosen;
    }
}
