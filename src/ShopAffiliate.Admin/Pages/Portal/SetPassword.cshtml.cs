using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The two emailed links that end in a new password: <c>/portal/welcome</c> (after approval: confirms the email and
/// sets the first password) and <c>/portal/reset</c> (a forgotten password; it confirms the email too, since the
/// link reached the mailbox). The GET only shows the form; the POST checks the token and signs in.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalSession.SignInLimit)]
public sealed class SetPasswordModel(AppDbContext db, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Kind { get; set; } = "";
    [BindProperty(SupportsGet = true, Name = "user")] public Guid UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Choose a password."), StringLength(200, MinimumLength = 10, ErrorMessage = "Use at least 10 characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool IsWelcome => Kind == "welcome";

    public IActionResult OnGet() => Kind is "welcome" or "reset" ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Kind is not ("welcome" or "reset")) return NotFound();
        if (!ModelState.IsValid) return Page();
        var users = signIn.UserManager;
        var user = await users.FindByIdAsync(UserId.ToString());
        var token = Decode(Code);
        if (user is null || token is null || !await PortalSignIn.IsAffiliateAsync(db, user.Id, ct)) return Expired();

        IdentityResult result;
        if (IsWelcome)
        {
            result = await users.ConfirmEmailAsync(user, token);
            if (result.Succeeded && !await users.HasPasswordAsync(user)) result = await users.AddPasswordAsync(user, Password);
        }
        else
        {
            result = await users.ResetPasswordAsync(user, token, Password);
            if (result.Succeeded && !user.EmailConfirmed)
            {
                user.EmailConfirmed = true;
                result = await users.UpdateAsync(user);
            }
        }
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) return Expired();
            foreach (var error in result.Errors) ModelState.AddModelError(nameof(Password), error.Description);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        await PortalSignIn.SignInAsync(HttpContext, signIn, user);
        return LocalRedirect("/portal");
    }

    private PageResult Expired()
    {
        ModelState.AddModelError("", "This link does not work any more. Ask for a new one with “Forgot your password?”.");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string? Decode(string code)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
