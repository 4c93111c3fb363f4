using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ShopAffiliate.Core.Audit;

namespace ShopAffiliate.Core.Data;

/// <summary>
/// Stamps <see cref="IAuditable"/> times from the injected clock (so tests can move time), adds the audit entries
/// recorded since the last save (<see cref="AuditTrail"/>) to this save, and refuses a save that would change or
/// delete an audit entry: the trail is append-only.
/// Registered first of the save interceptors: it detects the save's changes once, and reads the tracker (as the
/// interceptors after it do) with automatic detection off, so a large save (the engine's batches, ~1,000 entries) is
/// scanned once here and once by SaveChanges itself, not once per <c>Entries</c> call.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is null) return;
        var tracker = context.ChangeTracker;
        tracker.DetectChanges();
        var auto = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            Stamp(context, clock.GetUtcNow().UtcDateTime);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = auto;
        }
    }

    /// <summary>With automatic detection off: what it sets is detected by SaveChanges' own scan after the interceptors.</summary>
    private static void Stamp(DbContext context, DateTime now)
    {
        foreach (var entry in context.ChangeTracker.Entries<IAuditable>())
        {
            if (entry.State == EntityState.Added)
            {
                if (entry.Entity.CreatedAt == default) entry.Entity.CreatedAt = now;
                entry.Entity.UpdatedAt = now;
            }
            else if (entry.State == EntityState.Modified)
            {
                entry.Entity.UpdatedAt = now;
            }
        }
        if (context is not AppDbContext app) return;
        if (app.ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("Audit entries are never changed or deleted.");
        // Added again after a failed save whose retry cleared the tracker; removed from the list only once saved.
        foreach (var pending in app.PendingAudit)
        {
            if (app.Entry(pending).State == EntityState.Detached) app.AuditEntries.Add(pending);
        }
    }

    private static void Saved(DbContext? context)
    {
        if (context is AppDbContext app) app.PendingAudit.RemoveAll(e => app.Entry(e).State == EntityState.Unchanged);
    }
}
