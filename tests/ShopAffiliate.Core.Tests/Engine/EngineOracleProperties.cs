using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

/// <summary>
/// The engine against an oracle that shares none of its code: the expected commission re-computed by hand from the
/// order, the plan's rules and the refunds, as the rules are written down (OrderCommissionState's header, RuleKind,
/// RuleScope). The other properties compare the engine with itself (delivery order) or the ledger with the engine's
/// own state, so a wrong rule applied consistently passes them; this one does not.
/// </summary>
public class EngineOracleProperties
{
    private static readonly AffiliateFacts Carol = LedgerHarness.Carol;

    [Property(Arbitrary = new[] { typeof(OracleGenerators) }, MaxTest = 500)]
    public void EveryCommissionEqualsAPlainRecomputationFromTheOrderTheRulesAndTheRefunds(OracleCase @case)
    {
        var harness = new LedgerHarness(@case.Plan);
        harness.Run(@case.Delivered);
        var state = harness.States[@case.Order.Key];

        var credited = @case.Order.DiscountCodes.Contains("JANE10") ? Jane.Id : @case.Order.DiscountCodes.Contains("BOB5") ? Bob.Id : (AffiliateId?)null;
        var expected = new Dictionary<CommissionKey, decimal>();
        if (credited is { } affiliate)
        {
            expected[new(affiliate, 1)] = Expected(@case, tier: 1);
            if (affiliate == Jane.Id) // Carol recruited Jane (LedgerHarness)
                expected[new(Carol.Id, 2)] = Expected(@case, tier: 2);
        }

        foreach (var (key, amount) in expected)
        {
            var commission = state.Commission(key);
            Assert.True((commission?.Target ?? 0m) == amount, $"{key}: the engine's target is {commission?.Target}, by hand {amount}.");
            Assert.Equal(amount, commission?.Booked ?? 0m);
            Assert.Equal(amount, harness.Entries.Where(e => e.Affiliate == key.Affiliate).Sum(e => e.Amount.Amount));
        }

        Assert.All(state.Commissions.Where(c => !expected.ContainsKey(c.Key)), c => Assert.Equal(0m, c.Booked));
    }

    /// <summary>
    /// By hand: each line earns under its most specific matching rule (the first such rule on a tie): a percent of its
    /// basis, or a flat amount per unit (unknown quantity = one unit) capped at the basis; the second tier a percent of
    /// every covered line's basis. A refund of q of Q units keeps (Q - q)/Q of the line, one of unknown quantity keeps
    /// what its amount leaves of the line's revenue; an order-level refund keeps the rest of the order's revenue on every
    /// line. The sum is rounded once, half away from zero. Cancelled and test orders earn nothing.
    /// </summary>
    private static decimal Expected(OracleCase @case, int tier)
    {
        var (plan, order) = (@case.Plan, @case.Order);
        if (order.IsTest || order.State == OrderState.Cancelled)
            return 0m;

        var orderRevenue = order.Lines.Sum(l => l.NetRevenue);
        var otherRefunded = @case.Refunds.Sum(r => Math.Abs(r.OtherAmount));
        var orderKept = orderRevenue > 0m ? Math.Max(0m, orderRevenue - otherRefunded) / orderRevenue : 1m;

        var total = 0m;
        foreach (var line in order.Lines)
        {
            var rule = plan.Rules
                .Where(r => EngineProperties.Covers(r.Scope, line, order))
                .OrderByDescending(r => (int)r.Scope.Kind) // stable: among equals the first rule in the plan
                .FirstOrDefault();
            if (rule is null)
                continue;
            var basis = Math.Max(0m, line.NetRevenue + (plan.Basis == CommissionBasis.NetRevenueIncludingTax ? line.Tax : 0m));
            var earned = tier == 2 ? basis * plan.SecondTierRate
                : rule.Kind == RuleKind.Percent ? basis * rule.Value
                : Math.Min(basis, rule.Value * (line.Quantity == 0 ? 1 : line.Quantity));

            var parts = @case.Refunds.SelectMany(r => r.Lines).Where(p => p.LineId == line.LineId);
            var shareBack = parts.Sum(p => p.Quantity > 0 && line.Quantity > 0 ? (decimal)p.Quantity / line.Quantity
                : line.NetRevenue > 0m ? Math.Abs(p.Amount) / line.NetRevenue
                : 0m);
            var kept = Math.Max(0m, 1m - shareBack);
            total += earned * kept * orderKept;
        }

        return Math.Round(total, 2, MidpointRounding.AwayFromZero);
    }
}

/// <summary>One order (USD or EUR) under a plan, its refunds, and the steps as delivered (refunds before or after the order).</summary>
public sealed record OracleCase(CommissionPlan Plan, OrderEvent Order, IReadOnlyList<RefundEvent> Refunds, IReadOnlyList<Step> Delivered)
{
    public override string ToString() => Scenario.Describe(Plan) + "\n delivered:\n" + string.Join("\n", Delivered.Select(s => "  " + s));
}

/// <summary>
/// Cases in which decimal arithmetic is exact, so the oracle needs no rounding but the last: whole-unit revenue and
/// tax, whole-percent rates, flat amounts in cents (per unit only: a flat amount per order is spread over the lines with
/// remainders), unit counts of 1, 2, 4 or 5, and refunded amounts in quarters of a line or tenths of the order. Exact
/// half cents (a quarter of 0.10) are common, so the final rounding is tested too.
/// </summary>
public static class OracleGenerators
{
    public static Arbitrary<OracleCase> OracleCases() => CaseGen.ToArbitrary();

    private static readonly Gen<CommissionRule> RuleGen =
        from scope in Gen.Elements(
            RuleScope.All, RuleScope.Coupons("JANE10"), RuleScope.Coupons("summer"), RuleScope.Collections("c1"), RuleScope.Collections("c1", "c2"),
            RuleScope.Products("p1"), RuleScope.Products("p2", "p3"))
        from flat in scope.Kind is RuleScopeKind.Product or RuleScopeKind.Collection ? Gen.Elements(false, true) : Gen.Constant(false)
        from value in flat ? Gen.Choose(0, 3000).Select(c => c / 100m) : Gen.Choose(0, 100).Select(p => p / 100m)
        select new CommissionRule(scope, flat ? RuleKind.Flat : RuleKind.Percent, value);

    private static readonly Gen<CommissionPlan> PlanGen =
        from count in Gen.Choose(0, 3)
        from rules in Gen.CollectToList(Enumerable.Range(0, count), _ => RuleGen)
        from second in Gen.Elements(0m, 0m, 0.05m, 0.10m)
        from basis in Gen.Elements(CommissionBasis.NetRevenue, CommissionBasis.NetRevenueIncludingTax)
        select new CommissionPlan("Oracle", rules.ToList()) { SecondTierRate = second, Basis = basis };

    private static Gen<OrderLine> LineGen(string id) =>
        from product in Gen.Elements<string?>(null, "p1", "p2", "p3")
        from collections in Gen.SubListOf(new[] { "c1", "c2" })
        from quantity in Gen.Elements(0, 1, 2, 4, 5)
        from net in Gen.Choose(0, 500)
        from tax in Gen.Choose(0, 50)
        select new OrderLine(id, product, collections.ToArray(), quantity, net, tax);

    private static readonly Gen<OrderEvent> OrderGen =
        from currency in Gen.Elements("USD", "EUR")
        from count in Gen.Choose(1, 3)
        from lines in Gen.CollectToList(Enumerable.Range(1, count), i => LineGen("L" + i))
        from codes in Gen.Elements<string[]>(["JANE10"], ["JANE10"], ["summer", "JANE10"], ["BOB5"], ["summer"], [])
        from state in Gen.Elements(OrderState.Pending, OrderState.Paid, OrderState.Paid, OrderState.Cancelled)
        from test in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        select Order(currency: currency, lines: lines.ToList(), codes: codes, state: state, isTest: test);

    private static Gen<RefundEvent> RefundGen(OrderEvent order, int n) =>
        from lineIds in Gen.SubListOf(new[] { "L1", "L2", "L3", "LX" })
        from parts in Gen.CollectToList(lineIds, id =>
            from quantity in Gen.Choose(0, 5)
            from quarters in Gen.Choose(0, 5)
            from negative in Gen.Elements(false, true)
            let net = order.Lines.FirstOrDefault(l => l.LineId == id)?.NetRevenue ?? 40m
            select new RefundLine(id, quantity, (negative ? -1 : 1) * net * quarters / 4m))
        from tenths in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 12)))
        from hours in Gen.Choose(0, 200)
        select Refund("R" + n, order, T0.AddHours(hours), parts.ToArray()) with { OtherAmount = order.NetRevenue * tenths / 10m };

    private static readonly Gen<OracleCase> CaseGen =
        from plan in PlanGen
        from order in OrderGen
        from count in Gen.Choose(0, 3)
        from refunds in Gen.CollectToList(Enumerable.Range(0, count), n => RefundGen(order, n))
        from delivered in Gen.Shuffle(refunds.Select(r => (Step)new RefundStep(r)).Append(new VersionStep(order)))
        select new OracleCase(plan, order, refunds.ToList(), delivered.ToList());
}
