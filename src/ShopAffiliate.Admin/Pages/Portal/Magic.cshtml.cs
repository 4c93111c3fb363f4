using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// Opening a magic link shows one button; only its POST spends the link and signs in. A mail scanner that follows
/// every link in an email (a GET) therefore neither uses it up nor signs anyone in.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalSession.SignInLimit)]
public sealed class MagicModel(AppDbContext db, SignInManager<AppUser> signIn, MagicLinks magic) : PageModel
{
    public bool Usable { get; private set; }

    public void OnGet(string token) => Usable = magic.LooksValid(token);

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var user = await magic.SpendAsync(db, token, ct) is { } id ? await signIn.UserManager.FindByIdAsync(id.ToString()) : null;
        if (user is null || await signIn.UserManager.IsLockedOutAsync(user) || !await PortalSignIn.IsAffiliateAsync(db, user.Id, ct))
        {
            Usable = false;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await PortalSignIn.SignInAsync(HttpContext, signIn, user);
        return LocalRedirect("/portal");
    }
}
