using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Audit;

/// <summary>What the audit page filters by, all optional: who (part of the name), entity type (and id), action, UTC bounds.</summary>
public sealed record AuditFilter(string? Who = null, string? EntityType = null, string? EntityId = null, string? Action = null, DateTime? FromUtc = null, DateTime? ToUtc = null);

/// <summary>Reading the trail, newest first; there is deliberately nothing here (or anywhere) that changes it.</summary>
public static class AuditLog
{
    /// <summary>The entity types the trail records, for the page's filter.</summary>
    public static readonly IReadOnlyList<string> EntityTypes =
        ["Affiliate", "AffiliateNote", "ApiKey", "Commission", "LedgerRecord", "PayoutBatch", "StoreAdmin", "WorkspaceSettings", "Dispute", "AffiliateMessage", "CommissionGroup", "StaffMember", "StaffInvitation"];

    public static IQueryable<AuditEntry> Query(AppDbContext db, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Who))
        {
            var who = filter.Who.Trim().ToLowerInvariant();
            q = q.Where(e => e.ActorName.ToLower().Contains(who));
        }
        if (!string.IsNullOrWhiteSpace(filter.EntityType)) q = q.Where(e => e.EntityType == filter.EntityType);
        if (!string.IsNullOrWhiteSpace(filter.EntityId)) q = q.Where(e => e.EntityId == filter.EntityId.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(e => e.Action == filter.Action);
        if (filter.FromUtc is { } from) q = q.Where(e => e.At >= from);
        if (filter.ToUtc is { } to) q = q.Where(e => e.At < to);
        // Ids grow with time within a database: the newest first, without sorting on a timestamp.
        return q.OrderByDescending(e => e.Id);
    }
}
