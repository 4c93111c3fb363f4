using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Admin;

public sealed class LoginModel(AppDbContext db, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public LoginInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await db.Workspaces.AnyAsync(ct) ? Page() : RedirectToPage("/Admin/Setup");

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
        }
        ModelState.AddModelError("", result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a few minutes."
            : "That email and password do not match an account.");
        return Page();
    }

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your email.")] public string Email { get; set; } = "";
        [Required(ErrorMessage = "Enter your password.")][DataType(DataType.Password)] public string Password { get; set; } = "";
        public bool RememberMe { get; set; }
    }
}
