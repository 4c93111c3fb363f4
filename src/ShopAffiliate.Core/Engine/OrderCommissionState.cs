// The commission engine, in one paragraph per decision (the rest of Engine/ is the parts it uses):
//
// Target-state reconciliation. An OrderCommissionState holds the facts about one order (the latest order version by
// UpdatedAt, its attribution and commission quote, every refund by RefundId, staff decisions, and per commission the
// approval and payout facts). From the facts it derives each commission's Target; every change returns the ledger
// entries that move the Booked amount to the Target. So duplicates (no fact changes) book nothing, an older version is
// ignored, a refund before its order waits in Refunds, and any arrival order ends in the same Target. A refund estimated
// from the order's totals (FromTotals) is the one fact that may be replaced: once, by the same refund with its lines.
//
// One state per ORDER, not per order+affiliate+tier as first sketched: it holds one CommissionState per
// (affiliate, tier), because a re-attribution or a version that drops the parent must reverse one commission and book
// another atomically. Tier 1 = the credited affiliate, tier 2 = their recruiting parent.
//
// Where the money goes. Changes before approval are booked in the Pending bucket, after approval in Approved, after
// payment in Carried (a negative there is a Clawback, netted in the next payout). Approval and payment are transfer
// pairs between buckets (kinds Approved and Paid; Approved is a kind the first sketch lacked), so each bucket balance
// is a plain sum of entries and the grand total is the sum of Earned/Adjusted/Reversed/Clawback entries.
//
// Rounding. Quotes are rounded per rule, half away from zero (Money.RoundCommission). After refunds a commission is
// sum(line amount * share not refunded), rounded once, half away from zero: it never exceeds the quote. A refund of q of
// Q units takes q/Q of the line; with unknown quantity it takes Amount/NetRevenue (Amount less its tax where prices
// include tax); OtherAmount takes its share of the
// order's NetRevenue from every line. Refund lines that name no line of the order are ignored.
//
// Choices the caller should know: versions with the same UpdatedAt are ordered Pending < Paid < Cancelled (the later
// state wins; equal = duplicate). Attribution and quote travel with the version; to keep attribution sticky, pass
// state.Attribution for later versions and use Reattribute for staff changes. Test orders earn nothing. The hold period
// counts from the order's CreatedAt and needs the order Paid; a self-referral under the Hold policy waits for a staff
// Approve. A staff Approve approves at once (skips the hold); the latest decision (by time, Reject on a tie) wins.
// No clock, no I/O, no ids are generated here: times come from the events, ledger keys from the state revision.
using System.Collections.Immutable;

namespace ShopAffiliate.Core.Engine;

public enum CommissionStatus
{
    Pending,
    Approved,
    Paid,
    Rejected,

    /// <summary>Back to zero because the order was cancelled, turned out a test, or is no longer credited to the affiliate.</summary>
    Reversed,
}

/// <summary>Tier 1 = the credited affiliate; tier 2 = the affiliate who recruited them.</summary>
public readonly record struct CommissionKey(AffiliateId Affiliate, int Tier)
{
    public override string ToString() => $"{Affiliate}/t{Tier}";
}

public enum DecisionKind
{
    Approve,
    Reject,
}

/// <summary>A staff decision on one commission, with the reason shown to the affiliate.</summary>
public sealed record CommissionDecision(CommissionKey Commission, DecisionKind Kind, string Reason, DateTime At);

/// <summary>One commission of an order. <see cref="Booked"/> equals <see cref="Target"/> after every change.</summary>
public sealed record CommissionState
{
    public required CommissionKey Key { get; init; }
    public required string Currency { get; init; }
    public decimal Target { get; init; }
    public decimal Booked { get; init; }
    public CommissionStatus Status { get; init; }
    public string? StatusReason { get; init; }

    /// <summary>Self-referral under the Hold policy: not approved by the hold period, only by staff.</summary>
    public bool HeldForReview { get; init; }

    public DateTime? ApprovedAt { get; init; }
    public string? PayoutId { get; init; }
    public DateTime? PaidAt { get; init; }

    /// <summary>What the payout sent for this commission (later changes are clawbacks).</summary>
    public decimal PaidAmount { get; init; }

    /// <summary>Where a change to this commission is booked now.</summary>
    public LedgerBucket Bucket =>
        PaidAt is not null ? LedgerBucket.Carried : ApprovedAt is not null ? LedgerBucket.Approved : LedgerBucket.Pending;

    public Money TargetMoney => new(Target, Currency);
}

/// <summary>The new state and the ledger entries to insert with it (in one transaction). Empty entries + same state = nothing to do.</summary>
public sealed record StateChange(OrderCommissionState State, IReadOnlyList<LedgerEntry> Entries, bool Changed);

/// <summary>
/// Everything the engine knows about one order's commissions; an immutable value that serialises with
/// System.Text.Json. Persist it whole (e.g. a JSON column keyed by shop + external order id) with
/// <see cref="Revision"/> as the concurrency token, and insert the change's entries in the same transaction.
/// </summary>
public sealed record OrderCommissionState
{
    public required OrderKey Key { get; init; }

    /// <summary>Bumped by every accepted change; part of each ledger entry's key.</summary>
    public int Revision { get; init; }

    public OrderEvent? Order { get; init; }
    public AttributionResult? Attribution { get; init; }
    public CommissionQuote? Quote { get; init; }

    /// <summary>Unique by RefundId, sorted by it.</summary>
    public ImmutableList<RefundEvent> Refunds { get; init; } = [];

    /// <summary>Every staff decision, oldest first (a canonical order); the latest per commission is in force, Reject on a tie.</summary>
    public ImmutableList<CommissionDecision> Decisions { get; init; } = [];

    public ImmutableList<CommissionState> Commissions { get; init; } = [];

    public static OrderCommissionState Empty(OrderKey key) => new() { Key = key };

    public CommissionState? Commission(CommissionKey key) => Commissions.Find(c => c.Key == key);

    /// <summary>True when <paramref name="order"/> would replace the held version (check before attributing it).</summary>
    public bool IsNewer(OrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Order is not { } held
            || order.UpdatedAt > held.UpdatedAt
            || order.UpdatedAt == held.UpdatedAt && order.State > held.State;
    }

    /// <summary>
    /// A version of the order with its attribution and quote (use <see cref="CommissionQuote.Empty"/> when nobody is
    /// credited). An older or identical version changes nothing.
    /// </summary>
    public StateChange ApplyOrder(OrderEvent order, AttributionResult attribution, CommissionQuote quote)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(quote);
        RequireSameOrder(order.Key);
        if (!IsNewer(order))
            return Unchanged();
        if (Currencies.Normalize(quote.Currency) != Currencies.Normalize(order.Currency))
            throw new CurrencyMismatchException(order.Currency, quote.Currency);

        var verb = Order is null ? "placed" : order.State switch
        {
            OrderState.Cancelled => "cancelled",
            OrderState.Paid when Order.State != OrderState.Paid => "paid",
            _ => "updated",
        };
        return (this with { Order = order, Attribution = attribution, Quote = quote })
            .Reconcile(order.UpdatedAt, $"Order {order.DisplayName} {verb}", null);
    }

    /// <summary>
    /// Records a refund once per RefundId; before the order arrives it waits and counts when it does. One estimated from
    /// the order's totals (<see cref="RefundEvent.FromTotals"/>) is replaced once by the same refund with its lines.
    /// </summary>
    public StateChange ApplyRefund(RefundEvent refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        RequireSameOrder(refund.Key);
        var held = Refunds.Find(r => r.RefundId == refund.RefundId);
        if (held is not null && !(held.FromTotals && !refund.FromTotals))
            return Unchanged();
        var refunds = (held is null ? Refunds : Refunds.Remove(held)).Add(refund).Sort((a, b) => string.CompareOrdinal(a.RefundId, b.RefundId));
        var cause = $"Refund {refund.RefundId} on order {Order?.DisplayName ?? Key.Order.Value}{(held is null ? "" : " read again with its lines")}";
        return (this with { Refunds = refunds }).Reconcile(refund.CreatedAt, cause, refund.RefundId);
    }

    /// <summary>Staff credit the held order to someone else (or to nobody): the old commissions are reversed.</summary>
    public StateChange Reattribute(AttributionResult attribution, CommissionQuote quote, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(quote);
        var order = Order ?? throw new InvalidOperationException("An order that has not arrived yet cannot be re-attributed.");
        if (Currencies.Normalize(quote.Currency) != Currencies.Normalize(order.Currency))
            throw new CurrencyMismatchException(order.Currency, quote.Currency);
        return (this with { Attribution = attribution, Quote = quote })
            .Reconcile(at, $"Order {order.DisplayName} re-attributed", null);
    }

    /// <summary>A staff decision. Reject books the commission back to zero (a clawback if already paid);
    /// Approve lifts a rejection or a self-referral hold and approves at once.</summary>
    public StateChange Decide(CommissionDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (Decisions.Contains(decision))
            return Unchanged();
        var decisions = Decisions.Add(decision)
            .OrderBy(d => d.At).ThenBy(d => d.Kind).ThenBy(d => d.Commission.Affiliate.Value).ThenBy(d => d.Commission.Tier)
            .ThenBy(d => d.Reason, StringComparer.Ordinal)
            .ToImmutableList();
        var what = decision.Kind == DecisionKind.Reject ? "Rejected" : "Approved";
        return (this with { Decisions = decisions })
            .Reconcile(decision.At, $"{what} by staff: {decision.Reason}", decision.Reason);
    }

    /// <summary>
    /// Approves the Pending commissions of a Paid order whose hold period (from the order's CreatedAt) is over.
    /// Moves their booked amount from the Pending to the Approved bucket.
    /// </summary>
    public StateChange Approve(DateTime now, int holdDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(holdDays);
        if (Order is not { State: OrderState.Paid } order || now < order.CreatedAt.AddDays(holdDays))
            return Unchanged();
        return Transfer(
            c => c.Status == CommissionStatus.Pending && !c.HeldForReview && c.ApprovedAt is null,
            c => c with { ApprovedAt = now, Status = CommissionStatus.Approved },
            LedgerEntryKind.Approved, LedgerBucket.Pending, LedgerBucket.Approved, now,
            $"Hold period of {holdDays} days over for order {order.DisplayName}", null);
    }

    /// <summary>A payout paid the affiliate's approved commissions: moves them from the Approved to the Paid bucket.
    /// Later changes to them are booked in Carried (negative = clawback).</summary>
    public StateChange MarkPaid(AffiliateId affiliate, string payoutId, DateTime at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payoutId);
        return Transfer(
            c => c.Key.Affiliate == affiliate && c.ApprovedAt is not null && c.PaidAt is null && c.Booked > 0m,
            c => c with { PaidAt = at, PayoutId = payoutId, PaidAmount = c.Booked, Status = CommissionStatus.Paid },
            LedgerEntryKind.Paid, LedgerBucket.Approved, LedgerBucket.Paid, at,
            $"Paid in payout {payoutId} for order {Order?.DisplayName ?? Key.Order.Value}", payoutId);
    }

    /// <summary>What the commission should be now, from the facts alone (before rounding to the ledger).</summary>
    public decimal TargetFor(CommissionKey key) => Evaluate(key, Commission(key)).Target;

    private StateChange Unchanged() => new(this, [], false);

    private void RequireSameOrder(OrderKey key)
    {
        if (key != Key)
            throw new ArgumentException($"Order {key} does not belong to the state of order {Key}.");
    }

    private IEnumerable<CommissionKey> ActiveKeys()
    {
        if (Order is null || Order.IsTest || Attribution?.AffiliateId is not { } affiliate || Quote is null)
            yield break;
        yield return new(affiliate, 1);
        if (Attribution.ParentAffiliateId is { } parent && Quote.SecondTierTotal.Amount > 0m)
            yield return new(parent, 2);
    }

    private CommissionDecision? LatestDecision(CommissionKey key) =>
        Decisions.Where(d => d.Commission == key)
            .OrderBy(d => d.At).ThenBy(d => d.Kind == DecisionKind.Reject ? 1 : 0)
            .LastOrDefault();

    private (decimal Target, CommissionStatus Status, string? Reason, bool Held) Evaluate(CommissionKey key, CommissionState? current)
    {
        var moneyStatus = current?.PaidAt is not null ? CommissionStatus.Paid
            : current?.ApprovedAt is not null ? CommissionStatus.Approved
            : CommissionStatus.Pending;
        if (Order is not { } order || !ActiveKeys().Contains(key))
        {
            var why = Order?.IsTest == true ? ExplanationTexts.StatusText("status.testOrder") : ExplanationTexts.StatusText("status.notCredited");
            return (0m, CommissionStatus.Reversed, why, false);
        }

        var decision = LatestDecision(key);
        if (decision?.Kind == DecisionKind.Reject)
            return (0m, CommissionStatus.Rejected, decision.Reason, false);
        if (order.State == OrderState.Cancelled)
            return (0m, CommissionStatus.Reversed, ExplanationTexts.StatusText("status.cancelled"), false);
        var staffApproved = decision?.Kind == DecisionKind.Approve;
        if (Attribution!.Disposition == CommissionDisposition.Reject && !staffApproved)
            return (0m, CommissionStatus.Rejected, ExplanationTexts.StatusText("status.selfReferralRejected"), false);

        var remaining = Remaining(key.Tier);
        if (remaining == 0m && Refunds.Count > 0 && QuotedFor(key.Tier) > 0m)
        {
            // Refunds left nothing (after rounding): nothing to approve or pay. A paid one stays Paid (its clawback is carried).
            return moneyStatus == CommissionStatus.Paid
                ? (0m, CommissionStatus.Paid, ExplanationTexts.StatusText("status.refundedAfterPayment"), false)
                : (0m, CommissionStatus.Reversed, ExplanationTexts.StatusText("status.refunded"), false);
        }

        var held = Attribution.Disposition == CommissionDisposition.HoldForReview && !staffApproved;
        var reason = held ? ExplanationTexts.StatusText("status.selfReferralHeld") : null;
        return (remaining, moneyStatus, reason, held);
    }

    private decimal QuotedFor(int tier) => tier == 1 ? Quote!.Total.Amount : Quote!.SecondTierTotal.Amount;

    /// <summary>The quote after refunds, rounded once half away from zero (never above the quote).</summary>
    private decimal Remaining(int tier)
    {
        var (keep, keepOfOrder) = Keep();
        var raw = 0m;
        foreach (var line in Quote!.Lines)
        {
            var amount = tier == 1 ? line.Amount.Amount : line.SecondTierAmount.Amount;
            raw += amount * (keep.TryGetValue(line.LineId, out var k) ? k : keepOfOrder);
        }

        return Currencies.Round(raw, Quote.Currency);
    }

    /// <summary>
    /// The share of each line of the held order that refunds left (1 = untouched, 0 = all refunded): the line's own
    /// refunded share, then the refunds not tied to a line (<see cref="RefundEvent.OtherAmount"/>) as a share of the
    /// whole order. Commission targets and the per-product reports both use it. Empty without an order.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> LineKeep() => Keep().Lines;

    private (Dictionary<string, decimal> Lines, decimal Order) Keep()
    {
        if (Order is not { } order)
            return (new Dictionary<string, decimal>(StringComparer.Ordinal), 1m);
        var lines = order.Lines.ToDictionary(l => l.LineId, StringComparer.Ordinal);
        var refunded = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var other = 0m;
        foreach (var refund in Refunds)
        {
            other += Math.Abs(refund.OtherAmount);
            foreach (var part in refund.Lines)
            {
                if (!lines.TryGetValue(part.LineId, out var line))
                    continue;
                var share = part.Quantity > 0 && line.Quantity > 0 ? (decimal)part.Quantity / line.Quantity
                    : line.NetRevenue > 0m ? part.NetAmount(order.TaxesIncluded) / line.NetRevenue
                    : 0m;
                refunded[part.LineId] = refunded.GetValueOrDefault(part.LineId) + share;
            }
        }

        var net = order.NetRevenue;
        var keepOfOrder = net > 0m ? 1m - Math.Min(1m, other / net) : 1m;
        return (lines.Keys.ToDictionary(id => id, id => (1m - Math.Min(1m, refunded.GetValueOrDefault(id))) * keepOfOrder, StringComparer.Ordinal), keepOfOrder);
    }

    /// <summary>Recomputes every commission's target from the facts and books the differences.</summary>
    private StateChange Reconcile(DateTime at, string cause, string? reference)
    {
        var revision = Revision + 1;
        var entries = new List<LedgerEntry>();
        var keys = Commissions.Select(c => c.Key).Concat(ActiveKeys().Where(k => Commission(k) is null)).ToList();
        var commissions = ImmutableList.CreateBuilder<CommissionState>();
        foreach (var key in keys)
        {
            var current = Commission(key) ?? new CommissionState { Key = key, Currency = Quote!.Currency };
            var (target, status, reason, held) = Evaluate(key, current);
            var delta = target - current.Booked;
            if (delta != 0m)
            {
                var kind = current.Bucket == LedgerBucket.Carried ? (delta < 0m ? LedgerEntryKind.Clawback : LedgerEntryKind.Adjusted)
                    : target == 0m ? LedgerEntryKind.Reversed
                    : current.Booked == 0m ? LedgerEntryKind.Earned
                    : LedgerEntryKind.Adjusted;
                var money = new Money(delta, current.Currency);
                entries.Add(Entry(revision, entries.Count, key, kind, current.Bucket, money, at, $"{kind} {money}: {cause}.", reference));
            }

            var next = current with { Target = target, Booked = target, Status = status, StatusReason = reason, HeldForReview = held };
            if (!next.HeldForReview && next.ApprovedAt is null && next.Status == CommissionStatus.Pending
                && LatestDecision(key) is { Kind: DecisionKind.Approve } approval)
            {
                next = next with { ApprovedAt = approval.At, Status = CommissionStatus.Approved };
                AddTransfer(entries, revision, next, LedgerEntryKind.Approved, LedgerBucket.Pending, LedgerBucket.Approved, approval.At,
                    $"Approved by staff: {approval.Reason}", approval.Reason);
            }

            commissions.Add(next);
        }

        var state = this with { Revision = revision, Commissions = commissions.ToImmutable() };
        return new(state, entries, true);
    }

    private StateChange Transfer(
        Func<CommissionState, bool> eligible,
        Func<CommissionState, CommissionState> update,
        LedgerEntryKind kind,
        LedgerBucket from,
        LedgerBucket to,
        DateTime at,
        string cause,
        string? reference)
    {
        if (!Commissions.Exists(c => eligible(c)))
            return Unchanged();
        var revision = Revision + 1;
        var entries = new List<LedgerEntry>();
        var commissions = Commissions.ConvertAll(c =>
        {
            if (!eligible(c))
                return c;
            var next = update(c);
            AddTransfer(entries, revision, next, kind, from, to, at, cause, reference);
            return next;
        });
        return new(this with { Revision = revision, Commissions = commissions }, entries, true);
    }

    private void AddTransfer(
        List<LedgerEntry> entries, int revision, CommissionState commission, LedgerEntryKind kind, LedgerBucket from, LedgerBucket to,
        DateTime at, string cause, string? reference)
    {
        if (commission.Booked == 0m)
            return;
        var money = new Money(commission.Booked, commission.Currency);
        entries.Add(Entry(revision, entries.Count, commission.Key, kind, from, -money, at, $"{cause}: {money} leaves {from}.", reference));
        entries.Add(Entry(revision, entries.Count, commission.Key, kind, to, money, at, $"{cause}: {money} moves to {to}.", reference));
    }

    private LedgerEntry Entry(
        int revision, int sequence, CommissionKey key, LedgerEntryKind kind, LedgerBucket bucket, Money amount, DateTime at, string description,
        string? reference) =>
        new($"{Key}/{key}/r{revision}/{sequence}", key.Affiliate, Key, key.Tier, kind, bucket, amount, at, description)
        {
            Reference = reference,
        };
}
