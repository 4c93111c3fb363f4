using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Identity;

/// <summary>
/// A staff role that is removed or lowered renews the user's security stamp in the same save, so every cookie issued
/// before stops working at its next request (the host checks the stamp on every request). Revoke staff through the
/// change tracker: a set-based delete (<c>ExecuteDelete</c>) of staff rows would skip this.
/// </summary>
public sealed class StaffRevocationInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            foreach (var userId in RevokedUsers(context)) Renew(context.Set<AppUser>().Find(userId));
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            foreach (var userId in RevokedUsers(context)) Renew(await context.Set<AppUser>().FindAsync([userId], cancellationToken));
        }
        return result;
    }

    // StaffRole counts down in rights (Owner, Manager, Analyst): a larger value is a demotion. The audit interceptor,
    // registered before this one, has just detected this save's changes: read without a second full scan.
    private static List<Guid> RevokedUsers(DbContext context)
    {
        var tracker = context.ChangeTracker;
        var auto = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return tracker.Entries<StaffMember>()
                .Where(e => e.State == EntityState.Deleted
                    || (e.State == EntityState.Modified && e.Property(s => s.Role).CurrentValue > e.Property(s => s.Role).OriginalValue))
                .Select(e => e.Entity.UserId).Distinct().ToList();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = auto;
        }
    }

    /// <summary>What <c>UserManager.UpdateSecurityStampAsync</c> does, inside the caller's save.</summary>
    private static void Renew(AppUser? user)
    {
        if (user is null) return;
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }
}
