using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Simulation;
using ShopAffiliate.Core.Tests.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Simulation;

/// <summary>The simulator's pure parts: replaying one order, the sales timeline for tiers, the tally and ROI.</summary>
public sealed class SimulationPartsTests
{
    /// <summary>An order as the host keeps it: attributed, quoted, then its refunds.</summary>
    private static OrderCommissionState Stored(OrderEvent order, AttributionInputs inputs, CommissionPlan plan, params RefundEvent[] refunds)
    {
        var attribution = ExplainedEngine.Attribute(order, inputs);
        var state = OrderCommissionState.Empty(order.Key).ApplyOrder(order, attribution, ExplainedEngine.Calculate(order, plan)).State;
        foreach (var refund in refunds) state = state.ApplyRefund(refund).State;
        return state;
    }

    [Fact]
    public void ReplayingUnderTheSamePlanGivesTheStoredCommissions()
    {
        var order = Order(lines: [Line("L1", 200m, quantity: 2)], codes: ["JANE10"]);
        var stored = Stored(order, Inputs(), TenPercent, Refund("R1", order, T0.AddDays(1), new RefundLine("L1", 1, 100m)));

        var attribution = ExplainedEngine.Attribute(order, OrderReplay.InputsFor(stored, Inputs()));
        var replayed = OrderReplay.Replay(stored, attribution, ExplainedEngine.Calculate(order, TenPercent))!;

        Assert.Equal(stored.Commissions.Select(c => (c.Key, c.Target)), replayed.Commissions.Select(c => (c.Key, c.Target)));
        Assert.Equal(10m, Assert.Single(replayed.Commissions).Target); // 10% of 200, half refunded
    }

    [Fact]
    public void ReplayingUnderAnotherPlanKeepsTheRefundsAndStaffDecisions()
    {
        var order = Order(lines: [Line("L1", 200m, quantity: 2)], codes: ["JANE10"]);
        var stored = Stored(order, Inputs(), TenPercent, Refund("R1", order, T0.AddDays(1), new RefundLine("L1", 1, 100m)));
        var twenty = new CommissionPlan("Twenty", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.20m)]);

        var attribution = ExplainedEngine.Attribute(order, OrderReplay.InputsFor(stored, Inputs()));
        Assert.Equal(20m, Assert.Single(OrderReplay.Replay(stored, attribution, ExplainedEngine.Calculate(order, twenty))!.Commissions).Target);

        var rejected = stored.Decide(new CommissionDecision(new CommissionKey(Jane.Id, 1), DecisionKind.Reject, "Fraud", T0.AddDays(2))).State;
        var replayed = OrderReplay.Replay(rejected, attribution, ExplainedEngine.Calculate(order, twenty))!;
        Assert.Equal((0m, CommissionStatus.Rejected), (Assert.Single(replayed.Commissions).Target, replayed.Commissions[0].Status));
    }

    [Fact]
    public void AStaffAssignmentIsKeptWhileEverythingElseIsDecidedAgain()
    {
        var order = Order(codes: ["JANE10"]);
        var stored = Stored(order, Inputs(), TenPercent);
        var manual = stored.Reattribute(ExplainedEngine.Attribute(order, Inputs() with { Manual = new ManualAttribution(Bob.Id, "Phone order") }),
            ExplainedEngine.Calculate(order, TenPercent), T0.AddDays(1)).State;

        Assert.Equal(Bob.Id, ExplainedEngine.Attribute(order, OrderReplay.InputsFor(manual, Inputs())).AffiliateId);
        Assert.Equal(Jane.Id, ExplainedEngine.Attribute(order, OrderReplay.InputsFor(stored, Inputs())).AffiliateId);
    }

    [Fact]
    public void ARowWithOnlyAnEarlyRefundHasNothingToReplay()
    {
        var refundFirst = OrderCommissionState.Empty(Order().Key).ApplyRefund(Refund("R1", Order(), T0, new RefundLine("L1", 1, 10m))).State;
        Assert.Null(OrderReplay.Replay(refundFirst, AttributionResult.Unattributed("none"), CommissionQuote.Empty("USD")));
    }

    [Theory]
    [InlineData(OrderState.Paid, false, 150)]
    [InlineData(OrderState.Cancelled, false, 0)]
    [InlineData(OrderState.Paid, true, 0)]
    public void SalesAfterRefundsCountOnlyRealOrders(OrderState state, bool isTest, int expected) =>
        Assert.Equal(expected, OrderReplay.SalesAfterRefunds(Order(state: state, isTest: isTest, lines: [Line("L1", 200m)]), 50m));

    [Fact]
    public void SalesAfterRefundsNeverGoBelowZero() =>
        Assert.Equal(0m, OrderReplay.SalesAfterRefunds(Order(lines: [Line("L1", 20m)]), 50m));

    [Fact]
    public void TheTimelineSumsFromTheStartUpToButNotIncludingTheOrder()
    {
        var timeline = new SalesTimeline();
        timeline.Add(T0, 100m);
        timeline.Add(T0.AddDays(1), 50m);
        timeline.Add(T0.AddDays(1), 25m); // two orders at one instant
        timeline.Add(T0.AddDays(3), 10m);

        Assert.Equal(0m, timeline.Between(T0, T0)); // an order never counts itself or its twins
        Assert.Equal(100m, timeline.Between(T0, T0.AddDays(1)));
        Assert.Equal(175m, timeline.Between(T0, T0.AddDays(2)));
        Assert.Equal(85m, timeline.Between(T0.AddHours(1), T0.AddDays(4)));
        Assert.Equal(185m, timeline.Between(DateTime.MinValue, DateTime.MaxValue));
        Assert.Equal(0m, new SalesTimeline().Between(DateTime.MinValue, DateTime.MaxValue));
        Assert.Throws<ArgumentException>(() => timeline.Add(T0, 1m));
    }

    [Fact]
    public void RoiIsNullWithoutCommissionAndTheRevenueLeftPerCommissionOtherwise()
    {
        Assert.Null(new PlanFigures(0m, 500m, 3).Roi);
        Assert.Equal(9m, new PlanFigures(10m, 100m, 1).Roi);
        Assert.Equal(-0.5m, new PlanFigures(20m, 10m, 1).Roi);
    }

    [Fact]
    public void TheTallyKeepsCurrenciesApartAndComparesBothSides()
    {
        var tally = new SimulationTally();
        var ann = Guid.NewGuid();
        tally.Add(PlanSide.Current, ann, "usd", 0m, 200m, creditedOrder: true);
        tally.Add(PlanSide.Current, ann, "USD", 20m, 0m, creditedOrder: false);
        tally.Add(PlanSide.Proposed, ann, "USD", 0m, 200m, creditedOrder: true);
        tally.Add(PlanSide.Proposed, ann, "USD", 16m, 0m, creditedOrder: false);
        tally.Add(PlanSide.Current, ann, "EUR", 8m, 80m, creditedOrder: true);
        tally.AddBooked(ann, "USD", 20m);

        var usd = tally.Affiliates().Single(a => a.Currency == "USD");
        Assert.Equal((new PlanFigures(20m, 200m, 1), new PlanFigures(16m, 200m, 1), -4m, 20m), (usd.Current, usd.Proposed, usd.Change, usd.Booked));
        Assert.Equal(["EUR", "USD"], tally.Totals().Select(t => t.Currency));
        var eur = tally.Totals()[0];
        Assert.Equal((8m, 0m, -8m), (eur.Current.Commission, eur.Proposed.Commission, eur.Change));
        Assert.Null(eur.Proposed.Roi);
    }
}
