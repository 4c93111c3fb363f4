using FsCheck;
using FsCheck.Fluent;
using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

/// <summary>One thing that happens to the ledger, as the inbox worker or a staff action would cause it.</summary>
public abstract record Step;

public sealed record VersionStep(OrderEvent Order) : Step
{
    public override string ToString() => $"version {Order.Key.Order} @{Order.UpdatedAt:HH:mm} {Order.State} codes=[{string.Join(",", Order.DiscountCodes)}] "
        + string.Join(" ", Order.Lines.Select(l => $"{l.LineId}:{l.ProductId}/{string.Join("+", l.CollectionIds)}x{l.Quantity}={l.NetRevenue}(+{l.Tax})"));
}

public sealed record RefundStep(RefundEvent Refund) : Step
{
    public override string ToString() => $"refund {Refund.Key.Order}/{Refund.RefundId} other={Refund.OtherAmount} "
        + string.Join(" ", Refund.Lines.Select(l => $"{l.LineId}x{l.Quantity}={l.Amount}"));
}

public sealed record ApproveStep(DateTime Now, int HoldDays) : Step;

public sealed record PayStep(string PayoutId, DateTime At) : Step;

/// <summary>One order's history: versions with distinct UpdatedAt and refunds with distinct ids, in the order they happened.</summary>
public sealed record OrderHistory(IReadOnlyList<Step> Steps);

/// <summary>A random plan and the histories of a few orders in shops with their own currencies.</summary>
public sealed record Scenario(CommissionPlan Plan, IReadOnlyList<OrderHistory> Orders)
{
    public override string ToString() => Describe(Plan) + "\n" + string.Join("\n", Orders.SelectMany(o => o.Steps).Select(s => "  " + s));

    public static string Describe(CommissionPlan plan) =>
        $"plan basis={plan.Basis} second={plan.SecondTierRate} rules: " + string.Join("; ", plan.Rules.Select(r =>
            $"{r.Scope.Kind}[{string.Join(",", r.Scope.Ids)}] {r.Kind} {r.Value} tiers=[{string.Join(",", r.Tiers.Select(t => $"{t.SalesThreshold}:{t.Value}"))}]"));
}

/// <summary>The same order history delivered in order and as a shuffle with duplicates.</summary>
public sealed record Replay(CommissionPlan Plan, OrderHistory History, IReadOnlyList<Step> Delivered)
{
    public override string ToString() => Scenario.Describe(Plan) + "\n in order:\n" + string.Join("\n", History.Steps.Select(s => "  " + s))
        + "\n delivered:\n" + string.Join("\n", Delivered.Select(s => "  " + s));
}

/// <summary>A scenario with approvals and payouts sprinkled over the interleaved histories.</summary>
public sealed record Timeline(CommissionPlan Plan, IReadOnlyList<Step> Steps)
{
    public override string ToString() => Scenario.Describe(Plan) + "\n" + string.Join("\n", Steps.Select(s => "  " + s));
}

/// <summary>One order version, the sales the affiliate had before it, and refunds.</summary>
public sealed record QuoteCase(CommissionPlan Plan, OrderEvent Order, decimal SalesBefore, IReadOnlyList<RefundEvent> Refunds)
{
    public override string ToString() => Scenario.Describe(Plan) + $"\n sales before: {SalesBefore}\n  {new VersionStep(Order)}\n"
        + string.Join("\n", Refunds.Select(r => "  " + new RefundStep(r)));
}

public static class EngineGenerators
{
    public static readonly string[] Products = ["p1", "p2", "p3"];
    public static readonly string[] CollectionIds = ["c1", "c2"];
    public static readonly string[] Codes = ["JANE10", "summer", "BOB5"];

    public static Arbitrary<Scenario> Scenarios() => ScenarioGen.ToArbitrary();

    public static Arbitrary<Replay> Replays() => ReplayGen.ToArbitrary();

    public static Arbitrary<Timeline> Timelines() => TimelineGen.ToArbitrary();

    public static Arbitrary<QuoteCase> QuoteCases() => QuoteCaseGen.ToArbitrary();

    private static decimal Scale(int units, string currency)
    {
        var amount = (decimal)units;
        for (var i = 0; i < Currencies.MinorUnits(currency); i++)
            amount /= 10m;
        return amount;
    }

    private static Gen<decimal> Amount(string currency, int maxUnits) => Gen.Choose(0, maxUnits).Select(u => Scale(u, currency));

    private static Gen<List<T>> ListOf<T>(int min, int max, Func<int, Gen<T>> item) =>
        Gen.Choose(min, max).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n), item)).Select(l => l.ToList());

    private static Gen<PerformanceTier> Tier(bool percent) =>
        from threshold in Gen.Choose(0, 5000)
        from value in percent ? Gen.Choose(0, 100).Select(v => v / 100m) : Gen.Choose(0, 3000).Select(v => v / 100m)
        select new PerformanceTier(threshold, value);

    public static readonly Gen<CommissionRule> RuleGen =
        from scopeKind in Gen.Elements(RuleScopeKind.All, RuleScopeKind.Coupon, RuleScopeKind.Collection, RuleScopeKind.Product)
        from ids in scopeKind switch
        {
            RuleScopeKind.Product => Gen.SubListOf(Products).Where(l => l.Count > 0).Select(l => l.ToArray()),
            RuleScopeKind.Collection => Gen.SubListOf(CollectionIds).Where(l => l.Count > 0).Select(l => l.ToArray()),
            RuleScopeKind.Coupon => Gen.SubListOf(Codes).Where(l => l.Count > 0).Select(l => l.ToArray()),
            _ => Gen.Constant(Array.Empty<string>()),
        }
        from kind in Gen.Elements(RuleKind.Percent, RuleKind.Flat)
        from value in kind == RuleKind.Percent ? Gen.Choose(0, 100).Select(v => v / 100m) : Gen.Choose(0, 3000).Select(v => v / 100m)
        from tiers in ListOf(0, 2, _ => Tier(kind == RuleKind.Percent))
        select new CommissionRule(new RuleScope(scopeKind, ids), kind, value) { Tiers = tiers };

    public static readonly Gen<CommissionPlan> PlanGen =
        from rules in ListOf(0, 4, _ => RuleGen)
        from second in Gen.Elements(0m, 0m, 0.02m, 0.05m, 0.333m)
        from basis in Gen.Elements(CommissionBasis.NetRevenue, CommissionBasis.NetRevenue, CommissionBasis.NetRevenueIncludingTax)
        select new CommissionPlan("Random", rules) { SecondTierRate = second, Basis = basis };

    private static Gen<OrderLine> LineGen(string id, string currency) =>
        from product in Gen.Elements<string?>(null, "p1", "p2", "p3")
        from collections in Gen.SubListOf(CollectionIds)
        from quantity in Gen.Choose(0, 5)
        from net in Amount(currency, 50_000)
        from tax in Amount(currency, 5_000)
        select new OrderLine(id, product, collections.ToArray(), quantity, net, tax);

    private static Gen<OrderEvent> VersionGen(ShopId shop, string orderId, string currency, int version) =>
        from lineCount in Gen.Choose(1, 3)
        from lines in Gen.CollectToList(Enumerable.Range(1, lineCount), i => LineGen("L" + i, currency))
        from state in Gen.Elements(OrderState.Pending, OrderState.Paid, OrderState.Paid, OrderState.Paid, OrderState.Cancelled)
        from codes in Gen.Frequency((4, Gen.Constant(new[] { "JANE10" })), (1, Gen.SubListOf(Codes).Select(c => c.ToArray())))
        from test in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new OrderEvent(
            shop, new ExternalOrderId(orderId), "#" + orderId, T0, T0.AddMinutes(10 * version), currency, state, test, null, "buyer@example.com",
            lines.ToList(), codes.ToList(), [], 0m, 0m);

    private static Gen<RefundEvent> RefundGen(ShopId shop, string orderId, string currency, int n) =>
        from lineIds in Gen.SubListOf(new[] { "L1", "L2", "L3", "LX" })
        from parts in Gen.CollectToList(lineIds, id =>
            from quantity in Gen.Choose(0, 3)
            from amount in Amount(currency, 30_000)
            from negative in Gen.Elements(false, false, true)
            select new RefundLine(id, quantity, negative ? -amount : amount))
        from other in Gen.Frequency((3, Gen.Constant(0m)), (1, Amount(currency, 20_000)))
        from hours in Gen.Choose(0, 200)
        select new RefundEvent(shop, new ExternalOrderId(orderId), "R" + n, T0.AddHours(hours), parts.ToList(), other);

    /// <summary>1-4 versions and 0-3 refunds of one order, merged in a random but causal order.</summary>
    private static Gen<OrderHistory> HistoryGen(ShopId shop, string orderId, string currency) =>
        from versionCount in Gen.Choose(1, 4)
        from versions in Gen.CollectToList(Enumerable.Range(0, versionCount), v => VersionGen(shop, orderId, currency, v))
        from refunds in ListOf(0, 3, n => RefundGen(shop, orderId, currency, n))
        from merge in Gen.Shuffle(versions.Select(v => (Step)new VersionStep(v)).Concat(refunds.Select(r => new RefundStep(r))))
        select new OrderHistory(Causal(merge));

    /// <summary>Keeps the shuffle's interleaving but puts the versions back in UpdatedAt order (what happened in the shop).</summary>
    private static List<Step> Causal(IEnumerable<Step> merged)
    {
        var steps = merged.ToList();
        var versions = new Queue<Step>(steps.OfType<VersionStep>().OrderBy(v => v.Order.UpdatedAt));
        return steps.Select(s => s is VersionStep ? versions.Dequeue() : s).ToList();
    }

    private static readonly (ShopId Shop, string Currency)[] Shops =
    [
        (UsShop, "USD"),
        (EuShop, "EUR"),
        (new ShopId(Guid.Parse("33333333-3333-3333-3333-333333333333")), "JPY"),
        (new ShopId(Guid.Parse("44444444-4444-4444-4444-444444444444")), "KWD"),
    ];

    public static readonly Gen<Scenario> ScenarioGen =
        from plan in PlanGen
        from orderCount in Gen.Choose(1, 3)
        from shops in Gen.CollectToList(Enumerable.Range(0, orderCount), i =>
            Gen.Elements(Shops).Select(s => (s.Shop, s.Currency, Id: (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))))
        from histories in Gen.CollectToList(shops, s => HistoryGen(s.Shop, s.Id, s.Currency))
        select new Scenario(plan, histories.ToList());

    public static readonly Gen<Replay> ReplayGen =
        from plan in PlanGen
        from shop in Gen.Elements(Shops)
        from history in HistoryGen(shop.Shop, "1000", shop.Currency)
        from duplicates in Gen.SubListOf(history.Steps.ToArray())
        from delivered in Gen.Shuffle(history.Steps.Concat(duplicates))
        select new Replay(plan, history, delivered.ToList());

    public static readonly Gen<Timeline> TimelineGen =
        from scenario in ScenarioGen
        from merged in Gen.Shuffle(scenario.Orders.SelectMany(o => o.Steps))
        from approvals in ListOf(1, 5, _ => from days in Gen.Choose(0, 60) from hold in Gen.Elements(0, 0, 14, 30) select (Step)new ApproveStep(T0.AddDays(days), hold))
        from payouts in ListOf(1, 5, n => Gen.Choose(0, 90).Select(days => (Step)new PayStep("P" + n, T0.AddDays(days))))
        from steps in Gen.Shuffle(merged.Concat(approvals).Concat(payouts))
        select new Timeline(scenario.Plan, steps.ToList());

    public static readonly Gen<QuoteCase> QuoteCaseGen =
        from plan in PlanGen
        from shop in Gen.Elements(Shops)
        from order in VersionGen(shop.Shop, "1000", shop.Currency, 0)
        from sales in Gen.Choose(0, 6000).Select(s => (decimal)s)
        from refunds in ListOf(0, 3, n => RefundGen(shop.Shop, "1000", shop.Currency, n))
        select new QuoteCase(plan, order with { IsTest = false }, sales, refunds);
}
