using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Core.Communication;

/// <summary>
/// The announcements' text format, rendered safely: everything is HTML-escaped first, then blank lines make
/// paragraphs, single ones line breaks, <c>**bold**</c>, <c>*italic*</c> and <c>[text](https://…)</c> links (http and
/// https only; anything else stays text). No raw HTML ever passes.
/// </summary>
public static partial class MarkdownLite
{
    public static string ToHtml(string text)
    {
        var html = new StringBuilder();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var p = WebUtility.HtmlEncode(paragraph);
            p = Link().Replace(p, m =>
            {
                var href = WebUtility.HtmlDecode(m.Groups[2].Value);
                return SafeUrl.TryParse(href, out var uri, out _)
                    ? $"<a href=\"{WebUtility.HtmlEncode(uri.AbsoluteUri)}\" rel=\"noopener noreferrer nofollow\">{m.Groups[1].Value}</a>"
                    : m.Value;
            });
            p = Bold().Replace(p, "<strong>$1</strong>");
            p = Italic().Replace(p, "<em>$1</em>");
            html.Append("<p>").Append(p.Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }
        return html.ToString();
    }

    [GeneratedRegex(@"\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\*\*([^*\n]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![*\w])\*([^*\n]+)\*(?![*\w])")]
    private static partial Regex Italic();
}
