using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>First start with an empty database: create the owner, the first program and its API key.</summary>
[ShopAffiliate.Admin.Ui.PersonalAction]
// Anonymous until the first program exists: its form creates an owner with a password, so it is limited like sign-in.
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(LoginModel.RateLimitPolicy)]
public sealed class SetupModel(AppDbContext db, WorkspaceProvisioner provisioner, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public SetupInput Input { get; set; } = new();

    /// <summary>Set after a successful set-up: the API key, shown this once.</summary>
    public string? NewApiKey { get; private set; }
    public string? WorkspaceName { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await db.Workspaces.AnyAsync(ct) ? RedirectToPage("/Admin/Index") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.Workspaces.AnyAsync(ct)) return RedirectToPage("/Admin/Index");
        if (!ModelState.IsValid) return Page();
        if (Input.Password != Input.ConfirmPassword)
        {
            ModelState.AddModelError("Input.ConfirmPassword", "The two passwords differ.");
            return Page();
        }

        try
        {
            var created = await provisioner.CreateAsync(Input.WorkspaceName, Input.Currency, Input.Email, Input.Password, cancellationToken: ct);
            await signIn.SignInAsync(created.Owner, isPersistent: false);
            await StaffSignIn.RecordAsync(db, created.Owner.Id, DateTime.UtcNow, ct);
            NewApiKey = created.ApiKey;
            WorkspaceName = created.Workspace.Name;
        }
        catch (ValidationFailedException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }

    public sealed class SetupInput
    {
        [Required(ErrorMessage = "Give your affiliate program a name.")]
        [StringLength(200)]
        public string WorkspaceName { get; set; } = "";

        [Required(ErrorMessage = "Choose the program's currency.")]
        [RegularExpression("^[A-Za-z]{3}$", ErrorMessage = "Use a three-letter currency code such as USD, EUR or DKK.")]
        public string Currency { get; set; } = "USD";

        [Required(ErrorMessage = "Your email is your sign-in.")]
        [EmailAddress(ErrorMessage = "That is not an email address.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(200, MinimumLength = 10, ErrorMessage = "Use at least 10 characters.")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Repeat the password.")]
        [DataType(DataType.Password)]
        public string ConfirmPassword { get; set; } = "";
    }
}
