using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Settings;

/// <summary>
/// The program's staff, for owners only (the page and every form; managers and analysts get 403): who is on it, in
/// which role, when they last signed in; invite by email, change a role, remove someone, withdraw an invitation. All
/// through <see cref="StaffService"/>, which keeps an owner and audits each step.
/// </summary>
[Authorize, RequiresRole(StaffRole.Owner)]
public sealed class StaffModel(AppDbContext db, TenantContext tenant, StaffService staff, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public StaffRole Role { get; set; } = StaffRole.Manager;

    public Membership Program { get; private set; } = null!;
    public List<StaffRow> Members { get; private set; } = [];
    public List<Core.Workspaces.StaffInvitation> Invitations { get; private set; } = [];
    public Guid? Me => AdminSession.UserId(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            var culture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "da" ? "da" : "en";
            var invitation = await staff.InviteAsync(Program.WorkspaceId, Email, Role, Me, culture, ct);
            TempData.SetStatus(StatusKind.Success, text["An invitation is on its way to {0}. Its link works once, for {1} days.", invitation.Email, StaffService.InvitationDays].Value);
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            ModelState.AddModelError(nameof(Email), text[e.Message]);
            Response.StatusCode = e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            return await LoadAsync(ct) ?? Page();
        }
        return RedirectToPage(new { ws = Ws });
    }

    public Task<IActionResult> OnPostRoleAsync(Guid staffId, StaffRole role, CancellationToken ct) => ChangeAsync(async () =>
    {
        await staff.ChangeRoleAsync(staffId, role, ct);
        return text["The role is changed. A lower role takes effect at once, on every device."];
    }, ct);

    public Task<IActionResult> OnPostRemoveAsync(Guid staffId, CancellationToken ct) => ChangeAsync(async () =>
    {
        await staff.RemoveAsync(staffId, ct);
        return text["They are removed from the staff and signed out of this program."];
    }, ct);

    public Task<IActionResult> OnPostRevokeAsync(Guid invitationId, CancellationToken ct) => ChangeAsync(async () =>
    {
        await staff.RevokeInvitationAsync(invitationId, ct);
        return text["The invitation is withdrawn; its link no longer works."];
    }, ct);

    public string RoleName(StaffRole role) => text["Role." + role].Value;

    private async Task<IActionResult> ChangeAsync(Func<Task<LocalizedString>> change, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        return await PageChanges.RunAsync(this, async () =>
        {
            try
            {
                return await change();
            }
            catch (ConflictException e)
            {
                throw new ConflictException(text[e.Message].Value);
            }
        }, () => LoadAsync(ct), new { ws = Ws });
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        var program = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (program is null) return NotFound();
        // A 403, not Forbid(): the staff cookie has no access-denied page to redirect to.
        if (program.Role != StaffRole.Owner) return StatusCode(StatusCodes.Status403Forbidden);
        Program = program;
        Ws = program.WorkspaceId;
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (Program is null && await EnterAsync(ct) is { } denied) return denied;
        Members = await staff.ListAsync(ct);
        Invitations = await staff.PendingAsync(ct);
        return null;
    }
}
