using System.Globalization;
using System.Text;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Statements;

/// <summary>
/// A statement as one table (RFC 4180, CRLF): <c>section,currency,item,count,amount</c>. Section <c>statement</c>
/// names the affiliate, month and time zone; <c>activity</c> has the clicks, unique clicks and orders (count column); <c>balance</c> has one row per figure of each currency (the JSON's names);
/// <c>commissions</c> one row per status. Amounts are invariant decimals in the currency's minor units, as in the JSON.
/// </summary>
public static class StatementCsv
{
    public static string Write(Statement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var csv = new StringBuilder();
        Row(csv, "section", "currency", "item", "count", "amount");
        Row(csv, "statement", "", "affiliateId", "", s.AffiliateId.ToString());
        Row(csv, "statement", "", "name", "", PayoutCsv.Text(s.AffiliateName));
        Row(csv, "statement", "", "month", "", s.Month);
        Row(csv, "statement", "", "from", "", Iso(s.From));
        Row(csv, "statement", "", "to", "", Iso(s.To));
        Row(csv, "statement", "", "timeZone", "", PayoutCsv.Text(s.TimeZone));
        Row(csv, "activity", "", "clicks", Count(s.Clicks), "");
        Row(csv, "activity", "", "uniqueClicks", Count(s.UniqueClicks), "");
        Row(csv, "activity", "", "orders", Count(s.Orders), "");
        foreach (var c in s.Currencies)
        {
            foreach (var (item, amount) in Figures(c))
                Row(csv, "balance", c.Currency, item, "", Currencies.Format(amount, c.Currency));
            foreach (var line in c.Commissions)
                Row(csv, "commissions", c.Currency, line.Status.ToString(), line.Count.ToString(CultureInfo.InvariantCulture), Currencies.Format(line.Amount, c.Currency));
        }
        return csv.ToString();
    }

    /// <summary>The balance figures in statement order, named as in the JSON.</summary>
    public static IEnumerable<(string Item, decimal Amount)> Figures(CurrencyStatement c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return
        [
            ("openingBalance", c.OpeningBalance), ("earned", c.Earned), ("refunds", c.Refunds), ("clawbacks", c.Clawbacks),
            ("payouts", c.Payouts), ("closingBalance", c.ClosingBalance), ("pending", c.Pending), ("approved", c.Approved),
            ("carried", c.Carried), ("payable", c.Payable),
        ];
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, params string[] cells) => csv.Append(string.Join(',', cells)).Append("\r\n");
}
