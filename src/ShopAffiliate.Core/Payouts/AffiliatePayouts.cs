using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Payouts;

/// <summary>
/// Where one currency of an affiliate's money stands against the payout threshold: <see cref="Balance"/> is the
/// ledger's (the API's <c>/affiliates/{id}/balance</c>); <see cref="InBatch"/> is the line of a batch that is being
/// paid now (exported, not marked paid yet).
/// </summary>
public sealed record PayoutStanding(LedgerBalance Balance, decimal Threshold, AffiliatePayoutLine? InBatch)
{
    public string Currency => Balance.Currency;

    /// <summary>The payable money reaches the threshold: the next batch in this currency pays it.</summary>
    public bool ReachesThreshold => Balance.Payable.Amount > 0m && Balance.Payable.Amount >= Threshold;

    /// <summary>What the program owes in this currency: pending, approved and carried (everything but what was paid).</summary>
    public decimal Owed => Balance.Pending.Amount + Balance.Payable.Amount;

    /// <summary>What is still missing to reach the threshold (0 once reached).</summary>
    public decimal Missing => Math.Max(0m, Threshold - Balance.Payable.Amount);
}

/// <summary>
/// The affiliate's payout picture: each currency's standing, the program's threshold and hold period, and when the
/// first pending commission leaves its hold period (null: none is waiting for a date).
/// </summary>
public sealed record PayoutOutlook(IReadOnlyList<PayoutStanding> Currencies, decimal Threshold, int HoldDays, DateTime? NextApproval);

/// <summary>The affiliate's own line of a batch (never another affiliate's), with the batch it belongs to.</summary>
public sealed record AffiliatePayoutLine(
    Guid BatchId, string BatchReference, string Currency, PayoutBatchStatus Status, DateTime CreatedAt, DateTime? PaidAt,
    decimal Amount, decimal Approved, decimal Carried, string Reference);

/// <summary>
/// What one payout line paid: per order, the commission moved to Paid under the batch's reference; the clawbacks
/// netted in it are one row without an order (<see cref="OrderId"/> null, a negative amount).
/// </summary>
public sealed record PaidPart(Guid? OrderId, string? OrderNumber, DateTime? OrderPlacedAt, decimal Amount);

/// <summary>
/// The affiliate's side of payouts, for the portal: read-only, scoped to one affiliate of the current program. The
/// balances are <see cref="PayoutService.BalancesAsync"/>'s (what the API answers), the threshold the one
/// <see cref="PayoutService.CreateAsync"/> applies.
/// </summary>
public sealed class AffiliatePayouts(AppDbContext db, PayoutService payouts)
{
    public async Task<PayoutOutlook> OutlookAsync(Guid workspaceId, Guid affiliateId, CancellationToken ct)
    {
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var thresholds = new PayoutThresholds(settings.PayoutThreshold);
        var balances = await payouts.BalancesAsync(workspaceId, affiliateId, ct);
        var open = await Lines(affiliateId, b => b.Status == PayoutBatchStatus.Open).ToListAsync(ct);
        var standings = balances.Select(b => new PayoutStanding(b, thresholds.For(b.Currency), open.FirstOrDefault(l => l.Currency == b.Currency)))
            .ToList();
        var nextApproval = await db.Commissions.AsNoTracking()
            .Where(c => c.AffiliateId == affiliateId && c.Status == CommissionStatus.Pending && !c.HeldForReview && c.EligibleAt != null)
            .MinAsync(c => c.EligibleAt, ct);
        return new PayoutOutlook(standings, settings.PayoutThreshold, settings.HoldDays, nextApproval);
    }

    /// <summary>The affiliate's payout lines, newest batch first.</summary>
    public Task<PagedResult<AffiliatePayoutLine>> HistoryAsync(Guid affiliateId, PageRequest page, CancellationToken ct) =>
        Lines(affiliateId).ToPageAsync(page, ct);

    /// <summary>One batch's line of the affiliate and what it paid; 404 when the affiliate has no line in it.</summary>
    public async Task<(AffiliatePayoutLine Line, IReadOnlyList<PaidPart> Parts)> LineAsync(Guid affiliateId, Guid batchId, CancellationToken ct)
    {
        var line = await Lines(affiliateId, b => b.Id == batchId).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("You have no payout in that batch.");
        List<PaidPart> parts;
        if (line.Status == PayoutBatchStatus.Paid)
        {
            var entries = await db.Ledger.AsNoTracking()
                .Where(e => e.AffiliateId == affiliateId && e.Reference == line.BatchReference && e.Currency == line.Currency && e.Bucket == LedgerBucket.Paid)
                .Select(e => new { e.OrderId, e.Amount }).ToListAsync(ct);
            var orderIds = entries.Where(e => e.OrderId != null).Select(e => e.OrderId!.Value).Distinct().ToList();
            var orders = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id))
                .Select(o => new { o.Id, o.Number, o.PlacedAt }).ToDictionaryAsync(o => o.Id, ct);
            parts = entries.GroupBy(e => e.OrderId)
                .Select(g => g.Key is { } id && orders.TryGetValue(id, out var o)
                    ? new PaidPart(id, o.Number, o.PlacedAt, g.Sum(e => e.Amount))
                    : new PaidPart(g.Key, null, null, g.Sum(e => e.Amount)))
                .OrderBy(p => p.OrderId is null).ThenBy(p => p.OrderPlacedAt).ToList();
        }
        else
        {
            // Not paid yet: the orders the line will pay, with the approved commission each has now.
            var item = await db.PayoutItems.AsNoTracking().FirstAsync(i => i.PayoutBatchId == batchId && i.AffiliateId == affiliateId, ct);
            var ids = item.OrderIds;
            var approved = await db.Ledger.AsNoTracking()
                .Where(e => e.AffiliateId == affiliateId && e.Currency == line.Currency && e.Bucket == LedgerBucket.Approved && e.OrderId != null && ids.Contains(e.OrderId.Value))
                .Select(e => new { OrderId = e.OrderId!.Value, e.Amount }).ToListAsync(ct);
            var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Number, o.PlacedAt }).ToListAsync(ct);
            parts = orders.OrderBy(o => o.PlacedAt)
                .Select(o => new PaidPart(o.Id, o.Number, o.PlacedAt, approved.Where(a => a.OrderId == o.Id).Sum(a => a.Amount))).ToList();
            if (line.Carried != 0m) parts.Add(new PaidPart(null, null, null, line.Carried));
        }
        return (line, parts);
    }

    /// <summary>The affiliate's lines, newest batch first; filtered on the batch before the projection (which SQL cannot see into).</summary>
    private IQueryable<AffiliatePayoutLine> Lines(Guid affiliateId, Expression<Func<PayoutBatch, bool>>? batch = null)
    {
        var batches = db.PayoutBatches.AsNoTracking();
        if (batch is not null) batches = batches.Where(batch);
        return db.PayoutItems.AsNoTracking().Where(i => i.AffiliateId == affiliateId)
            .Join(batches, i => i.PayoutBatchId, b => b.Id, (i, b) => new { i, b })
            .OrderByDescending(x => x.b.CreatedAt).ThenByDescending(x => x.b.Id)
            .Select(x => new AffiliatePayoutLine(
                x.b.Id, x.b.Reference, x.b.Currency, x.b.Status, x.b.CreatedAt, x.b.PaidAt, x.i.Amount, x.i.Approved, x.i.Carried, x.i.Reference));
    }
}
