using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Core.Commissions;

/// <summary>
/// Money staff add by hand (ADR 0033): a manual commission (for one of the program's orders, or free-standing, such as a
/// bonus) and a manual adjustment (either sign, such as a correction). Each is one new ledger entry, never an edit of an
/// amount: it is booked in the Carried bucket, which the next payout settles (a positive amount is paid with it, a
/// negative one is netted from it), since staff deciding it is the approval. The reason is required and recorded in
/// the audit trail in the same save.
/// </summary>
public sealed class ManualLedger(AppDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxReason = 1000;
    private const decimal MaxAmount = 1_000_000m;

    public Task<LedgerRecord> CommissionAsync(Guid affiliateId, decimal amount, string? currency, Guid? orderId, string? reason, CancellationToken ct)
    {
        if (amount <= 0m) throw ValidationFailedException.For("amount", "A manual commission is more than zero; take money back with an adjustment.");
        return BookAsync(LedgerEntryKind.Earned, AuditActions.ManualCommission, "Manual commission", affiliateId, amount, currency, orderId, reason, ct);
    }

    public Task<LedgerRecord> AdjustAsync(Guid affiliateId, decimal amount, string? currency, string? reason, CancellationToken ct)
    {
        if (amount == 0m) throw ValidationFailedException.For("amount", "An adjustment of zero changes nothing; enter a positive or negative amount.");
        return BookAsync(LedgerEntryKind.Adjusted, AuditActions.ManualAdjustment, "Manual adjustment", affiliateId, amount, currency, null, reason, ct);
    }

    private async Task<LedgerRecord> BookAsync(
        LedgerEntryKind kind, string action, string label, Guid affiliateId, decimal amount, string? currency, Guid? orderId, string? reason, CancellationToken ct)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReason)
            throw ValidationFailedException.For("reason", $"Give a reason (up to {MaxReason} characters): the affiliate sees it on their statement.");
        if (Math.Abs(amount) > MaxAmount) throw ValidationFailedException.For("amount", $"At most {MaxAmount:0} at a time.");
        // The tenant filter scopes both look-ups: another program's affiliate or order is simply not found.
        var affiliate = await db.Affiliates.AsNoTracking().Where(a => a.Id == affiliateId).Select(a => new { a.Id, a.WorkspaceId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No affiliate with that id in this program.");
        var workspaceCurrency = await db.Workspaces.Where(w => w.Id == affiliate.WorkspaceId).Select(w => w.Currency).FirstAsync(ct);
        string? orderNumber = null;
        if (orderId is { } oid)
        {
            var order = await db.Orders.AsNoTracking().Where(o => o.Id == oid).Select(o => new { o.Currency, o.Number, o.ExternalId, o.HasOrder }).FirstOrDefaultAsync(ct)
                ?? throw ValidationFailedException.For("orderId", "No order with that id in this program.");
            if (!order.HasOrder || order.Currency.Length == 0) throw ValidationFailedException.For("orderId", "Only a refund of that order has arrived so far.");
            if (!string.IsNullOrWhiteSpace(currency) && !string.Equals(Currencies.Normalize(currency), order.Currency, StringComparison.Ordinal))
                throw ValidationFailedException.For("currency", $"The order is in {order.Currency}: its commission is too.");
            currency = order.Currency;
            orderNumber = order.Number ?? order.ExternalId;
        }
        if (!string.IsNullOrWhiteSpace(currency) && !Currencies.IsKnown(currency))
            throw ValidationFailedException.For("currency", "Use an ISO 4217 currency code, such as DKK or EUR.");
        var cur = Currencies.Normalize(string.IsNullOrWhiteSpace(currency) ? workspaceCurrency : currency);
        if (Currencies.Round(amount, cur) != amount)
            throw ValidationFailedException.For("amount", $"{cur} has {Currencies.MinorUnits(cur)} decimals; enter the amount to the smallest unit.");

        var id = Guid.CreateVersion7();
        var record = new LedgerRecord
        {
            WorkspaceId = affiliate.WorkspaceId,
            Key = $"manual/{id}",
            AffiliateId = affiliate.Id,
            OrderId = orderId,
            Tier = kind == LedgerEntryKind.Earned ? 1 : 0,
            Kind = kind,
            Bucket = LedgerBucket.Carried,
            Amount = amount,
            Currency = cur,
            At = clock.GetUtcNow().UtcDateTime,
            Description = $"{label}{(orderNumber is null ? "" : $" for order {orderNumber}")}: {reason}",
            Reference = "manual",
        };
        db.Ledger.Add(record);
        audit.Record(action, nameof(LedgerRecord), record.Key, before: null,
            after: new { affiliateId = affiliate.Id, amount, currency = cur, orderId, kind = kind.ToString() }, reason, affiliate.WorkspaceId);
        await db.SaveChangesAsync(ct);
        return record;
    }
}
