using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using AffiliateStatus = ShopAffiliate.Core.Affiliates.AffiliateStatus;

namespace ShopAffiliate.Core.Orders;

/// <summary>An order version or a refund for the batched engine; <see cref="Tag"/> names its source (an inbox message id).</summary>
public sealed record BatchEvent(long Tag, OrderEvent? Order, RefundEvent? Refund)
{
    public OrderKey Key => Order?.Key ?? Refund?.Key ?? throw new InvalidOperationException("A batch event needs an order or a refund.");
}

/// <summary>The tags whose event changed state, and those whose event failed (the rest of the batch is stored without them).</summary>
public sealed record BatchResult(IReadOnlySet<long> Changed, IReadOnlyDictionary<long, Exception> Failed);

public sealed partial class OrderProcessor
{
    /// <summary>
    /// Applies many events in one transaction: the orders are locked (PostgreSQL advisory locks in key order; on SQLite
    /// see below), their state is loaded in one query, the attribution facts per workspace in one query per kind, then
    /// each order's events apply in the given order in memory and everything is written at once.
    /// An event that throws fails alone: its order goes on from the state before it. <paramref name="beforeCommit"/>
    /// runs inside the transaction (the inbox marks its messages done there, so effects and bookkeeping commit together).
    /// On SQLite the batch reads and computes without the database's one write lock and takes it only to write, so the
    /// intake is not held up by the engine's reading and planning; what it read is checked when it writes (the orders'
    /// Revision, the unique order and lifetime-customer keys), and a batch that meets a write made meanwhile starts again
    /// from fresh state. Nothing is written before the end (a tiered plan counts the batch's earlier orders from memory).
    /// </summary>
    public async Task<BatchResult> ApplyBatchAsync(IReadOnlyList<BatchEvent> events, Func<BatchResult, Task>? beforeCommit, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                IDisposable? turn = null;
                try
                {
                    BatchResult result;
                    NewRows rows;
                    if (sqlite)
                    {
                        (result, rows) = await LoadAndApplyAsync(events, ct);
                        turn = await SqliteWriteGate.EnterAsync(db, ct);
                        await db.Database.BeginTransactionAsync(ct);
                    }
                    else
                    {
                        await db.Database.BeginTransactionAsync(ct);
                        await LockOrdersAsync(events, ct);
                        (result, rows) = await LoadAndApplyAsync(events, ct);
                    }
                    // New rows by multi-row INSERTs (a new order's unique key still refuses a row another writer
                    // stored meanwhile, as a DbUpdateException); then EF for the updates (Revision checked) and the rest.
                    await rows.WriteAsync(db, ct);
                    await db.SaveChangesAsync(ct);
                    if (beforeCommit is not null) await beforeCommit(result);
                    await db.Database.CommitTransactionAsync(ct);
                    return result;
                }
                finally
                {
                    if (db.Database.CurrentTransaction is { } open) await open.DisposeAsync();
                    turn?.Dispose();
                }
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e)))
            {
                // A staff decision or the approval job (one order at a time, optimistic) wrote one of these orders meanwhile.
                LogBatchConflict(events.Count, attempt);
            }
        }
    }

    /// <summary>
    /// Two workers never apply events to one order at once: on PostgreSQL each takes a transaction-scoped advisory
    /// lock per order, in one order of keys so two batches cannot deadlock; the second waits and then reads fresh state.
    /// SQLite has one writer, and BEGIN IMMEDIATE has taken it already.
    /// </summary>
    private async Task LockOrdersAsync(IReadOnlyList<BatchEvent> events, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        var keys = events.Select(e => $"{e.Key.Shop.Value:N}:{e.Key.Order.Value}").Distinct().ToArray();
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest({keys}) AS k) AS l ORDER BY h", ct);
    }

    /// <summary>
    /// Loads the batch's state and applies its events in memory; writes nothing (the caller writes the new rows it
    /// returns and saves the tracked ones).
    /// </summary>
    private async Task<(BatchResult, NewRows)> LoadAndApplyAsync(IReadOnlyList<BatchEvent> events, CancellationToken ct)
    {
        var changed = new HashSet<long>();
        var failed = new Dictionary<long, Exception>();

        var shopIds = events.Select(e => e.Key.Shop.Value).Distinct().ToList();
        var workspaceOf = await db.Shops.IgnoreQueryFilters().Where(s => shopIds.Contains(s.Id))
            .Select(s => new { s.Id, s.WorkspaceId }).ToDictionaryAsync(s => s.Id, s => s.WorkspaceId, ct);
        var workspaceIds = workspaceOf.Values.Distinct().ToList();
        var settings = await db.WorkspaceSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(s => workspaceIds.Contains(s.WorkspaceId)).ToDictionaryAsync(s => s.WorkspaceId, ct);
        foreach (var id in workspaceIds) settings.TryAdd(id, new WorkspaceSettings { WorkspaceId = id });

        var externalIds = events.Select(e => e.Key.Order.Value).Distinct().ToList();
        // Untracked: most rows of a busy batch are only read (repeats); those that change are attached before projecting.
        var rows = (await db.Orders.IgnoreQueryFilters().AsNoTracking()
                .Where(o => shopIds.Contains(o.ShopId) && externalIds.Contains(o.ExternalId)).ToListAsync(ct))
            .ToDictionary(o => new OrderKey(new ShopId(o.ShopId), new ExternalOrderId(o.ExternalId)));

        var facts = new BatchFacts(db, events.Where(e => e.Order is not null).Select(e => e.Order!).ToList(), workspaceOf);
        // Arrival order across orders, as one by one would apply them: a lifetime link an earlier order makes is seen by a
        // later order's event in the same batch (grouping by order first changed which order came first). Each order's
        // state is loaded once and carried through its events.
        var open = new Dictionary<OrderKey, OpenOrder>();
        foreach (var e in events)
        {
            var key = e.Key;
            if (!workspaceOf.TryGetValue(key.Shop.Value, out var workspaceId))
            {
                failed[e.Tag] = new NotFoundException($"Shop {key.Shop.Value} is not connected.");
                continue;
            }
            if (!open.TryGetValue(key, out var current))
            {
                rows.TryGetValue(key, out var stored);
                // A repeat (the platform re-sends an order it sent before) is known from the row's projected version,
                // without parsing the stored state: exactly the test the engine's IsNewer makes first.
                if (e.Order is { } version && IsHeldAlready(stored, version)) continue;
                open[key] = current = new OpenOrder(new OrderContext(workspaceId, settings[workspaceId]),
                    stored is null ? OrderCommissionState.Empty(key) : OrderStateJson.Deserialize(stored.StateJson));
            }
            try
            {
                if (await ChangeAsync(current.Context, current.State, e, facts, open, ct) is not { Changed: true } change) continue;
                current.State = change.State;
                current.Entries.AddRange(change.Entries);
                current.Changed = true;
                changed.Add(e.Tag);
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failed[e.Tag] = error; // a poison event: its order goes on from the state before it
            }
        }
        // The commissions of the stored orders that changed, in one query, tracked (Project updates them).
        var changedIds = open.Where(p => p.Value.Changed && rows.ContainsKey(p.Key)).Select(p => rows[p.Key].Id).ToList();
        var commissions = changedIds.Count == 0 ? [] : (await db.Commissions.IgnoreQueryFilters().Where(c => changedIds.Contains(c.OrderId)).ToListAsync(ct))
            .GroupBy(c => c.OrderId).ToDictionary(g => g.Key, g => g.ToList());
        var newRows = new NewRows();
        foreach (var (key, current) in open)
        {
            if (!current.Changed) continue;
            if (rows.TryGetValue(key, out var row)) db.Orders.Attach(row); // Revision's original value is the one read
            else row = rows[key] = NewRow(current.Context.WorkspaceId, key.Shop, key.Order, newRows);
            if (!commissions.TryGetValue(row.Id, out var existing)) commissions[row.Id] = existing = [];
            Project(row, current.State, current.Entries, current.Context.Settings, existing, newRows);
        }
        return (new BatchResult(changed, failed), newRows);
    }

    /// <summary>
    /// Whether the stored row already holds <paramref name="version"/> or a newer one (<see cref="OrderCommissionState.IsNewer"/>
    /// false), read from the columns <see cref="Project"/> copies from the held version. A database may keep the time
    /// with less precision (PostgreSQL: microseconds, truncated), never more: a stored time equal to or after the
    /// event's means the held version is not older, so only a version that would change nothing is skipped; when in
    /// doubt the state is parsed and the engine decides.
    /// </summary>
    private static bool IsHeldAlready(Order? stored, OrderEvent version) =>
        stored is { HasOrder: true, PlatformUpdatedAt: { } held, State: { } heldState }
        && version.UpdatedAt.Kind == DateTimeKind.Utc // as the column holds it (the model's converter makes times UTC)
        && (version.UpdatedAt < held || (version.UpdatedAt == held && version.State <= heldState));

    /// <summary>An order of the batch while its events apply: its context, its state so far, the entries to book.</summary>
    private sealed class OpenOrder(OrderContext context, OrderCommissionState state)
    {
        public OrderContext Context { get; } = context;
        public OrderCommissionState State { get; set; } = state;
        public List<LedgerEntry> Entries { get; } = [];
        public bool Changed { get; set; }
    }

    private async Task<StateChange?> ChangeAsync(
        OrderContext ctx, OrderCommissionState state, BatchEvent e, BatchFacts facts, IReadOnlyDictionary<OrderKey, OpenOrder> open, CancellationToken ct)
    {
        if (e.Refund is { } refund) return state.ApplyRefund(refund);
        var order = e.Order!;
        if (!state.IsNewer(order)) return null;
        var attribution = state.Attribution is { AffiliateId: not null } sticky
            ? sticky
            : AttributionEngine.Attribute(order, await facts.InputsAsync(ctx, order, ct));
        var quote = await QuoteAsync(ctx, order, attribution, facts, open, ct);
        var change = state.ApplyOrder(order, attribution, quote);
        if (change.Changed) await facts.LinkLifetimeCustomersAsync(ctx, attribution, Now, ct);
        return change;
    }

    private async Task<CommissionQuote> QuoteAsync(
        OrderContext ctx, OrderEvent order, AttributionResult attribution, BatchFacts facts, IReadOnlyDictionary<OrderKey, OpenOrder> open, CancellationToken ct)
    {
        if (attribution.AffiliateId is not { } affiliateId) return CommissionQuote.NoAffiliate(order.Currency);
        var (plan, period) = await facts.PlanAsync(ctx, affiliateId, ct);

        var salesBefore = 0m;
        if (plan.Rules.Any(r => r.Tiers.Count > 0))
        {
            var from = CommissionPlans.PeriodStart(period, order.CreatedAt);
            var currency = Currencies.Normalize(order.Currency);
            var orderId = order.ExternalOrderId.Value;
            // The affiliate's other orders in the period as one by one would see them: the batch's orders so far from
            // its memory (their rows are written only at the end), the rest from the database. The same test as the
            // query's, on the state Project would write. Summed in memory: SQLite cannot SUM decimals in SQL.
            bool Counts(OrderCommissionState s) =>
                s.Order is { IsTest: false } o && o.State != OrderState.Cancelled && s.Attribution?.AffiliateId == affiliateId
                && Currencies.Normalize(o.Currency) == currency && o.CreatedAt >= from && o.CreatedAt < order.CreatedAt && o.ExternalOrderId.Value != orderId;
            var inBatch = open.Where(p => p.Value.Context.WorkspaceId == ctx.WorkspaceId).ToList();
            var stored = await db.Orders.IgnoreQueryFilters().AsNoTracking()
                .Where(o => o.WorkspaceId == ctx.WorkspaceId && o.AffiliateId == affiliateId.Value && o.HasOrder && !o.IsTest
                    && o.State != OrderState.Cancelled && o.Currency == currency
                    && o.PlacedAt >= from && o.PlacedAt < order.CreatedAt && o.ExternalId != orderId)
                .Select(o => new { o.ShopId, o.ExternalId, o.NetRevenue, o.RefundedAmount }).ToListAsync(ct);
            salesBefore = stored.Where(o => !open.ContainsKey(new OrderKey(new ShopId(o.ShopId), new ExternalOrderId(o.ExternalId))))
                    .Sum(o => Math.Max(0m, o.NetRevenue - o.RefundedAmount))
                + inBatch.Select(p => p.Value.State).Where(Counts).Sum(s => Math.Max(0m, s.Order!.NetRevenue - RefundedAmount(s)));
        }
        return CommissionCalculator.Calculate(order, plan, salesBefore);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} order events met a concurrent write (attempt {Attempt}); retrying with fresh state")]
    private partial void LogBatchConflict(int count, int attempt);

    private sealed record AffiliateRow(Guid Id, string Name, AffiliateStatus Status, string Email, Guid? ParentAffiliateId, Guid? GroupId);

    /// <summary>What attribution and commission plans read, loaded once per workspace for all of a batch's orders.</summary>
    private sealed class WorkspaceFacts
    {
        public Dictionary<string, Guid> Coupons { get; init; } = [];
        public Dictionary<string, Guid> ReferralCodes { get; init; } = [];
        public Dictionary<Guid, ClickFact> Clicks { get; init; } = [];

        /// <summary>Lifetime links by customer key text: those stored, and those this batch made (as one by one would see them).</summary>
        public Dictionary<string, Guid> Lifetime { get; init; } = [];

        /// <summary>The customer keys <see cref="Lifetime"/> was loaded for; another key must be asked of the database.</summary>
        public HashSet<string> LifetimeKeysRead { get; init; } = [];

        public Dictionary<Guid, AffiliateRow> Affiliates { get; init; } = [];
    }

    /// <summary>
    /// The batch's read side. Each order gets exactly the inputs it would get alone (only its own codes, clicks,
    /// customers and their affiliates), taken from tables loaded for the whole batch.
    /// </summary>
    private sealed class BatchFacts(AppDbContext db, List<OrderEvent> orders, IReadOnlyDictionary<Guid, Guid> workspaceOf)
    {
        private readonly Dictionary<Guid, WorkspaceFacts> _workspaces = [];
        private readonly Dictionary<(Guid Workspace, Guid? Group), (CommissionPlan Plan, TierPeriod Period)> _plans = [];

        /// <param name="manual">A staff assignment: its affiliate (and their parent) are loaded beside the order's own candidates.</param>
        public async Task<AttributionInputs> InputsAsync(OrderContext ctx, OrderEvent order, CancellationToken ct, ManualAttribution? manual = null)
        {
            var ws = await WorkspaceAsync(ctx, ct);
            var codes = Codes(order);
            var refCodes = RefCodes(order);
            var clickIds = ClickIds(order);
            var keys = CustomerKeys(order);
            var lifetime = new Dictionary<CustomerKey, AffiliateId>();
            if (ctx.Settings.LifetimeCommissions)
            {
                foreach (var k in keys)
                {
                    if (ws.Lifetime.TryGetValue(k.ToString(), out var a)) lifetime[k] = new AffiliateId(a);
                }
            }
            var coupons = codes.Where(ws.Coupons.ContainsKey).ToDictionary(c => c, c => new AffiliateId(ws.Coupons[c]));
            var referrals = refCodes.Where(ws.ReferralCodes.ContainsKey).ToDictionary(c => c, c => new AffiliateId(ws.ReferralCodes[c]));
            var clicks = clickIds.Where(ws.Clicks.ContainsKey).ToDictionary(c => c, c => ws.Clicks[c]);

            var candidates = coupons.Values.Concat(referrals.Values).Concat(clicks.Values.Select(c => c.Affiliate)).Concat(lifetime.Values)
                .Concat(manual is null ? [] : [manual.Affiliate])
                .Select(a => a.Value).Distinct().ToList();
            var found = await AffiliatesAsync(ctx.WorkspaceId, ws, candidates, ct);
            var parents = found.Where(f => f.ParentAffiliateId is not null).Select(f => f.ParentAffiliateId!.Value).Except(candidates).Distinct().ToList();
            found.AddRange(await AffiliatesAsync(ctx.WorkspaceId, ws, parents, ct));

            return new AttributionInputs
            {
                Settings = ctx.Settings.ToEngineSettings(),
                Manual = manual,
                Coupons = coupons,
                ReferralCodes = referrals,
                Clicks = clicks,
                LifetimeCustomers = lifetime,
                Affiliates = found.ToDictionary(f => new AffiliateId(f.Id), f => new AffiliateFacts(new AffiliateId(f.Id), f.Name, f.Status, f.Email)
                {
                    OwnCustomers = [CustomerKey.ForEmail(f.Email)],
                    ParentId = f.ParentAffiliateId is { } p ? new AffiliateId(p) : null,
                }),
            };
        }

        /// <summary>The affiliate's group, else the workspace's default group, else the built-in plan; once per group per batch.</summary>
        public async Task<(CommissionPlan Plan, TierPeriod Period)> PlanAsync(OrderContext ctx, AffiliateId affiliate, CancellationToken ct)
        {
            var ws = await WorkspaceAsync(ctx, ct);
            var row = (await AffiliatesAsync(ctx.WorkspaceId, ws, [affiliate.Value], ct)).SingleOrDefault()
                ?? throw new NotFoundException($"Affiliate {affiliate.Value} does not exist in this program.");
            if (!_plans.TryGetValue((ctx.WorkspaceId, row.GroupId), out var plan))
                _plans[(ctx.WorkspaceId, row.GroupId)] = plan = await CommissionPlans.ForAffiliateAsync(db, ctx.WorkspaceId, row.GroupId, ctx.Settings, ct);
            return plan;
        }

        /// <summary>Links the order's customers to its affiliate (lifetime commissions), unless they are linked already.</summary>
        public async Task LinkLifetimeCustomersAsync(OrderContext ctx, AttributionResult attribution, DateTime now, CancellationToken ct)
        {
            if (!ctx.Settings.LifetimeCommissions || attribution.AffiliateId is not { } affiliate) return;
            var ws = await WorkspaceAsync(ctx, ct);
            foreach (var key in attribution.NewLifetimeLinks.Select(k => k.ToString()))
            {
                if (ws.Lifetime.ContainsKey(key)) continue;
                if (!ws.LifetimeKeysRead.Contains(key)
                    && await db.LifetimeCustomers.IgnoreQueryFilters().AnyAsync(l => l.WorkspaceId == ctx.WorkspaceId && l.CustomerKey == key, ct)) continue;
                db.LifetimeCustomers.Add(new LifetimeCustomer { WorkspaceId = ctx.WorkspaceId, CustomerKey = key, AffiliateId = affiliate.Value, CreatedAt = now });
                ws.Lifetime[key] = affiliate.Value;
            }
        }

        private async Task<WorkspaceFacts> WorkspaceAsync(OrderContext ctx, CancellationToken ct)
        {
            if (_workspaces.TryGetValue(ctx.WorkspaceId, out var known)) return known;
            var wsId = ctx.WorkspaceId;
            var mine = orders.Where(o => workspaceOf.TryGetValue(o.ShopId.Value, out var w) && w == wsId).ToList();
            var codes = mine.SelectMany(Codes).Distinct().ToList();
            var refCodes = mine.SelectMany(RefCodes).Distinct().ToList();
            var clickIds = mine.SelectMany(ClickIds).Distinct().ToList();
            var keyTexts = mine.SelectMany(CustomerKeys).Select(k => k.ToString()).Distinct().ToList();

            var facts = new WorkspaceFacts
            {
                Coupons = codes.Count == 0 ? [] : await db.Coupons.IgnoreQueryFilters()
                    .Where(c => c.WorkspaceId == wsId && !c.IsArchived && codes.Contains(c.NormalizedCode))
                    .Select(c => new { c.NormalizedCode, c.AffiliateId }).ToDictionaryAsync(c => c.NormalizedCode, c => c.AffiliateId, ct),
                ReferralCodes = refCodes.Count == 0 ? [] : await db.Affiliates.IgnoreQueryFilters()
                    .Where(a => a.WorkspaceId == wsId && refCodes.Contains(a.ReferralCode))
                    .Select(a => new { a.ReferralCode, a.Id }).ToDictionaryAsync(a => a.ReferralCode, a => a.Id, ct),
                Clicks = clickIds.Count == 0 ? [] : await db.Clicks.IgnoreQueryFilters()
                    .Where(c => c.WorkspaceId == wsId && clickIds.Contains(c.Id))
                    .Select(c => new { c.Id, c.AffiliateId, c.At, c.LinkId, c.SubId, c.CreativeId })
                    .ToDictionaryAsync(c => c.Id, c => new ClickFact(new AffiliateId(c.AffiliateId), c.At) { LinkId = c.LinkId, SubId = c.SubId, CreativeId = c.CreativeId }, ct),
                Lifetime = !ctx.Settings.LifetimeCommissions || keyTexts.Count == 0 ? [] : await db.LifetimeCustomers.IgnoreQueryFilters()
                    .Where(l => l.WorkspaceId == wsId && keyTexts.Contains(l.CustomerKey))
                    .Select(l => new { l.CustomerKey, l.AffiliateId }).ToDictionaryAsync(l => l.CustomerKey, l => l.AffiliateId, ct),
                LifetimeKeysRead = ctx.Settings.LifetimeCommissions ? [.. keyTexts] : [],
            };
            _workspaces[wsId] = facts;
            return facts;
        }

        /// <summary>The affiliates asked for, from the batch's table; those not in it yet are loaded in one query.</summary>
        private async Task<List<AffiliateRow>> AffiliatesAsync(Guid workspaceId, WorkspaceFacts ws, List<Guid> ids, CancellationToken ct)
        {
            var missing = ids.Where(id => !ws.Affiliates.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                // Ask for every affiliate the batch's workspace tables name at once, not order by order.
                var wanted = missing.Concat(ws.Coupons.Values).Concat(ws.ReferralCodes.Values).Concat(ws.Clicks.Values.Select(c => c.Affiliate.Value))
                    .Concat(ws.Lifetime.Values).Where(id => !ws.Affiliates.ContainsKey(id)).Distinct().ToList();
                var loaded = await db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == workspaceId && wanted.Contains(a.Id))
                    .Select(a => new AffiliateRow(a.Id, a.Name, a.Status, a.Email, a.ParentAffiliateId, a.GroupId)).ToListAsync(ct);
                foreach (var a in loaded) ws.Affiliates[a.Id] = a;
            }
            return ids.Where(ws.Affiliates.ContainsKey).Select(id => ws.Affiliates[id]).ToList();
        }

        private static IEnumerable<string> Codes(OrderEvent order) =>
            order.DiscountCodes.Select(Coupons.Coupon.Normalize).Where(c => c.Length > 0).Distinct();

        private static IEnumerable<string> RefCodes(OrderEvent order) =>
            order.Touches.Select(t => t.ReferralCode.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct();

        private static IEnumerable<Guid> ClickIds(OrderEvent order) =>
            order.Touches.Where(t => t.ClickId is not null).Select(t => t.ClickId!.Value).Distinct();

        private static List<CustomerKey> CustomerKeys(OrderEvent order)
        {
            var keys = new List<CustomerKey>();
            if (!string.IsNullOrWhiteSpace(order.CustomerId)) keys.Add(CustomerKey.ForCustomer(order.ShopId, order.CustomerId));
            if (!string.IsNullOrWhiteSpace(order.CustomerEmail)) keys.Add(CustomerKey.ForEmail(order.CustomerEmail));
            return keys;
        }
    }
}
