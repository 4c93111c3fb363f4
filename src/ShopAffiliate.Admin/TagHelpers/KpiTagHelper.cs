using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>How a KPI's value is written.</summary>
public enum KpiFormat { Number, Money, Percent, Decimal }

/// <summary>
/// <c>&lt;sa-kpi label="Revenue" value="@now" previous="@before" format="Money" currency="DKK" /&gt;</c>: a KPI card with
/// the change against the previous period (none when there was nothing before to compare with). A ratio whose
/// denominator is 0 (conversion rate without clicks, ROI without commission) is null by the report definitions and is
/// shown as a dash, never as 0.
/// </summary>
[HtmlTargetElement("sa-kpi", TagStructure = TagStructure.WithoutEndTag)]
public sealed class KpiTagHelper(IStringLocalizer<SharedText> text) : TagHelper
{
    public string Label { get; set; } = "";
    public decimal? Value { get; set; }
    public decimal? Previous { get; set; }
    public KpiFormat Format { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>For figures where less is good (refunds, cost): a fall is then shown in green.</summary>
    public bool LowerIsBetter { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var culture = CultureInfo.CurrentCulture;
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "kpi");
        output.Attributes.SetAttribute("data-testid", "kpi");
        var value = Value is not { } v ? "—" : Format switch
        {
            KpiFormat.Money => Formats.Money(v, Currency, culture),
            KpiFormat.Percent => Formats.Percent(v, culture),
            KpiFormat.Decimal => Formats.Number(v, culture, 2),
            _ => Formats.Number(v, culture),
        };
        var change = Value is { } current ? Change(current, Previous) : null;
        var (css, words) = change switch
        {
            null when Value is null => ("flat", text["Not defined: nothing to divide by in this period"].Value),
            null => ("flat", text["No earlier period to compare with"].Value),
            0m => ("flat", text["Unchanged vs previous period"].Value),
            > 0m => (LowerIsBetter ? "down" : "up", text["Up {0} vs previous period", Formats.Percent(Math.Abs(change.Value), culture)].Value),
            _ => (LowerIsBetter ? "up" : "down", text["Down {0} vs previous period", Formats.Percent(Math.Abs(change.Value), culture)].Value),
        };
        var arrow = change switch { > 0m => "▲ ", < 0m => "▼ ", _ => "" };
        var enc = UiEncoding.Html;
        output.Content.SetHtmlContent(
            $"<p class=\"label\">{enc.Encode(Label)}</p><p class=\"value\">{enc.Encode(value)}</p>" +
            $"<p class=\"change {css}\"><span aria-hidden=\"true\">{arrow}</span>{enc.Encode(words)}</p>");
    }

    /// <summary>The relative change, or null when there is no previous figure or it was zero (no ratio exists).</summary>
    public static decimal? Change(decimal value, decimal? previous) =>
        previous is { } p && p != 0m ? (value - p) / Math.Abs(p) : previous == 0m && value == 0m ? 0m : null;
}
