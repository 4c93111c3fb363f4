using System.Globalization;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// Ready-made reasons staff pick from (their English text is the resource key; the page shows them in its language and
/// stores the chosen text). A reason typed by hand wins over a picked one.
/// </summary>
public static class ReasonTemplates
{
    public static readonly IReadOnlyList<string> CommissionApprove =
    [
        "Checked: the referral is genuine.",
        "Self-referral allowed this time.",
    ];

    public static readonly IReadOnlyList<string> CommissionReject =
    [
        "Self-referral: the buyer is the affiliate.",
        "Suspected fraud: the order does not look genuine.",
        "The goods were returned.",
    ];

    public static readonly IReadOnlyList<string> AffiliateReject =
    [
        "Your website does not fit our program.",
        "We could not verify your website or channel.",
        "The program is full at the moment.",
    ];

    public static readonly IReadOnlyList<string> AffiliateSuspend =
    [
        "Traffic of poor quality or suspected fraud.",
        "Brand-term bidding against the program's terms.",
        "Advertising not marked as advertising.",
    ];

    /// <summary>The typed reason, else the picked template in the page's language, else null.</summary>
    public static string? Choose(string? typed, string? picked, IReadOnlyList<string> templates, Func<string, string> localize) =>
        !string.IsNullOrWhiteSpace(typed) ? typed.Trim()
        : picked is not null && templates.Contains(picked) ? localize(picked)
        : null;
}

/// <summary>Amounts typed in the page's culture ("12,50" in Danish), as the settings page reads its decimals.</summary>
public static class AmountInput
{
    public static bool TryParse(string? text, out decimal amount) =>
        decimal.TryParse(text?.Trim(), NumberStyles.Number, CultureInfo.CurrentCulture, out amount);
}
