using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Communication;

/// <summary>The commission-earned sender's settings (<c>Mail:CommissionEarnedSettleSeconds</c>).</summary>
public sealed class CommissionEarnedMailOptions
{
    /// <summary>
    /// How old a commission must be before a pass reads it: the engine stamps <c>CreatedAt</c> before its batch
    /// commits, so a row younger than this may still be invisible while a later one is not; the mark only moves past
    /// rows old enough that no earlier one can still appear.
    /// </summary>
    public double SettleSeconds { get; set; } = 30;
}

/// <summary>One pass: how many commissions it read (any kind, the mark moved past them) and how many mails it enqueued.</summary>
public readonly record struct CommissionMailPass(int Read, int Enqueued);

/// <summary>
/// Mails "you earned a commission" for new commissions, read from the Commissions table after the engine wrote them
/// (the engine's write path is not touched). Each pass reads forward from a durable mark (<see cref="MailSenderMark"/>,
/// the last (CreatedAt, Id) read, over the index on those two columns), at most <see cref="BatchSize"/> rows a batch,
/// and moves the mark past them: a row is read once, not every pass. Two nodes may read the same rows at once; the
/// outbox's unique key per commission (<c>email:CommissionEarned:{id}</c>) is what makes each mail once (one insert wins,
/// the other's save is refused and dropped), and the mark only moves forward. Preferences and unsubscribes are the
/// <see cref="Mailer"/>'s check, as for every sender.
/// </summary>
public sealed class CommissionEarnedMails(AppDbContext db, Mailer mailer, TimeProvider clock, IOptions<CommissionEarnedMailOptions> options)
{
    /// <summary>How far back a pass looks: a commission older than this when first seen (a long outage) is not mailed late.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(2);

    public const int BatchSize = 500;

    /// <summary>Batches one <see cref="RunAsync"/> reads at most before it yields to the next tick.</summary>
    public const int MaxBatchesPerPass = 20;

    public const string MarkName = "commission-earned";

    public static string EventKey(Guid commissionId) => commissionId.ToString("N");

    /// <summary>Batches until one is not full (at most <see cref="MaxBatchesPerPass"/>); the number of mails enqueued.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var enqueued = 0;
        for (var i = 0; i < MaxBatchesPerPass; i++)
        {
            var pass = await RunBatchAsync(ct);
            enqueued += pass.Enqueued;
            if (pass.Read < BatchSize) break;
        }
        return enqueued;
    }

    /// <summary>One batch: the next rows after the mark, mailed, and the mark moved past them.</summary>
    public async Task<CommissionMailPass> RunBatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - Lookback;
        var until = now - TimeSpan.FromSeconds(Math.Max(0, options.Value.SettleSeconds));
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"MailSenderMarks\" (\"Sender\", \"At\", \"LastId\", \"UpdatedAt\") VALUES ({0}, {1}, {2}, {3}) ON CONFLICT (\"Sender\") DO NOTHING",
            [MarkName, since, Guid.Empty, now], ct);
        var mark = await db.MailSenderMarks.AsNoTracking().SingleAsync(m => m.Sender == MarkName, ct);
        // After a long outage the mark is older than the lookback: start at the lookback, so old commissions stay unmailed.
        var (fromAt, fromId) = mark.At < since ? (since, Guid.Empty) : (mark.At, mark.LastId);
        var rows = await db.Database.SqlQueryRaw<CommissionKey>(
                """
                SELECT "Id", "CreatedAt" FROM "Commissions"
                WHERE ("CreatedAt", "Id") > ({0}, {1}) AND "CreatedAt" <= {2}
                ORDER BY "CreatedAt", "Id" LIMIT {3}
                """,
                fromAt, fromId, until, BatchSize)
            .ToListAsync(ct);
        if (rows.Count == 0) return new(0, 0);

        var ids = rows.Select(r => r.Id).ToList();
        var candidates = await (
            from c in db.Commissions.IgnoreQueryFilters().AsNoTracking()
            join a in db.Affiliates.IgnoreQueryFilters().AsNoTracking() on c.AffiliateId equals a.Id
            join o in db.Orders.IgnoreQueryFilters().AsNoTracking() on c.OrderId equals o.Id
            where ids.Contains(c.Id) && c.Amount > 0 && a.ErasedAt == null && !o.IsTest
                  && c.Status != CommissionStatus.Rejected && c.Status != CommissionStatus.Reversed
            select new { c.Id, c.CreatedAt, c.WorkspaceId, c.Amount, c.Currency, a.Email, a.Name, a.Language, Number = o.Number ?? o.ExternalId })
            .ToListAsync(ct);
        var keys = candidates.Select(c => $"email:{EmailKind.CommissionEarned}:{EventKey(c.Id)}").ToList();
        var done = keys.Count == 0 ? [] : (await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking().Where(m => keys.Contains(m.IdempotencyKey))
            .Select(m => m.IdempotencyKey).ToListAsync(ct)).ToHashSet();
        var sent = 0;
        foreach (var c in candidates.Where(c => !done.Contains($"email:{EmailKind.CommissionEarned}:{EventKey(c.Id)}")).OrderBy(c => c.CreatedAt))
        {
            var culture = await Mailer.CultureAsync(db, c.WorkspaceId, c.Language, ct);
            var format = CultureInfo.GetCultureInfo(culture == "da" ? "da-DK" : "en-GB");
            var queued = await mailer.EnqueueAsync(db, new MailRequest(c.WorkspaceId, EmailKind.CommissionEarned, c.Email, c.Name, EventKey(c.Id),
                new Dictionary<string, string>
                {
                    ["amount"] = c.Amount.ToString("N2", format) + " " + c.Currency,
                    ["orderNumber"] = c.Number,
                }, c.Language), ct);
            if (!queued) continue; // opted out or unsubscribed when it was new: not mailed later
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

        // Forward only: a node that read less than another cannot move the mark back.
        var last = rows[^1];
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE \"MailSenderMarks\" SET \"At\" = {0}, \"LastId\" = {1}, \"UpdatedAt\" = {2} WHERE \"Sender\" = {3} AND (\"At\", \"LastId\") < ({0}, {1})",
            [last.CreatedAt, last.Id, now, MarkName], ct);
        return new(rows.Count, sent);
    }

    private sealed class CommissionKey
    {
        public Guid Id { get; init; }
        public DateTime CreatedAt { get; init; }
    }
}
