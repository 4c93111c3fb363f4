using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>
/// <c>&lt;sa-message-text value="@m.Text" /&gt;</c>: a message people typed, as plain text (every character encoded, line
/// breaks kept by CSS), with its http(s) addresses as links when <see cref="SafeUrl"/> accepts them and as text
/// otherwise. No markup of the writer's ever reaches the page.
/// </summary>
[HtmlTargetElement("sa-message-text", TagStructure = TagStructure.WithoutEndTag)]
public sealed partial class MessageTextTagHelper : TagHelper
{
    public string? Value { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "message-text");
        output.Content.SetHtmlContent(Render(Value ?? ""));
    }

    public static string Render(string text)
    {
        var enc = UiEncoding.Html;
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in Url().Matches(text))
        {
            html.Append(enc.Encode(text[at..m.Index]));
            // A sentence's full stop or closing bracket is not part of the address.
            var url = m.Value.TrimEnd('.', ',', ')', '!', '?', ';', ':');
            if (SafeUrl.ForHref(url) is { } href)
                html.Append("<a href=\"").Append(enc.Encode(href)).Append("\" rel=\"noopener noreferrer nofollow ugc\">").Append(enc.Encode(url)).Append("</a>");
            else
                html.Append(enc.Encode(url));
            html.Append(enc.Encode(m.Value[url.Length..]));
            at = m.Index + m.Length;
        }
        html.Append(enc.Encode(text[at..]));
        return html.ToString();
    }

    [GeneratedRegex(@"https?://[^\s<>""']+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
