using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Paging;

namespace ShopAffiliate.Core.Commissions;

/// <summary>What the review queue filters by; all optional. <see cref="Held"/> true = only those held for review.</summary>
public sealed record CommissionFilter(
    CommissionStatus? Status = null, bool? Held = null, Guid? AffiliateId = null, DateTime? FromUtc = null, DateTime? ToUtc = null, string? Reason = null);

/// <summary>
/// A commission as the queue lists it: with its order, its affiliate and why it was credited. The explanations are the
/// stored English texts; the <c>...Json</c> ones are their parts, for the reader's language (ADR 0051), null on old rows.
/// </summary>
public sealed record CommissionRow(
    Guid Id, Guid OrderId, string? OrderNumber, DateTime? PlacedAt, decimal OrderRevenue, Guid AffiliateId, string AffiliateName, int Tier,
    CommissionStatus Status, decimal Amount, string Currency, string? StatusReason, bool HeldForReview, string Explanation,
    AttributionMethod Method, string AttributionExplanation, DateTime CreatedAt,
    string? ExplanationJson = null, string? AttributionExplanationJson = null);

/// <summary>
/// The commissions review queue and staff decisions on commissions. The admin page and the API both decide through
/// <see cref="DecideAsync"/>, so every decision goes through the engine (a reversal is a new ledger entry) and is audited.
/// </summary>
public sealed class CommissionReview(AppDbContext db, OrderProcessor orders, AuditTrail audit)
{
    public const int MaxReason = 2000;

    public IQueryable<CommissionRow> Query(CommissionFilter filter) => WithOrders(Filtered(filter));

    /// <summary>The filtered commissions alone: what the page counts, so the count never joins orders and affiliates.</summary>
    private IQueryable<Commission> Filtered(CommissionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var commissions = db.Commissions.AsNoTracking();
        if (filter.Status is { } status) commissions = commissions.Where(c => c.Status == status);
        if (filter.Held is { } held) commissions = commissions.Where(c => c.HeldForReview == held);
        if (filter.AffiliateId is { } affiliate) commissions = commissions.Where(c => c.AffiliateId == affiliate);
        if (filter.FromUtc is { } from) commissions = commissions.Where(c => c.CreatedAt >= from);
        if (filter.ToUtc is { } to) commissions = commissions.Where(c => c.CreatedAt < to);
        if (!string.IsNullOrWhiteSpace(filter.Reason))
        {
            var reason = filter.Reason.Trim().ToLowerInvariant();
            commissions = commissions.Where(c => c.StatusReason != null && c.StatusReason.ToLower().Contains(reason));
        }
        return commissions;
    }

    /// <summary>Newest first, each with its order and affiliate (both required: every commission has them in its own program).</summary>
    private IQueryable<CommissionRow> WithOrders(IQueryable<Commission> commissions) =>
               from c in commissions
               join o in db.Orders on c.OrderId equals o.Id
               join a in db.Affiliates on c.AffiliateId equals a.Id
               orderby c.CreatedAt descending, c.Id descending
               select new CommissionRow(c.Id, c.OrderId, o.Number, o.PlacedAt, o.NetRevenue, c.AffiliateId, a.Name, c.Tier, c.Status, c.Amount,
                   c.Currency, c.StatusReason, c.HeldForReview, c.Explanation, o.AttributionMethod, o.AttributionExplanation, c.CreatedAt,
                   c.ExplanationJson, o.AttributionExplanationJson);

    /// <summary>
    /// One page, newest first: the count over the commissions alone (an index range, no joins), then the page's 25 rows
    /// read along the (program, ..., created, id) index and joined to their orders and affiliates.
    /// </summary>
    public async Task<PagedResult<CommissionRow>> PageAsync(CommissionFilter filter, PageRequest page, CancellationToken ct)
    {
        var commissions = Filtered(filter);
        var total = await commissions.CountAsync(ct);
        var last = Math.Max(1, (total + page.PageSize - 1) / page.PageSize);
        var number = Math.Min(page.Page, last);
        var ids = commissions.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((number - 1) * page.PageSize).Take(page.PageSize).Select(c => c.Id);
        var items = await WithOrders(db.Commissions.AsNoTracking().Where(c => ids.Contains(c.Id))).ToListAsync(ct);
        return new PagedResult<CommissionRow>(items, number, page.PageSize, total);
    }

    /// <summary>
    /// Approves (skipping the rest of the hold, lifting a self-referral hold) or rejects each commission with the reason
    /// the affiliate sees. Returns how many changed; one that is not this program's is a <see cref="NotFoundException"/>.
    /// </summary>
    public async Task<int> DecideAsync(IReadOnlyCollection<Guid> ids, DecisionKind kind, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReason)
            throw ValidationFailedException.For("reason", $"Give a reason (up to {MaxReason} characters): the affiliate sees it.");
        var before = await db.Commissions.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkspaceId, c.Status, c.HeldForReview, c.StatusReason, c.Amount }).ToListAsync(ct);
        if (before.Count != ids.Distinct().Count()) throw new NotFoundException("No commission with that id in this program.");
        var changed = 0;
        foreach (var c in before)
        {
            var entry = audit.Record(kind == DecisionKind.Approve ? AuditActions.CommissionApproved : AuditActions.CommissionRejected,
                nameof(Commission), c.Id.ToString(), new { status = c.Status.ToString(), heldForReview = c.HeldForReview, statusReason = c.StatusReason },
                new { status = kind == DecisionKind.Approve ? "Approved" : "Rejected", heldForReview = false }, reason, c.WorkspaceId);
            // Saved with the engine's change of that order; a decision that changes nothing leaves no entry.
            if (await orders.DecideAsync(c.Id, kind, reason, ct) == ApplyOutcome.Applied) changed++;
            else audit.Withdraw(entry);
        }
        return changed;
    }
}
