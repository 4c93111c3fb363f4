using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Payouts;

namespace ShopAffiliate.Core.Webhooks;

/// <summary>
/// Emits the affiliate, payout and dispute events from the change itself: on every save it looks at the affiliates,
/// payout batches and disputes being added or moved to another status, and adds their deliveries to the same save
/// (<see cref="WebhookPublisher"/>). Whichever code path changes them (admin, API, portal, a background job), the event
/// is stored with the change or not at all. Commission events come from the ledger instead
/// (<see cref="CommissionEventEmitter"/>), off the engine's batched write path.
/// </summary>
public sealed class WebhookEventInterceptor(IServiceProvider services) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db) EmitAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db) await EmitAsync(db, cancellationToken);
        return result;
    }

    private async Task EmitAsync(AppDbContext db, CancellationToken ct)
    {
        // The audit interceptor, registered before this one, has just detected the changes of this save: reading the
        // tracker again without a second full scan keeps large saves (the engine's batches) as cheap as they were.
        var auto = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        List<(Guid WorkspaceId, string Type, string Key, object Data, Guid? AffiliateId)> events;
        try
        {
            events = Collect(db);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = auto;
        }
        if (events.Count == 0) return;
        var publisher = services.GetRequiredService<WebhookPublisher>();
        foreach (var (workspaceId, type, key, data, affiliateId) in events)
            await publisher.PublishAsync(db, workspaceId, type, key, data, affiliateId, ct);
    }

    private static List<(Guid WorkspaceId, string Type, string Key, object Data, Guid? AffiliateId)> Collect(AppDbContext db)
    {
        var events = new List<(Guid, string, string, object, Guid?)>();
        foreach (var e in db.ChangeTracker.Entries<Affiliate>())
        {
            var a = e.Entity;
            var type = e.State == EntityState.Added ? WebhookEventTypes.AffiliateCreated
                : !Moved(e, x => x.Status) ? null
                : a.Status switch
                {
                    AffiliateStatus.Approved => WebhookEventTypes.AffiliateApproved,
                    AffiliateStatus.Rejected => WebhookEventTypes.AffiliateRejected,
                    AffiliateStatus.Suspended => WebhookEventTypes.AffiliateSuspended,
                    _ => null,
                };
            if (type is null) continue;
            events.Add((a.WorkspaceId, type, $"{a.Id:N}:{a.Status}:{a.UpdatedAt.Ticks}", WebhookPayloads.Affiliate(a), null));
            // A new affiliate approved at once (auto-approval, staff adding one) is also "approved".
            if (e.State == EntityState.Added && a.Status == AffiliateStatus.Approved)
                events.Add((a.WorkspaceId, WebhookEventTypes.AffiliateApproved, $"{a.Id:N}:{a.Status}:{a.UpdatedAt.Ticks}", WebhookPayloads.Affiliate(a), null));
        }
        foreach (var e in db.ChangeTracker.Entries<PayoutBatch>())
        {
            var b = e.Entity;
            var type = e.State == EntityState.Added ? WebhookEventTypes.PayoutBatchCreated
                : Moved(e, x => x.Status) && b.Status == PayoutBatchStatus.Paid ? WebhookEventTypes.PayoutBatchPaid : null;
            if (type is null) continue;
            events.Add((b.WorkspaceId, type, $"{b.Id:N}", WebhookPayloads.PayoutBatch(b, b.Items.Count), null));
        }
        foreach (var e in db.ChangeTracker.Entries<Dispute>())
        {
            var d = e.Entity;
            var type = e.State == EntityState.Added ? WebhookEventTypes.DisputeOpened
                : !Moved(e, x => x.Status) ? null
                : d.Status switch
                {
                    DisputeStatus.Accepted => WebhookEventTypes.DisputeAccepted,
                    DisputeStatus.Declined => WebhookEventTypes.DisputeDeclined,
                    _ => null,
                };
            if (type is null) continue;
            events.Add((d.WorkspaceId, type, $"{d.Id:N}", WebhookPayloads.Dispute(d), null));
        }
        return events;
    }

    /// <summary>An update that gives <paramref name="property"/> another value than it had.</summary>
    private static bool Moved<T, TValue>(EntityEntry<T> e, System.Linq.Expressions.Expression<Func<T, TValue>> property) where T : class
    {
        var p = e.Property(property);
        return e.State == EntityState.Modified && p.IsModified && !Equals(p.OriginalValue, p.CurrentValue);
    }
}
