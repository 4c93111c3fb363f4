using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Payouts;

public sealed record CreatedBatch(PayoutBatch Batch, IReadOnlyList<PayoutSkip> Skipped);

/// <summary>
/// One currency's money a batch would pay now: <paramref name="Affiliates"/> owed at least the threshold, in all
/// <paramref name="Total"/>; <paramref name="BelowThreshold"/> others with approved money who would wait.
/// </summary>
public sealed record PayoutDue(string Currency, Money Threshold, int Affiliates, Money Total, int BelowThreshold, bool HasOpenBatch);

/// <summary>
/// Payout batches: create (who is owed at least the threshold), export, mark paid. One open batch per currency, so
/// the same money can never be exported twice; marking paid checks the money is still what was exported.
/// </summary>
public sealed class PayoutService(
    AppDbContext db, OrderProcessor orders, Email.Mailer mail, Audit.AuditTrail audit, TimeProvider clock, Observability.AppMetrics metrics)
{
    public async Task<CreatedBatch> CreateAsync(Guid workspaceId, string? currency, CancellationToken ct)
    {
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var workspaceCurrency = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Currency).FirstAsync(ct);
        if (!string.IsNullOrWhiteSpace(currency) && !Currencies.IsKnown(currency))
        {
            // Normalize would throw an ArgumentException for "12" (a 500) and let "ZZZ" through to "nothing to pay" (a 409).
            throw ValidationFailedException.For("currency", $"'{Printable(currency)}' is not an ISO 4217 currency code (such as EUR or USD).");
        }
        var cur = Currencies.Normalize(string.IsNullOrWhiteSpace(currency) ? workspaceCurrency : currency);

        if (await db.PayoutBatches.AnyAsync(b => b.WorkspaceId == workspaceId && b.Currency == cur && b.Status == PayoutBatchStatus.Open, ct))
            throw new ConflictException($"A {cur} batch is still open: mark it paid (or cancel it) before creating another.");

        var entries = await LedgerAsync(workspaceId, cur, affiliateId: null, ct);
        var reference = await NextReferenceAsync(workspaceId, ct);
        var plan = PayoutPlanner.Plan(LedgerBalance.From(entries.Select(e => e.Entry)), await RecipientsAsync(workspaceId, ct),
            new PayoutThresholds(settings.PayoutThreshold), reference);
        if (plan.Lines.Count == 0)
        {
            var why = plan.Skipped.Count == 0 ? $"no affiliate has an approved {cur} balance." : string.Join(" ", plan.Skipped.Take(5).Select(s => s.Reason));
            throw new ConflictException($"Nothing to pay in {cur}: {why}");
        }

        var batch = new PayoutBatch { WorkspaceId = workspaceId, Reference = reference, Currency = cur, Total = plan.Lines.Sum(l => l.Amount.Amount) };
        foreach (var line in plan.Lines)
        {
            var orderIds = entries.Where(e => e.Entry.Affiliate == line.Affiliate && e.Entry.Bucket == LedgerBucket.Approved && e.OrderId is not null)
                .GroupBy(e => e.OrderId!.Value).Where(g => g.Sum(e => e.Entry.Amount.Amount) > 0m).Select(g => g.Key).ToList();
            batch.Items.Add(new PayoutItem
            {
                WorkspaceId = workspaceId, PayoutBatchId = batch.Id, AffiliateId = line.Affiliate.Value, Name = line.Name, Email = line.Email,
                Amount = line.Amount.Amount, Approved = line.Approved.Amount, Carried = line.Carried.Amount, Reference = line.Reference, OrderIds = orderIds,
            });
        }
        db.PayoutBatches.Add(batch);
        audit.Record(Audit.AuditActions.PayoutBatchCreated, nameof(PayoutBatch), batch.Id.ToString(), before: null,
            after: new { batch.Reference, batch.Currency, batch.Total, affiliates = batch.Items.Count }, workspaceId: workspaceId);
        await db.SaveChangesAsync(ct);
        metrics.PayoutRuns.Add(1);
        return new CreatedBatch(batch, plan.Skipped);
    }

    /// <summary>
    /// What a new batch would pay now, per currency with approved money: the same plan <see cref="CreateAsync"/> makes,
    /// saved nowhere. Currencies in code order.
    /// </summary>
    public async Task<IReadOnlyList<PayoutDue>> DueAsync(Guid workspaceId, CancellationToken ct)
    {
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var thresholds = new PayoutThresholds(settings.PayoutThreshold);
        var balances = await PayableBalancesAsync(workspaceId, ct);
        var recipients = await RecipientsAsync(workspaceId, ct);
        var open = await db.PayoutBatches.Where(b => b.WorkspaceId == workspaceId && b.Status == PayoutBatchStatus.Open)
            .Select(b => b.Currency).ToListAsync(ct);
        return balances.Where(b => b.Approved.Amount != 0m || b.Carried.Amount != 0m).GroupBy(b => b.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var plan = PayoutPlanner.Plan(g, recipients, thresholds, "PREVIEW");
                return new PayoutDue(g.Key, new Money(thresholds.For(g.Key), g.Key), plan.Lines.Count,
                    new Money(plan.Lines.Sum(l => l.Amount.Amount), g.Key), plan.Skipped.Count, open.Contains(g.Key));
            }).ToList();
    }

    /// <summary>
    /// Each affiliate's Approved and Carried money per currency from one grouped query: what a batch pays
    /// (<see cref="LedgerBalance.Payable"/>), without reading every ledger row into memory. Pending and Paid stay zero.
    /// </summary>
    private async Task<List<LedgerBalance>> PayableBalancesAsync(Guid workspaceId, CancellationToken ct)
    {
        var sums = await db.Ledger.IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && (l.Bucket == LedgerBucket.Approved || l.Bucket == LedgerBucket.Carried))
            .GroupBy(l => new { l.AffiliateId, l.Currency, l.Bucket })
            .Select(g => new { g.Key.AffiliateId, g.Key.Currency, g.Key.Bucket, Amount = g.Sum(l => l.Amount) })
            .ToListAsync(ct);
        return sums.GroupBy(s => (s.AffiliateId, s.Currency))
            .Select(g =>
            {
                var approved = g.Where(s => s.Bucket == LedgerBucket.Approved).Sum(s => s.Amount);
                var carried = g.Where(s => s.Bucket == LedgerBucket.Carried).Sum(s => s.Amount);
                return LedgerBalance.Empty(new AffiliateId(g.Key.AffiliateId), g.Key.Currency) with
                {
                    Approved = new Money(approved, g.Key.Currency), Carried = new Money(carried, g.Key.Currency),
                };
            })
            .OrderBy(b => b.Affiliate.Value).ThenBy(b => b.Currency, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<Dictionary<AffiliateId, PayoutRecipient>> RecipientsAsync(Guid workspaceId, CancellationToken ct) =>
        (await db.Affiliates.Where(a => a.WorkspaceId == workspaceId).Select(a => new { a.Id, a.Name, a.Email, a.Status }).ToListAsync(ct))
        .ToDictionary(r => new AffiliateId(r.Id), r => new PayoutRecipient(new AffiliateId(r.Id), r.Name, r.Email, r.Status));

    private static string Printable(string value) =>
        new(value.Take(16).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>Moves each line's money to Paid. Safe to run again after a failure part-way: done work is skipped.</summary>
    public async Task<PayoutBatch> MarkPaidAsync(Guid batchId, CancellationToken ct)
    {
        var batch = await db.PayoutBatches.Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == batchId, ct)
            ?? throw new NotFoundException("No payout batch with that id in this program.");
        if (batch.Status == PayoutBatchStatus.Paid) return batch;
        var now = clock.GetUtcNow().UtcDateTime;

        foreach (var item in batch.Items)
        {
            var entries = await LedgerAsync(batch.WorkspaceId, batch.Currency, item.AffiliateId, ct);
            var approvedNow = entries.Where(e => e.Entry.Bucket == LedgerBucket.Approved && e.OrderId is { } o && item.OrderIds.Contains(o)).Sum(e => e.Entry.Amount.Amount);
            var paidByThis = entries.Where(e => e.Entry.Kind == LedgerEntryKind.Paid && e.Entry.Bucket == LedgerBucket.Paid && e.Entry.Reference == batch.Reference && e.OrderId is not null)
                .Sum(e => e.Entry.Amount.Amount);
            if (approvedNow + paidByThis != item.Approved)
            {
                throw new ConflictException(
                    $"{item.Name}'s approved {batch.Currency} commissions changed since batch {batch.Reference} was exported " +
                    $"({item.Approved:0.00} then, {approvedNow + paidByThis:0.00} now). Cancel the batch and create a new one.");
            }
        }

        foreach (var item in batch.Items)
        {
            var affiliate = new AffiliateId(item.AffiliateId);
            foreach (var orderId in item.OrderIds)
            {
                var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.ShopId, o.ExternalId }).FirstAsync(ct);
                await orders.WithRetryAsync(new ShopId(order.ShopId), new ExternalOrderId(order.ExternalId),
                    (_, state) => Task.FromResult<StateChange?>(state.MarkPaid(affiliate, batch.Reference, now)), ct);
            }
            var line = new PayoutLine(affiliate, item.Name, item.Email, new Money(item.Amount, batch.Currency),
                new Money(item.Approved, batch.Currency), new Money(item.Carried, batch.Currency), item.Reference);
            foreach (var entry in PayoutPlanner.SettleCarried(line, batch.Reference, now))
            {
                if (await db.Ledger.AnyAsync(l => l.WorkspaceId == batch.WorkspaceId && l.Key == entry.Key, ct)) continue;
                db.Ledger.Add(ToRecord(batch.WorkspaceId, entry, orderId: null, batch.Id));
            }
            // Saved per line: the order updates above clear the change tracker as they go.
            await db.SaveChangesAsync(ct);
        }

        db.ChangeTracker.Clear();
        var reloaded = await db.PayoutBatches.Include(b => b.Items).FirstAsync(b => b.Id == batchId, ct);
        reloaded.Status = PayoutBatchStatus.Paid;
        reloaded.PaidAt = now;
        audit.Record(Audit.AuditActions.PayoutBatchPaid, reloaded);
        foreach (var item in reloaded.Items)
        {
            // With the Paid status in one SaveChanges; keyed per line, so finishing a half-done run mails nobody twice.
            await mail.EnqueueAsync(db, new Email.MailRequest(reloaded.WorkspaceId, Email.EmailKind.PayoutSent, item.Email, item.Name,
                $"{reloaded.Id}:{item.AffiliateId}", new Dictionary<string, string>
                {
                    ["amount"] = item.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " " + reloaded.Currency,
                    ["reference"] = reloaded.Reference,
                }), ct);
        }
        await db.SaveChangesAsync(ct);
        return reloaded;
    }

    public async Task CancelAsync(Guid batchId, CancellationToken ct)
    {
        var batch = await db.PayoutBatches.FirstOrDefaultAsync(b => b.Id == batchId, ct)
            ?? throw new NotFoundException("No payout batch with that id in this program.");
        if (batch.Status != PayoutBatchStatus.Open)
            throw new ConflictException($"Batch {batch.Reference} is already paid; a paid batch cannot be cancelled.");
        if (await db.Ledger.AnyAsync(l => l.WorkspaceId == batch.WorkspaceId && l.Reference == batch.Reference, ct))
            throw new ConflictException($"Batch {batch.Reference} was partly marked paid; mark it paid to finish.");
        db.PayoutBatches.Remove(batch);
        audit.Record(Audit.AuditActions.PayoutBatchCancelled, nameof(PayoutBatch), batch.Id.ToString(),
            before: new { batch.Reference, batch.Currency, batch.Total, batch.Status }, after: null, workspaceId: batch.WorkspaceId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>An affiliate's balances, one per currency.</summary>
    public async Task<IReadOnlyList<LedgerBalance>> BalancesAsync(Guid workspaceId, Guid affiliateId, CancellationToken ct) =>
        LedgerBalance.From((await LedgerAsync(workspaceId, currency: null, affiliateId, ct)).Select(e => e.Entry));

    private async Task<List<(LedgerEntry Entry, Guid? OrderId)>> LedgerAsync(Guid workspaceId, string? currency, Guid? affiliateId, CancellationToken ct)
    {
        var query = db.Ledger.IgnoreQueryFilters().AsNoTracking().Where(l => l.WorkspaceId == workspaceId);
        if (currency is not null) query = query.Where(l => l.Currency == currency);
        if (affiliateId is { } id) query = query.Where(l => l.AffiliateId == id);
        var rows = await query.OrderBy(l => l.Id).ToListAsync(ct);
        return rows.Select(r => (ToEntry(r), r.OrderId)).ToList();
    }

    private static LedgerEntry ToEntry(LedgerRecord r) =>
        new(r.Key, new AffiliateId(r.AffiliateId), null, r.Tier, r.Kind, r.Bucket, new Money(r.Amount, r.Currency), r.At, r.Description) { Reference = r.Reference };

    private static LedgerRecord ToRecord(Guid workspaceId, LedgerEntry e, Guid? orderId, Guid? batchId) => new()
    {
        WorkspaceId = workspaceId, Key = e.Key, AffiliateId = e.Affiliate.Value, OrderId = orderId, Tier = e.Tier, Kind = e.Kind, Bucket = e.Bucket,
        Amount = e.Amount.Amount, Currency = e.Amount.Currency, At = e.At, Description = e.Description, Reference = e.Reference, PayoutBatchId = batchId,
    };

    private async Task<string> NextReferenceAsync(Guid workspaceId, CancellationToken ct)
    {
        var day = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var prefix = $"PAY-{day}-";
        var taken = await db.PayoutBatches.Where(b => b.WorkspaceId == workspaceId && b.Reference.StartsWith(prefix)).CountAsync(ct);
        return prefix + (taken + 1);
    }
}
