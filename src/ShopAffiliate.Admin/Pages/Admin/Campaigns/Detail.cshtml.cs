using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Campaigns;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Campaigns;

/// <summary>
/// One campaign: its fields, the creatives and coupons it holds (attach, detach) and "announce", which sends an
/// announcement to the campaign's segment. Every change goes through <see cref="CampaignService"/> (the API's code
/// path, audited); another program's campaign, creative or coupon is a 404 and changes nothing.
/// </summary>
[Authorize]
public sealed class CampaignDetailModel(
    AppDbContext db, TenantContext tenant, CampaignService campaigns, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    public sealed record CouponItem(Coupon Coupon, string AffiliateName);

    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public CampaignForm Form { get; set; } = new();

    public Membership? Workspace { get; private set; }
    public Campaign Campaign { get; private set; } = null!;
    public CampaignStatus Status { get; private set; }
    public List<Creative> Creatives { get; private set; } = [];
    public List<Creative> Others { get; private set; } = [];
    public Dictionary<Guid, string> OtherCampaigns { get; private set; } = [];
    public List<CouponItem> Coupons { get; private set; } = [];
    public List<CommissionGroup> Groups { get; private set; } = [];
    public string AnnounceSubject { get; set; } = "";
    public string AnnounceBody { get; set; } = "";
    public bool CanChange => Workspace is { Role: not StaffRole.Analyst };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } denied) return denied;
        Form = CampaignForm.Of(Campaign);
        return Page();
    }

    public Task<IActionResult> OnPostUpdateAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var current = await campaigns.GetAsync(Id, ct);
        var saved = await campaigns.UpdateAsync(Id, Form.ToInput(current.Segment), ct);
        return text["{0} is saved.", saved.Name];
    }, ct);

    public Task<IActionResult> OnPostAttachCreativesAsync(List<Guid> creativeIds, CancellationToken ct) => ChangeAsync(async () =>
    {
        var c = await campaigns.AttachCreativesAsync(Id, creativeIds, ct);
        return text["{0} materials are now part of {1}.", creativeIds.Distinct().Count(), c.Name];
    }, ct);

    public Task<IActionResult> OnPostDetachCreativeAsync(Guid creativeId, CancellationToken ct) => ChangeAsync(async () =>
    {
        await campaigns.DetachCreativeAsync(Id, creativeId, ct);
        return text["The material is taken out of the campaign."];
    }, ct);

    public Task<IActionResult> OnPostAttachCouponsAsync(string? couponCodes, CancellationToken ct) => ChangeAsync(async () =>
    {
        var ids = await campaigns.CouponIdsAsync((couponCodes ?? "").Split([',', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries), ct);
        var c = await campaigns.AttachCouponsAsync(Id, ids, ct);
        return text["{0} coupons are now part of {1}.", ids.Count, c.Name];
    }, ct);

    public Task<IActionResult> OnPostDetachCouponAsync(Guid couponId, CancellationToken ct) => ChangeAsync(async () =>
    {
        await campaigns.DetachCouponAsync(Id, couponId, ct);
        return text["The coupon is taken out of the campaign."];
    }, ct);

    public Task<IActionResult> OnPostAnnounceAsync(string? subject, string? body, CancellationToken ct)
    {
        AnnounceSubject = subject ?? "";
        AnnounceBody = body ?? "";
        return ChangeAsync(async () =>
        {
            var sent = await campaigns.AnnounceAsync(Id, subject, body, ct);
            return text["The announcement is sent to {0} affiliates.", sent.RecipientCount];
        }, ct);
    }

    private async Task<IActionResult> ChangeAsync(Func<Task<LocalizedString>> change, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        if (!CanChange) return StatusCode(StatusCodes.Status403Forbidden);
        return await PageChanges.RunAsync(this, change, () => LoadAsync(ct), new { ws = Ws, id = Id });
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
        try
        {
            Campaign = await campaigns.GetAsync(Id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Status = Campaign.StatusOn(await campaigns.TodayAsync(ct));
        var all = await db.Creatives.AsNoTracking().Where(c => c.Status != CreativeStatus.Archived || c.CampaignId == Id)
            .OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Take(300).ToListAsync(ct);
        Creatives = all.Where(c => c.CampaignId == Id).ToList();
        Others = all.Where(c => c.CampaignId != Id && c.Status != CreativeStatus.Archived).ToList();
        var otherIds = Others.Where(c => c.CampaignId != null).Select(c => c.CampaignId!.Value).Distinct().ToList();
        OtherCampaigns = await db.Campaigns.AsNoTracking().Where(k => otherIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        Coupons = await (from c in db.Coupons.AsNoTracking()
                         join a in db.Affiliates.AsNoTracking() on c.AffiliateId equals a.Id
                         where c.CampaignId == Id
                         orderby c.Code
                         select new CouponItem(c, a.Name)).ToListAsync(ct);
        Groups = await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name).ToListAsync(ct);
        if (AnnounceSubject.Length == 0) AnnounceSubject = Campaign.Name;
        if (AnnounceBody.Length == 0) AnnounceBody = text["{0} is on. Its banners, texts and coupons are in your materials in the portal, with your link already in the code.", Campaign.Name];
        return null;
    }
}
