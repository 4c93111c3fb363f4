using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;

namespace ShopAffiliate.Admin.Localization;

/// <summary>The languages the admin and the portal are written in, and where a person's choice is kept.</summary>
public static class UiCultures
{
    public const string English = "en";
    public const string Danish = "da";

    /// <summary>The saved choice of the language switcher (a year; read by <see cref="CookieRequestCultureProvider"/>).</summary>
    public const string CookieName = "sa_culture";

    public static readonly string[] Supported = [English, Danish];

    public static bool IsSupported(string? name) => name is not null && Supported.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The supported language <paramref name="name"/> names (<c>da-DK</c> reads as <c>da</c>), else null.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var language = name.Trim().Split('-', '_')[0].ToLowerInvariant();
        return IsSupported(language) ? language : null;
    }

    public static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        Expires = DateTimeOffset.UtcNow.AddYears(1),
        HttpOnly = true,
        IsEssential = true, // a preference the person set themselves, not tracking
        SameSite = SameSiteMode.Lax,
        Secure = request.IsHttps,
        Path = "/",
    };

    public static string CookieValue(string culture) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));

    public static CultureInfo Current => CultureInfo.CurrentUICulture;
}
