using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Net.Http.Headers;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// TempData (the one-time status message after a form, <see cref="StatusMessage"/>) without a cookie where no cookie
/// arrives: inside the Shopify admin's iframe (ADR 0032) the request is signed in by the session token and the
/// browser drops our cookies. There the values ride on the redirect itself, as <c>?sa_status=</c>, encrypted and
/// signed with Data Protection and valid for <see cref="Lifetime"/>; the page the redirect leads to reads them from its
/// query. Every other request keeps the cookie provider, unchanged.
/// </summary>
public sealed class FrameTempDataProvider(CookieTempDataProvider cookies, IDataProtectionProvider protection, TimeProvider clock) : ITempDataProvider
{
    /// <summary>The query parameter that carries the values.</summary>
    public const string QueryKey = "sa_status";

    /// <summary>Long enough for the redirect and the signed page load after it, short enough that a copied link stops showing it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>The authentication type of the session-token scheme (the host's <c>ShopifyEmbedded</c>).</summary>
    public const string EmbeddedAuthenticationType = "ShopifyEmbedded";

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("ShopAffiliate.Admin.FrameTempData.v1").ToTimeLimitedDataProtector();

    public static bool WithoutCookies(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, AuthenticationType: EmbeddedAuthenticationType };

    public IDictionary<string, object> LoadTempData(HttpContext context)
    {
        if (!WithoutCookies(context)) return cookies.LoadTempData(context);
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        string? carried = context.Request.Query[QueryKey];
        if (string.IsNullOrEmpty(carried) || carried.Length > 8000) return values;
        try
        {
            var json = Protector.Unprotect(carried, out var expires);
            if (expires < clock.GetUtcNow()) return values;
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []) values[key] = value;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            // Forged, altered, expired or from another key ring: nothing to show.
        }
        return values;
    }

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (!WithoutCookies(context))
        {
            cookies.SaveTempData(context, values);
            return;
        }
        var strings = values.Where(v => v.Value is string).ToDictionary(v => v.Key, v => (string)v.Value);
        var response = context.Response;
        if (strings.Count == 0 || response.HasStarted || response.StatusCode is < 300 or >= 400) return;
        string? location = response.Headers[HeaderNames.Location];
        // Only our own pages: a relative path, never another site's address.
        if (string.IsNullOrEmpty(location) || !location.StartsWith('/') || location.StartsWith("//", StringComparison.Ordinal)) return;
        var carried = Protector.Protect(JsonSerializer.Serialize(strings), clock.GetUtcNow() + Lifetime);
        var fragment = location.IndexOf('#');
        var (path, hash) = fragment < 0 ? (location, "") : (location[..fragment], location[fragment..]);
        response.Headers[HeaderNames.Location] = path + (path.Contains('?') ? "&" : "?") + QueryKey + "=" + Uri.EscapeDataString(carried) + hash;
    }
}
