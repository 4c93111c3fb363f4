using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Explanations;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-explanation json="@c.ExplanationJson" text="@c.Explanation" /&gt;</c>: a commission's or an order's
/// explanation in the request's language, from its stored parts (ADR 0051); a row stored before them (no JSON) shows
/// its stored English text. <c>&lt;sa-explanation reason="@c.StatusReason" /&gt;</c>: a commission's status reason, the
/// engine's in the request's language, one staff typed as they typed it. Writes the text alone, no element of its own.
/// </summary>
[HtmlTargetElement("sa-explanation", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ExplanationTagHelper : TagHelper
{
    public string? Json { get; set; }
    public string Text { get; set; } = "";
    public string? Reason { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = null;
        output.Content.SetContent(Reason is not null
            ? ExplanationRenderer.Render([ExplanationTexts.StatusReason(Reason)], CultureInfo.CurrentUICulture.TwoLetterISOLanguageName)
            : ExplanationRenderer.Render(Json, Text, CultureInfo.CurrentUICulture));
    }
}
