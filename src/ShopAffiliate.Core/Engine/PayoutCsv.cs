using System.Globalization;
using System.Text;

namespace ShopAffiliate.Core.Engine;

/// <summary>
/// Payout exports. Lines end with CRLF (RFC 4180). Text cells are quoted when they hold a quote, comma or line break,
/// and a text cell starting with = + - @ (or a tab or carriage return) gets a leading single quote so a spreadsheet
/// does not run it as a formula. Amounts are written by us, invariant culture, never negative, and are not altered.
/// </summary>
public static class PayoutCsv
{
    /// <summary>
    /// PayPal mass payment file, no header: recipient e-mail, amount, currency, unique id, note. Amounts have 2
    /// decimals, or none for currencies without minor units (JPY): PayPal rejects decimals there.
    /// </summary>
    public static string PayPalMassPayment(IEnumerable<PayoutLine> lines, string note)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new StringBuilder();
        foreach (var line in lines)
        {
            Row(csv, Text(line.Email), Amount(line.Amount, Math.Min(2, Currencies.MinorUnits(line.Amount.Currency))), Text(line.Amount.Currency),
                Text(line.Reference), Text(note));
        }

        return csv.ToString();
    }

    /// <summary>A generic bank transfer sheet with a header row: affiliate_id,name,email,amount,currency,reference.</summary>
    public static string Bank(IEnumerable<PayoutLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new StringBuilder();
        Row(csv, "affiliate_id", "name", "email", "amount", "currency", "reference");
        foreach (var line in lines)
        {
            Row(csv, Text(line.Affiliate.ToString()), Text(line.Name), Text(line.Email),
                Amount(line.Amount, Currencies.MinorUnits(line.Amount.Currency)), Text(line.Amount.Currency), Text(line.Reference));
        }

        return csv.ToString();
    }

    /// <summary>One text cell, escaped for CSV and neutralised against formula injection.</summary>
    public static string Text(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            text = "'" + text;
        return text.IndexOfAny(['"', ',', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string Amount(Money amount, int decimals)
    {
        if (amount.Amount < 0m)
            throw new ArgumentException($"A payout of {amount} cannot be exported.", nameof(amount));
        return decimal.Round(amount.Amount, decimals, MidpointRounding.AwayFromZero)
            .ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static void Row(StringBuilder csv, params string[] cells) => csv.Append(string.Join(',', cells)).Append("\r\n");
}
