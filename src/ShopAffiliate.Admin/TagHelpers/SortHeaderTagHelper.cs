using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;th sa-sort="revenue"&gt;Revenue&lt;/th&gt;</c>: a column header that sorts the list by that key through the query
/// string (<c>?sort=revenue&amp;dir=desc</c>), toggles the direction when already sorted by it, back to page 1, and tells
/// screen readers the current order with <c>aria-sort</c>.
/// </summary>
[HtmlTargetElement("th", Attributes = "sa-sort")]
public sealed class SortHeaderTagHelper : TagHelper
{
    [HtmlAttributeName("sa-sort")]
    public string Key { get; set; } = "";

    /// <summary>The direction a first click sorts in: <c>desc</c> suits figures (largest first), <c>asc</c> names.</summary>
    [HtmlAttributeName("sa-sort-first")]
    public string First { get; set; } = "asc";

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var request = ViewContext.HttpContext.Request;
        var current = string.Equals(request.Query["sort"], Key, StringComparison.OrdinalIgnoreCase);
        var descending = string.Equals(request.Query["dir"], "desc", StringComparison.OrdinalIgnoreCase);
        var next = current ? (descending ? "asc" : "desc") : First;
        var label = (await output.GetChildContentAsync()).GetContent();
        if (current) output.Attributes.SetAttribute("aria-sort", descending ? "descending" : "ascending");
        var arrow = current ? (descending ? " ▼" : " ▲") : "";
        var href = QueryLinks.With(request, ("sort", Key), ("dir", next), ("page", null));
        output.Attributes.SetAttribute("scope", "col");
        output.Content.SetHtmlContent($"<a href=\"{UiEncoding.Html.Encode(href)}\">{label}<span aria-hidden=\"true\">{arrow}</span></a>");
    }
}
