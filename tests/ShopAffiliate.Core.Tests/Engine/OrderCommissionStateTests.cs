using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

public class OrderCommissionStateTests
{
    private static readonly CommissionKey JaneTier1 = new(Jane.Id, 1);

    private static OrderEvent TwoLineOrder(OrderState state = OrderState.Paid, DateTime? updatedAt = null) =>
        Order(state: state, updatedAt: updatedAt, lines: [Line("L1", 80m, 4), Line("L2", 20m, 1)]);

    private static OrderCommissionState Fresh(OrderEvent order) => OrderCommissionState.Empty(order.Key);

    [Fact]
    public void AttributedPaidOrderBooksEarnedEntryInPending()
    {
        var order = TwoLineOrder();

        var change = Fresh(order).Credit(order);

        var entry = Assert.Single(change.Entries);
        Assert.Equal(LedgerEntryKind.Earned, entry.Kind);
        Assert.Equal(LedgerBucket.Pending, entry.Bucket);
        Assert.Equal(new Money(10m, "USD"), entry.Amount);
        Assert.Equal(Jane.Id, entry.Affiliate);
        Assert.Equal(order.Key, entry.Order);
        Assert.Equal(CommissionStatus.Pending, change.State.Commission(JaneTier1)!.Status);
    }

    [Fact]
    public void PlacedButUnpaidOrderAlreadyBooksAPendingCommission()
    {
        var order = TwoLineOrder(OrderState.Pending);

        var change = Fresh(order).Credit(order);

        Assert.Equal(10m, change.Entries.Sum(LedgerBucket.Pending));
    }

    [Fact]
    public void UnattributedOrderBooksNothing()
    {
        var order = TwoLineOrder();

        var change = Fresh(order).ApplyOrder(order, AttributionResult.Unattributed("none"), CommissionQuote.Empty("USD"));

        Assert.True(change.Changed);
        Assert.Empty(change.Entries);
        Assert.Empty(change.State.Commissions);
        Assert.Same(order, change.State.Order);
    }

    [Fact]
    public void DuplicateOrderEventChangesNothing()
    {
        var order = TwoLineOrder();
        var first = Fresh(order).Credit(order);

        var again = first.State.Credit(order with { Lines = [.. order.Lines] });

        Assert.False(again.Changed);
        Assert.Empty(again.Entries);
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public void OlderOrderVersionChangesNothing()
    {
        var newer = TwoLineOrder(OrderState.Cancelled, T0.AddHours(2));
        var older = TwoLineOrder(OrderState.Paid, T0.AddHours(1));
        var state = Fresh(newer).Credit(newer).State;

        var change = state.Credit(older);

        Assert.False(change.Changed);
        Assert.Empty(change.Entries);
        Assert.Equal(OrderState.Cancelled, change.State.Order!.State);
    }

    [Fact]
    public void SameTimestampWithLaterStateCountsAsNewer()
    {
        var pending = TwoLineOrder(OrderState.Pending, T0);
        var state = Fresh(pending).Credit(pending).State;

        Assert.True(state.IsNewer(pending with { State = OrderState.Cancelled }));
        Assert.False(state.IsNewer(pending));
    }

    [Fact]
    public void NewerVersionWithMoreRevenueBooksPositiveAdjustment()
    {
        var v1 = TwoLineOrder(updatedAt: T0);
        var v2 = v1 with { UpdatedAt = T0.AddHours(1), Lines = [Line("L1", 80m, 4), Line("L2", 20m, 1), Line("L3", 50m)] };

        var (state, entries) = Fresh(v1).Run(s => s.Credit(v1), s => s.Credit(v2));

        Assert.Equal([LedgerEntryKind.Earned, LedgerEntryKind.Adjusted], entries.Select(e => e.Kind));
        Assert.Equal(5m, entries[1].Amount.Amount);
        Assert.Equal(15m, state.Commission(JaneTier1)!.Booked);
    }

    [Fact]
    public void PartialRefundReducesTheLinesCommissionByTheRefundedQuantityShare()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(2), new RefundLine("L1", 1, 20m))));

        // L1 earns 8.00 on 4 units: one unit back takes 2.00.
        var adjustment = entries[^1];
        Assert.Equal(LedgerEntryKind.Adjusted, adjustment.Kind);
        Assert.Equal(LedgerBucket.Pending, adjustment.Bucket);
        Assert.Equal(-2m, adjustment.Amount.Amount);
        Assert.Equal("R1", adjustment.Reference);
        Assert.Equal(8m, state.Commission(JaneTier1)!.Booked);
    }

    [Fact]
    public void RefundWithoutQuantityReducesByItsShareOfTheLinesRevenue()
    {
        var order = TwoLineOrder();

        var (state, _) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(2), new RefundLine("L1", 0, -40m)))); // Woo's negative total

        Assert.Equal(6m, state.Commission(JaneTier1)!.Booked);
    }

    [Fact]
    public void OrderLevelRefundReducesEveryLineByItsShare()
    {
        var order = TwoLineOrder();
        var refund = Refund("R1", order, T0.AddDays(1)) with { OtherAmount = 25m };

        var (state, _) = Fresh(order).Run(s => s.Credit(order), s => s.ApplyRefund(refund));

        Assert.Equal(7.5m, state.Commission(JaneTier1)!.Booked);
    }

    [Fact]
    public void RefundEstimatedFromTotalsIsReplacedOnceByItsLines()
    {
        var order = TwoLineOrder();
        var estimate = Refund("R1", order, T0.AddDays(1)) with { OtherAmount = 25m, FromTotals = true };
        var withLines = Refund("R1", order, T0.AddDays(1), new RefundLine("L2", 1, 20m));

        var (state, _) = Fresh(order).Run(s => s.Credit(order), s => s.ApplyRefund(estimate));
        Assert.Equal(7.5m, state.Commission(JaneTier1)!.Booked);

        // The lines say only L2 (2.00 of commission) went back: 8.00 stays, the estimate's 2.50 is given back less 2.00.
        var corrected = state.ApplyRefund(withLines);
        Assert.Equal(8m, corrected.State.Commission(JaneTier1)!.Booked);
        var entry = Assert.Single(corrected.Entries);
        Assert.Equal(LedgerEntryKind.Adjusted, entry.Kind);
        Assert.Equal(0.5m, entry.Amount.Amount);
        Assert.Equal("R1", entry.Reference);
        Assert.Contains("read again with its lines", entry.Description);
        Assert.False(Assert.Single(corrected.State.Refunds).FromTotals);

        // Once read, the refund is final: neither its lines again nor a new estimate change anything.
        Assert.False(corrected.State.ApplyRefund(withLines).Changed);
        Assert.False(corrected.State.ApplyRefund(estimate).Changed);
        // And an estimate never replaces an estimate.
        Assert.False(state.ApplyRefund(estimate with { OtherAmount = 50m }).Changed);
    }

    [Fact]
    public void FullRefundBeforePayoutReversesToZero()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(2), new RefundLine("L1", 4, 80m), new RefundLine("L2", 1, 20m))));

        Assert.Equal(LedgerEntryKind.Reversed, entries[^1].Kind);
        Assert.Equal(-10m, entries[^1].Amount.Amount);
        Assert.Equal(0m, entries.Sum(e => e.Amount.Amount));
        var commission = state.Commission(JaneTier1)!;
        Assert.Equal(0m, commission.Booked);
        // Nothing left to approve: the commission is closed as Reversed, not left as a 0.00 Pending one.
        Assert.Equal((CommissionStatus.Reversed, "Refunds took the whole commission."), (commission.Status, commission.StatusReason));
        Assert.False(state.Approve(T0.AddDays(30), 30).Changed);
    }

    [Fact]
    public void FullRefundAfterApprovalReversesTheApprovedCommission()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(31), new RefundLine("L1", 4, 80m), new RefundLine("L2", 1, 20m))));

        Assert.Equal(CommissionStatus.Reversed, state.Commission(JaneTier1)!.Status);
        Assert.Equal((LedgerEntryKind.Reversed, LedgerBucket.Approved, -10m), (entries[^1].Kind, entries[^1].Bucket, entries[^1].Amount.Amount));
        Assert.Equal(0m, entries.Sum(LedgerBucket.Approved));
        Assert.False(state.MarkPaid(Jane.Id, "P1", T0.AddDays(35)).Changed);
    }

    [Fact]
    public void PartialRefundKeepsTheStatus()
    {
        var order = TwoLineOrder();

        var (state, _) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(2), new RefundLine("L1", 4, 80m))));

        Assert.Equal((CommissionStatus.Pending, null), (state.Commission(JaneTier1)!.Status, state.Commission(JaneTier1)!.StatusReason));
    }

    [Fact]
    public void RefundingMoreThanTheLineHoldsTakesTheLineOnce()
    {
        var order = TwoLineOrder();

        var (state, _) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(2), new RefundLine("L2", 1, 20m))),
            s => s.ApplyRefund(Refund("R2", order, T0.AddDays(3), new RefundLine("L2", 1, 20m))));

        Assert.Equal(8m, state.Commission(JaneTier1)!.Booked);
    }

    [Fact]
    public void DuplicateRefundChangesNothing()
    {
        var order = TwoLineOrder();
        var refund = Refund("R1", order, T0.AddDays(2), new RefundLine("L1", 1, 20m));
        var state = Fresh(order).Run(s => s.Credit(order), s => s.ApplyRefund(refund)).State;

        var again = state.ApplyRefund(refund with { CreatedAt = T0.AddDays(9) });

        Assert.False(again.Changed);
        Assert.Empty(again.Entries);
    }

    [Fact]
    public void RefundBeforeItsOrderWaitsAndCountsWhenTheOrderArrives()
    {
        var order = TwoLineOrder();
        var refund = Refund("R1", order, T0.AddDays(2), new RefundLine("L1", 2, 40m));

        var early = Fresh(order).ApplyRefund(refund);
        var arrived = early.State.Credit(order);

        Assert.True(early.Changed);
        Assert.Empty(early.Entries);
        var earned = Assert.Single(arrived.Entries);
        Assert.Equal(LedgerEntryKind.Earned, earned.Kind);
        Assert.Equal(6m, earned.Amount.Amount);
    }

    [Fact]
    public void RefundForAnotherOrderIsRefused()
    {
        var order = TwoLineOrder();
        var state = Fresh(order).Credit(order).State;

        Assert.Throws<ArgumentException>(() => state.ApplyRefund(Refund("R1", Order(id: "9999"), T0)));
        Assert.Throws<ArgumentException>(() => state.Credit(Order(shop: EuShop)));
    }

    [Fact]
    public void CancellationReversesTheCommission()
    {
        var placed = TwoLineOrder(OrderState.Pending, T0);
        var cancelled = TwoLineOrder(OrderState.Cancelled, T0.AddDays(1));

        var (state, entries) = Fresh(placed).Run(s => s.Credit(placed), s => s.Credit(cancelled));

        Assert.Equal(LedgerEntryKind.Reversed, entries[^1].Kind);
        Assert.Equal(LedgerBucket.Pending, entries[^1].Bucket);
        Assert.Equal(0m, entries.Sum(e => e.Amount.Amount));
        Assert.Equal(CommissionStatus.Reversed, state.Commission(JaneTier1)!.Status);
        Assert.Equal("Order cancelled.", state.Commission(JaneTier1)!.StatusReason);
    }

    [Fact]
    public void HoldPeriodApprovesOnlyAfterItsDaysHavePassed()
    {
        var order = TwoLineOrder();
        var state = Fresh(order).Credit(order).State;

        var tooEarly = state.Approve(T0.AddDays(30).AddSeconds(-1), holdDays: 30);
        var onTime = state.Approve(T0.AddDays(30), holdDays: 30);

        Assert.False(tooEarly.Changed);
        Assert.Equal(CommissionStatus.Approved, onTime.State.Commission(JaneTier1)!.Status);
        Assert.Equal([LedgerEntryKind.Approved, LedgerEntryKind.Approved], onTime.Entries.Select(e => e.Kind));
        Assert.Equal(-10m, onTime.Entries.Sum(LedgerBucket.Pending));
        Assert.Equal(10m, onTime.Entries.Sum(LedgerBucket.Approved));
    }

    [Fact]
    public void UnpaidOrderIsNotApproved()
    {
        var order = TwoLineOrder(OrderState.Pending);
        var state = Fresh(order).Credit(order).State;

        Assert.False(state.Approve(T0.AddDays(90), holdDays: 30).Changed);
    }

    [Fact]
    public void CancellationAfterApprovalReversesFromTheApprovedBucket()
    {
        var order = TwoLineOrder(updatedAt: T0);

        var (_, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.Credit(order with { State = OrderState.Cancelled, UpdatedAt = T0.AddDays(31) }));

        Assert.Equal(LedgerEntryKind.Reversed, entries[^1].Kind);
        Assert.Equal(LedgerBucket.Approved, entries[^1].Bucket);
        Assert.Equal(0m, entries.Sum(LedgerBucket.Approved));
    }

    [Fact]
    public void PayoutMovesApprovedMoneyToPaid()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(35)));

        var balance = Assert.Single(LedgerBalance.From(entries));
        Assert.Equal(10m, balance.Paid.Amount);
        Assert.Equal(0m, balance.Approved.Amount);
        Assert.Equal(0m, balance.Pending.Amount);
        var commission = state.Commission(JaneTier1)!;
        Assert.Equal(CommissionStatus.Paid, commission.Status);
        Assert.Equal(("P1", 10m), (commission.PayoutId, commission.PaidAmount));
    }

    [Fact]
    public void PendingCommissionIsNotPaid()
    {
        var order = TwoLineOrder();
        var state = Fresh(order).Credit(order).State;

        Assert.False(state.MarkPaid(Jane.Id, "P1", T0.AddDays(1)).Changed);
    }

    [Fact]
    public void RefundAfterPayoutCreatesClawbackEntry()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(35)),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(40), new RefundLine("L2", 1, 20m))));

        var clawback = entries[^1];
        Assert.Equal(LedgerEntryKind.Clawback, clawback.Kind);
        Assert.Equal(LedgerBucket.Carried, clawback.Bucket);
        Assert.Equal(-2m, clawback.Amount.Amount);
        var balance = Assert.Single(LedgerBalance.From(entries));
        Assert.Equal((10m, -2m, 8m), (balance.Paid.Amount, balance.Carried.Amount, balance.Total.Amount));
        Assert.Equal(CommissionStatus.Paid, state.Commission(JaneTier1)!.Status);
    }

    [Fact]
    public void FullRefundAfterPayoutClawsBackEverything()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(35)),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(40), new RefundLine("L1", 4, 80m), new RefundLine("L2", 1, 20m))));

        Assert.Equal(LedgerEntryKind.Clawback, entries[^1].Kind);
        Assert.Equal(-10m, entries.Sum(LedgerBucket.Carried));
        Assert.Equal(0m, entries.Sum(e => e.Amount.Amount));
        var commission = state.Commission(JaneTier1)!;
        Assert.Equal(CommissionStatus.Paid, commission.Status);
        Assert.Equal("Refunds after payment took the whole commission: it is taken back from the next payout.", commission.StatusReason);
    }

    [Fact]
    public void CancellationAfterPayoutCreatesClawback()
    {
        var order = TwoLineOrder(updatedAt: T0);

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(35)),
            s => s.Credit(order with { State = OrderState.Cancelled, UpdatedAt = T0.AddDays(36) }));

        Assert.Equal(LedgerEntryKind.Clawback, entries[^1].Kind);
        Assert.Equal(-10m, entries[^1].Amount.Amount);
        Assert.Equal(CommissionStatus.Reversed, state.Commission(JaneTier1)!.Status);
    }

    [Fact]
    public void ClawbackIsNettedInTheNextPayout()
    {
        var first = TwoLineOrder();
        var second = Order(id: "1002", lines: [Line("L1", 50m)]);
        var (a, entries) = Fresh(first).Run(
            s => s.Credit(first),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(31)),
            s => s.ApplyRefund(Refund("R1", first, T0.AddDays(40), new RefundLine("L2", 1, 20m))));
        var (b, more) = Fresh(second).Run(s => s.Credit(second), s => s.Approve(T0.AddDays(45), 30));
        entries.AddRange(more);

        var recipients = new Dictionary<AffiliateId, PayoutRecipient> { [Jane.Id] = new(Jane.Id, Jane.Name, Jane.Email, Jane.Status) };
        var line = Assert.Single(PayoutPlanner.Plan(LedgerBalance.From(entries), recipients, new PayoutThresholds(1m), "P2").Lines);
        var payout = b.MarkPaid(Jane.Id, "P2", T0.AddDays(50)).Entries.Concat(PayoutPlanner.SettleCarried(line, "P2", T0.AddDays(50))).ToList();
        entries.AddRange(payout);

        Assert.Equal(3m, line.Amount.Amount); // 5.00 approved - 2.00 clawed back
        Assert.Equal(line.Amount.Amount, payout.Sum(LedgerBucket.Paid));
        Assert.False(a.MarkPaid(Jane.Id, "P2", T0.AddDays(50)).Changed);
        var balance = Assert.Single(LedgerBalance.From(entries));
        Assert.Equal((0m, 0m, 0m, 13m), (balance.Pending.Amount, balance.Approved.Amount, balance.Carried.Amount, balance.Paid.Amount));
    }

    [Fact]
    public void StaffRejectionReversesWithItsReason()
    {
        var order = TwoLineOrder();

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Decide(new CommissionDecision(JaneTier1, DecisionKind.Reject, "Fraudulent order", T0.AddDays(1))));

        Assert.Equal(LedgerEntryKind.Reversed, entries[^1].Kind);
        Assert.Equal(0m, entries.Sum(e => e.Amount.Amount));
        Assert.Equal((CommissionStatus.Rejected, "Fraudulent order"), (state.Commission(JaneTier1)!.Status, state.Commission(JaneTier1)!.StatusReason));
    }

    [Fact]
    public void RejectionAfterPayoutClawsBack()
    {
        var order = TwoLineOrder();

        var (_, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(31)),
            s => s.Decide(new CommissionDecision(JaneTier1, DecisionKind.Reject, "Chargeback", T0.AddDays(60))));

        Assert.Equal(LedgerEntryKind.Clawback, entries[^1].Kind);
        Assert.Equal(-10m, entries.Sum(LedgerBucket.Carried));
    }

    [Fact]
    public void LatestStaffDecisionWinsWhateverOrderTheyArriveIn()
    {
        var order = TwoLineOrder();
        var reject = new CommissionDecision(JaneTier1, DecisionKind.Reject, "Looks odd", T0.AddDays(1));
        var approve = new CommissionDecision(JaneTier1, DecisionKind.Approve, "Checked with the customer", T0.AddDays(2));

        var inOrder = Fresh(order).Run(s => s.Credit(order), s => s.Decide(reject), s => s.Decide(approve));
        var reversed = Fresh(order).Run(s => s.Credit(order), s => s.Decide(approve), s => s.Decide(reject));

        Assert.Equal(CommissionStatus.Approved, inOrder.State.Commission(JaneTier1)!.Status);
        Assert.Equal(CommissionStatus.Approved, reversed.State.Commission(JaneTier1)!.Status);
        Assert.Equal(10m, inOrder.Entries.Sum(LedgerBucket.Approved));
        Assert.Equal(10m, reversed.Entries.Sum(LedgerBucket.Approved));
    }

    [Fact]
    public void SelfReferralRejectedByPolicyBooksNothing()
    {
        var order = TwoLineOrder();

        var change = Fresh(order).Credit(order, disposition: CommissionDisposition.Reject);

        Assert.Empty(change.Entries);
        Assert.Equal(CommissionStatus.Rejected, change.State.Commission(JaneTier1)!.Status);
        Assert.StartsWith("Self-referral", change.State.Commission(JaneTier1)!.StatusReason);
    }

    [Fact]
    public void HeldSelfReferralWaitsForStaffEvenAfterTheHoldPeriod()
    {
        var order = TwoLineOrder();
        var state = Fresh(order).Credit(order, disposition: CommissionDisposition.HoldForReview).State;

        var afterHold = state.Approve(T0.AddDays(60), 30);
        var staff = state.Decide(new CommissionDecision(JaneTier1, DecisionKind.Approve, "Customer is her mother", T0.AddDays(3)));

        Assert.True(state.Commission(JaneTier1)!.HeldForReview);
        Assert.Equal(10m, state.Commission(JaneTier1)!.Booked);
        Assert.False(afterHold.Changed);
        Assert.Equal(CommissionStatus.Approved, staff.State.Commission(JaneTier1)!.Status);
        Assert.Equal(10m, staff.Entries.Sum(LedgerBucket.Approved));
    }

    [Fact]
    public void TestOrderBooksNothing()
    {
        var order = TwoLineOrder() with { IsTest = true };

        var change = Fresh(order).Credit(order);

        Assert.Empty(change.Entries);
        Assert.Empty(change.State.Commissions);
    }

    [Fact]
    public void SecondTierCommissionIsBookedForTheParentAndShrinksWithRefunds()
    {
        var order = TwoLineOrder();
        var plan = TenPercent with { SecondTierRate = 0.05m };
        var parent = new CommissionKey(Bob.Id, 2);

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order, plan: plan, parent: Bob.Id),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(1), new RefundLine("L1", 2, 40m))));

        Assert.Equal(3m, state.Commission(parent)!.Booked); // 5% of (100 - 40)
        Assert.Equal(6m, state.Commission(JaneTier1)!.Booked);
        Assert.Equal(2, entries.Count(e => e.Tier == 2));
        Assert.All(entries.Where(e => e.Tier == 2), e => Assert.Equal(Bob.Id, e.Affiliate));
    }

    [Fact]
    public void ReattributionReversesTheOldAffiliateAndCreditsTheNewOne()
    {
        var order = TwoLineOrder();
        var state = Fresh(order).Credit(order).State;

        var change = state.Reattribute(
            new AttributionResult(Bob.Id, AttributionMethod.Manual, "Dispute resolved"), ExplainedEngine.Calculate(order, TenPercent), T0.AddDays(5));

        Assert.Equal(
            [(Jane.Id, LedgerEntryKind.Reversed, -10m), (Bob.Id, LedgerEntryKind.Earned, 10m)],
            change.Entries.Select(e => (e.Affiliate, e.Kind, e.Amount.Amount)));
        Assert.Equal(CommissionStatus.Reversed, change.State.Commission(JaneTier1)!.Status);
    }

    [Fact]
    public void LedgerKeysAreUniqueAndDeterministic()
    {
        var order = TwoLineOrder();
        Func<OrderCommissionState, StateChange>[] steps =
        [
            s => s.Credit(order, plan: TenPercent with { SecondTierRate = 0.05m }, parent: Bob.Id),
            s => s.Approve(T0.AddDays(30), 30),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(31), new RefundLine("L1", 1, 20m))),
            s => s.MarkPaid(Jane.Id, "P1", T0.AddDays(32)),
        ];

        var first = Fresh(order).Run(steps).Entries.Select(e => e.Key).ToList();
        var second = Fresh(order).Run(steps).Entries.Select(e => e.Key).ToList();

        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.Equal(first, second);
    }

    [Fact]
    public void QuoteInAnotherCurrencyThanTheOrderIsRefused()
    {
        var order = TwoLineOrder();

        Assert.Throws<CurrencyMismatchException>(() =>
            Fresh(order).ApplyOrder(order, new AttributionResult(Jane.Id, AttributionMethod.Coupon, "x"), CommissionQuote.Empty("EUR")));
    }

    [Fact]
    public void StateSurvivesAJsonRoundTrip()
    {
        var order = TwoLineOrder();
        var (state, _) = Fresh(order).Run(
            s => s.Credit(order, plan: TenPercent with { SecondTierRate = 0.05m }, parent: Bob.Id),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(1), new RefundLine("L1", 1, 20m))),
            s => s.Decide(new CommissionDecision(JaneTier1, DecisionKind.Approve, "ok", T0.AddDays(2))));

        var json = System.Text.Json.JsonSerializer.Serialize(state);
        var copy = System.Text.Json.JsonSerializer.Deserialize<OrderCommissionState>(json)!;
        var refund = Refund("R2", order, T0.AddDays(3), new RefundLine("L2", 1, 20m));

        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(copy));
        Assert.Equal(
            state.ApplyRefund(refund).Entries.Select(e => (e.Key, e.Amount, e.Bucket)),
            copy.ApplyRefund(refund).Entries.Select(e => (e.Key, e.Amount, e.Bucket)));
    }
}
