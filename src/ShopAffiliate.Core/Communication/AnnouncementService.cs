using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;

namespace ShopAffiliate.Core.Communication;

public sealed record AnnouncementInput(string? Subject, string? Body, Segment? Segment);

/// <summary>
/// Sends announcements: the segment's affiliates at the moment of sending become its recipients (shown in their portal),
/// and each gets it by email through the outbox unless they turned announcements off or unsubscribed. The announcement,
/// its recipients, the mails and the audit entry are one save.
/// </summary>
public sealed class AnnouncementService(AppDbContext db, SegmentService segments, Mailer mailer, AuditTrail audit, TimeProvider clock)
{
    public const int MaxSubject = 200;
    public const int MaxBody = 10000;

    public async Task<Announcement> SendAsync(AnnouncementInput input, CancellationToken ct)
    {
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Enter the program first.");
        var subject = input.Subject?.Trim() ?? "";
        var body = input.Body?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (subject.Length is 0 or > MaxSubject) errors["subject"] = [$"Write a subject of 1 to {MaxSubject} characters."];
        if (body.Length is 0 or > MaxBody) errors["body"] = [$"Write a message of 1 to {MaxBody} characters."];
        if (errors.Count > 0) throw new ValidationFailedException(string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        var segment = (input.Segment ?? Segment.Everyone).Checked();
        var members = await segments.MembersAsync(segment, ct);
        if (members.Count == 0) throw ValidationFailedException.For("segment", "No affiliate is in this segment; nothing would be sent.");

        var now = clock.GetUtcNow().UtcDateTime;
        var announcement = new Announcement
        {
            WorkspaceId = workspace, Subject = subject, Body = body,
            SegmentKind = segment.Kind, SegmentGroupId = segment.GroupId, SegmentStatus = segment.Status,
            SegmentTop = segment.Top, SegmentDays = segment.Days,
            SentAt = now, RecipientCount = members.Count,
        };
        db.Announcements.Add(announcement);
        var optedOut = await db.NotificationPreferences.Where(p => !p.Announcements).Select(p => p.AffiliateId).ToListAsync(ct);
        foreach (var m in members)
        {
            db.AnnouncementRecipients.Add(new AnnouncementRecipient { WorkspaceId = workspace, AnnouncementId = announcement.Id, AffiliateId = m.Id });
            if (optedOut.Contains(m.Id)) continue;
            await mailer.EnqueueAsync(db, new MailRequest(workspace, EmailKind.Announcement, m.Email, m.Name, $"{announcement.Id:N}:{m.Id:N}",
                new Dictionary<string, string> { ["subject"] = subject, ["body"] = body }, m.Language), ct);
        }
        audit.Record("announcement.sent", announcement);
        await db.SaveChangesAsync(ct);
        return announcement;
    }

    public Task<List<Announcement>> ListAsync(int take, CancellationToken ct) =>
        db.Announcements.AsNoTracking().OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(take).ToListAsync(ct);

    /// <summary>One row of the admin's list: the announcement and how many of its recipients marked it read.</summary>
    public sealed record Sent(Announcement Announcement, int ReadCount);

    /// <summary>The program's announcements, newest first, a page at a time (the admin's list).</summary>
    public async Task<PagedResult<Sent>> PageAsync(PageRequest request, CancellationToken ct)
    {
        var page = await db.Announcements.AsNoTracking().OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).ToPageAsync(request, ct);
        var ids = page.Items.Select(a => a.Id).ToList();
        var read = await db.AnnouncementRecipients.AsNoTracking().Where(r => ids.Contains(r.AnnouncementId) && r.ReadAt != null)
            .GroupBy(r => r.AnnouncementId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new([.. page.Items.Select(a => new Sent(a, read.GetValueOrDefault(a.Id)))], page.Page, page.PageSize, page.Total);
    }

    public sealed record Received(Announcement Announcement, DateTime? ReadAt);

    /// <summary>What one affiliate was sent, newest first.</summary>
    public async Task<IReadOnlyList<Received>> ForAffiliateAsync(Guid affiliateId, int take, CancellationToken ct) =>
        await (from r in db.AnnouncementRecipients.AsNoTracking()
               join a in db.Announcements.AsNoTracking() on r.AnnouncementId equals a.Id
               where r.AffiliateId == affiliateId
               orderby a.CreatedAt descending
               select new Received(a, r.ReadAt)).Take(take).ToListAsync(ct);

    public Task<int> UnreadCountAsync(Guid affiliateId, CancellationToken ct) =>
        db.AnnouncementRecipients.CountAsync(r => r.AffiliateId == affiliateId && r.ReadAt == null, ct);

    /// <summary>Marks the affiliate's unread announcements read (one, or all when <paramref name="announcementId"/> is null).</summary>
    public Task<int> MarkReadAsync(Guid affiliateId, Guid? announcementId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.AnnouncementRecipients.Where(r => r.AffiliateId == affiliateId && r.ReadAt == null);
        if (announcementId is { } id) mine = mine.Where(r => r.AnnouncementId == id);
        return mine.ExecuteUpdateAsync(s => s.SetProperty(r => r.ReadAt, now), ct);
    }
}
