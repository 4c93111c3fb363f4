using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;

using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>One point of a chart: the label under the axis (a day, a week) and its value.</summary>
public sealed record ChartPoint(string Label, decimal Value);

/// <summary>
/// <c>&lt;sa-chart label="Revenue per day" points="@now" previous="@before" /&gt;</c>: a line chart drawn on the server as
/// inline SVG (no script, no layout shift: its box has a fixed height), with the same figures as a hidden table for
/// screen readers. <c>previous</c> is drawn dashed, for comparing with the period before.
/// </summary>
[HtmlTargetElement("sa-chart", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ChartTagHelper(IStringLocalizer<SharedText> text) : TagHelper
{
    private const int Width = 640, Height = 220, Left = 8, Right = 8, Top = 16, Bottom = 28;

    public string Label { get; set; } = "";
    public IReadOnlyList<ChartPoint> Points { get; set; } = [];
    public IReadOnlyList<ChartPoint>? Previous { get; set; }

    /// <summary>How values are written in the table and on the axis (e.g. a money formatter).</summary>
    public Func<decimal, string>? Format { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var culture = CultureInfo.CurrentCulture;
        var format = Format ?? (v => v.ToString("N0", culture));
        var enc = UiEncoding.Html;
        var max = Points.Concat(Previous ?? []).Select(p => p.Value).DefaultIfEmpty(0m).Max();
        if (max <= 0m) max = 1m;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{enc.Encode(Label)}\">");
        for (var i = 0; i <= 2; i++)
        {
            var y = Top + (Height - Top - Bottom) * i / 2.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid-line\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\"/>");
        if (Previous is { Count: > 1 }) svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series previous\" points=\"{Line(Previous, max)}\"/>");
        if (Points.Count > 1)
        {
            var line = Line(Points, max);
            svg.Append(CultureInfo.InvariantCulture, $"<polygon class=\"area\" points=\"{Left},{Height - Bottom} {line} {Width - Right},{Height - Bottom}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" points=\"{line}\"/>");
        }
        if (Points.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 8}\">{enc.Encode(Points[0].Label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 8}\" text-anchor=\"end\">{enc.Encode(Points[^1].Label)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Top - 4}\">{enc.Encode(format(max))}</text>");
        svg.Append("</svg>");

        var legend = Previous is null ? "" :
            $"<div class=\"legend\" aria-hidden=\"true\"><span><span class=\"swatch\"></span>{enc.Encode(text["This period"])}</span><span><span class=\"swatch previous\"></span>{enc.Encode(text["Previous period"])}</span></div>";
        var table = new StringBuilder($"<table class=\"visually-hidden\"><caption>{enc.Encode(Label)}</caption><thead><tr><th scope=\"col\">{enc.Encode(text["Date"])}</th><th scope=\"col\">{enc.Encode(text["Value"])}</th></tr></thead><tbody>");
        foreach (var p in Points) table.Append(CultureInfo.InvariantCulture, $"<tr><td>{enc.Encode(p.Label)}</td><td>{enc.Encode(format(p.Value))}</td></tr>");
        table.Append("</tbody></table>");

        output.TagName = "figure";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "chart-figure");
        output.Attributes.SetAttribute("data-testid", "chart");
        output.Content.SetHtmlContent(svg + legend + table);
    }

    private static string Line(IReadOnlyList<ChartPoint> points, decimal max)
    {
        var sb = new StringBuilder();
        var step = points.Count > 1 ? (Width - Left - Right) / (double)(points.Count - 1) : 0;
        for (var i = 0; i < points.Count; i++)
        {
            var x = Left + step * i;
            var y = Height - Bottom - (double)(points[i].Value / max) * (Height - Top - Bottom);
            sb.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
        }
        return sb.ToString().TrimEnd();
    }
}
