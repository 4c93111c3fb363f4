using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The second tier from the affiliate's side: the affiliates they recruited (through their recruit link, or set by
/// staff), what each earned them this month and overall, and the recruit link. Only in a program that pays a second
/// tier (else a 404, and no menu entry); only the signed-in affiliate's own recruits.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class TeamModel(AppDbContext db, TenantContext tenant, Recruits recruits, IConfiguration configuration) : PortalPageModel(db, tenant)
{
    public IReadOnlyList<Recruit> Team { get; private set; } = [];

    public string Slug => Current.Workspace.Slug;

    /// <summary>The program's application form with this affiliate's code: whoever applies through it is their recruit.</summary>
    public string RecruitLink =>
        $"{ApplyModel.PublicBaseUrl(configuration).TrimEnd('/')}/p/{Uri.EscapeDataString(Slug)}/apply?by={Uri.EscapeDataString(Current.Affiliate.ReferralCode)}";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        if (!HasSecondTier) return NotFound();
        Team = await recruits.OfAsync(Current.Affiliate.Id, ct);
        return Page();
    }
}
