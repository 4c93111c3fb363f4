using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>Signs out of the portal everywhere (the stamp is renewed, as for staff: ADR 0013), never on a GET.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class LogoutModel(UserManager<AppUser> users) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/portal");

    public async Task<IActionResult> OnPostAsync()
    {
        if (PortalSession.UserId(User) is { } id && await users.FindByIdAsync(id.ToString()) is { } user) await users.UpdateSecurityStampAsync(user);
        await HttpContext.SignOutAsync(PortalSession.Scheme);
        return LocalRedirect("/portal/login");
    }
}
