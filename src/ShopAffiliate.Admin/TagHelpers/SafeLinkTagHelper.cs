using Microsoft.AspNetCore.Razor.TagHelpers;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;a safe-href="@url"&gt;…&lt;/a&gt;</c> for every URL that came from outside (an affiliate's website, a
/// creative's destination): a link only when <see cref="SafeUrl"/> accepts it, otherwise plain text, so a value
/// stored before the input rule still cannot run script. Razor attribute-encodes the href; the opened page gets
/// no handle on the admin window and no referrer.
/// </summary>
[HtmlTargetElement("a", Attributes = AttributeName)]
public sealed class SafeLinkTagHelper : TagHelper
{
    private const string AttributeName = "safe-href";

    [HtmlAttributeName(AttributeName)]
    public string? Url { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.Attributes.RemoveAll("href");
        if (SafeUrl.ForHref(Url) is { } href)
        {
            output.Attributes.SetAttribute("href", href);
            output.Attributes.SetAttribute("rel", "noopener noreferrer nofollow");
            return;
        }
        output.TagName = "span";
        output.Attributes.RemoveAll("target");
        output.Attributes.RemoveAll("rel");
    }
}
