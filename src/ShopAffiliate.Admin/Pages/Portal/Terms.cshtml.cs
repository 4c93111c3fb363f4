using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>The program terms in force and their acceptance (who, when, which version); a new version asks again.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class TermsModel(AppDbContext db, TenantContext tenant, TimeProvider clock, IStringLocalizer<PortalText> text) : PortalPageModel(db, tenant)
{
    public ProgramPage Program { get; private set; } = null!;
    public bool Accepted { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Accepts the version the page showed; a version replaced since is refused, so nobody accepts unread terms.</summary>
    public async Task<IActionResult> OnPostAsync(string slug, int version, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await LoadAsync(ct);
        if (string.IsNullOrWhiteSpace(Program.Terms) || version != Program.TermsVersion)
        {
            ModelState.AddModelError("", text["The terms changed while you read them. Read the current version below."]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        await Onboarding.AcceptAsync(Db, Current.Affiliate, PortalSession.UserId(User)!.Value, version, clock.GetUtcNow().UtcDateTime, ct);
        return RedirectToPage(new { slug });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Program = await PortalSession.PageAsync(Db, Current.Workspace.Id, ct);
        Accepted = await Onboarding.HasAcceptedAsync(Db, Current.Affiliate.Id, Program.TermsVersion, ct);
    }
}
