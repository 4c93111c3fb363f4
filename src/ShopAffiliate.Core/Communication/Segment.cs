using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Communication;

public enum SegmentKind
{
    /// <summary>Every approved affiliate.</summary>
    All,

    /// <summary>The approved affiliates of one commission group (<see cref="Segment.GroupId"/>; <see cref="Guid.Empty"/> = the default group).</summary>
    Group,

    /// <summary>Every affiliate with one status (<see cref="Segment.Status"/>), approved or not.</summary>
    Status,

    /// <summary>The approved affiliates with the most commission over the last <see cref="Segment.Days"/> days, the top <see cref="Segment.Top"/>.</summary>
    TopPerformers,

    /// <summary>The approved affiliates without a click in the last <see cref="Segment.Days"/> days.</summary>
    Inactive,
}

/// <summary>Who a message goes to: one definition, used by announcements (and campaigns' visibility).</summary>
public sealed record Segment(SegmentKind Kind, Guid? GroupId = null, AffiliateStatus? Status = null, int? Top = null, int? Days = null)
{
    public static readonly Segment Everyone = new(SegmentKind.All);

    public const int MaxTop = 1000;
    public const int MaxDays = 3650;

    /// <summary>The segment with only the fields its kind uses; a <see cref="ValidationFailedException"/> for a missing or out-of-range one.</summary>
    public Segment Checked()
    {
        // A field the kind does not use is refused, not ignored: a group id sent with "all" is a mistake to report.
        if (GroupId is not null && Kind != SegmentKind.Group) throw ValidationFailedException.For("segment.groupId", "groupId belongs to the group segment only.");
        if (Status is not null && Kind != SegmentKind.Status) throw ValidationFailedException.For("segment.status", "status belongs to the status segment only.");
        if (Top is not null && Kind != SegmentKind.TopPerformers) throw ValidationFailedException.For("segment.top", "top belongs to the topPerformers segment only.");
        if (Days is not null && Kind is not (SegmentKind.TopPerformers or SegmentKind.Inactive)) throw ValidationFailedException.For("segment.days", "days belongs to the topPerformers and inactive segments only.");
        switch (Kind)
        {
            case SegmentKind.All:
                return Everyone;
            case SegmentKind.Group:
                return new(Kind, GroupId ?? Guid.Empty);
            case SegmentKind.Status:
                return Status is { } s && Enum.IsDefined(s) ? new(Kind, Status: s)
                    : throw ValidationFailedException.For("segment.status", "Choose the status the affiliates have.");
            case SegmentKind.TopPerformers:
                if (Top is not (>= 1 and <= MaxTop)) throw ValidationFailedException.For("segment.top", $"The number of top performers must be 1 to {MaxTop}.");
                return new(Kind, Top: Top, Days: CheckedDays());
            case SegmentKind.Inactive:
                return new(Kind, Days: CheckedDays());
            default:
                throw ValidationFailedException.For("segment.kind", "Choose who receives it: all, group, status, topPerformers or inactive.");
        }
    }

    private int CheckedDays() => Days is >= 1 and <= MaxDays ? Days.Value
        : throw ValidationFailedException.For("segment.days", $"The number of days must be 1 to {MaxDays}.");
}

/// <summary>Finds a segment's affiliates in the current program. Erased affiliates are never in a segment.</summary>
public sealed class SegmentService(AppDbContext db, ReportService reports, TimeProvider clock)
{
    public sealed record Member(Guid Id, string Name, string Email, string? Language);

    public async Task<IReadOnlyList<Member>> MembersAsync(Segment segment, CancellationToken ct)
    {
        segment = segment.Checked();
        var affiliates = db.Affiliates.AsNoTracking().Where(a => a.ErasedAt == null);
        if (segment.Kind is not SegmentKind.Status) affiliates = affiliates.Where(a => a.Status == AffiliateStatus.Approved);
        switch (segment.Kind)
        {
            case SegmentKind.Group:
                var group = segment.GroupId!.Value;
                if (group == Guid.Empty)
                {
                    var defaultId = await db.CommissionGroups.Where(g => g.IsDefault).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(ct);
                    affiliates = affiliates.Where(a => a.GroupId == null || a.GroupId == defaultId);
                }
                else
                {
                    if (!await db.CommissionGroups.AnyAsync(g => g.Id == group, ct)) throw new NotFoundException("No such commission group in this program.");
                    affiliates = affiliates.Where(a => a.GroupId == group);
                }
                break;
            case SegmentKind.Status:
                affiliates = affiliates.Where(a => a.Status == segment.Status);
                break;
            case SegmentKind.Inactive:
                var since = clock.GetUtcNow().UtcDateTime.AddDays(-segment.Days!.Value);
                affiliates = affiliates.Where(a => !db.Clicks.Any(c => c.AffiliateId == a.Id && c.At >= since));
                break;
            case SegmentKind.TopPerformers:
                // The reports' own ranking (rollups, in the program's main currency), so the segment matches the Top report.
                var today = await reports.TodayAsync(ct);
                var top = await reports.TopAsync(TopDimension.Affiliate, ReportMetric.Commission,
                    new ReportPeriod(today.AddDays(1 - segment.Days!.Value), today), segment.Top!.Value, null, ct);
                var ids = top.Rows.Where(r => r.Value > 0).Select(r => Guid.Parse(r.Key)).ToList();
                var ranked = await affiliates.Where(a => ids.Contains(a.Id)).Select(a => new Member(a.Id, a.Name, a.Email, a.Language)).ToListAsync(ct);
                return [.. ranked.OrderBy(m => ids.IndexOf(m.Id))];
        }
        return await affiliates.OrderBy(a => a.Name).ThenBy(a => a.Id).Select(a => new Member(a.Id, a.Name, a.Email, a.Language)).ToListAsync(ct);
    }

    public async Task<int> CountAsync(Segment segment, CancellationToken ct) => (await MembersAsync(segment, ct)).Count;
}
