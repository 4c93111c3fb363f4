using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Communication;

/// <summary>
/// Mails "you earned a commission" for new commissions, read from the Commissions table after the engine wrote them
/// (the engine's write path is not touched). Each pass reads the commissions created within <see cref="Lookback"/> that
/// have no mail yet; the outbox's unique key per commission (<c>email:CommissionEarned:{id}</c>) is what makes each
/// mail once, across restarts and nodes (two nodes racing: one insert wins, the other's save is refused and dropped).
/// Preferences and unsubscribes are the <see cref="Mailer"/>'s check, as for every sender.
/// </summary>
public sealed class CommissionEarnedMails(AppDbContext db, Mailer mailer, TimeProvider clock)
{
    /// <summary>How far back a pass looks: a commission older than this when first seen (a long outage) is not mailed late.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(2);

    public const int BatchSize = 200;

    public static string EventKey(Guid commissionId) => commissionId.ToString("N");

    /// <summary>One pass over every program; the number of mails enqueued.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime - Lookback;
        var candidates = await (
            from c in db.Commissions.IgnoreQueryFilters().AsNoTracking()
            join a in db.Affiliates.IgnoreQueryFilters().AsNoTracking() on c.AffiliateId equals a.Id
            join o in db.Orders.IgnoreQueryFilters().AsNoTracking() on c.OrderId equals o.Id
            where c.CreatedAt >= since && c.Amount > 0 && a.ErasedAt == null && !o.IsTest
                  && c.Status != CommissionStatus.Rejected && c.Status != CommissionStatus.Reversed
            orderby c.CreatedAt
            select new { c.Id, c.WorkspaceId, c.Amount, c.Currency, a.Email, a.Name, a.Language, Number = o.Number ?? o.ExternalId })
            .ToListAsync(ct);
        if (candidates.Count == 0) return 0;
        var keys = candidates.Select(c => $"email:{EmailKind.CommissionEarned}:{EventKey(c.Id)}").ToList();
        var done = (await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking().Where(m => keys.Contains(m.IdempotencyKey))
            .Select(m => m.IdempotencyKey).ToListAsync(ct)).ToHashSet();
        var sent = 0;
        foreach (var c in candidates.Where(c => !done.Contains($"email:{EmailKind.CommissionEarned}:{EventKey(c.Id)}")).Take(BatchSize))
        {
            var culture = await Mailer.CultureAsync(db, c.WorkspaceId, c.Language, ct);
            var format = CultureInfo.GetCultureInfo(culture == "da" ? "da-DK" : "en-GB");
            var queued = await mailer.EnqueueAsync(db, new MailRequest(c.WorkspaceId, EmailKind.CommissionEarned, c.Email, c.Name, EventKey(c.Id),
                new Dictionary<string, string>
                {
                    ["amount"] = c.Amount.ToString("N2", format) + " " + c.Currency,
                    ["orderNumber"] = c.Number,
                }, c.Language), ct);
            if (!queued) continue; // opted out or unsubscribed: looked at again next pass while in the lookback
            try
            {
                await db.SaveChangesAsync(ct);
                sent++;
            }
            catch (DbUpdateException)
            {
                // Another node enqueued the same commission's mail first: the unique key refused ours.
                db.ChangeTracker.Clear();
            }
        }
        return sent;
    }
}
