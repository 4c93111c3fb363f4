using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;

namespace ShopAffiliate.Admin.Pages;

/// <summary>
/// The language switcher's POST (antiforgery checked, as on every Razor Page): saves the choice in a cookie for a year
/// and goes back to the page it came from. For everyone, signed in or not: the sign-in page has the switcher too.
/// </summary>
[AllowAnonymous]
// Both sessions are read (staff "Identity.Application" and the portal's): the antiforgery token of a portal page is made
// for the signed-in affiliate, so a POST read with the staff scheme alone is refused as meant for another user.
[Authorize(AuthenticationSchemes = "Identity.Application," + ShopAffiliate.Admin.Portal.PortalSession.Scheme)]
[Microsoft.AspNetCore.RateLimiting.DisableRateLimiting] // sets the visitor's own cookie: no database, no server state
public sealed class CultureModel(IStringLocalizer<SharedText> text, Core.Data.AppDbContext db) : PageModel
{
    /// <summary>Nothing to show and nothing changes on a GET.</summary>
    public IActionResult OnGet() => StatusCode(StatusCodes.Status405MethodNotAllowed);

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl)
    {
        if (UiCultures.Normalize(culture) is not { } chosen || !string.Equals(chosen, culture?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return new ObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = text["Unknown language"],
                Detail = text["Choose one of: {0}.", string.Join(", ", UiCultures.Supported)],
            }) { StatusCode = StatusCodes.Status400BadRequest };
        }
        Response.Cookies.Append(UiCultures.CookieName, UiCultures.CookieValue(chosen), UiCultures.CookieOptions(Request));
        await ShopAffiliate.Admin.Portal.PortalLanguage.RememberAsync(HttpContext, db, chosen);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/admin");
    }
}
