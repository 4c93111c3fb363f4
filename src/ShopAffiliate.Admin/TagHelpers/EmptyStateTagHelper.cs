using Microsoft.AspNetCore.Razor.TagHelpers;

using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-empty-state heading="No affiliates yet" action-text="Invite an affiliate" action-href="..."&gt;why it is empty,
/// what fills it&lt;/sa-empty-state&gt;</c>: what this is, why it is empty, and the one action that fills it.
/// </summary>
[HtmlTargetElement("sa-empty-state")]
public sealed class EmptyStateTagHelper : TagHelper
{
    public string Heading { get; set; } = "";
    public string? ActionText { get; set; }
    public string? ActionHref { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var body = (await output.GetChildContentAsync()).GetContent();
        var enc = UiEncoding.Html;
        output.TagName = "div";
        output.Attributes.SetAttribute("class", "empty-state");
        output.Attributes.SetAttribute("data-testid", "empty-state");
        // Our own pages only: an action is a path in this app, never an address from outside.
        var action = ActionText is { Length: > 0 } && ActionHref is { } href && IsLocal(href)
            ? $"<a class=\"button\" href=\"{enc.Encode(href)}\">{enc.Encode(ActionText)}</a>"
            : "";
        output.Content.SetHtmlContent(
            "<svg class=\"icon\" viewBox=\"0 0 48 48\" aria-hidden=\"true\" focusable=\"false\"><rect x=\"6\" y=\"10\" width=\"36\" height=\"28\" rx=\"5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"3\"/><path d=\"M6 20h36\" stroke=\"currentColor\" stroke-width=\"3\"/></svg>" +
            $"<h3>{enc.Encode(Heading)}</h3><p>{body}</p>{action}");
    }

    public static bool IsLocal(string href) =>
        href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal) && !href.StartsWith("/\\", StringComparison.Ordinal);
}
