using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Creatives;

/// <summary>
/// The program's creatives: filters, the upload form, each creative's preview with publish and archive, and the last 30
/// days' impressions, clicks and CTR per creative. Changes go through <see cref="CreativeService"/>, the API's code path.
/// </summary>
[Authorize]
public sealed class CreativesModel(
    AppDbContext db, TenantContext tenant, CreativeService creatives, ICreativeStore store, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text)
    : PageModel
{
    public sealed record Row(Creative Creative, IReadOnlyList<CreativeFile> Files, long Impressions, long Clicks, decimal? Ctr)
    {
        /// <summary>The creative's report figures (orders, revenue, commission, EPC from the winning clicks, ADR 0039).</summary>
        public CreativeFigures? Figures { get; init; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [FromQuery(Name = "kind")] public CreativeKind? Kind { get; set; }
    [FromQuery(Name = "status")] public CreativeStatus? Status { get; set; }

    [BindProperty] public CreativeKind NewKind { get; set; }
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewDestination { get; set; }
    [BindProperty] public string? NewHeadline { get; set; }
    [BindProperty] public string? NewBody { get; set; }
    [BindProperty] public string? NewTags { get; set; }
    [BindProperty] public string? NewCampaign { get; set; }
    [BindProperty] public List<IFormFile> NewFiles { get; set; } = [];

    public Membership? Workspace { get; private set; }
    public List<Row> Rows { get; private set; } = [];

    /// <summary>The names of the listed creatives' campaigns, by id.</summary>
    public Dictionary<Guid, string> CampaignNames { get; private set; } = [];
    public bool CanChange => Workspace is { Role: not StaffRole.Analyst };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>An image of any of the program's creatives, drafts too (the preview); public URLs serve published ones only.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid file, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var row = await db.CreativeFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == file, ct);
        if (row is null || await store.ReadAsync(row.Hash, ct) is not { } bytes) return NotFound();
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(bytes, row.ContentType);
    }

    public Task<IActionResult> OnPostCreateAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var uploads = new List<CreativeUpload>();
        foreach (var f in NewFiles)
        {
            using var buffer = new MemoryStream();
            await f.CopyToAsync(buffer, ct);
            uploads.Add(new CreativeUpload(f.FileName, buffer.ToArray()));
        }
        var created = await creatives.CreateAsync(NewKind,
            new CreativeInput(NewName, NewDestination, NewHeadline, NewBody, null, NewTags is null ? null : [NewTags], NewCampaign), uploads, ct);
        return text["{0} is saved as a draft. Publish it when it is ready for affiliates.", created.Name];
    }, ct);

    public Task<IActionResult> OnPostPublishAsync(Guid id, CancellationToken ct) => ChangeAsync(async () =>
        text["{0} is published: affiliates find it in their materials.", (await creatives.PublishAsync(id, ct)).Name], ct);

    public Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken ct) => ChangeAsync(async () =>
        text["{0} is archived: pages that embed it now show nothing.", (await creatives.ArchiveAsync(id, ct)).Name], ct);

    private async Task<IActionResult> ChangeAsync(Func<Task<LocalizedString>> change, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        if (!CanChange) return StatusCode(StatusCodes.Status403Forbidden);
        // The service says what is wrong (an SVG, a bomb, a destination off the shops, a missing image).
        return await PageChanges.RunAsync(this, change, () => LoadAsync(ct), new { ws = Ws });
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (Workspace is null) return NotFound();
        Ws = Workspace.WorkspaceId;
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        var query = creatives.Query();
        if (Kind is { } k) query = query.Where(c => c.Kind == k);
        if (Status is { } s) query = query.Where(c => c.Status == s);
        var list = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Take(200).ToListAsync(ct);
        var files = await creatives.FilesOfAsync(list.Select(c => c.Id).ToList(), ct);
        var campaignIds = list.Where(c => c.CampaignId != null).Select(c => c.CampaignId!.Value).Distinct().ToList();
        CampaignNames = await db.Campaigns.AsNoTracking().Where(k => campaignIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        var to = await reports.TodayAsync(ct);
        var period = new ReportPeriod(to.AddDays(-29), to);
        var figures = (await reports.TopAsync(TopDimension.Creative, ReportMetric.Impressions, period, ReportService.MaxLimit, null, ct)).Rows
            .ToDictionary(r => r.Key, r => r.Figures);
        Rows = list.Select(c =>
        {
            var f = figures.GetValueOrDefault(c.Id.ToString());
            return new Row(c, files[c.Id].ToList(), f?.Impressions ?? 0, f?.UniqueClicks ?? 0, f?.Ctr) { Figures = f };
        }).ToList();
        return null;
    }
}
