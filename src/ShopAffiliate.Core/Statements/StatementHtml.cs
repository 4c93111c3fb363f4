using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Core.Statements;

public enum StatementLanguage
{
    English,
    Danish,
}

/// <summary>
/// The printable statement: one server-rendered page with its own small stylesheet (inline, allowed by its hash in the
/// page's CSP; no CDN, no script), in English or Danish. The app runs with invariant globalization, so the Danish
/// number and date formats are spelt out here rather than taken from a culture: <c>1.234,50 kr.</c>, <c>1. november 2026</c>.
/// </summary>
public static class StatementHtml
{
    private const string Css = """
        @page { size: A4; margin: 16mm; }
        * { box-sizing: border-box; }
        body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0; background: #fff; }
        main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid #1a1a1a; }
        .who { font-size: 1.1rem; font-weight: 600; margin: 0; }
        .period { color: #444; margin: .25rem 0 0; }
        table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { padding: .3rem .5rem; border-bottom: 1px solid #d0d0d0; text-align: left; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #1a1a1a; border-bottom: none; }
        .empty { color: #444; }
        nav.actions { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: 0 0 1.5rem; }
        nav.actions a { color: #0b5cad; }
        @media print { main { margin: 0; max-width: none; padding: 0; } h2 { break-after: avoid; } table { break-inside: avoid; } nav.actions { display: none; } }
        """;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly string CssHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)));

    private static readonly string[] DanishMonths =
        ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly NumberFormatInfo DanishNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", NegativeSign = "-" };

    private static readonly NumberFormatInfo EnglishNumbers = new() { NumberDecimalSeparator = ".", NumberGroupSeparator = ",", NegativeSign = "-" };

    /// <summary><paramref name="lang"/> (en or da) when given, else Danish when the browser asks for it first, else English.</summary>
    public static StatementLanguage LanguageOf(string? lang, string? acceptLanguage)
    {
        if (!string.IsNullOrWhiteSpace(lang))
        {
            return lang.Trim().ToLowerInvariant() switch
            {
                "en" => StatementLanguage.English,
                "da" => StatementLanguage.Danish,
                _ => throw ValidationFailedException.For("lang", $"'{lang}' is not a statement language: use lang=en or lang=da."),
            };
        }
        var first = (acceptLanguage ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return first.StartsWith("da", StringComparison.OrdinalIgnoreCase) ? StatementLanguage.Danish : StatementLanguage.English;
    }

    /// <param name="links">Links shown above the statement on screen, not on paper (the portal's way back and its CSV);
    /// our own paths only, their text already in <paramref name="language"/>.</param>
    public static (string Html, string ContentSecurityPolicy) Render(Statement s, StatementLanguage language, IReadOnlyList<(string Text, string Path)>? links = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var t = new Words(language);
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"").Append(language == StatementLanguage.Danish ? "da" : "en").Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E($"{t.Title} {MonthName(s.From, language)} · {s.AffiliateName}")).Append("</title>")
            .Append("<style>").Append(Css).Append("</style></head><body><main>");
        if (links is { Count: > 0 })
        {
            html.Append("<nav class=\"actions\" aria-label=\"").Append(E(t.Links)).Append("\">");
            foreach (var (text, path) in links.Where(l => l.Path.StartsWith('/') && !l.Path.StartsWith("//", StringComparison.Ordinal)))
                html.Append("<a href=\"").Append(E(path)).Append("\">").Append(E(text)).Append("</a>");
            html.Append("</nav>");
        }
        html.Append("<header><h1>").Append(E(t.Title)).Append("</h1><p class=\"who\">").Append(E(s.AffiliateName)).Append("</p>")
            .Append("<p class=\"period\">").Append(E($"{MonthName(s.From, language)}: {Date(s.From, language)} – {Date(s.To, language)} ({t.TimeZone} {s.TimeZone})"))
            .Append("</p></header>");
        html.Append("<table><caption>").Append(E(t.Activity)).Append("</caption><tbody>");
        Line(html, t.Clicks, Count(s.Clicks, language));
        Line(html, t.UniqueClicks, Count(s.UniqueClicks, language));
        Line(html, t.Orders, Count(s.Orders, language));
        html.Append("</tbody></table>");
        if (s.Currencies.Count == 0)
            html.Append("<p class=\"empty\">").Append(E(t.Nothing)).Append("</p>");
        foreach (var c in s.Currencies)
        {
            string M(decimal amount) => E(Money(amount, c.Currency, language));
            html.Append("<section><h2>").Append(E(c.Currency)).Append("</h2>");
            html.Append("<table><caption>").Append(E(t.Movements)).Append("</caption><tbody>");
            Line(html, t.Opening, M(c.OpeningBalance));
            Line(html, t.Earned, M(c.Earned));
            Line(html, t.Refunds, M(c.Refunds));
            Line(html, t.Clawbacks, M(c.Clawbacks));
            Line(html, t.Payouts, M(-c.Payouts));
            Line(html, t.Closing, M(c.ClosingBalance), total: true);
            html.Append("</tbody></table>");
            html.Append("<table><caption>").Append(E(t.ClosingSplit)).Append("</caption><tbody>");
            Line(html, t.Status(CommissionStatus.Pending), M(c.Pending));
            Line(html, t.Status(CommissionStatus.Approved), M(c.Approved));
            Line(html, t.Carried, M(c.Carried));
            Line(html, t.Payable, M(c.Payable), total: true);
            html.Append("</tbody></table>");
            html.Append("<table><caption>").Append(E(t.ByStatus)).Append("</caption><thead><tr><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">")
                .Append(E(t.Count)).Append("</th><th scope=\"col\" class=\"num\">").Append(E(t.Amount)).Append("</th></tr></thead><tbody>");
            foreach (var line in c.Commissions)
            {
                html.Append("<tr><th scope=\"row\">").Append(E(t.Status(line.Status))).Append("</th><td class=\"num\">")
                    .Append(line.Count.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"num\">").Append(M(line.Amount)).Append("</td></tr>");
            }
            if (c.Commissions.Count == 0)
                html.Append("<tr><td colspan=\"3\" class=\"empty\">").Append(E(t.NoOrders)).Append("</td></tr>");
            html.Append("</tbody></table></section>");
        }
        html.Append("</main></body></html>");
        var csp = $"default-src 'none'; style-src 'sha256-{CssHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return (html.ToString(), csp);
    }

    /// <summary>"1.234,50 kr." (Danish, DKK), "1.234,50 EUR" (Danish), "1,234.50 USD" (English).</summary>
    public static string Money(decimal amount, string currency, StatementLanguage language)
    {
        var digits = Currencies.MinorUnits(currency);
        var rounded = Currencies.Round(amount, currency);
        var numbers = language == StatementLanguage.Danish ? DanishNumbers : EnglishNumbers;
        var text = rounded.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), numbers);
        return language == StatementLanguage.Danish && currency == "DKK" ? text + " kr." : $"{text} {currency}";
    }

    private static string Count(long n, StatementLanguage language) =>
        n.ToString("N0", language == StatementLanguage.Danish ? DanishNumbers : EnglishNumbers);

    /// <summary>"1. november 2026" or "1 November 2026".</summary>
    public static string Date(DateOnly day, StatementLanguage language) => language == StatementLanguage.Danish
        ? $"{day.Day.ToString(CultureInfo.InvariantCulture)}. {DanishMonths[day.Month - 1]} {day.Year.ToString(CultureInfo.InvariantCulture)}"
        : $"{day.Day.ToString(CultureInfo.InvariantCulture)} {EnglishMonths[day.Month - 1]} {day.Year.ToString(CultureInfo.InvariantCulture)}";

    private static string MonthName(DateOnly day, StatementLanguage language)
    {
        var name = language == StatementLanguage.Danish ? DanishMonths[day.Month - 1] : EnglishMonths[day.Month - 1];
        return $"{char.ToUpperInvariant(name[0])}{name[1..]} {day.Year.ToString(CultureInfo.InvariantCulture)}";
    }

    private static void Line(StringBuilder html, string label, string encodedAmount, bool total = false) =>
        html.Append(total ? "<tr class=\"total\">" : "<tr>").Append("<th scope=\"row\">").Append(E(label)).Append("</th><td class=\"num\">")
            .Append(encodedAmount).Append("</td></tr>");

    /// <summary>Markup characters escaped, Danish letters kept as they are (WebUtility would write ø as &amp;#248;).</summary>
    private static string E(string text) => Encoder.Encode(text);

    /// <summary>The page's words; Danish as in shared/docs/DANISH.md (provision, udbetaling, modregning, saldo).</summary>
    private sealed class Words(StatementLanguage language)
    {
        private readonly bool _da = language == StatementLanguage.Danish;

        public string Title => _da ? "Provisionsopgørelse" : "Commission statement";
        public string Links => _da ? "Handlinger" : "Actions";
        public string TimeZone => _da ? "tidszone" : "time zone";
        public string Nothing => _da ? "Ingen provision eller udbetalinger i perioden." : "No commission or payouts in this period.";
        public string Activity => _da ? "Aktivitet" : "Activity";
        public string Clicks => _da ? "Klik" : "Clicks";
        public string UniqueClicks => _da ? "Unikke klik" : "Unique clicks";
        public string Orders => _da ? "Ordrer" : "Orders";
        public string Movements => _da ? "Saldo og bevægelser" : "Balance and movements";
        public string Opening => _da ? "Saldo ved periodens start" : "Opening balance";
        public string Earned => _da ? "Optjent provision" : "Commission earned";
        public string Refunds => _da ? "Refusioner og tilbageførsler" : "Refunds and reversals";
        public string Clawbacks => _da ? "Modregninger" : "Clawbacks";
        public string Payouts => _da ? "Udbetalinger" : "Payouts";
        public string Closing => _da ? "Saldo ved periodens slut" : "Closing balance";
        public string ClosingSplit => _da ? "Saldoen ved periodens slut" : "The closing balance";
        public string Carried => _da ? "Modregnes i næste udbetaling" : "Carried into the next payout";
        public string Payable => _da ? "Til udbetaling" : "Payable";
        public string ByStatus => _da ? "Periodens provision efter status" : "This period's commission by status";
        public string Count => _da ? "Antal" : "Count";
        public string Amount => _da ? "Beløb" : "Amount";
        public string NoOrders => _da ? "Ingen ordrer i perioden." : "No orders in this period.";

        public string Status(CommissionStatus status) => (status, _da) switch
        {
            (CommissionStatus.Pending, true) => "Afventer",
            (CommissionStatus.Approved, true) => "Godkendt",
            (CommissionStatus.Paid, true) => "Udbetalt",
            (CommissionStatus.Rejected, true) => "Afvist",
            (CommissionStatus.Reversed, true) => "Tilbageført",
            _ => status.ToString(),
        };
    }
}
