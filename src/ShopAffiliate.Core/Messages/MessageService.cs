using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Messages;

/// <summary>One affiliate's thread in the staff's inbox: the latest message and how many of theirs staff have not read.</summary>
public sealed record MessageThreadSummary(Guid AffiliateId, string AffiliateName, string LastText, DisputeAuthor LastAuthor, DateTime LastAt, int Unread);

/// <summary>
/// The one message thread per affiliate with the program's staff (ADR 0036). Every query runs under the tenant filter,
/// so another program's affiliate has no thread here; an affiliate acting is held to their own. A new message is
/// mailed to the other side through the outbox in the same save: the affiliate gets <see cref="EmailKind.NewMessage"/>,
/// the program's owners and managers <see cref="EmailKind.StaffNewMessage"/>. Staff messages are audited.
/// </summary>
public sealed class MessageService(AppDbContext db, Mailer mail, AuditTrail audit, TimeProvider clock)
{
    public const int MaxText = 4000;

    /// <summary>The thread, oldest first (the latest <paramref name="take"/> messages).</summary>
    public async Task<List<AffiliateMessage>> ThreadAsync(Guid affiliateId, DisputeActor reader, CancellationToken ct, int take = 200)
    {
        await RequireAffiliateAsync(affiliateId, reader, ct);
        var latest = await db.AffiliateMessages.AsNoTracking().Where(m => m.AffiliateId == affiliateId)
            .OrderByDescending(m => m.At).ThenByDescending(m => m.Id).Take(take).ToListAsync(ct);
        latest.Reverse();
        return latest;
    }

    /// <summary>Marks the other side's messages read for <paramref name="reader"/>'s side; a POST's work, never a page view's.</summary>
    public async Task<int> MarkReadAsync(Guid affiliateId, DisputeActor reader, CancellationToken ct)
    {
        await RequireAffiliateAsync(affiliateId, reader, ct);
        var now = Now;
        return await db.AffiliateMessages.Where(m => m.AffiliateId == affiliateId && m.Author != reader.Side && m.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadAt, now), ct);
    }

    /// <summary>
    /// Adds a message to the affiliate's thread and mails the other side. Writing marks what the writer's side had
    /// not read yet as read (they answered it).
    /// </summary>
    public async Task<AffiliateMessage> SendAsync(Guid affiliateId, string? text, DisputeActor actor, CancellationToken ct)
    {
        var body = (text ?? "").Replace("\r\n", "\n").Trim();
        if (body.Length is 0 or > MaxText) throw ValidationFailedException.For("text", $"Write a message (up to {MaxText} characters).");
        var affiliate = await RequireAffiliateAsync(affiliateId, actor, ct);

        await MarkReadAsync(affiliateId, actor, ct);
        var message = new AffiliateMessage
        {
            WorkspaceId = affiliate.WorkspaceId, AffiliateId = affiliateId, Author = actor.Side,
            ActorName = actor.Name.Length > 320 ? actor.Name[..320] : actor.Name, Text = body, At = Now,
        };
        db.AffiliateMessages.Add(message);
        var slug = await db.Workspaces.Where(w => w.Id == affiliate.WorkspaceId).Select(w => w.Slug).FirstAsync(ct);
        if (actor.Side == DisputeAuthor.Staff)
        {
            audit.Record(AuditActions.MessageSent, message);
            await mail.EnqueueAsync(db, new MailRequest(affiliate.WorkspaceId, EmailKind.NewMessage, affiliate.Email, affiliate.Name,
                $"message:{message.Id}", new Dictionary<string, string>
                {
                    ["body"] = body,
                    ["portalUrl"] = $"{mail.PortalUrl}/p/{slug}/messages",
                }, affiliate.Language), ct);
        }
        else
        {
            foreach (var email in await StaffEmailsAsync(affiliate.WorkspaceId, ct))
            {
                await mail.EnqueueAsync(db, new MailRequest(affiliate.WorkspaceId, EmailKind.StaffNewMessage, email, email,
                    $"message:{message.Id}:{email}", new Dictionary<string, string>
                    {
                        ["senderName"] = affiliate.Name,
                        ["body"] = body,
                        ["adminUrl"] = $"{mail.AdminUrl}/messages/{affiliateId}?ws={affiliate.WorkspaceId}",
                    }), ct);
            }
        }
        await db.SaveChangesAsync(ct);
        return message;
    }

    /// <summary>Every affiliate with a thread, the latest activity first; <paramref name="search"/> matches the name or email.</summary>
    public async Task<PagedResult<MessageThreadSummary>> InboxAsync(string? search, bool unreadOnly, PageRequest page, CancellationToken ct)
    {
        var affiliates = db.Affiliates.AsNoTracking();
        if (search?.Trim() is { Length: > 0 } q)
        {
            var pattern = $"%{q.ToLowerInvariant()}%";
            affiliates = affiliates.Where(a => EF.Functions.Like(a.Name.ToLower(), pattern) || EF.Functions.Like(a.Email.ToLower(), pattern));
        }
        // One grouped read of the messages index gives each thread's latest time; the count and the page's order use
        // only that, and the latest text and the unread count are read for the page's 25 threads, not for every one.
        var latest =
            from m in db.AffiliateMessages
            group m by m.AffiliateId into g
            select new { AffiliateId = g.Key, At = g.Max(m => m.At) };
        var threads =
            from a in affiliates
            join l in latest on a.Id equals l.AffiliateId
            where !unreadOnly || db.AffiliateMessages.Any(m => m.AffiliateId == a.Id && m.Author == DisputeAuthor.Affiliate && m.ReadAt == null)
            orderby l.At descending, a.Id
            select new { a.Id, a.Name, l.At };
        var total = await threads.CountAsync(ct);
        var last = Math.Max(1, (total + page.PageSize - 1) / page.PageSize);
        var number = Math.Min(page.Page, last);
        var rows = await threads.Skip((number - 1) * page.PageSize).Take(page.PageSize)
            .Select(t => new
            {
                t.Id, t.Name, t.At,
                // Scalar subqueries, one per column, for these rows only (SQLite has no lateral join).
                LastText = db.AffiliateMessages.Where(m => m.AffiliateId == t.Id).OrderByDescending(m => m.At).ThenByDescending(m => m.Id)
                    .Select(m => m.Text).First(),
                LastAuthor = db.AffiliateMessages.Where(m => m.AffiliateId == t.Id).OrderByDescending(m => m.At).ThenByDescending(m => m.Id)
                    .Select(m => m.Author).First(),
                Unread = db.AffiliateMessages.Count(m => m.AffiliateId == t.Id && m.Author == DisputeAuthor.Affiliate && m.ReadAt == null),
            })
            .ToListAsync(ct);
        return new PagedResult<MessageThreadSummary>(
            rows.Select(r => new MessageThreadSummary(r.Id, r.Name, r.LastText, r.LastAuthor, r.At, r.Unread)).ToList(), number, page.PageSize, total);
    }

    /// <summary>The owners' and managers' addresses: who is told when an affiliate writes.</summary>
    private async Task<List<string>> StaffEmailsAsync(Guid workspaceId, CancellationToken ct) =>
        await (from s in db.StaffMembers
               join u in db.Users on s.UserId equals u.Id
               where s.WorkspaceId == workspaceId && s.Role != StaffRole.Analyst && u.Email != null
               orderby u.Email
               select u.Email!).Distinct().ToListAsync(ct);

    private async Task<Affiliates.Affiliate> RequireAffiliateAsync(Guid affiliateId, DisputeActor actor, CancellationToken ct)
    {
        if (actor.Side == DisputeAuthor.Affiliate && actor.AffiliateId != affiliateId)
            throw new NotFoundException("No affiliate with that id in this program.");
        return await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == affiliateId, ct)
            ?? throw new NotFoundException("No affiliate with that id in this program.");
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
