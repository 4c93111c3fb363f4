using System.Globalization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Core.Paging;

using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-pager for="@Model.Page" /&gt;</c> under an index table: "1–25 of 1,234" and previous/next links that keep the
/// other query values (filters, sort). Plain links: paging never needs a script.
/// </summary>
[HtmlTargetElement("sa-pager", TagStructure = TagStructure.WithoutEndTag)]
public sealed class PagerTagHelper(IStringLocalizer<SharedText> text) : TagHelper
{
    [HtmlAttributeName("for")]
    public IPaged? Paged { get; set; }

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (Paged is null)
        {
            output.SuppressOutput();
            return;
        }
        var culture = CultureInfo.CurrentCulture;
        var request = ViewContext.HttpContext.Request;
        var pages = Paged.Total == 0 ? 1 : (Paged.Total + Paged.PageSize - 1) / Paged.PageSize;
        var first = Paged.Total == 0 ? 0 : (Paged.Page - 1) * Paged.PageSize + 1;
        var last = Math.Min(Paged.Total, Paged.Page * Paged.PageSize);
        var enc = UiEncoding.Html;

        string Link(int page, string label, string rel) => page < 1 || page > pages
            ? $"<span class=\"disabled\" aria-disabled=\"true\">{enc.Encode(label)}</span>"
            : $"<a href=\"{enc.Encode(QueryLinks.With(request, ("page", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture))))}\" rel=\"{rel}\">{enc.Encode(label)}</a>";

        output.TagName = "nav";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "pager");
        output.Attributes.SetAttribute("aria-label", text["Pages"].Value);
        output.Content.SetHtmlContent(
            $"<span data-testid=\"pager-range\">{enc.Encode(text["{0}–{1} of {2}", first.ToString("N0", culture), last.ToString("N0", culture), Paged.Total.ToString("N0", culture)])}</span>" +
            $"<span class=\"pages\">{Link(Paged.Page - 1, text["Previous"], "prev")}{Link(Paged.Page + 1, text["Next"], "next")}</span>");
    }
}
