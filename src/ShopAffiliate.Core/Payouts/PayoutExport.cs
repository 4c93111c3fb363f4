using System.Text;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Payouts;

/// <summary>A batch's export file: what the API's <c>/export</c> and the admin's download both send.</summary>
public sealed record PayoutFile(byte[] Content, string ContentType, string FileName);

public static class PayoutExport
{
    public static readonly string[] Formats = ["paypal", "csv"];

    /// <summary>The batch (with its items) as <c>paypal</c> (PayPal mass payment) or <c>csv</c> (bank); null for any other format.</summary>
    public static PayoutFile? Render(PayoutBatch batch, string? format)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var lines = batch.Items.OrderBy(i => i.Reference, StringComparer.Ordinal).Select(i => new PayoutLine(
            new AffiliateId(i.AffiliateId), i.Name, i.Email, new Money(i.Amount, batch.Currency), new Money(i.Approved, batch.Currency),
            new Money(i.Carried, batch.Currency), i.Reference)).ToList();
        return (format ?? "paypal").ToLowerInvariant() switch
        {
            "paypal" => Csv(PayoutCsv.PayPalMassPayment(lines, $"Affiliate commissions {batch.Reference}"), $"{batch.Reference}-paypal.csv"),
            "csv" => Csv(PayoutCsv.Bank(lines), $"{batch.Reference}-bank.csv"),
            _ => null,
        };
    }

    private static PayoutFile Csv(string text, string fileName) => new(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", fileName);
}
