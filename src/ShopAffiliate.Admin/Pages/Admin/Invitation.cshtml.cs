using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>
/// Where a staff invitation's emailed link lands. The token is the credential: an unknown, used or expired one shows
/// only that. Someone with an account joins by their password (a wrong one counts towards the lockout); a new person
/// chooses a password. Either way they are signed in and sent to the program. Looking at the page changes nothing.
/// </summary>
[EnableRateLimiting(LoginModel.RateLimitPolicy)]
[PersonalAction]
public sealed class InvitationModel(StaffService staff, AppDbContext db, SignInManager<AppUser> signIn, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty] public string? Name { get; set; }

    public InvitationView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        View = await staff.FindAsync(token, ct);
        if (View is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        View = await staff.FindAsync(token, ct);
        if (View is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        if (string.IsNullOrEmpty(Password)) ModelState.AddModelError(nameof(Password), text["Enter your password."]);
        else if (!View.HasAccount && Password != ConfirmPassword) ModelState.AddModelError(nameof(ConfirmPassword), text["The two passwords are not the same."]);
        if (!ModelState.IsValid) return Invalid();
        AppUser? user;
        try
        {
            user = await staff.AcceptAsync(token, Password!, Name, ct);
        }
        catch (ValidationFailedException e)
        {
            foreach (var message in e.Errors.Values.SelectMany(m => m)) ModelState.AddModelError(nameof(Password), message);
            return Invalid();
        }
        if (user is null)
        {
            ModelState.AddModelError(nameof(Password), text["That is not the password of this account."]);
            return Invalid();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        await StaffSignIn.RecordAsync(db, user.Id, DateTime.UtcNow, ct);
        TempData.SetStatus(StatusKind.Success, text["Welcome to the staff of {0}.", View.ProgramName].Value);
        return LocalRedirect($"/admin?ws={View.Invitation.WorkspaceId}");
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
