using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary><c>&lt;sa-money amount="@x" currency="DKK" /&gt;</c>: the amount in the request's culture, with its currency.</summary>
[HtmlTargetElement("sa-money", TagStructure = TagStructure.WithoutEndTag)]
public sealed class MoneyTagHelper : TagHelper
{
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = "span";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "num");
        output.Content.SetContent(Formats.Money(Amount, Currency, CultureInfo.CurrentCulture));
    }
}
