using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Settings;
using AffiliateStatus = ShopAffiliate.Core.Affiliates.AffiliateStatus;

namespace ShopAffiliate.Core.Simulation;

/// <summary>
/// A plan to try: it replaces the plan of the affiliates of <see cref="GroupId"/> (every affiliate's when null), and
/// the cookie window and attribution model, when given, replace the program's for every order.
/// </summary>
public sealed record ProposedPlan(CommissionPlan Plan, TierPeriod TierPeriod, Guid? GroupId, int? CookieWindowDays, AttributionModel? AttributionModel);

/// <summary>The period's days (both included, in <see cref="TimeZone"/>) and the figures of each affiliate and currency.</summary>
public sealed record SimulationResult(
    DateOnly From, DateOnly To, string TimeZone, int OrdersReplayed, IReadOnlyList<AffiliateComparison> Affiliates, IReadOnlyList<CurrencyComparison> Totals);

/// <summary>
/// Replays a period's stored orders through the engine twice, under the current plans and under a proposed one, and
/// compares (ADR 0024). Read-only: it loads with no tracking and never saves. Bounded: at most <see cref="MaxDays"/>
/// days, orders read <see cref="PageSize"/> at a time in placement order, and the caller's cancellation token is
/// checked on every order.
/// </summary>
public sealed class PlanSimulator(AppDbContext db)
{
    public const int MaxDays = 366;

    /// <summary>Orders read per query (the tests vary it to prove the pages join up).</summary>
    public int PageSize { get; init; } = 500;

    public async Task<SimulationResult> RunAsync(Guid workspaceId, DateOnly from, DateOnly to, ProposedPlan proposal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (to < from) throw ValidationFailedException.For("to", "The period ends before it starts: give to on or after from.");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
            throw ValidationFailedException.For("to", $"A simulation covers at most {MaxDays} days: shorten the period.");
        if (proposal.CookieWindowDays is < 1 or > 365)
            throw ValidationFailedException.For("cookieWindowDays", "The cookie window is 1 to 365 days.");
        proposal.Plan.Validate();

        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await SettingsStore.TimeZoneAsync(db, settings, ct));
        var (fromUtc, toUtc) = ReportCalendar.UtcRange(from, to, zone);
        var groups = await db.CommissionGroups.AsNoTracking().Select(g => new { g.Id, g.IsDefault }).ToListAsync(ct);
        if (proposal.GroupId is { } target && groups.All(g => g.Id != target))
            throw ValidationFailedException.For("groupId", "No commission group with that id in this program.");
        var defaultGroup = groups.FirstOrDefault(g => g.IsDefault)?.Id;
        var knownGroups = groups.Select(g => g.Id).ToHashSet();

        var run = new Run(db, workspaceId, settings, fromUtc, ct);
        var engine = settings.ToEngineSettings();
        var current = new Side(PlanSide.Current, engine, a => run.CurrentPlanAsync(a.GroupId));
        var proposed = new Side(PlanSide.Proposed,
            engine with
            {
                CookieWindowDays = proposal.CookieWindowDays ?? engine.CookieWindowDays,
                AttributionModel = proposal.AttributionModel ?? engine.AttributionModel,
            },
            a => InTarget(a.GroupId) ? Task.FromResult((proposal.Plan, proposal.TierPeriod)) : run.CurrentPlanAsync(a.GroupId));

        // An affiliate without a (still existing) group is in the default group, as the engine reads it.
        bool InTarget(Guid? group) =>
            proposal.GroupId is not { } target || (group is { } g && knownGroups.Contains(g) ? g : defaultGroup) == target;

        var tally = new SimulationTally();
        var replayed = 0;
        await foreach (var page in PagesAsync(fromUtc, toUtc, ct))
        {
            var states = page.ToDictionary(o => o.Id, o => OrderStateJson.Deserialize(o.StateJson));
            await run.LoadFactsAsync([.. states.Values.Where(s => s.Order is not null)], ct);
            foreach (var booked in await BookedAsync(page.Select(o => o.Id).ToList(), ct))
                tally.AddBooked(booked.AffiliateId, booked.Currency, booked.Amount);
            foreach (var row in page)
            {
                ct.ThrowIfCancellationRequested();
                var stored = states[row.Id];
                if (stored.Order is not { } order) continue;
                var sales = OrderReplay.SalesAfterRefunds(order, row.RefundedAmount);
                foreach (var side in (Side[])[current, proposed])
                    await run.ReplayAsync(side, stored, order, sales, tally);
                replayed++;
            }
        }

        return new SimulationResult(from, to, zone.Id, replayed, tally.Affiliates(), tally.Totals());
    }

    private sealed record OrderRow(Guid Id, DateTime PlacedAt, string StateJson, decimal RefundedAmount);

    /// <summary>
    /// The period's orders in placement order, a page at a time. Keyset on the placement time; orders sharing the last
    /// time of a page are remembered so the next page (which starts at that time) skips exactly those.
    /// </summary>
    private async IAsyncEnumerable<List<OrderRow>> PagesAsync(
        DateTime fromUtc, DateTime toUtc, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = fromUtc;
        var seenAtAfter = new HashSet<Guid>();
        while (true)
        {
            var start = after;
            var rows = await db.Orders.AsNoTracking()
                .Where(o => o.HasOrder && o.PlacedAt >= start && o.PlacedAt < toUtc)
                .OrderBy(o => o.PlacedAt).ThenBy(o => o.Id)
                .Take(PageSize + seenAtAfter.Count)
                .Select(o => new OrderRow(o.Id, o.PlacedAt!.Value, o.StateJson, o.RefundedAmount))
                .ToListAsync(ct);
            var page = rows.Where(r => !(r.PlacedAt == start && seenAtAfter.Contains(r.Id))).ToList();
            if (page.Count == 0) yield break;
            yield return page;
            var last = page[^1].PlacedAt;
            if (last != start) seenAtAfter.Clear();
            seenAtAfter.UnionWith(page.Where(r => r.PlacedAt == last).Select(r => r.Id));
            after = last;
        }
    }

    private sealed record BookedRow(Guid AffiliateId, string Currency, decimal Amount);

    /// <summary>The ledger entries of these orders that changed a balance's total (transfers only move money between buckets).</summary>
    private Task<List<BookedRow>> BookedAsync(List<Guid> orderIds, CancellationToken ct) =>
        db.Ledger.AsNoTracking()
            .Where(e => e.OrderId != null && orderIds.Contains(e.OrderId.Value)
                && e.Kind != LedgerEntryKind.Approved && e.Kind != LedgerEntryKind.Paid)
            .Select(e => new BookedRow(e.AffiliateId, e.Currency, e.Amount))
            .ToListAsync(ct);

    /// <summary>One plan's replay: its settings and plans, and what its own replay made so far (lifetime links, sales for tiers).</summary>
    private sealed class Side(PlanSide name, ProgramSettings settings, Func<AffiliateRow, Task<(CommissionPlan Plan, TierPeriod Period)>> planFor)
    {
        public PlanSide Name { get; } = name;
        public ProgramSettings Settings { get; } = settings;
        public Func<AffiliateRow, Task<(CommissionPlan Plan, TierPeriod Period)>> PlanFor { get; } = planFor;

        /// <summary>Lifetime links this replay made (by customer key text), on top of those stored before the period.</summary>
        public Dictionary<string, Guid> Lifetime { get; } = [];

        /// <summary>The sales (after refunds) this replay credited, per affiliate and currency, in placement order.</summary>
        public Dictionary<(Guid Affiliate, string Currency), SalesTimeline> Sales { get; } = [];
    }

    private sealed record AffiliateRow(Guid Id, string Name, AffiliateStatus Status, string Email, Guid? ParentAffiliateId, Guid? GroupId);

    /// <summary>What both replays read: the program's settings and plans, and the facts of the current page's orders.</summary>
    private sealed class Run(AppDbContext db, Guid workspaceId, WorkspaceSettings settings, DateTime fromUtc, CancellationToken ct)
    {
        /// <summary>By group id; <see cref="Guid.Empty"/> for affiliates without a group.</summary>
        private readonly Dictionary<Guid, (CommissionPlan, TierPeriod)> _plans = [];
        private readonly Dictionary<(Guid, string, DateTime), decimal> _salesBeforePeriod = [];
        private readonly Dictionary<Guid, AffiliateRow> _affiliateRows = [];
        private readonly Dictionary<AffiliateId, AffiliateFacts> _affiliates = [];
        private Dictionary<string, Guid> _coupons = [];
        private Dictionary<string, Guid> _referralCodes = [];
        private Dictionary<Guid, ClickFact> _clicks = [];
        private Dictionary<string, Guid> _storedLifetime = [];

        public async Task<(CommissionPlan, TierPeriod)> CurrentPlanAsync(Guid? groupId)
        {
            if (!_plans.TryGetValue(groupId ?? Guid.Empty, out var plan))
                _plans[groupId ?? Guid.Empty] = plan = await CommissionPlans.ForAffiliateAsync(db, workspaceId, groupId, settings, ct);
            return plan;
        }

        /// <summary>Coupons, referral codes, clicks, lifetime links stored before the period, and affiliates, for one page.</summary>
        public async Task LoadFactsAsync(List<OrderCommissionState> states, CancellationToken token)
        {
            var orders = states.Select(s => s.Order!).ToList();
            var codes = orders.SelectMany(o => o.DiscountCodes).Select(Coupons.Coupon.Normalize).Where(c => c.Length > 0).Distinct().ToList();
            var refCodes = orders.SelectMany(o => o.Touches).Select(t => t.ReferralCode.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct().ToList();
            var clickIds = orders.SelectMany(o => o.Touches).Where(t => t.ClickId is not null).Select(t => t.ClickId!.Value).Distinct().ToList();
            var keys = settings.LifetimeCommissions
                ? orders.SelectMany(AttributionEngine.CustomerKeys).Select(k => k.ToString()).Distinct().ToList()
                : [];

            _coupons = await db.Coupons.AsNoTracking().Where(c => !c.IsArchived && codes.Contains(c.NormalizedCode))
                .ToDictionaryAsync(c => c.NormalizedCode, c => c.AffiliateId, token);
            _referralCodes = await db.Affiliates.AsNoTracking().Where(a => refCodes.Contains(a.ReferralCode))
                .ToDictionaryAsync(a => a.ReferralCode, a => a.Id, token);
            _clicks = await db.Clicks.AsNoTracking().Where(c => clickIds.Contains(c.Id))
                .ToDictionaryAsync(c => c.Id, c => new ClickFact(new AffiliateId(c.AffiliateId), c.At), token);
            // Links made inside the period are made again by each replay, from its own attribution.
            _storedLifetime = keys.Count == 0 ? [] : await db.LifetimeCustomers.AsNoTracking()
                .Where(l => keys.Contains(l.CustomerKey) && l.CreatedAt < fromUtc)
                .ToDictionaryAsync(l => l.CustomerKey, l => l.AffiliateId, token);

            var manual = states.Select(s => s.Attribution).Where(a => a?.Method == AttributionMethod.Manual && a.AffiliateId is not null)
                .Select(a => a!.AffiliateId!.Value.Value);
            await LoadAffiliatesAsync(_coupons.Values.Concat(_referralCodes.Values).Concat(_clicks.Values.Select(c => c.Affiliate.Value))
                .Concat(_storedLifetime.Values).Concat(manual), token);
            await LoadAffiliatesAsync(_affiliateRows.Values.Where(a => a.ParentAffiliateId is not null).Select(a => a.ParentAffiliateId!.Value), token);
        }

        private async Task LoadAffiliatesAsync(IEnumerable<Guid> ids, CancellationToken token)
        {
            var missing = ids.Where(id => !_affiliateRows.ContainsKey(id)).Distinct().ToList();
            if (missing.Count == 0) return;
            var rows = await db.Affiliates.AsNoTracking().Where(a => missing.Contains(a.Id))
                .Select(a => new AffiliateRow(a.Id, a.Name, a.Status, a.Email, a.ParentAffiliateId, a.GroupId)).ToListAsync(token);
            foreach (var a in rows)
            {
                _affiliateRows[a.Id] = a;
                _affiliates[new AffiliateId(a.Id)] = new AffiliateFacts(new AffiliateId(a.Id), a.Name, a.Status, a.Email)
                {
                    OwnCustomers = [CustomerKey.ForEmail(a.Email)],
                    ParentId = a.ParentAffiliateId is { } p ? new AffiliateId(p) : null,
                };
            }
        }

        /// <summary>One order under one side's plan: attribution, quote, refunds and decisions, then its figures into the tally.</summary>
        public async Task ReplayAsync(Side side, OrderCommissionState stored, OrderEvent order, decimal sales, SimulationTally tally)
        {
            var attribution = AttributionEngine.Attribute(order, OrderReplay.InputsFor(stored, Inputs(side, order)));
            var currency = Currencies.Normalize(order.Currency);
            var quote = CommissionQuote.NoAffiliate(currency);
            if (attribution.AffiliateId is { } credited && _affiliateRows.TryGetValue(credited.Value, out var affiliate))
            {
                var (plan, period) = await side.PlanFor(affiliate);
                var salesBefore = plan.Rules.Any(r => r.Tiers.Count > 0)
                    ? await SalesBeforeAsync(side, credited.Value, currency, CommissionPlans.PeriodStart(period, order.CreatedAt), order.CreatedAt)
                    : 0m;
                quote = CommissionCalculator.Calculate(order, plan, salesBefore);
                var counts = !order.IsTest && order.State != OrderState.Cancelled;
                tally.Add(side.Name, credited.Value, currency, 0m, sales, counts);
                if (counts)
                {
                    if (!side.Sales.TryGetValue((credited.Value, currency), out var timeline)) side.Sales[(credited.Value, currency)] = timeline = new();
                    timeline.Add(order.CreatedAt, sales);
                }
                foreach (var key in attribution.NewLifetimeLinks.Select(k => k.ToString()))
                {
                    if (!_storedLifetime.ContainsKey(key)) side.Lifetime.TryAdd(key, credited.Value);
                }
            }

            var replayed = OrderReplay.Replay(stored, attribution, quote)!;
            foreach (var c in replayed.Commissions)
                tally.Add(side.Name, c.Key.Affiliate.Value, c.Currency, c.Target, 0m, creditedOrder: false);
        }

        private AttributionInputs Inputs(Side side, OrderEvent order)
        {
            var lifetime = new Dictionary<CustomerKey, AffiliateId>();
            if (side.Settings.LifetimeCommissions)
            {
                foreach (var key in AttributionEngine.CustomerKeys(order))
                {
                    var text = key.ToString();
                    if (_storedLifetime.TryGetValue(text, out var a) || side.Lifetime.TryGetValue(text, out a)) lifetime[key] = new AffiliateId(a);
                }
            }
            return new AttributionInputs
            {
                Settings = side.Settings,
                Coupons = Pick(order.DiscountCodes.Select(Coupons.Coupon.Normalize), _coupons),
                ReferralCodes = Pick(order.Touches.Select(t => t.ReferralCode.Trim().ToLowerInvariant()), _referralCodes),
                Clicks = order.Touches.Where(t => t.ClickId is { } id && _clicks.ContainsKey(id)).Select(t => t.ClickId!.Value).Distinct()
                    .ToDictionary(id => id, id => _clicks[id]),
                LifetimeCustomers = lifetime,
                Affiliates = _affiliates,
            };
        }

        private static Dictionary<string, AffiliateId> Pick(IEnumerable<string> codes, Dictionary<string, Guid> table) =>
            codes.Where(table.ContainsKey).Distinct().ToDictionary(c => c, c => new AffiliateId(table[c]));

        /// <summary>
        /// The affiliate's sales in the tier period before the order, as the engine counts them: inside the simulated
        /// period from this replay's own credits, before it from the stored orders credited to the affiliate.
        /// </summary>
        private async Task<decimal> SalesBeforeAsync(Side side, Guid affiliate, string currency, DateTime periodStart, DateTime orderAt)
        {
            var inPeriod = side.Sales.TryGetValue((affiliate, currency), out var timeline) ? timeline.Between(periodStart, orderAt) : 0m;
            if (periodStart >= fromUtc) return inPeriod;
            if (!_salesBeforePeriod.TryGetValue((affiliate, currency, periodStart), out var before))
            {
                var start = periodStart;
                var earlier = db.Orders.AsNoTracking().Where(o => o.AffiliateId == affiliate && o.HasOrder && !o.IsTest
                    && o.State != OrderState.Cancelled && o.Currency == currency && o.PlacedAt < fromUtc);
                if (start != DateTime.MinValue) earlier = earlier.Where(o => o.PlacedAt >= start);
                // Summed in memory: SQLite cannot SUM decimals.
                var amounts = await earlier.Select(o => new { o.NetRevenue, o.RefundedAmount }).ToListAsync(ct);
                _salesBeforePeriod[(affiliate, currency, periodStart)] = before = amounts.Sum(a => Math.Max(0m, a.NetRevenue - a.RefundedAmount));
            }
            return before + inPeriod;
        }
    }
}
