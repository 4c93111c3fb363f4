using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShopAffiliate.Core.Engine;

/// <summary>
/// One argument of an <see cref="ExplanationPart"/>: exactly one of a text (a name, a code, words staff typed), an
/// amount of money, a percentage (a fraction), a whole number (days), a date, or nested parts written one after the
/// other with <see cref="Separator"/> between them. Short JSON names: the parts are stored on every order and commission.
/// </summary>
public sealed record ExplanationArg
{
    [JsonPropertyName("t"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonPropertyName("m"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Amount { get; init; }

    [JsonPropertyName("c"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Currency { get; init; }

    /// <summary>A fraction: 0.125 is 12.5%.</summary>
    [JsonPropertyName("p"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Percent { get; init; }

    [JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Number { get; init; }

    /// <summary>A day (UTC), written with its year when <see cref="WithYear"/>.</summary>
    [JsonPropertyName("d"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? Date { get; init; }

    [JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool WithYear { get; init; }

    [JsonPropertyName("l"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ExplanationPart>? Parts { get; init; }

    [JsonPropertyName("s"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Separator { get; init; }

    public static ExplanationArg Of(string text) => new() { Text = text };

    public static ExplanationArg Of(Money money) => new() { Amount = money.Amount, Currency = money.Currency };

    public static ExplanationArg Of(int number) => new() { Number = number };

    public static ExplanationArg OfPercent(decimal fraction) => new() { Percent = fraction };

    public static ExplanationArg OfDate(DateTime day, bool withYear) => new() { Date = day, WithYear = withYear };

    /// <summary>Nested parts written without a space between them (an optional clause is an empty list).</summary>
    public static ExplanationArg Of(params ExplanationPart[] parts) => new() { Parts = parts };

    public static ExplanationArg List(IEnumerable<ExplanationPart> parts, string separator) => new() { Parts = parts.ToArray(), Separator = separator };

    public static implicit operator ExplanationArg(string text) => Of(text);

    public static implicit operator ExplanationArg(Money money) => Of(money);

    public static implicit operator ExplanationArg(int number) => Of(number);

    public static implicit operator ExplanationArg(ExplanationPart part) => Of(part);
}

/// <summary>
/// One sentence or phrase of an explanation: a message key (<see cref="ExplanationTexts"/>) and its arguments. An
/// explanation is a list of parts written one after the other with a space between them.
/// </summary>
public sealed record ExplanationPart(
    [property: JsonPropertyName("k")] string Key,
    [property: JsonPropertyName("a"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ExplanationArg>? Args = null)
{
    public static ExplanationPart Of(string key, params ExplanationArg[] args) => new(key, args.Length == 0 ? null : args);

    /// <summary>Words that are not ours to translate (staff's reason, a text stored before explanations had parts).</summary>
    public static ExplanationPart Verbatim(string text) => Of(ExplanationTexts.Verbatim, text);
}

/// <summary>
/// The message keys and their English texts (<c>{0}</c>, <c>{1}</c>... are the arguments). English is the stored
/// text: <see cref="ExplanationEnglish"/> writes the parts with these texts and the engine's invariant formats, and the
/// engine stores what it writes. Other languages live outside the engine (<c>Explanations.ExplanationRenderer</c>).
/// </summary>
public static class ExplanationTexts
{
    public const string Verbatim = "text";

    public static readonly IReadOnlyDictionary<string, string> English = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Verbatim] = "{0}",

        // Attribution (AttributionEngine).
        ["attr.test"] = "Test order, no commission is booked.",
        ["attr.none"] = "No affiliate: no coupon, referral or lifetime customer matched.",
        ["attr.self.hold"] = "But the buyer is {0}'s own account (self-referral): the commission is held until staff review it.",
        ["attr.self.reject"] = "But the buyer is {0}'s own account (self-referral): the commission is rejected.",
        ["attr.lifetime.linked"] = "From now on this customer's orders earn {0} lifetime commissions.",
        ["attr.manual"] = "Assigned to {0} by staff: {1}.",
        ["attr.coupon"] = "Coupon {0} belongs to {1}{2}.",
        ["attr.coupon.same"] = " (their {0} points the same way)",
        ["attr.coupon.over"] = " (the coupon wins over {0}'s {1})",
        ["attr.referral"] = "Referral of {0}: {1}{2}{3}.",
        ["attr.timing.day"] = ", {0} day before the order, inside the {1}-day window",
        ["attr.timing.days"] = ", {0} days before the order, inside the {1}-day window",
        ["attr.timing.lessThanDay"] = ", less than a day before the order",
        ["attr.rival.first"] = " (the first referral wins over {0}'s {1})",
        ["attr.rival.last"] = " (the last referral wins over {0}'s {1})",
        ["attr.lifetime.email"] = "Lifetime customer of {0}: {1} was referred by {0} before.",
        ["attr.lifetime.account"] = "Lifetime customer of {0}: this customer account was referred by {0} before.",
        ["attr.skip.manual"] = "The manual assignment to {0}.",
        ["attr.skip.coupon"] = "Coupon {0} belongs to {1}.",
        ["attr.skip.lifetime"] = "The customer's lifetime link is to {0}.",
        ["attr.skip.referral"] = "A referral ({0}) belongs to {1}.",
        ["attr.skip.old"] = "{0}'s {1} is older than the {2}-day window.",
        ["attr.skip.after"] = "{0}'s {1} came after the order.",
        ["attr.why.gone"] = "an affiliate who no longer exists: skipped",
        ["attr.why.pending"] = "{0}, whose account is pending: skipped",
        ["attr.why.approved"] = "{0}, whose account is approved: skipped",
        ["attr.why.rejected"] = "{0}, whose account is rejected: skipped",
        ["attr.why.suspended"] = "{0}, whose account is suspended: skipped",
        ["attr.touch.at"] = "{0} from {1}",
        ["attr.source.click"] = "link click",
        ["attr.source.cart"] = "referral link saved in the cart",
        ["attr.source.orderMeta"] = "referral saved with the order",
        ["attr.source.landing"] = "referral link in the order's landing page",
        ["attr.source.utm"] = "utm_source tag on the order",

        // The quote (CommissionCalculator) and the simple quotes of an order nobody is credited with.
        ["calc.none"] = "No commission.",
        ["calc.noAffiliate"] = "No affiliate, so no commission.",
        ["calc.giftCardsOnly"] = "Order {0} buys only gift cards, which earn no commission (the order that spends them does).",
        ["calc.noRule"] = "No rule of plan {0} covers the lines of order {1}: no commission.",
        ["calc.plan"] = "Plan {0}: {1}. Total {2}.",
        ["calc.rule"] = "{0} under rule \"{1}\" on {2} = {3}",
        ["calc.rate.percent"] = "{0} of {1}",
        ["calc.rate.perOrder"] = "{0} per order",
        ["calc.rate.perUnit"] = "{0} per unit",
        ["calc.rate.tier"] = "{0} (performance tier)",
        ["calc.line"] = "line {0}",
        ["calc.lines"] = "lines {0}",
        ["calc.uncovered"] = "No rule covers {0}.",
        ["calc.giftCards"] = "Gift cards earn no commission ({0}).",
        ["calc.secondTier"] = "Second tier: {0} of {1} = {2}.",

        // The commission (its tier and the reason for its status).
        ["commission.secondTier"] = "Second tier: you recruited the affiliate who referred this order.",
        ["commission.status"] = "({0})",
        ["status.testOrder"] = "Test order: no commission.",
        ["status.notCredited"] = "The order is no longer credited to this affiliate.",
        ["status.cancelled"] = "Order cancelled.",
        ["status.selfReferralRejected"] = "Self-referral: the buyer is the affiliate.",
        ["status.refundedAfterPayment"] = "Refunds after payment took the whole commission: it is taken back from the next payout.",
        ["status.refunded"] = "Refunds took the whole commission.",
        ["status.selfReferralHeld"] = "Self-referral: held until staff review it.",
    };

    /// <summary>The engine's reasons for a commission's status, as parts (staff's own words stay verbatim).</summary>
    public static ExplanationPart StatusReason(string reason) =>
        English.FirstOrDefault(e => e.Key.StartsWith("status.", StringComparison.Ordinal) && e.Value == reason) is { Key: { } key }
            ? ExplanationPart.Of(key)
            : ExplanationPart.Verbatim(reason);

    /// <summary>The English text of a status reason key, as the engine stores it in <c>StatusReason</c>.</summary>
    public static string StatusText(string key) => English[key];
}

/// <summary>Writes parts in English with the engine's invariant formats (<see cref="Money"/>'s "12.50 USD"): the stored text.</summary>
public static class ExplanationEnglish
{
    public static string Render(IEnumerable<ExplanationPart> parts) =>
        ExplanationWriter.Write(parts, " ", ExplanationTexts.English, Format);

    private static string Format(ExplanationArg arg) => arg switch
    {
        { Amount: { } amount, Currency: { } currency } => new Money(amount, currency).ToString(),
        { Percent: { } fraction } => (fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%",
        { Number: { } n } => n.ToString(CultureInfo.InvariantCulture),
        { Date: { } day } => day.ToString(arg.WithYear ? "ddd d MMM yyyy" : "ddd d MMM", CultureInfo.InvariantCulture),
        _ => arg.Text ?? "",
    };
}

/// <summary>The one writer of parts: a language is its texts and its way of writing an argument.</summary>
public static class ExplanationWriter
{
    public static string Write(
        IEnumerable<ExplanationPart> parts, string separator, IReadOnlyDictionary<string, string> texts, Func<ExplanationArg, string> format)
    {
        var builder = new StringBuilder();
        var first = true;
        foreach (var part in parts)
        {
            if (!first) builder.Append(separator);
            first = false;
            Append(builder, part, texts, format);
        }
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ExplanationPart part, IReadOnlyDictionary<string, string> texts, Func<ExplanationArg, string> format)
    {
        // A key this version does not know (a newer node wrote it) falls back to English, then to the key itself.
        var template = texts.TryGetValue(part.Key, out var t) ? t : ExplanationTexts.English.GetValueOrDefault(part.Key, part.Key);
        var args = part.Args ?? [];
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 2 < template.Length && char.IsAsciiDigit(template[i + 1]) && template[i + 2] == '}')
            {
                var index = template[i + 1] - '0';
                if (index < args.Count)
                {
                    var arg = args[index];
                    builder.Append(arg.Parts is { } nested ? Write(nested, arg.Separator ?? "", texts, format) : format(arg));
                }
                i += 2;
            }
            else
            {
                builder.Append(c);
            }
        }
    }
}

/// <summary>How parts are stored in the <c>...Json</c> columns.</summary>
public static class ExplanationJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        // Names in Danish (æ, ø, å) stay readable, so a search for a name finds them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(IReadOnlyList<ExplanationPart> parts) => JsonSerializer.Serialize(parts, Options);

    /// <summary>The stored parts, or null for a row stored before explanations had parts (or one that cannot be read).</summary>
    public static IReadOnlyList<ExplanationPart>? Deserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<List<ExplanationPart>>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="parts"/> with <paramref name="name"/> replaced inside every text argument (erasure: the affiliate's
    /// name becomes the pseudonym).
    /// </summary>
    public static IReadOnlyList<ExplanationPart> Replace(IReadOnlyList<ExplanationPart> parts, string name, string replacement) =>
        parts.Select(p => p with
        {
            Args = p.Args?.Select(a => a with
            {
                Text = a.Text?.Replace(name, replacement, StringComparison.Ordinal),
                Parts = a.Parts is null ? null : Replace(a.Parts, name, replacement),
            }).ToArray(),
        }).ToArray();
}
