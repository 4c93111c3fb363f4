using System.Globalization;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Statements;

namespace ShopAffiliate.Core.Explanations;

/// <summary>
/// Writes an explanation's parts (<see cref="ExplanationPart"/>) in the reader's language (ADR 0051). English is the
/// stored text itself (<see cref="ExplanationEnglish"/>, the engine's invariant formats: "50.00 DKK"); Danish uses the
/// texts below and Danish formats ("50,00 kr.", "12,5 %", "man. 3. mar."). Words as in shared/docs/DANISH.md.
/// A row stored before explanations had parts (no JSON) is shown as its stored English text.
/// </summary>
public static class ExplanationRenderer
{
    // Danish formats written out, as the statements do: the Core runs in invariant-globalization mode (no ICU data).
    private static readonly NumberFormatInfo DanishNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", NegativeSign = "-" };
    private static readonly string[] DanishDays = ["søn.", "man.", "tirs.", "ons.", "tors.", "fre.", "lør."];
    private static readonly string[] DanishMonths = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];

    /// <summary>The languages explanations are written in: English (the stored text) and Danish.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "da"];

    /// <summary>The parts in <paramref name="language"/> (<c>"da"</c>; anything else is English, the stored text).</summary>
    public static string Render(IEnumerable<ExplanationPart> parts, string language) =>
        language == "da" ? ExplanationWriter.Write(parts, " ", Danish, FormatDanish) : ExplanationEnglish.Render(parts);

    /// <summary>The stored parts in <paramref name="language"/>; the stored English <paramref name="text"/> when there are none.</summary>
    public static string Render(string? json, string text, string language) =>
        ExplanationJson.Deserialize(json) is { } parts ? Render(parts, language) : text;

    /// <summary>In the language of <paramref name="culture"/> (the request's UI culture).</summary>
    public static string Render(string? json, string text, CultureInfo culture) => Render(json, text, culture.TwoLetterISOLanguageName);

    private static string FormatDanish(ExplanationArg arg) => arg switch
    {
        // As statements and the Danish UI write money: "1.234,50 kr.", "1.234,50 EUR".
        { Amount: { } amount, Currency: { } currency } => StatementHtml.Money(amount, currency, StatementLanguage.Danish),
        // As the Danish UI writes a percentage: "12,5 %" (a no-break space).
        { Percent: { } fraction } => (fraction * 100m).ToString("0.##", DanishNumbers) + "\u00a0%",
        { Number: { } n } => n.ToString("N0", DanishNumbers),
        { Date: { } day } => $"{DanishDays[(int)day.DayOfWeek]} {day.Day.ToString(CultureInfo.InvariantCulture)}. {DanishMonths[day.Month - 1]}"
                             + (arg.WithYear ? " " + day.Year.ToString(CultureInfo.InvariantCulture) : ""),
        _ => arg.Text ?? "",
    };

    /// <summary>Danish texts for every key of <see cref="ExplanationTexts.English"/> (a test checks that none is missing).</summary>
    public static readonly IReadOnlyDictionary<string, string> Danish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ExplanationTexts.Verbatim] = "{0}",

        ["attr.test"] = "Testordre: der bogføres ingen provision.",
        ["attr.none"] = "Ingen affiliate: ingen rabatkode, henvisning eller livstidskunde passede.",
        ["attr.self.hold"] = "Men køberen er {0} selv (selvhenvisning): provisionen holdes tilbage, til personalet har gennemgået den.",
        ["attr.self.reject"] = "Men køberen er {0} selv (selvhenvisning): provisionen afvises.",
        ["attr.lifetime.linked"] = "Fremover giver denne kundes ordrer {0} livstidsprovision.",
        ["attr.manual"] = "Tildelt {0} af personalet: {1}.",
        ["attr.coupon"] = "Rabatkoden {0} tilhører {1}{2}.",
        ["attr.coupon.same"] = " (affiliatens {0} peger samme vej)",
        ["attr.coupon.over"] = " (rabatkoden vinder over henvisningen fra {0}: {1})",
        ["attr.referral"] = "Henvisning fra {0}: {1}{2}{3}.",
        ["attr.timing.day"] = ", {0} dag før ordren, inden for vinduet på {1} dage",
        ["attr.timing.days"] = ", {0} dage før ordren, inden for vinduet på {1} dage",
        ["attr.timing.lessThanDay"] = ", mindre end en dag før ordren",
        ["attr.rival.first"] = " (den første henvisning vinder over henvisningen fra {0}: {1})",
        ["attr.rival.last"] = " (den seneste henvisning vinder over henvisningen fra {0}: {1})",
        ["attr.lifetime.email"] = "Livstidskunde hos {0}: {1} blev tidligere henvist af {0}.",
        ["attr.lifetime.account"] = "Livstidskunde hos {0}: denne kundekonto blev tidligere henvist af {0}.",
        ["attr.skip.manual"] = "Den manuelle tildeling til {0}.",
        ["attr.skip.coupon"] = "Rabatkoden {0} tilhører {1}.",
        ["attr.skip.lifetime"] = "Kundens livstidskobling er til {0}.",
        ["attr.skip.referral"] = "En henvisning ({0}) tilhører {1}.",
        ["attr.skip.old"] = "Henvisningen fra {0} ({1}) er ældre end vinduet på {2} dage.",
        ["attr.skip.after"] = "Henvisningen fra {0} ({1}) kom efter ordren.",
        ["attr.why.gone"] = "en affiliate, der ikke længere findes: sprunget over",
        ["attr.why.pending"] = "{0}, hvis konto afventer godkendelse: sprunget over",
        ["attr.why.approved"] = "{0}, hvis konto er godkendt: sprunget over",
        ["attr.why.rejected"] = "{0}, hvis konto er afvist: sprunget over",
        ["attr.why.suspended"] = "{0}, hvis konto er suspenderet: sprunget over",
        ["attr.touch.at"] = "{0} fra {1}",
        ["attr.source.click"] = "linkklik",
        ["attr.source.cart"] = "henvisningslink gemt i kurven",
        ["attr.source.orderMeta"] = "henvisning gemt med ordren",
        ["attr.source.landing"] = "henvisningslink på ordrens landingsside",
        ["attr.source.utm"] = "utm_source-mærke på ordren",

        ["calc.none"] = "Ingen provision.",
        ["calc.noAffiliate"] = "Ingen affiliate, så ingen provision.",
        ["calc.giftCardsOnly"] = "Ordre {0} køber kun gavekort, som ikke giver provision (det gør den ordre, der bruger dem).",
        ["calc.noRule"] = "Ingen regel i planen {0} dækker linjerne i ordre {1}: ingen provision.",
        ["calc.plan"] = "Plan {0}: {1}. I alt {2}.",
        ["calc.rule"] = "{0} efter reglen »{1}« på {2} = {3}",
        ["calc.rate.percent"] = "{0} af {1}",
        ["calc.rate.perOrder"] = "{0} pr. ordre",
        ["calc.rate.perUnit"] = "{0} pr. stk.",
        ["calc.rate.tier"] = "{0} (salgstrin)",
        ["calc.line"] = "linje {0}",
        ["calc.lines"] = "linjerne {0}",
        ["calc.uncovered"] = "Ingen regel dækker {0}.",
        ["calc.giftCards"] = "Gavekort giver ingen provision ({0}).",
        ["calc.secondTier"] = "Andet niveau: {0} af {1} = {2}.",

        ["commission.secondTier"] = "Andet niveau: du hvervede den affiliate, der henviste denne ordre.",
        ["commission.status"] = "({0})",
        ["status.testOrder"] = "Testordre: ingen provision.",
        ["status.notCredited"] = "Ordren krediteres ikke længere denne affiliate.",
        ["status.cancelled"] = "Ordren er annulleret.",
        ["status.selfReferralRejected"] = "Selvhenvisning: køberen er affiliaten selv.",
        ["status.refundedAfterPayment"] = "Refusioner efter udbetalingen tog hele provisionen: den modregnes i næste udbetaling.",
        ["status.refunded"] = "Refusioner tog hele provisionen.",
        ["status.selfReferralHeld"] = "Selvhenvisning: holdes tilbage, til personalet har gennemgået den.",
    };
}
