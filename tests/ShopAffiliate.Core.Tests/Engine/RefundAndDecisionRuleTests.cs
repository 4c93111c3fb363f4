using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

/// <summary>
/// Documented rules of the engine (OrderCommissionState's header) that the other engine tests could not tell apart
/// from a plausible wrong rule: each case here gives a different number under the wrong rule.
/// </summary>
public class RefundAndDecisionRuleTests
{
    private static readonly CommissionKey JaneTier1 = new(Jane.Id, 1);

    private static OrderCommissionState Fresh(OrderEvent order) => OrderCommissionState.Empty(order.Key);

    [Fact]
    public void CommissionAfterRefundsIsRoundedHalfAwayFromZeroNotHalfToEven()
    {
        // 10% of 2.50 = 0.25 on two units; one unit back leaves exactly 0.125: half away from zero is 0.13, half to even 0.12.
        var order = Order(lines: [Line("L1", 2.50m, 2)]);

        var (state, entries) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(1), new RefundLine("L1", 1, 1.25m))));

        Assert.Equal(0.13m, state.Commission(JaneTier1)!.Booked);
        Assert.Equal(-0.12m, entries[^1].Amount.Amount);
    }

    [Fact]
    public void AKnownRefundedQuantityDecidesTheShareEvenWhenTheAmountSaysOtherwise()
    {
        // 10% of 80.00 on four units = 8.00. One unit back is a quarter of the line (6.00 left), although the 30.00
        // refunded (a price paid before a later discount, say) is 37.5% of the line's revenue (which would leave 5.00).
        var order = Order(lines: [Line("L1", 80m, 4)]);

        var (state, _) = Fresh(order).Run(
            s => s.Credit(order),
            s => s.ApplyRefund(Refund("R1", order, T0.AddDays(1), new RefundLine("L1", 1, 30m))));

        Assert.Equal(6m, state.Commission(JaneTier1)!.Booked);
    }

    [Fact]
    public void TiedStaffDecisionsRejectWhateverOrderTheyArriveIn()
    {
        var order = Order(lines: [Line("L1", 100m, 1)]);
        var at = T0.AddDays(2);
        var approve = new CommissionDecision(JaneTier1, DecisionKind.Approve, "Checked with the customer", at);
        var reject = new CommissionDecision(JaneTier1, DecisionKind.Reject, "Card reported stolen", at);

        var approveFirst = Fresh(order).Run(s => s.Credit(order), s => s.Decide(approve), s => s.Decide(reject));
        var rejectFirst = Fresh(order).Run(s => s.Credit(order), s => s.Decide(reject), s => s.Decide(approve));

        foreach (var (state, entries) in new[] { approveFirst, rejectFirst })
        {
            var commission = state.Commission(JaneTier1)!;
            Assert.Equal((CommissionStatus.Rejected, "Card reported stolen", 0m), (commission.Status, commission.StatusReason, commission.Booked));
            Assert.Equal(0m, entries.Sum(e => e.Amount.Amount));
            Assert.Equal(0m, entries.Sum(LedgerBucket.Approved));
        }
    }
}
