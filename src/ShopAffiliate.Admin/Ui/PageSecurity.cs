using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// What one response's Content-Security-Policy is built from: the nonce every script and style element of the page
/// carries (<see cref="TagHelpers.NonceTagHelper"/>), who may frame the page and which other origin may serve it a
/// script. Nothing is allowed by default: only the embedded Shopify admin widens framing and scripts, for one request.
/// The host's security-headers middleware writes the header from it when the response starts.
/// </summary>
public sealed class PageSecurity
{
    private static readonly object Key = new();
    private string? _nonce;

    /// <summary>The request's instance, made on first use.</summary>
    public static PageSecurity Of(HttpContext http)
    {
        if (http.Items[Key] is PageSecurity existing) return existing;
        var created = new PageSecurity();
        http.Items[Key] = created;
        return created;
    }

    /// <summary>
    /// 128 random bits, new per response, so an injected element cannot know it. Hex (a subset of what CSP allows), so
    /// HTML-encoding the attribute leaves it as it is.
    /// </summary>
    public string Nonce => _nonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Origins allowed to frame the page (<c>frame-ancestors</c>); empty means none.</summary>
    public IReadOnlyList<string> FrameAncestors { get; set; } = [];

    /// <summary>Origins besides the nonce that may serve scripts (App Bridge's, when embedded).</summary>
    public IReadOnlyList<string> ScriptOrigins { get; set; } = [];
}
