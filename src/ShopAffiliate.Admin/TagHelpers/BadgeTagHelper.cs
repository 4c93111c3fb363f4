using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-badge status="@x.Status" /&gt;</c>: a status as a coloured pill. The label is <c>Status.&lt;Name&gt;</c> in
/// SharedText; the colour comes from the status's meaning (<see cref="KindOf"/>), or <c>kind</c> when given.
/// </summary>
[HtmlTargetElement("sa-badge", TagStructure = TagStructure.WithoutEndTag)]
public sealed class BadgeTagHelper(IStringLocalizer<SharedText> text) : TagHelper
{
    public object? Status { get; set; }

    /// <summary>neutral, success, info, warning or critical; overrides the status's own.</summary>
    public string? Kind { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = Status?.ToString() ?? "";
        output.TagName = "span";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "badge " + (Kind ?? KindOf(name)));
        var label = text["Status." + name];
        output.Content.SetContent(label.ResourceNotFound ? name : label.Value);
    }

    public static string KindOf(string status) => status switch
    {
        "Approved" or "Accepted" or "Active" or "Paid" or "Connected" or "Done" or "Published" or "Synced" or "Running" => "success",
        "Pending" or "Held" or "Review" or "Open" or "Invited" or "Processing" => "warning",
        "Rejected" or "Declined" or "Reversed" or "Suspended" or "Failed" or "Disconnected" or "Paused" or "Revoked" or "Taken" => "critical",
        "Scheduled" or "Draft" => "info",
        _ => "neutral",
    };
}
