using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin;

public sealed record Membership(Guid WorkspaceId, string WorkspaceName, string Slug, string Currency, StaffRole Role);

/// <summary>What the signed-in staff user may see: their workspaces, and the one a page acts on.</summary>
public static class AdminSession
{
    /// <summary>On a session a store's launch link started: the one program it may see (ADR 0018).</summary>
    public const string LaunchWorkspaceClaim = "sa_launch_workspace";

    /// <summary>On a launched session: the most it may do there, whatever the user's own role.</summary>
    public const string LaunchRoleClaim = "sa_launch_role";

    public static readonly string[] LaunchClaims = [LaunchWorkspaceClaim, LaunchRoleClaim];

    /// <summary>
    /// On a request from inside the Shopify admin (its session token, no cookie): the program of the shop the token names.
    /// Shopify decided who may open the app in that shop; here they are the program's store admins (ADR 0032).
    /// </summary>
    public const string EmbeddedWorkspaceClaim = "sa_embedded_workspace";

    public static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static IEnumerable<Claim> LaunchScope(Guid workspaceId, StaffRole cap) =>
        [new(LaunchWorkspaceClaim, workspaceId.ToString()), new(LaunchRoleClaim, cap.ToString())];

    public static async Task<List<Membership>> MembershipsAsync(AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.FindFirstValue(EmbeddedWorkspaceClaim) is { } embedded) return await EmbeddedMembershipAsync(db, embedded, ct);
        if (UserId(user) is not { } userId) return [];
        var memberships = await (
            from s in db.StaffMembers.IgnoreQueryFilters()
            join w in db.Workspaces on s.WorkspaceId equals w.Id
            where s.UserId == userId
            orderby w.Name
            select new Membership(w.Id, w.Name, w.Slug, w.Currency, s.Role)).ToListAsync(ct);
        if (!user.HasClaim(c => c.Type == LaunchWorkspaceClaim)) return memberships;

        // A launched session: that program only, at most the launch's role. A claim that does not read is no access.
        if (!Guid.TryParse(user.FindFirstValue(LaunchWorkspaceClaim), out var scope)
            || !Enum.TryParse<StaffRole>(user.FindFirstValue(LaunchRoleClaim), out var cap) || !Enum.IsDefined(cap))
            return [];
        return memberships.Where(m => m.WorkspaceId == scope).Select(m => m with { Role = m.Role.AtMost(cap) }).ToList();
    }

    /// <summary>The shop's program, in the role the program grants store admins (<c>storeAdminRole</c>, at most Manager).</summary>
    private static async Task<List<Membership>> EmbeddedMembershipAsync(AppDbContext db, string claim, CancellationToken ct)
    {
        if (!Guid.TryParse(claim, out var workspaceId)) return [];
        var settings = await Core.Settings.SettingsStore.GetAsync(db, workspaceId, ct);
        var role = StaffRoles.StoreAdminCap(settings.StoreAdminRole);
        return await db.Workspaces.Where(w => w.Id == workspaceId)
            .Select(w => new Membership(w.Id, w.Name, w.Slug, w.Currency, role)).ToListAsync(ct);
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

    /// <summary>
    /// <see cref="EnterAsync"/> for a page: also tells the layout and widgets (<see cref="Ui.UiContext"/>) which program
    /// it shows, so navigation links keep <c>?ws=</c>.
    /// </summary>
    public static async Task<Membership?> EnterPageAsync(
        AppDbContext db, TenantContext tenant, Ui.UiContext ui, ClaimsPrincipal user, Guid? workspaceId, CancellationToken ct)
    {
        var memberships = await MembershipsAsync(db, user, ct);
        var membership = workspaceId is { } id ? memberships.FirstOrDefault(m => m.WorkspaceId == id) : memberships.FirstOrDefault();
        if (membership is not null) tenant.WorkspaceId = membership.WorkspaceId;
        ui.Program = membership;
        ui.Programs = memberships; // the header's switcher offers these, and only these
        return membership;
    }
}
