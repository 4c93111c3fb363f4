using FsCheck.Xunit;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Tests.Engine;

public class EngineProperties
{
    [Property(Arbitrary = new[] { typeof(EngineGenerators) }, MaxTest = 300)]
    public void LedgerBalanceEqualsTheSumOfEntriesAndOfEveryCommissionsTarget(Timeline timeline)
    {
        var harness = new LedgerHarness(timeline.Plan);
        harness.Run(timeline.Steps);
        var entries = harness.Entries;

        Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct().Count());
        var balances = LedgerBalance.From(entries);
        Assert.Equal(entries.Select(e => (e.Affiliate, e.Amount.Currency)).Distinct().Count(), balances.Count);
        foreach (var balance in balances)
        {
            var own = entries.Where(e => e.Affiliate == balance.Affiliate && e.Amount.Currency == balance.Currency).ToList();
            Assert.Equal(own.Where(e => e.Bucket == LedgerBucket.Pending).Sum(e => e.Amount.Amount), balance.Pending.Amount);
            Assert.Equal(own.Where(e => e.Bucket == LedgerBucket.Approved).Sum(e => e.Amount.Amount), balance.Approved.Amount);
            Assert.Equal(own.Where(e => e.Bucket == LedgerBucket.Paid).Sum(e => e.Amount.Amount), balance.Paid.Amount);
            Assert.Equal(own.Where(e => e.Bucket == LedgerBucket.Carried).Sum(e => e.Amount.Amount), balance.Carried.Amount);
            Assert.Equal(own.Sum(e => e.Amount.Amount), balance.Total.Amount);

            var commissions = harness.States.Values.SelectMany(s => s.Commissions.Select(c => (State: s, Commission: c)))
                .Where(x => x.Commission.Key.Affiliate == balance.Affiliate && x.Commission.Currency == balance.Currency)
                .ToList();
            Assert.Equal(commissions.Sum(x => x.Commission.Booked), balance.Total.Amount);
            Assert.Equal(commissions.Sum(x => x.State.TargetFor(x.Commission.Key)), balance.Total.Amount);
            Assert.True(balance.Pending.Amount >= 0m, $"Pending went negative: {balance.Pending}");
            Assert.True(balance.Approved.Amount >= 0m, $"Approved went negative: {balance.Approved}");
        }
    }

    [Property(Arbitrary = new[] { typeof(EngineGenerators) }, MaxTest = 500)]
    public void NoCommissionExceedsItsRuleAppliedToTheOrder(QuoteCase @case)
    {
        var (plan, order) = (@case.Plan, @case.Order);
        var quote = ExplainedEngine.Calculate(order, plan, @case.SalesBefore);
        var basis = order.Lines.ToDictionary(
            l => l.LineId, l => Math.Max(0m, l.NetRevenue + (plan.Basis == CommissionBasis.NetRevenueIncludingTax ? l.Tax : 0m)));

        foreach (var application in quote.Applications)
        {
            var rule = plan.Rules[application.Rule];
            var value = rule.Tiers.Where(t => @case.SalesBefore >= t.SalesThreshold).OrderByDescending(t => t.SalesThreshold)
                .Select(t => t.Value).DefaultIfEmpty(rule.Value).First();
            var covered = order.Lines.Where(l => Covers(rule.Scope, l, order)).ToList();
            var ceiling = rule.Kind == RuleKind.Percent ? value * covered.Sum(l => basis[l.LineId])
                : rule.Scope.Kind is RuleScopeKind.All or RuleScopeKind.Coupon ? value
                : value * covered.Sum(l => Math.Max(1, l.Quantity));
            Assert.True(application.Amount.Amount <= Up(ceiling, order.Currency),
                $"Rule {application.Rule} pays {application.Amount}, more than its value {value} allows on the order ({ceiling}).");
            Assert.All(application.LineIds, id => Assert.Contains(order.Lines.Single(l => l.LineId == id), covered));
        }

        Assert.All(quote.Lines, l => Assert.InRange(l.Amount.Amount, 0m, basis[l.LineId]));
        Assert.Equal(quote.Total.Amount, quote.Lines.Sum(l => l.Amount.Amount));
        Assert.Equal(quote.Total.Amount, quote.Applications.Sum(a => a.Amount.Amount));
        Assert.True(quote.SecondTierTotal.Amount <= Up(plan.SecondTierRate * basis.Values.Sum(), order.Currency));
        Assert.Equal(quote.SecondTierTotal.Amount, quote.Lines.Sum(l => l.SecondTierAmount.Amount));

        // And after any refunds, what the ledger holds never exceeds the quote.
        var harness = new LedgerHarness(plan);
        harness.Run(@case.Refunds.Select(r => (Step)new RefundStep(r)).Prepend(new VersionStep(order)));
        var state = harness.States[order.Key];
        foreach (var commission in state.Commissions)
        {
            var cap = commission.Key.Tier == 1 ? state.Quote!.Total.Amount : state.Quote!.SecondTierTotal.Amount;
            Assert.InRange(commission.Target, 0m, cap);
            Assert.InRange(commission.Booked, 0m, cap);
        }
    }

    [Property(Arbitrary = new[] { typeof(EngineGenerators) }, MaxTest = 300)]
    public void ReplayedOrReorderedDeliveryEndsInTheSameStateAndTotal(Replay replay)
    {
        var approveAll = new ApproveStep(TestData.T0.AddDays(365), 30);
        var inOrder = new LedgerHarness(replay.Plan);
        inOrder.Run(replay.History.Steps.Append(approveAll));
        var shuffled = new LedgerHarness(replay.Plan);
        shuffled.Run(replay.Delivered.Append(approveAll));
        var twice = new LedgerHarness(replay.Plan);
        twice.Run(replay.History.Steps);
        var secondPass = twice.Run(replay.History.Steps);
        twice.Run([approveAll]);

        Assert.Empty(secondPass);
        var expected = Canonical(inOrder);
        Assert.Equal(expected, Canonical(shuffled));
        Assert.Equal(expected, Canonical(twice));
        Assert.Equal(Totals(inOrder), Totals(shuffled));
        Assert.Equal(Totals(inOrder), Totals(twice));
    }

    /// <summary>Which lines a rule covers, re-stated from RuleScope's documentation (not its code).</summary>
    internal static bool Covers(RuleScope scope, OrderLine line, OrderEvent order) => scope.Kind switch
    {
        RuleScopeKind.All => true,
        RuleScopeKind.Product => line.ProductId is not null && scope.Ids.Contains(line.ProductId),
        RuleScopeKind.Collection => line.CollectionIds.Intersect(scope.Ids).Any(),
        _ => order.DiscountCodes.Any(c => scope.Ids.Any(id => string.Equals(id, c, StringComparison.OrdinalIgnoreCase))),
    };

    /// <summary>The smallest amount on the currency's grid that is not below <paramref name="amount"/>.</summary>
    private static decimal Up(decimal amount, string currency)
    {
        var scale = Currencies.MinorUnits(currency) switch { 0 => 1m, 3 => 1000m, _ => 100m };
        return decimal.Ceiling(amount * scale) / scale;
    }

    /// <summary>
    /// What must match: the held version, the refunds, and every commission the latest version credits (the parent
    /// only when it earns a second tier). A commission an earlier version credited may exist in one run only (that
    /// version was ignored as stale in the other), but it must be at zero.
    /// </summary>
    private static string Canonical(LedgerHarness harness)
    {
        var state = harness.States.Values.Single();
        var live = state.Order is { IsTest: false } && state.Attribution is { AffiliateId: { } affiliate }
            ? new[] { new CommissionKey(affiliate, 1) }
                .Concat(state.Attribution.ParentAffiliateId is { } p && state.Quote!.SecondTierTotal.Amount > 0m ? [new CommissionKey(p, 2)] : [])
                .ToHashSet()
            : [];
        Assert.All(state.Commissions.Where(c => !live.Contains(c.Key)), c => Assert.Equal((0m, 0m), (c.Target, c.Booked)));
        var commissions = state.Commissions.Where(c => live.Contains(c.Key)).OrderBy(c => c.Key.Affiliate.Value).ThenBy(c => c.Key.Tier)
            .Select(c => $"{c.Key} {c.Status} '{c.StatusReason}' target={c.TargetMoney} booked={new Money(c.Booked, c.Currency)} held={c.HeldForReview} approved={c.ApprovedAt:O}");
        return $"version={state.Order?.UpdatedAt:O} {state.Order?.State} credited={state.Attribution?.AffiliateId} quote={state.Quote?.Total}/{state.Quote?.SecondTierTotal}"
            + $" refunds=[{string.Join(",", state.Refunds.Select(r => r.RefundId))}]\n" + string.Join("\n", commissions);
    }

    /// <summary>Booked money per affiliate, currency and bucket (a bucket that went up and back down counts as empty).</summary>
    private static string Totals(LedgerHarness harness) => string.Join(", ", harness.Entries
        .GroupBy(e => (e.Affiliate, e.Amount.Currency, e.Bucket))
        .Where(g => g.Sum(e => e.Amount.Amount) != 0m)
        .Select(g => $"{g.Key.Affiliate}/{g.Key.Currency}/{g.Key.Bucket}={Currencies.Format(g.Sum(e => e.Amount.Amount), g.Key.Currency)}")
        .Order(StringComparer.Ordinal));
}
