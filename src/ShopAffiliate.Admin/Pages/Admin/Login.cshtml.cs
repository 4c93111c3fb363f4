using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>
/// Staff sign-in. An unknown email, a wrong password and a locked account get the same page and about the same work
/// (one password hash), so the page cannot be used to find out which emails have accounts. The host puts a
/// per-client limit (<see cref="RateLimitPolicy"/>) in front of the per-account lockout.
/// </summary>
[EnableRateLimiting(RateLimitPolicy)]
[ShopAffiliate.Admin.Ui.PersonalAction]
public sealed class LoginModel(AppDbContext db, SignInManager<AppUser> signIn, IPasswordHasher<AppUser> hasher, IStringLocalizer<AdminText> text) : PageModel
{
    public const string RateLimitPolicy = "staff-sign-in";

    public const string Refused =
        "We could not sign you in with that email and password. After repeated failed attempts an account waits a few minutes before it can sign in again.";

    [BindProperty] public LoginInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await db.Workspaces.AnyAsync(ct) ? Page() : RedirectToPage("/Admin/Setup");

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = await signIn.UserManager.FindByNameAsync(Input.Email.Trim());
        if (user is null || await signIn.UserManager.IsLockedOutAsync(user))
        {
            // Identity answers these without hashing; hash anyway, so the time taken tells nothing either.
            hasher.HashPassword(user ?? new AppUser(), Input.Password);
        }
        else if ((await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true)).Succeeded)
        {
            await StaffSignIn.RecordAsync(db, user.Id, DateTime.UtcNow);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
        }
        ModelState.AddModelError("", text[Refused]);
        return Page();
    }

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your email.")] public string Email { get; set; } = "";
        [Required(ErrorMessage = "Enter your password.")][DataType(DataType.Password)] public string Password { get; set; } = "";
        public bool RememberMe { get; set; }
    }
}
