using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Orders;

public enum ApplyOutcome
{
    /// <summary>The event changed the order's state (and possibly its commissions).</summary>
    Applied,

    /// <summary>A duplicate, or an older version than the one held: nothing changed.</summary>
    Unchanged,
}

/// <summary>
/// Feeds platform-neutral events to the engine and stores the result: the order's state, its commissions and the
/// ledger entries, in one transaction. Order and refund events go in batches (<see cref="ApplyBatchAsync"/>); staff
/// decisions and approvals one order at a time. Safe to call again with the same event (nothing changes) and from
/// several workers at once (a batch locks its orders; optimistic concurrency on the order row catches the rest, and
/// the loser retries with fresh state).
/// </summary>
public sealed partial class OrderProcessor(AppDbContext db, TimeProvider clock, ILogger<OrderProcessor> logger)
{
    private const int MaxAttempts = 5;

    public Task<ApplyOutcome> ApplyOrderAsync(OrderEvent order, CancellationToken ct) => ApplyOneAsync(new BatchEvent(0, order, null), ct);

    public Task<ApplyOutcome> ApplyRefundAsync(RefundEvent refund, CancellationToken ct) => ApplyOneAsync(new BatchEvent(0, null, refund), ct);

    /// <summary>A batch of one: the same path as the inbox's batches, so there is one way an order event is applied.</summary>
    private async Task<ApplyOutcome> ApplyOneAsync(BatchEvent e, CancellationToken ct)
    {
        var result = await ApplyBatchAsync([e], null, ct);
        if (result.Failed.TryGetValue(e.Tag, out var error)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result.Changed.Contains(e.Tag) ? ApplyOutcome.Applied : ApplyOutcome.Unchanged;
    }

    /// <summary>
    /// The refunds the engine holds for this order by id (none for an order it never saw), each with whether it was
    /// estimated from the order's totals (<see cref="RefundEvent.FromTotals"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, bool>> HeldRefundsAsync(ShopId shop, ExternalOrderId id, CancellationToken ct)
    {
        var json = await db.Orders.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.ShopId == shop.Value && o.ExternalId == id.Value).Select(o => o.StateJson).FirstOrDefaultAsync(ct);
        return json is null
            ? new Dictionary<string, bool>()
            : OrderStateJson.Deserialize(json).Refunds.ToDictionary(r => r.RefundId, r => r.FromTotals, StringComparer.Ordinal);
    }

    /// <summary>
    /// The platform deleted the order and sent only its id (WooCommerce <c>order.deleted</c>): the version we hold,
    /// cancelled and one second newer, so a later restore (with the store's newer modification time) still wins.
    /// Nothing happens for an order we never saw.
    /// </summary>
    public Task<ApplyOutcome> CancelDeletedAsync(ShopId shop, ExternalOrderId id, CancellationToken ct) =>
        WithRetryAsync(shop, id, (_, state) => Task.FromResult(
            state is { Order: { State: not OrderState.Cancelled } held, Attribution: { } attribution, Quote: { } quote }
                ? state.ApplyOrder(held with { State = OrderState.Cancelled, UpdatedAt = held.UpdatedAt.AddSeconds(1) }, attribution, quote)
                : null), ct);

    /// <summary>A staff decision on one commission (approve skips the hold; reject reverses), with the reason shown to the affiliate.</summary>
    public async Task<ApplyOutcome> DecideAsync(Guid commissionId, DecisionKind kind, string reason, CancellationToken ct)
    {
        var commission = await db.Commissions.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commissionId, ct)
            ?? throw new NotFoundException("No commission with that id in this program.");
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == commission.OrderId, ct);
        var decision = new CommissionDecision(new CommissionKey(new AffiliateId(commission.AffiliateId), commission.Tier), kind, reason, Now);
        return await WithRetryAsync(new ShopId(order.ShopId), new ExternalOrderId(order.ExternalId),
            (_, state) => Task.FromResult<StateChange?>(state.Decide(decision)), ct);
    }

    /// <summary>Approves every commission whose hold period is over. Returns how many orders changed.</summary>
    public async Task<int> ApproveDueAsync(CancellationToken ct)
    {
        var now = Now;
        var due = await db.Commissions.IgnoreQueryFilters()
            .Where(c => c.Status == CommissionStatus.Pending && !c.HeldForReview && c.EligibleAt != null && c.EligibleAt <= now)
            .Join(db.Orders.IgnoreQueryFilters(), c => c.OrderId, o => o.Id, (c, o) => new { o.ShopId, o.ExternalId, o.WorkspaceId })
            .Distinct().Take(500).ToListAsync(ct);
        var changed = 0;
        foreach (var order in due)
        {
            var settings = await SettingsStore.GetAsync(db, order.WorkspaceId, ct);
            var outcome = await WithRetryAsync(new ShopId(order.ShopId), new ExternalOrderId(order.ExternalId),
                (_, state) => Task.FromResult<StateChange?>(state.Approve(now, settings.HoldDays)), ct);
            if (outcome == ApplyOutcome.Applied) changed++;
        }
        return changed;
    }

    /// <summary>Applies <paramref name="change"/> to one order (load, decide, save), retrying on a concurrent write.</summary>
    internal async Task<ApplyOutcome> WithRetryAsync(
        ShopId shopId, ExternalOrderId externalId, Func<OrderContext, OrderCommissionState, Task<StateChange?>> change, CancellationToken ct)
    {
        var workspaceId = await db.Shops.IgnoreQueryFilters().Where(s => s.Id == shopId.Value).Select(s => (Guid?)s.WorkspaceId).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Shop {shopId.Value} is not connected.");
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var row = await db.Orders.IgnoreQueryFilters().FirstOrDefaultAsync(o => o.ShopId == shopId.Value && o.ExternalId == externalId.Value, ct);
            var state = row is null ? OrderCommissionState.Empty(new OrderKey(shopId, externalId)) : OrderStateJson.Deserialize(row.StateJson);
            var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
            var result = await change(new OrderContext(workspaceId, settings), state);
            if (result is not { Changed: true }) return ApplyOutcome.Unchanged;

            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                row ??= NewRow(workspaceId, shopId, externalId);
                var existing = await db.Commissions.IgnoreQueryFilters().Where(c => c.OrderId == row.Id).ToListAsync(ct);
                Project(row, result.State, result.Entries, settings, existing);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return ApplyOutcome.Applied;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e)))
            {
                LogConflict(externalId.Value, attempt);
            }
        }
    }

    private Orders.Order NewRow(Guid workspaceId, ShopId shopId, ExternalOrderId externalId, NewRows? sink = null)
    {
        var row = new Order { WorkspaceId = workspaceId, ShopId = shopId.Value, ExternalId = externalId.Value, StateJson = "", ReceivedAt = Now };
        if (sink is null) db.Orders.Add(row);
        else sink.Orders.Add(row);
        return row;
    }

    /// <summary>
    /// A batch's new rows, written by <see cref="BatchInsert"/> (multi-row INSERTs) instead of EF's change tracking:
    /// orders first, then the commissions and ledger entries that reference them.
    /// </summary>
    private sealed class NewRows
    {
        public List<Order> Orders { get; } = [];
        public List<Commission> Commissions { get; } = [];
        public List<LedgerRecord> Ledger { get; } = [];

        public async Task WriteAsync(AppDbContext db, CancellationToken ct)
        {
            await BatchInsert.InsertAsync(db, Orders, ct);
            await BatchInsert.InsertAsync(db, Commissions, ct);
            await BatchInsert.InsertAsync(db, Ledger, ct);
        }
    }

    /// <summary>
    /// Writes the new state onto the order row and projects commissions (<paramref name="existing"/>: the row's
    /// projected ones) and ledger entries from it.
    /// </summary>
    private void Project(
        Order row, OrderCommissionState state, IEnumerable<LedgerEntry> entries, WorkspaceSettings settings, List<Commission> existing, NewRows? sink = null)
    {
        row.StateJson = OrderStateJson.Serialize(state);
        row.Revision++;
        row.UpdatedAt = Now;
        if (state.Order is { } order)
        {
            row.HasOrder = true;
            row.Number = order.OrderNumber;
            row.PlacedAt = order.CreatedAt;
            row.PlatformUpdatedAt = order.UpdatedAt;
            row.Currency = Currencies.Normalize(order.Currency);
            row.State = order.State;
            row.IsTest = order.IsTest;
            row.NetRevenue = order.NetRevenue;
            row.CustomerEmail = string.IsNullOrWhiteSpace(order.CustomerEmail) ? null : order.CustomerEmail.Trim().ToLowerInvariant();
        }
        row.RefundedAmount = RefundedAmount(state);
        row.RefundsFromTotals = state.Refunds.Exists(r => r.FromTotals);
        if (state.Attribution is { } attribution)
        {
            row.AffiliateId = attribution.AffiliateId?.Value;
            row.AttributionMethod = attribution.Method;
            row.AttributionExplanation = Truncate(attribution.Explanation, 2000);
            row.AttributionExplanationJson = attribution.Parts is { } parts ? ExplanationJson.Serialize(parts) : null;
            row.CouponCode = attribution.Method == AttributionMethod.Coupon ? attribution.CouponCode : null;
            var click = attribution.Method == AttributionMethod.Link ? attribution.Click : null;
            row.ClickId = click?.ClickId;
            row.LinkId = click?.LinkId;
            row.SubId = click?.SubId;
            row.CreativeId = click?.CreativeId;
        }

        foreach (var c in state.Commissions)
        {
            var projected = existing.FirstOrDefault(e => e.AffiliateId == c.Key.Affiliate.Value && e.Tier == c.Key.Tier);
            if (projected is null)
            {
                projected = new Commission { WorkspaceId = row.WorkspaceId, OrderId = row.Id, AffiliateId = c.Key.Affiliate.Value, Tier = c.Key.Tier, Currency = c.Currency, CreatedAt = Now };
                if (sink is null) db.Commissions.Add(projected);
                else sink.Commissions.Add(projected);
                existing.Add(projected);
            }
            projected.Status = c.Status;
            projected.Amount = c.Target;
            projected.Currency = c.Currency;
            projected.StatusReason = c.StatusReason;
            projected.HeldForReview = c.HeldForReview;
            projected.ApprovedAt = c.ApprovedAt;
            projected.PaidAt = c.PaidAt;
            projected.EligibleAt = c.Status == CommissionStatus.Pending && state.Order is { State: OrderState.Paid } paid
                ? paid.CreatedAt.AddDays(settings.HoldDays)
                : null;
            var explanation = Explain(state, c);
            projected.Explanation = Truncate(ExplanationEnglish.Render(explanation), 4000);
            projected.ExplanationJson = ExplanationJson.Serialize(explanation);
            projected.UpdatedAt = Now;
        }

        foreach (var entry in entries)
        {
            var record = new LedgerRecord
            {
                WorkspaceId = row.WorkspaceId,
                Key = entry.Key,
                AffiliateId = entry.Affiliate.Value,
                OrderId = row.Id,
                Tier = entry.Tier,
                Kind = entry.Kind,
                Bucket = entry.Bucket,
                Amount = entry.Amount.Amount,
                Currency = entry.Amount.Currency,
                At = entry.At,
                Description = Truncate(entry.Description, 1000),
                Reference = entry.Reference is null ? null : Truncate(entry.Reference, 200),
            };
            if (sink is null) db.Ledger.Add(record);
            else sink.Ledger.Add(record);
        }
    }

    /// <summary>What the order's refunds took back, as the <see cref="Order.RefundedAmount"/> column holds it.</summary>
    private static decimal RefundedAmount(OrderCommissionState state) =>
        state.Refunds.Sum(r => r.Lines.Sum(l => l.NetAmount(state.Order?.TaxesIncluded == true)) + Math.Abs(r.OtherAmount));

    /// <summary>The commission's tier, why the order is credited, how much it earns and the reason for its status.</summary>
    private static List<ExplanationPart> Explain(OrderCommissionState state, CommissionState c)
    {
        var parts = new List<ExplanationPart>();
        if (c.Key.Tier == 2)
            parts.Add(ExplanationPart.Of("commission.secondTier"));
        parts.AddRange(state.Attribution?.PartsOrText ?? []);
        parts.AddRange(state.Quote?.PartsOrText ?? []);
        if (c.StatusReason is { Length: > 0 } reason)
            parts.Add(ExplanationPart.Of("commission.status", ExplanationTexts.StatusReason(reason)));
        return parts;
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    internal sealed record OrderContext(Guid WorkspaceId, WorkspaceSettings Settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {ExternalId} changed concurrently (attempt {Attempt}); retrying with fresh state")]
    private partial void LogConflict(string externalId, int attempt);
}
