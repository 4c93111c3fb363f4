using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// Affiliate sign-in with a password, into the portal's cookie. As on the staff page, an unknown email, a wrong
/// password, a locked or unconfirmed account and a person who is no affiliate get one answer for one password hash.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalSession.SignInLimit)]
public sealed class LoginModel(AppDbContext db, SignInManager<AppUser> signIn, IPasswordHasher<AppUser> hasher) : PageModel
{
    public const string Refused =
        "We could not sign you in with that email and password. After repeated failed attempts an account waits a few minutes before it can sign in again.";

    [BindProperty] public LoginInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var user = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
        var eligible = user is { EmailConfirmed: true } && !await signIn.UserManager.IsLockedOutAsync(user)
            && await PortalSignIn.IsAffiliateAsync(db, user.Id, ct);
        if (!eligible)
        {
            hasher.HashPassword(user ?? new AppUser(), Input.Password); // the same work as a real check
        }
        else if ((await signIn.CheckPasswordSignInAsync(user!, Input.Password, lockoutOnFailure: true)).Succeeded)
        {
            await PortalSignIn.SignInAsync(HttpContext, signIn, user!);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/portal", StringComparison.Ordinal) ? ReturnUrl : "/portal");
        }
        ModelState.AddModelError("", Refused);
        return Page();
    }

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your email.")] public string Email { get; set; } = "";
        [Required(ErrorMessage = "Enter your password.")][DataType(DataType.Password)] public string Password { get; set; } = "";
    }
}
