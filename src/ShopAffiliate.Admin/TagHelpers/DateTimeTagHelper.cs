using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-datetime value="@utc" /&gt;</c>: a <c>&lt;time&gt;</c> in the program's time zone (<see cref="UiContext"/>),
/// with the exact UTC instant in <c>datetime</c>. <c>date-only</c> drops the time of day.
/// </summary>
[HtmlTargetElement("sa-datetime", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DateTimeTagHelper(UiContext ui) : TagHelper
{
    public DateTime? Value { get; set; }
    public bool DateOnly { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagMode = TagMode.StartTagAndEndTag;
        if (Value is not { } utc)
        {
            output.TagName = "span";
            output.Content.SetContent("–");
            return;
        }
        output.TagName = "time";
        output.Attributes.SetAttribute("datetime", DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        output.Attributes.SetAttribute("title", ui.TimeZone);
        output.Content.SetContent(Formats.DateTime(utc, ui.TimeZone, CultureInfo.CurrentCulture, withTime: !DateOnly));
    }
}
