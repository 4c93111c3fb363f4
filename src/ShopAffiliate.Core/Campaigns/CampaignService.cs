using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Campaigns;

/// <summary>A campaign's editable fields: every field is given (an update replaces them all); null dates are open, a null segment is everyone.</summary>
public sealed record CampaignInput(string? Name, DateOnly? StartsOn, DateOnly? EndsOn, Segment? Segment);

/// <summary>A campaign with what the lists show: its status today and how many creatives and coupons it holds.</summary>
public sealed record CampaignRow(Campaign Campaign, CampaignStatus Status, int Creatives, int Coupons);

/// <summary>
/// Campaigns for the API and the admin pages alike (one code path): create, update, attach and detach creatives and
/// coupons, announce, and which campaigns an affiliate sees. Everything runs inside the caller's program (tenant
/// filter), so another program's campaign, creative or coupon is "not found" and changes nothing. Each staff action is
/// audited in the same save.
/// </summary>
public sealed class CampaignService(AppDbContext db, ReportService reports, SegmentService segments, AnnouncementService announcements, AuditTrail audit, TimeProvider clock)
{
    public IQueryable<Campaign> Query() => db.Campaigns.AsNoTracking();

    public Task<DateOnly> TodayAsync(CancellationToken ct) => reports.TodayAsync(ct);

    public async Task<Campaign> GetAsync(Guid id, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFound();

    /// <summary>The program's campaigns, newest first, with their status and counts (three queries, whatever the number).</summary>
    public async Task<List<CampaignRow>> ListAsync(CancellationToken ct)
    {
        var today = await reports.TodayAsync(ct);
        var list = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Take(500).ToListAsync(ct);
        var creatives = await db.Creatives.Where(c => c.CampaignId != null).GroupBy(c => c.CampaignId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var coupons = await db.Coupons.Where(c => c.CampaignId != null).GroupBy(c => c.CampaignId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return list.Select(c => new CampaignRow(c, c.StatusOn(today), creatives.GetValueOrDefault(c.Id), coupons.GetValueOrDefault(c.Id))).ToList();
    }

    public async Task<Campaign> CreateAsync(CampaignInput input, CancellationToken ct)
    {
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Enter the program first.");
        var campaign = new Campaign { WorkspaceId = workspace, Name = "", NormalizedName = "" };
        await ApplyAsync(campaign, input, ct);
        db.Campaigns.Add(campaign);
        audit.Record("campaign.created", campaign);
        await db.SaveChangesAsync(ct);
        return campaign;
    }

    public async Task<Campaign> UpdateAsync(Guid id, CampaignInput input, CancellationToken ct)
    {
        var campaign = await TrackedAsync(id, ct);
        await ApplyAsync(campaign, input, ct);
        var entry = audit.Record("campaign.updated", campaign);
        if (entry.Before is null or "{}") audit.Withdraw(entry);
        await db.SaveChangesAsync(ct);
        return campaign;
    }

    /// <summary>
    /// The campaign called <paramref name="name"/> (any case), or a new one open on both sides and seen by everyone:
    /// the creatives' API still takes a campaign's name. Not saved: the caller's save stores it with its own change.
    /// </summary>
    public async Task<Campaign> FindOrAddAsync(string name, CancellationToken ct)
    {
        var clean = CheckedName(name);
        var normalized = Campaign.Normalize(clean);
        var found = db.Campaigns.Local.FirstOrDefault(c => c.NormalizedName == normalized)
                    ?? await db.Campaigns.FirstOrDefaultAsync(c => c.NormalizedName == normalized, ct);
        if (found is not null) return found;
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Enter the program first.");
        var campaign = new Campaign { WorkspaceId = workspace, Name = clean, NormalizedName = normalized };
        db.Campaigns.Add(campaign);
        audit.Record("campaign.created", campaign);
        return campaign;
    }

    public Task<Campaign> AttachCreativesAsync(Guid id, IReadOnlyCollection<Guid>? creativeIds, CancellationToken ct) =>
        AttachAsync(db.Creatives, id, creativeIds, "creative", ct);

    public Task DetachCreativeAsync(Guid id, Guid creativeId, CancellationToken ct) => DetachAsync(db.Creatives, id, creativeId, "creative", ct);

    public Task<Campaign> AttachCouponsAsync(Guid id, IReadOnlyCollection<Guid>? couponIds, CancellationToken ct) =>
        AttachAsync(db.Coupons, id, couponIds, "coupon", ct);

    public Task DetachCouponAsync(Guid id, Guid couponId, CancellationToken ct) => DetachAsync(db.Coupons, id, couponId, "coupon", ct);

    /// <summary>Puts the rows in the campaign (out of any other one); every id must be the program's, else a 404 and nothing changes.</summary>
    private async Task<Campaign> AttachAsync<T>(DbSet<T> set, Guid id, IReadOnlyCollection<Guid>? memberIds, string what, CancellationToken ct)
        where T : class, ICampaignMember
    {
        var campaign = await TrackedAsync(id, ct);
        var ids = memberIds?.Distinct().ToList() ?? [];
        if (ids.Count == 0) throw ValidationFailedException.For(what + "Ids", $"Name at least one {what} to attach.");
        if (ids.Count > 500) throw ValidationFailedException.For(what + "Ids", "At most 500 at a time.");
        var rows = await set.Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        if (ids.Where(i => rows.All(c => c.Id != i)).Select(i => (Guid?)i).FirstOrDefault() is { } missing)
            throw new NotFoundException($"No {what} {missing} in this program.");
        foreach (var row in rows.Where(c => c.CampaignId != id))
        {
            row.CampaignId = id;
            audit.Record($"campaign.{what}-attached", row);
        }
        await db.SaveChangesAsync(ct);
        return campaign;
    }

    private async Task DetachAsync<T>(DbSet<T> set, Guid id, Guid memberId, string what, CancellationToken ct) where T : class, ICampaignMember
    {
        await TrackedAsync(id, ct);
        var row = await set.FirstOrDefaultAsync(c => c.Id == memberId && c.CampaignId == id, ct)
                  ?? throw new NotFoundException($"That {what} is not part of this campaign.");
        row.CampaignId = null;
        audit.Record($"campaign.{what}-detached", row);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The ids of the program's coupons with these codes (any case); an unknown code is a 404 naming it.</summary>
    public async Task<List<Guid>> CouponIdsAsync(IEnumerable<string> codes, CancellationToken ct)
    {
        var wanted = codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var normalized = wanted.Select(Coupons.Coupon.Normalize).ToList();
        var found = await db.Coupons.Where(c => normalized.Contains(c.NormalizedCode)).Select(c => new { c.Id, c.NormalizedCode }).ToListAsync(ct);
        if (wanted.FirstOrDefault(w => found.All(f => f.NormalizedCode != Coupons.Coupon.Normalize(w))) is { } unknown)
            throw ValidationFailedException.For("couponCodes", $"No coupon {unknown} in this program.");
        return found.Select(f => f.Id).ToList();
    }

    /// <summary>
    /// Sends an announcement about the campaign to its segment (<see cref="AnnouncementService"/>: the portal inbox and
    /// mail through the outbox). An ended campaign is not announced. The campaign's announced time, its audit entry and
    /// the announcement are one save.
    /// </summary>
    public async Task<Announcement> AnnounceAsync(Guid id, string? subject, string? body, CancellationToken ct)
    {
        var campaign = await TrackedAsync(id, ct);
        if (campaign.StatusOn(await reports.TodayAsync(ct)) == CampaignStatus.Ended)
            throw new ConflictException($"'{campaign.Name}' has ended: there is nothing left to announce.");
        campaign.AnnouncedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record("campaign.announced", campaign);
        return await announcements.SendAsync(new AnnouncementInput(subject, body, campaign.Segment), ct);
    }

    /// <summary>The running campaigns <paramref name="affiliateId"/> is in the segment of (one segment lookup per distinct segment).</summary>
    public async Task<List<Campaign>> RunningForAsync(Guid affiliateId, CancellationToken ct)
    {
        var today = await reports.TodayAsync(ct);
        var running = await db.Campaigns.AsNoTracking()
            .Where(c => (c.StartsOn == null || c.StartsOn <= today) && (c.EndsOn == null || c.EndsOn >= today))
            .OrderBy(c => c.Name).ToListAsync(ct);
        var inSegment = new Dictionary<Segment, bool>();
        var visible = new List<Campaign>();
        foreach (var c in running)
        {
            var segment = c.Segment;
            if (!inSegment.TryGetValue(segment, out var member))
            {
                member = segment.Kind == SegmentKind.All || await IsMemberAsync(segment, affiliateId, ct);
                inSegment[segment] = member;
            }
            if (member) visible.Add(c);
        }
        return visible;
    }

    private async Task<bool> IsMemberAsync(Segment segment, Guid affiliateId, CancellationToken ct)
    {
        try
        {
            return (await segments.MembersAsync(segment, ct)).Any(m => m.Id == affiliateId);
        }
        catch (NotFoundException)
        {
            return false; // its group was deleted: nobody is in it
        }
    }

    private async Task ApplyAsync(Campaign campaign, CampaignInput input, CancellationToken ct)
    {
        var name = CheckedName(input.Name);
        if (input.StartsOn is { } start && input.EndsOn is { } end && end < start)
            throw ValidationFailedException.For("endsOn", "The campaign ends before it starts: give an end date on or after the start date.");
        var segment = (input.Segment ?? Segment.Everyone).Checked();
        if (segment is { Kind: SegmentKind.Group, GroupId: { } group } && group != Guid.Empty && !await db.CommissionGroups.AnyAsync(g => g.Id == group, ct))
            throw ValidationFailedException.For("segment.groupId", "No commission group with that id in this program.");
        var normalized = Campaign.Normalize(name);
        if (normalized != campaign.NormalizedName && await db.Campaigns.AnyAsync(c => c.NormalizedName == normalized && c.Id != campaign.Id, ct))
            throw new ConflictException($"The program already has a campaign called '{name}'.");
        campaign.Name = name;
        campaign.NormalizedName = normalized;
        campaign.StartsOn = input.StartsOn;
        campaign.EndsOn = input.EndsOn;
        if (campaign.Segment != segment) campaign.Segment = segment;
    }

    private static string CheckedName(string? name)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0) throw ValidationFailedException.For("name", "Give the campaign a name.");
        if (clean.Length > Campaign.MaxName) throw ValidationFailedException.For("name", $"A campaign's name is at most {Campaign.MaxName} characters.");
        return clean;
    }

    private async Task<Campaign> TrackedAsync(Guid id, CancellationToken ct) =>
        await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFound();

    private static NotFoundException NotFound() => new("No campaign with that id in this program.");
}
