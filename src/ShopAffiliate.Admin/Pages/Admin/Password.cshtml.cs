using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>
/// Identity renews the security stamp on a password change, which ends every other session of the user; this one is
/// signed in again under the new stamp. Guessing the current password counts against the same per-client limit as
/// sign-in, so a copied cookie is no way around it.
/// </summary>
[Authorize]
[EnableRateLimiting(LoginModel.RateLimitPolicy)]
[ShopAffiliate.Admin.Ui.PersonalAction]
public sealed class PasswordModel(SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public PasswordInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public bool Changed { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Input.NewPassword != Input.ConfirmPassword) ModelState.AddModelError("Input.ConfirmPassword", "The two new passwords differ.");
        if (!ModelState.IsValid) return Page();
        if (await signIn.UserManager.GetUserAsync(User) is not { } user) return Challenge();

        var result = await signIn.UserManager.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                if (error.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                    ModelState.AddModelError("Input.CurrentPassword", "That is not your current password.");
                else
                    ModelState.AddModelError("Input.NewPassword", error.Description);
            }
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage(new { Changed = true });
    }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password.")]
        [DataType(DataType.Password)]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = "Choose a new password.")]
        [StringLength(200, MinimumLength = 10, ErrorMessage = "Use at least 10 characters.")]
        [DataType(DataType.Password)]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Repeat the new password.")]
        [DataType(DataType.Password)]
        public string ConfirmPassword { get; set; } = "";
    }
}
