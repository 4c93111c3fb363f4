namespace ShopAffiliate.Core.Engine;

public enum LedgerEntryKind
{
    /// <summary>Positive: an attributed order's commission is booked (Pending bucket).</summary>
    Earned,

    /// <summary>A change that does not go to zero: a partial refund (negative), a newer order version (either sign).</summary>
    Adjusted,

    /// <summary>Negative, back to zero before payment: cancellation, rejection, full refund, re-attribution.</summary>
    Reversed,

    /// <summary>Negative, after payment: stays on the balance (Carried bucket) and is netted in the next payout.</summary>
    Clawback,

    /// <summary>A transfer pair (Pending -x, Approved +x) when the hold period is over or staff approve.</summary>
    Approved,

    /// <summary>A transfer pair (Approved -x, Paid +x; or Carried -c, Paid +c) when a payout is made.</summary>
    Paid,
}

/// <summary>Where money sits. Transfers move it between buckets; every other entry changes the total.</summary>
public enum LedgerBucket
{
    Pending,
    Approved,
    Paid,

    /// <summary>Changes after payment (clawbacks, negative): carried into the next payout.</summary>
    Carried,
}

/// <summary>
/// An immutable money movement for one affiliate in one currency. <see cref="Key"/> is deterministic
/// (order, commission, state revision, sequence), so a unique index on it makes a retried save harmless.
/// </summary>
public sealed record LedgerEntry(
    string Key,
    AffiliateId Affiliate,
    OrderKey? Order,
    int Tier,
    LedgerEntryKind Kind,
    LedgerBucket Bucket,
    Money Amount,
    DateTime At,
    string Description)
{
    /// <summary>A refund id, payout id or decision reason the entry came from.</summary>
    public string? Reference { get; init; }

    public bool IsTransfer => Kind is LedgerEntryKind.Approved or LedgerEntryKind.Paid;
}

/// <summary>
/// An affiliate's balance in one currency: each bucket is the sum of its entries, nothing else.
/// <see cref="Total"/> is everything earned net of refunds; <see cref="Payable"/> is what the next payout would send.
/// </summary>
public sealed record LedgerBalance(AffiliateId Affiliate, Money Pending, Money Approved, Money Paid, Money Carried)
{
    public string Currency => Pending.Currency;

    public Money Total => Pending + Approved + Paid + Carried;

    public Money Payable => Approved + Carried;

    public static LedgerBalance Empty(AffiliateId affiliate, string currency) =>
        new(affiliate, Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), Money.Zero(currency));

    /// <summary>One balance per affiliate and currency, ordered by affiliate then currency.</summary>
    public static IReadOnlyList<LedgerBalance> From(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries
            .GroupBy(e => (e.Affiliate, e.Amount.Currency))
            .Select(g => g.Aggregate(Empty(g.Key.Affiliate, g.Key.Currency), (balance, entry) => balance.Add(entry)))
            .OrderBy(b => b.Affiliate.Value)
            .ThenBy(b => b.Currency, StringComparer.Ordinal)
            .ToList();
    }

    public LedgerBalance Add(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Affiliate != Affiliate)
            throw new ArgumentException($"Entry {entry.Key} belongs to another affiliate.", nameof(entry));
        return entry.Bucket switch
        {
            LedgerBucket.Pending => this with { Pending = Pending + entry.Amount },
            LedgerBucket.Approved => this with { Approved = Approved + entry.Amount },
            LedgerBucket.Paid => this with { Paid = Paid + entry.Amount },
            _ => this with { Carried = Carried + entry.Amount },
        };
    }
}
