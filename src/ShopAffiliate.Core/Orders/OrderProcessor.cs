using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using AffiliateStatus = ShopAffiliate.Core.Affiliates.AffiliateStatus;

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
/// ledger entries, in one transaction. Safe to call again with the same event (nothing changes) and from several
/// workers at once (optimistic concurrency on the order row; the loser retries with fresh state).
/// </summary>
public sealed partial class OrderProcessor(AppDbContext db, TimeProvider clock, ILogger<OrderProcessor> logger)
{
    private const int MaxAttempts = 5;

    public Task<ApplyOutcome> ApplyOrderAsync(OrderEvent order, CancellationToken ct) =>
        WithRetryAsync(order.ShopId, order.ExternalOrderId, async (ctx, state) =>
        {
            if (!state.IsNewer(order)) return null;
            var attribution = state.Attribution is { AffiliateId: not null } sticky
                ? sticky
                : AttributionEngine.Attribute(order, await InputsAsync(ctx, order, ct));
            var quote = await QuoteAsync(ctx, order, attribution, ct);
            var change = state.ApplyOrder(order, attribution, quote);
            await LinkLifetimeCustomersAsync(ctx, attribution, ct);
            return change;
        }, ct);

    public Task<ApplyOutcome> ApplyRefundAsync(RefundEvent refund, CancellationToken ct) =>
        WithRetryAsync(refund.ShopId, refund.ExternalOrderId, (_, state) => Task.FromResult<StateChange?>(state.ApplyRefund(refund)), ct);

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
    public async Task DecideAsync(Guid commissionId, DecisionKind kind, string reason, CancellationToken ct)
    {
        var commission = await db.Commissions.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commissionId, ct)
            ?? throw new NotFoundException("No commission with that id in this program.");
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == commission.OrderId, ct);
        var decision = new CommissionDecision(new CommissionKey(new AffiliateId(commission.AffiliateId), commission.Tier), kind, reason, Now);
        await WithRetryAsync(new ShopId(order.ShopId), new ExternalOrderId(order.ExternalId),
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
                await ProjectAsync(row, result, settings, ct);
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

    private Orders.Order NewRow(Guid workspaceId, ShopId shopId, ExternalOrderId externalId)
    {
        var row = new Order { WorkspaceId = workspaceId, ShopId = shopId.Value, ExternalId = externalId.Value, StateJson = "", ReceivedAt = Now };
        db.Orders.Add(row);
        return row;
    }

    /// <summary>Writes the new state onto the order row and projects commissions and ledger entries from it.</summary>
    private async Task ProjectAsync(Order row, StateChange change, WorkspaceSettings settings, CancellationToken ct)
    {
        var state = change.State;
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
        row.RefundedAmount = state.Refunds.Sum(r => r.Lines.Sum(l => l.NetAmount(state.Order?.TaxesIncluded == true)) + Math.Abs(r.OtherAmount));
        row.RefundsFromTotals = state.Refunds.Exists(r => r.FromTotals);
        if (state.Attribution is { } attribution)
        {
            row.AffiliateId = attribution.AffiliateId?.Value;
            row.AttributionMethod = attribution.Method;
            row.AttributionExplanation = Truncate(attribution.Explanation, 2000);
        }

        var existing = await db.Commissions.IgnoreQueryFilters().Where(c => c.OrderId == row.Id).ToListAsync(ct);
        foreach (var c in state.Commissions)
        {
            var projected = existing.FirstOrDefault(e => e.AffiliateId == c.Key.Affiliate.Value && e.Tier == c.Key.Tier);
            if (projected is null)
            {
                projected = new Commission { WorkspaceId = row.WorkspaceId, OrderId = row.Id, AffiliateId = c.Key.Affiliate.Value, Tier = c.Key.Tier, Currency = c.Currency, CreatedAt = Now };
                db.Commissions.Add(projected);
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
            projected.Explanation = Truncate(Explain(state, c), 4000);
            projected.UpdatedAt = Now;
        }

        foreach (var entry in change.Entries)
        {
            db.Ledger.Add(new LedgerRecord
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
            });
        }
    }

    private static string Explain(OrderCommissionState state, CommissionState c)
    {
        var why = state.Attribution?.Explanation ?? "";
        var how = state.Quote?.Explanation ?? "";
        var tier = c.Key.Tier == 2 ? "Second tier: you recruited the affiliate who referred this order. " : "";
        var status = c.StatusReason is { Length: > 0 } reason ? $" ({reason})" : "";
        return $"{tier}{why} {how}{status}".Trim();
    }

    private async Task<AttributionInputs> InputsAsync(OrderContext ctx, OrderEvent order, CancellationToken ct)
    {
        var ws = ctx.WorkspaceId;
        var codes = order.DiscountCodes.Select(Coupons.Coupon.Normalize).Where(c => c.Length > 0).Distinct().ToList();
        var coupons = await db.Coupons.IgnoreQueryFilters()
            .Where(c => c.WorkspaceId == ws && !c.IsArchived && codes.Contains(c.NormalizedCode))
            .Select(c => new { c.NormalizedCode, c.AffiliateId }).ToListAsync(ct);

        var refCodes = order.Touches.Select(t => t.ReferralCode.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct().ToList();
        var referrals = await db.Affiliates.IgnoreQueryFilters()
            .Where(a => a.WorkspaceId == ws && refCodes.Contains(a.ReferralCode))
            .Select(a => new { a.ReferralCode, a.Id }).ToListAsync(ct);

        var clickIds = order.Touches.Where(t => t.ClickId is not null).Select(t => t.ClickId!.Value).Distinct().ToList();
        var clicks = await db.Clicks.IgnoreQueryFilters()
            .Where(c => c.WorkspaceId == ws && clickIds.Contains(c.Id))
            .Select(c => new { c.Id, c.AffiliateId, c.At }).ToListAsync(ct);

        var customerKeys = CustomerKeys(order);
        var keyTexts = customerKeys.Select(k => k.ToString()).ToList();
        var lifetime = ctx.Settings.LifetimeCommissions
            ? await db.LifetimeCustomers.IgnoreQueryFilters().Where(l => l.WorkspaceId == ws && keyTexts.Contains(l.CustomerKey))
                .Select(l => new { l.CustomerKey, l.AffiliateId }).ToListAsync(ct)
            : [];

        var candidates = coupons.Select(c => c.AffiliateId).Concat(referrals.Select(r => r.Id))
            .Concat(clicks.Select(c => c.AffiliateId)).Concat(lifetime.Select(l => l.AffiliateId)).Distinct().ToList();
        var facts = await db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == ws && candidates.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Status, a.Email, a.ParentAffiliateId }).ToListAsync(ct);
        var parentIds = facts.Where(f => f.ParentAffiliateId is not null).Select(f => f.ParentAffiliateId!.Value).Except(candidates).ToList();
        facts.AddRange(await db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == ws && parentIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Status, a.Email, a.ParentAffiliateId }).ToListAsync(ct));

        return new AttributionInputs
        {
            Settings = ctx.Settings.ToEngineSettings(),
            Coupons = coupons.ToDictionary(c => c.NormalizedCode, c => new AffiliateId(c.AffiliateId)),
            ReferralCodes = referrals.ToDictionary(r => r.ReferralCode, r => new AffiliateId(r.Id)),
            Clicks = clicks.ToDictionary(c => c.Id, c => new ClickFact(new AffiliateId(c.AffiliateId), c.At)),
            LifetimeCustomers = lifetime.ToDictionary(l => customerKeys.First(k => k.ToString() == l.CustomerKey), l => new AffiliateId(l.AffiliateId)),
            Affiliates = facts.ToDictionary(f => new AffiliateId(f.Id), f => new AffiliateFacts(new AffiliateId(f.Id), f.Name, f.Status, f.Email)
            {
                OwnCustomers = [CustomerKey.ForEmail(f.Email)],
                ParentId = f.ParentAffiliateId is { } p ? new AffiliateId(p) : null,
            }),
        };
    }

    private async Task<CommissionQuote> QuoteAsync(OrderContext ctx, OrderEvent order, AttributionResult attribution, CancellationToken ct)
    {
        if (attribution.AffiliateId is not { } affiliateId) return CommissionQuote.Empty(order.Currency, "No affiliate, so no commission.");
        var affiliate = await db.Affiliates.IgnoreQueryFilters().Where(a => a.Id == affiliateId.Value)
            .Select(a => new { a.GroupId, a.Status }).FirstAsync(ct);
        var (plan, period) = await CommissionPlans.ForAffiliateAsync(db, ctx.WorkspaceId, affiliate.GroupId, ctx.Settings, ct);

        var salesBefore = 0m;
        if (plan.Rules.Any(r => r.Tiers.Count > 0))
        {
            var from = CommissionPlans.PeriodStart(period, order.CreatedAt);
            var currency = Currencies.Normalize(order.Currency);
            var orderId = order.ExternalOrderId.Value;
            // Summed in memory: SQLite cannot SUM decimals in SQL, and one affiliate's orders in a period are few.
            var amounts = await db.Orders.IgnoreQueryFilters()
                .Where(o => o.WorkspaceId == ctx.WorkspaceId && o.AffiliateId == affiliateId.Value && o.HasOrder && !o.IsTest
                    && o.State != OrderState.Cancelled && o.Currency == currency
                    && o.PlacedAt >= from && o.PlacedAt < order.CreatedAt && o.ExternalId != orderId)
                .Select(o => new { o.NetRevenue, o.RefundedAmount }).ToListAsync(ct);
            salesBefore = amounts.Sum(a => Math.Max(0m, a.NetRevenue - a.RefundedAmount));
        }
        return CommissionCalculator.Calculate(order, plan, salesBefore);
    }

    private async Task LinkLifetimeCustomersAsync(OrderContext ctx, AttributionResult attribution, CancellationToken ct)
    {
        if (!ctx.Settings.LifetimeCommissions || attribution.AffiliateId is not { } affiliate) return;
        foreach (var key in attribution.NewLifetimeLinks.Select(k => k.ToString()))
        {
            if (await db.LifetimeCustomers.IgnoreQueryFilters().AnyAsync(l => l.WorkspaceId == ctx.WorkspaceId && l.CustomerKey == key, ct)) continue;
            db.LifetimeCustomers.Add(new LifetimeCustomer { WorkspaceId = ctx.WorkspaceId, CustomerKey = key, AffiliateId = affiliate.Value, CreatedAt = Now });
        }
    }

    private static List<CustomerKey> CustomerKeys(OrderEvent order)
    {
        var keys = new List<CustomerKey>();
        if (!string.IsNullOrWhiteSpace(order.CustomerId)) keys.Add(CustomerKey.ForCustomer(order.ShopId, order.CustomerId));
        if (!string.IsNullOrWhiteSpace(order.CustomerEmail)) keys.Add(CustomerKey.ForEmail(order.CustomerEmail));
        return keys;
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    internal sealed record OrderContext(Guid WorkspaceId, WorkspaceSettings Settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {ExternalId} changed concurrently (attempt {Attempt}); retrying with fresh state")]
    private partial void LogConflict(string externalId, int attempt);
}
