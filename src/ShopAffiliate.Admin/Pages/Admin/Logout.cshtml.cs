using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>
/// Sign-out renews the user's security stamp before it drops the cookie, so a copy of the cookie taken earlier
/// (another device, a shared computer, a stolen one) stops working too: the host checks the stamp on every request.
/// </summary>
[ShopAffiliate.Admin.Ui.PersonalAction]
[Microsoft.AspNetCore.RateLimiting.DisableRateLimiting] // ends the caller's own session: no database, nothing to spend
public sealed class LogoutModel(SignInManager<AppUser> signIn) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Admin/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user) await signIn.UserManager.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return RedirectToPage("/Admin/Login");
    }
}
