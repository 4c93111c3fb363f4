using Microsoft.AspNetCore.Razor.TagHelpers;

using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-confirm summary="Reject" question="Reject Anna's application?"&gt;&lt;form method="post"&gt;…&lt;/form&gt;&lt;/sa-confirm&gt;</c>:
/// a button that opens a panel in place asking to confirm, with the real form inside. A <c>&lt;details&gt;</c>, so it
/// works without JavaScript; the form's own POST is still the only thing that changes anything.
/// </summary>
[HtmlTargetElement("sa-confirm")]
public sealed class ConfirmTagHelper : TagHelper
{
    public string Summary { get; set; } = "";
    public string Question { get; set; } = "";

    /// <summary>The opening button's style: <c>secondary</c> (default), <c>critical</c> or <c>small secondary</c>...</summary>
    public string ButtonClass { get; set; } = "secondary";

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var body = (await output.GetChildContentAsync()).GetContent();
        var enc = UiEncoding.Html;
        output.TagName = "details";
        output.Attributes.SetAttribute("class", "confirm");
        output.Content.SetHtmlContent(
            $"<summary class=\"button {enc.Encode(ButtonClass)}\">{enc.Encode(Summary)}</summary>" +
            $"<div class=\"confirm-panel\"><p>{enc.Encode(Question)}</p>{body}</div>");
    }
}
