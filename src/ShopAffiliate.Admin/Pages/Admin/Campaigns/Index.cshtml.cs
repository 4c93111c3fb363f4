using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Campaigns;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Campaigns;

/// <summary>
/// The program's campaigns with today's status (scheduled, running, ended), their dates, who sees them and what they
/// hold, and the form for a new one. Changes go through <see cref="CampaignService"/>, the API's code path, which audits them.
/// </summary>
[Authorize]
public sealed class CampaignsModel(
    AppDbContext db, TenantContext tenant, CampaignService campaigns, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty] public CampaignForm Form { get; set; } = new();

    public Membership? Workspace { get; private set; }
    public List<CampaignRow> Rows { get; private set; } = [];
    public List<CommissionGroup> Groups { get; private set; } = [];
    public bool CanChange => Workspace is { Role: not StaffRole.Analyst };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        if (!CanChange) return StatusCode(StatusCodes.Status403Forbidden);
        Campaign? created = null;
        var outcome = await PageChanges.RunAsync(this, async () =>
        {
            created = await campaigns.CreateAsync(Form.ToInput(null), ct);
            return text["{0} is created. Attach its banners, texts and coupons below.", created.Name];
        }, () => LoadAsync(ct), new { ws = Ws });
        return created is null ? outcome : RedirectToPage("Detail", new { ws = Ws, id = created.Id });
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (Workspace is null) return NotFound();
        Ws = Workspace.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (Workspace is null && await EnterAsync(ct) is { } denied) return denied;
        Rows = await campaigns.ListAsync(ct);
        Groups = await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name).ToListAsync(ct);
        return null;
    }

    /// <summary>Who sees a campaign, in words, for the list and the detail page.</summary>
    public static string Audience(Core.Communication.Segment segment, IReadOnlyList<CommissionGroup> groups, IStringLocalizer t) => segment.Kind switch
    {
        Core.Communication.SegmentKind.All => t["All approved affiliates"],
        Core.Communication.SegmentKind.Group => t["Group: {0}", segment.GroupId is { } g && g != Guid.Empty && groups.FirstOrDefault(x => x.Id == g) is { } group
            ? group.Name : t["Default group"].Value],
        _ => t["The segment set through the API"],
    };
}
