using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

/// <summary>
/// Plays steps the way the inbox worker and the payout job will: attribute and quote each order version with the real
/// engine, apply it to the order's state, keep the entries. Payouts use the planner and check that the Paid entries
/// add up to each payout line.
/// </summary>
internal sealed class LedgerHarness(CommissionPlan plan)
{
    public static readonly AffiliateFacts Carol = Affiliate("aaaaaaaa-0000-0000-0000-000000000009", "Carol Recruiter", "carol@example.com");

    private static readonly AttributionInputs AttributionInputs = Inputs(null, Jane with { ParentId = Carol.Id }, Bob, Carol);

    private static readonly Dictionary<AffiliateId, PayoutRecipient> Recipients =
        new[] { Jane, Bob, Carol }.ToDictionary(a => a.Id, a => new PayoutRecipient(a.Id, a.Name, a.Email, a.Status));

    public Dictionary<OrderKey, OrderCommissionState> States { get; } = [];

    public List<LedgerEntry> Entries { get; } = [];

    public List<LedgerEntry> Run(IEnumerable<Step> steps)
    {
        var booked = new List<LedgerEntry>();
        foreach (var step in steps)
            booked.AddRange(Apply(step));
        return booked;
    }

    public List<LedgerEntry> Apply(Step step)
    {
        var before = Entries.Count;
        switch (step)
        {
            case VersionStep { Order: var order }:
                var attribution = ExplainedEngine.Attribute(order, AttributionInputs);
                var quote = attribution.AffiliateId is null ? CommissionQuote.Empty(order.Currency) : ExplainedEngine.Calculate(order, plan);
                Commit(StateOf(order.Key).ApplyOrder(order, attribution, quote));
                break;
            case RefundStep { Refund: var refund }:
                Commit(StateOf(refund.Key).ApplyRefund(refund));
                break;
            case ApproveStep approve:
                foreach (var state in States.Values.ToList())
                    Commit(state.Approve(approve.Now, approve.HoldDays));
                break;
            case PayStep pay:
                Pay(pay);
                break;
        }

        return Entries[before..];
    }

    private OrderCommissionState StateOf(OrderKey key) => States.GetValueOrDefault(key) ?? OrderCommissionState.Empty(key);

    private void Commit(StateChange change)
    {
        States[change.State.Key] = change.State;
        Entries.AddRange(change.Entries);
    }

    private void Pay(PayStep pay)
    {
        var payout = PayoutPlanner.Plan(LedgerBalance.From(Entries), Recipients, new PayoutThresholds(0.01m), pay.PayoutId);
        foreach (var line in payout.Lines)
        {
            var before = Entries.Count;
            foreach (var state in States.Values.Where(s => s.Commissions.Exists(c => c.Key.Affiliate == line.Affiliate && c.Currency == line.Amount.Currency)).ToList())
                Commit(state.MarkPaid(line.Affiliate, pay.PayoutId, pay.At));
            Entries.AddRange(PayoutPlanner.SettleCarried(line, pay.PayoutId, pay.At));

            var paid = Entries[before..].Where(e => e.Bucket == LedgerBucket.Paid).Sum(e => e.Amount.Amount);
            Assert.True(paid == line.Amount.Amount, $"Payout {pay.PayoutId} to {line.Affiliate} pays {paid}, but its line says {line.Amount}.");
        }
    }
}
