using ShopAffiliate.Core.Affiliates;

namespace ShopAffiliate.Core.Engine;

/// <summary>Who a payout goes to; only Approved affiliates with an e-mail address are paid.</summary>
public sealed record PayoutRecipient(AffiliateId Affiliate, string Name, string Email, AffiliateStatus Status);

/// <summary>The minimum payout per currency; currencies not listed use <see cref="Default"/>.</summary>
public sealed record PayoutThresholds(decimal Default)
{
    public IReadOnlyDictionary<string, decimal> PerCurrency { get; init; } = new Dictionary<string, decimal>();

    public decimal For(string currency)
    {
        var code = Currencies.Normalize(currency);
        foreach (var (key, minimum) in PerCurrency)
        {
            if (Currencies.Normalize(key) == code)
                return minimum;
        }

        return Default;
    }
}

/// <summary>One payment: <see cref="Amount"/> = <see cref="Approved"/> + <see cref="Carried"/> (clawbacks are negative).</summary>
public sealed record PayoutLine(AffiliateId Affiliate, string Name, string Email, Money Amount, Money Approved, Money Carried, string Reference);

public sealed record PayoutSkip(AffiliateId Affiliate, string Currency, Money Payable, string Reason);

public sealed record PayoutPlan(IReadOnlyList<PayoutLine> Lines, IReadOnlyList<PayoutSkip> Skipped);

public static class PayoutPlanner
{
    /// <summary>PayPal's unique id column allows 30 characters; references are "{batch}-{n:D4}".</summary>
    public const int MaxBatchReferenceLength = 25;

    /// <summary>
    /// Picks every affiliate and currency whose approved balance net of carried clawbacks reaches the currency's
    /// threshold (and is positive). To execute the plan: call <see cref="OrderCommissionState.MarkPaid"/> on each of the
    /// affiliate's orders with approved money in that currency, add <see cref="SettleCarried"/>, and save all in one
    /// transaction; the Paid entries then add up to the line's amount.
    /// </summary>
    public static PayoutPlan Plan(
        IEnumerable<LedgerBalance> balances,
        IReadOnlyDictionary<AffiliateId, PayoutRecipient> recipients,
        PayoutThresholds thresholds,
        string batchReference)
    {
        ArgumentNullException.ThrowIfNull(balances);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentException.ThrowIfNullOrWhiteSpace(batchReference);
        if (batchReference.Length > MaxBatchReferenceLength)
            throw new ArgumentException($"A batch reference has at most {MaxBatchReferenceLength} characters.", nameof(batchReference));

        var chosen = new List<(PayoutRecipient Recipient, LedgerBalance Balance)>();
        var skipped = new List<PayoutSkip>();
        foreach (var balance in balances)
        {
            var payable = balance.Payable;
            var threshold = thresholds.For(balance.Currency);
            string? why = null;
            if (!recipients.TryGetValue(balance.Affiliate, out var recipient))
                why = "Unknown affiliate.";
            else if (recipient.Status != AffiliateStatus.Approved)
                why = $"The affiliate's account is {recipient.Status.ToString().ToLowerInvariant()}.";
            else if (string.IsNullOrWhiteSpace(recipient.Email))
                why = "No payout e-mail address.";
            else if (payable.Amount <= 0m || payable.Amount < threshold)
                why = $"{payable} is below the payout threshold of {new Money(threshold, balance.Currency)}.";

            if (why is null)
                chosen.Add((recipient!, balance));
            else
                skipped.Add(new(balance.Affiliate, balance.Currency, payable, why));
        }

        var lines = chosen
            .OrderBy(c => c.Recipient.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Recipient.Affiliate.Value).ThenBy(c => c.Balance.Currency, StringComparer.Ordinal)
            .Select((c, i) => new PayoutLine(
                c.Recipient.Affiliate, c.Recipient.Name, c.Recipient.Email.Trim(), c.Balance.Payable, c.Balance.Approved, c.Balance.Carried,
                $"{batchReference}-{i + 1:D4}"))
            .ToList();
        return new(lines, skipped);
    }

    /// <summary>The transfer that nets the line's carried clawbacks into the payout (Carried -c, Paid +c); none if nothing is carried.</summary>
    public static IReadOnlyList<LedgerEntry> SettleCarried(PayoutLine line, string payoutId, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentException.ThrowIfNullOrWhiteSpace(payoutId);
        if (line.Carried.IsZero)
            return [];
        var key = $"payout/{payoutId}/{line.Affiliate}/{line.Carried.Currency}/carried";
        var text = $"Carried {line.Carried} settled in payout {payoutId}";
        return
        [
            new($"{key}/0", line.Affiliate, null, 0, LedgerEntryKind.Paid, LedgerBucket.Carried, -line.Carried, at, text + ".") { Reference = payoutId },
            new($"{key}/1", line.Affiliate, null, 0, LedgerEntryKind.Paid, LedgerBucket.Paid, line.Carried, at, text + ".") { Reference = payoutId },
        ];
    }
}
