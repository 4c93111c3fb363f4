using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ShopAffiliate.Core.Email;

/// <summary>
/// Fills a template. The text part gets the values as they are; the HTML part gets every value HTML-escaped (a
/// name like <c>&lt;script&gt;</c> stays text), and the template's own text is escaped too, so an override cannot
/// inject markup either. Paragraphs become <c>&lt;p&gt;</c>, line breaks <c>&lt;br&gt;</c>.
/// </summary>
public static partial class EmailRenderer
{
    public sealed record Rendered(string Subject, string Text, string Html);

    /// <summary><paramref name="unsubscribeUrl"/>: non-essential mail ends with an unsubscribe link, in <paramref name="culture"/>.</summary>
    public static Rendered Render(EmailTemplate template, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl = null, string culture = "en")
    {
        var subject = Fill(template.Subject, values, escape: false).ReplaceLineEndings(" ");
        var text = Fill(template.Body, values, escape: false);
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
        foreach (var paragraph in template.Body.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var escaped = WebUtility.HtmlEncode(paragraph); // {{ and }} survive encoding; placeholders are filled escaped below
            html.Append("<p>").Append(Fill(escaped, values, escape: true).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }
        if (unsubscribeUrl is not null)
        {
            var label = culture == "da" ? "Afmeld disse e-mails" : "Unsubscribe from these emails";
            text += $"\n\n{label}: {unsubscribeUrl}";
            html.Append("<p style=\"font-size:small\"><a href=\"").Append(WebUtility.HtmlEncode(unsubscribeUrl)).Append("\">")
                .Append(WebUtility.HtmlEncode(label)).Append("</a></p>");
        }
        html.Append("</body></html>");
        return new Rendered(subject, text, html.ToString());
    }

    /// <summary>Placeholders the template uses that <paramref name="allowed"/> does not name.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template, IReadOnlyList<string> allowed) =>
        [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct().Where(p => !allowed.Contains(p))];

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool escape) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? (escape ? WebUtility.HtmlEncode(v) : v)
            : "");

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
