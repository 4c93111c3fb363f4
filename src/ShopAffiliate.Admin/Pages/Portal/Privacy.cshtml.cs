using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Privacy;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's own data in this program (GDPR articles 15 and 17): what is held, a JSON copy of all of it, and
/// erasure behind a confirmation (a POST with antiforgery, the password, or for a login without one a sign-in in the
/// last <see cref="FreshSignIn"/>).
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class PrivacyModel(AppDbContext db, TenantContext tenant, AffiliatePrivacy privacy, UserManager<AppUser> users, TimeProvider clock,
    IStringLocalizer<PortalText> text)
    : PortalPageModel(db, tenant)
{
    /// <summary>How recent a sign-in must be to erase without a password (a magic-link login has none).</summary>
    public static readonly TimeSpan FreshSignIn = TimeSpan.FromMinutes(15);

    [BindProperty] public string? Password { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    public AffiliateDataSummary Held { get; private set; } = null!;
    public bool HasPassword { get; private set; }
    public bool SignedInRecently { get; private set; }

    /// <summary>Set after an erasure: the page then only says it is done.</summary>
    public string? ErasedProgram { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Everything held on the affiliate in this program as a JSON file. A GET: it changes nothing.</summary>
    public async Task<IActionResult> OnGetJsonAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var json = await privacy.ExportJsonAsync(Current.Workspace.Id, Current.Affiliate.Id, ct);
        return File(Encoding.UTF8.GetBytes(json), "application/json", $"{Current.Workspace.Slug}-my-data.json");
    }

    public async Task<IActionResult> OnPostEraseAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await LoadAsync(ct);
        var user = PortalSession.UserId(User) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null) return NotFound();
        if (!Confirm) ModelState.AddModelError(nameof(Confirm), text["Tick the box to confirm that you want your data erased."]);
        if (HasPassword && !await users.CheckPasswordAsync(user, Password ?? ""))
            ModelState.AddModelError(nameof(Password), text["That is not your password."]);
        if (!HasPassword && !SignedInRecently)
            ModelState.AddModelError(nameof(Password), text["Sign in again (with a new sign-in link) and erase within 15 minutes."]);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var erased = await privacy.EraseAsync(Current.Workspace.Id, Current.Affiliate.Id, ct);
        // A closed login is signed out here; one kept for other programs stays signed in for them.
        if (erased.LoginClosed) await HttpContext.SignOutAsync(PortalSession.Scheme);
        ErasedProgram = Current.Workspace.Name;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Held = await privacy.SummaryAsync(Current.Workspace.Id, Current.Affiliate.Id, ct);
        var user = PortalSession.UserId(User) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        HasPassword = user?.PasswordHash is not null;
        var issued = (await HttpContext.AuthenticateAsync(PortalSession.Scheme)).Properties?.IssuedUtc;
        SignedInRecently = issued is { } at && clock.GetUtcNow() - at < FreshSignIn;
    }
}
