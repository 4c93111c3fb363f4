using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Security;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// The companion plugin's signed launch link (ADR 0018). Whoever holds a store's launch secret can sign any e-mail, so
/// the link signs in only the store's own admins: an account the store's launches created, or staff an owner linked
/// to the store. The session sees that program only, at most in the role the program grants store admins.
/// </summary>
public static class WooLaunchEndpoint
{
    private const string NoncePurpose = "woo-launch";

    internal static async Task<IResult> LaunchAsync(
        HttpContext http, AppDbContext db, ShopSecrets secrets, UserManager<AppUser> users, SignInManager<AppUser> signIn,
        TimeProvider clock, CancellationToken ct)
    {
        var parameters = http.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        var launch = WooLaunchLink.Read(parameters, out var error);
        if (launch is null) return Results.Problem(statusCode: 400, title: "Not a launch link.", detail: error);

        var shop = Guid.TryParse(launch.Shop, out var shopId)
            ? await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == shopId && s.Platform == ShopPlatform.WooCommerce && s.Status == ShopStatus.Active, ct)
            : null;
        var secret = shop is null ? null : secrets.LaunchSecret(shop);
        // One answer for an unknown shop and a wrong signature: nothing to learn by probing.
        if (secret is null || !WooLaunchLink.HasValidSignature(parameters, secret))
            return Results.Problem(statusCode: 401, title: "The launch link could not be verified.", detail: "Open ShopAffiliate again from the WordPress admin.");
        var now = clock.GetUtcNow();
        if (!WooLaunchLink.IsFresh(launch, now))
            return Results.Problem(statusCode: 401, title: "The launch link expired.", detail: "Launch links work for a minute. Open ShopAffiliate again from the WordPress admin.");
        // Spent in the database, so a link replayed against another node is refused too; kept until it is stale anyway.
        var staleAt = (launch.IssuedAt + WooLaunchLink.MaxAge).UtcDateTime;
        if (!await OneTimeValues.TrySpendAsync(db, NoncePurpose, $"{shop!.Id}|{launch.Nonce}", staleAt, now.UtcDateTime, ct))
            return Results.Problem(statusCode: 401, title: "The launch link was already used.", detail: "Open ShopAffiliate again from the WordPress admin.");

        var email = launch.Email.Trim();
        if (!email.Contains('@') || email.Length > 256)
            return Results.Problem(statusCode: 400, title: "No usable e-mail address.", detail: "The WordPress user needs an e-mail address to open ShopAffiliate.");

        var settings = await SettingsStore.GetAsync(db, shop.WorkspaceId, ct);
        var cap = StaffRoles.StoreAdminCap(settings.StoreAdminRole);
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // A new account the store vouches for: staff of this program in the store-admin role, and a store admin of
            // this store only. One transaction: an account without its link could never be launched into again.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
                return Results.Problem(statusCode: 400, title: "The account could not be created.", detail: string.Join(" ", created.Errors.Select(e => e.Description)));
            db.StaffMembers.Add(new StaffMember { WorkspaceId = shop.WorkspaceId, UserId = user.Id, Role = cap });
            db.StoreAdmins.Add(new StoreAdmin { WorkspaceId = shop.WorkspaceId, ShopId = shop.Id, UserId = user.Id, CreatedByLaunch = true });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        else
        {
            var userId = user.Id;
            var isStoreAdmin = await db.StoreAdmins.IgnoreQueryFilters().AnyAsync(a => a.ShopId == shop.Id && a.UserId == userId, ct);
            var isStaff = await db.StaffMembers.IgnoreQueryFilters().AnyAsync(s => s.UserId == userId && s.WorkspaceId == shop.WorkspaceId, ct);
            // An existing account is never taken over by e-mail: the store did not create it and no owner linked it.
            if (!isStoreAdmin || !isStaff || await users.IsLockedOutAsync(user))
                return Results.Problem(statusCode: 403, title: "This account cannot be opened from the store.",
                    detail: "The e-mail belongs to a ShopAffiliate account this store is not linked to. Sign in with your password, or ask an owner of the program to link you to the store on the admin's start page.");
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, AdminSession.LaunchScope(shop.WorkspaceId, cap));
        await StaffSignIn.RecordAsync(db, user.Id, now.UtcDateTime, ct);
        return Results.Redirect("/admin");
    }

    /// <summary>
    /// Security-stamp validation re-issues the cookie from the user alone; carry the launch scope over, or a launched
    /// session would widen to all of the user's programs and roles at its first refresh.
    /// </summary>
    public static void KeepLaunchScopeOnRefresh(SecurityStampValidatorOptions options) => options.OnRefreshingPrincipal = context =>
    {
        var scope = context.CurrentPrincipal?.Claims.Where(c => AdminSession.LaunchClaims.Contains(c.Type)).ToList() ?? [];
        if (scope.Count > 0 && context.NewPrincipal?.Identities.FirstOrDefault() is { } identity)
            identity.AddClaims(scope.Select(c => new System.Security.Claims.Claim(c.Type, c.Value)));
        return Task.CompletedTask;
    };
}
