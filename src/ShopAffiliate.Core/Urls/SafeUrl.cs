using System.Diagnostics.CodeAnalysis;

namespace ShopAffiliate.Core.Urls;

/// <summary>
/// URLs that people click (an affiliate's website, a creative's destination, any link a page renders): absolute
/// http(s) only. <c>javascript:</c>, <c>data:</c>, <c>vbscript:</c>, <c>file:</c> and every other scheme are refused
/// on input with <see cref="TryParse"/>, and <see cref="ForHref"/> checks again on output, so a value stored before the
/// rule (or by another path) still never becomes a live link.
/// </summary>
public static class SafeUrl
{
    public const int MaxLength = 2048;

    /// <summary>
    /// The URL, normalised (<see cref="Uri.AbsoluteUri"/>: quotes and angle brackets percent-encoded), or a reason a
    /// person can act on. Control characters and inner white space are refused rather than stripped: browsers drop
    /// tabs and newlines, so <c>java&#9;script:</c> would run as <c>javascript:</c>.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out Uri? uri, out string problem)
    {
        uri = null;
        var text = input?.Trim() ?? "";
        if (text.Length == 0)
        {
            problem = "An address is required.";
            return false;
        }
        if (text.Length > MaxLength)
        {
            problem = $"An address is at most {MaxLength} characters.";
            return false;
        }
        if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problem = "An address may not contain spaces, tabs, line breaks or other control characters.";
            return false;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            problem = $"'{text}' is not an absolute address; write it in full, e.g. https://example.com/page.";
            return false;
        }
        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"Only http:// and https:// addresses are allowed, not '{parsed.Scheme}:'.";
            return false;
        }
        if (parsed.Host.Length == 0)
        {
            problem = $"'{text}' has no host.";
            return false;
        }
        // https://paypal.com@evil.example/ reads as paypal.com but goes to evil.example.
        if (parsed.UserInfo.Length > 0)
        {
            problem = "An address may not carry a user name or password.";
            return false;
        }
        uri = parsed;
        problem = "";
        return true;
    }

    /// <summary>What a page may put in <c>href</c>: the normalised URL, or null (render the text, not a link).</summary>
    public static string? ForHref(string? stored) => TryParse(stored, out var uri, out _) ? uri.AbsoluteUri : null;
}
