using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Announcements;

/// <summary>
/// Announcements to all approved affiliates or a segment: the list of those sent, and the form that writes one. The
/// preview (the body as affiliates will see it and how many the segment holds now) is a POST that changes nothing, so
/// it works by a submit without a script; ui.js posts it as the form changes. Sending goes through
/// <see cref="AnnouncementService"/>, the API's code path (recipients, mails, audit in one save).
/// </summary>
[Authorize]
public sealed class AnnouncementsModel(
    AppDbContext db, TenantContext tenant, AnnouncementService announcements, SegmentService segments, ReportService reports,
    UiContext ui, IStringLocalizer<AdminText> text, IStringLocalizer<SharedText> shared) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public SegmentKind Kind { get; set; } = SegmentKind.All;
    [BindProperty] public Guid? GroupId { get; set; }
    [BindProperty] public AffiliateStatus? Status { get; set; }
    [BindProperty] public int? Top { get; set; } = 10;
    [BindProperty] public int? TopDays { get; set; } = 30;
    [BindProperty] public int? InactiveDays { get; set; } = 30;

    public Membership Program { get; private set; } = null!;
    public PagedResult<AnnouncementService.Sent> List { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);
    public List<(Guid Id, string Name, bool IsDefault)> Groups { get; private set; } = [];
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    /// <summary>Set by the preview handler: the segment's size now, and the body as HTML (escaped first, see <see cref="MarkdownLite"/>).</summary>
    public int? PreviewCount { get; private set; }
    public string? PreviewHtml { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing) return missing;
        if (!string.IsNullOrWhiteSpace(Body) && Body.Length <= AnnouncementService.MaxBody) PreviewHtml = MarkdownLite.ToHtml(Body);
        if (await SegmentAsync(ct) is { } segment)
        {
            PreviewCount = await segments.CountAsync(segment, ct);
            if (PreviewCount == 0) ModelState.AddModelError(nameof(Kind), text["No affiliate is in this segment now: nothing would be sent."]);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing) return missing;
        var subject = Subject?.Trim() ?? "";
        var body = Body?.Trim() ?? "";
        if (subject.Length is 0 or > AnnouncementService.MaxSubject)
            ModelState.AddModelError(nameof(Subject), text["Write a subject of 1 to {0} characters.", AnnouncementService.MaxSubject]);
        if (body.Length is 0 or > AnnouncementService.MaxBody)
            ModelState.AddModelError(nameof(Body), text["Write a message of 1 to {0} characters.", AnnouncementService.MaxBody]);
        var segment = await SegmentAsync(ct);
        if (!ModelState.IsValid || segment is null) return Invalid();
        Announcement sent;
        try
        {
            sent = await announcements.SendAsync(new AnnouncementInput(subject, body, segment), ct);
        }
        catch (ValidationFailedException e) when (e.Errors.ContainsKey("segment"))
        {
            ModelState.AddModelError(nameof(Kind), text["No affiliate is in this segment now: nothing would be sent."]);
            return Invalid();
        }
        TempData.SetStatus(StatusKind.Success, sent.RecipientCount == 1
            ? text["Sent to 1 affiliate. They see it in the portal, and by email unless they turned announcements off."]
            : text["Sent to {0} affiliates. They see it in the portal, and by email unless they turned announcements off.", sent.RecipientCount]);
        return RedirectToPage(new { ws = Ws });
    }

    /// <summary>Who an announcement went to, as a sentence.</summary>
    public string Describe(Announcement a) => a.SegmentKind switch
    {
        SegmentKind.Group => text["Commission group {0}", GroupName(a.SegmentGroupId)],
        SegmentKind.Status => text["Affiliates with status {0}", a.SegmentStatus is { } s ? shared["Status." + s].Value : ""],
        SegmentKind.TopPerformers => text["The top {0} by commission over {1} days", a.SegmentTop ?? 0, a.SegmentDays ?? 0],
        SegmentKind.Inactive => text["Without a click in {0} days", a.SegmentDays ?? 0],
        _ => text["All approved affiliates"],
    };

    private string GroupName(Guid? id) =>
        id is null || id == Guid.Empty ? Groups.Where(g => g.IsDefault).Select(g => g.Name).FirstOrDefault() ?? text["the default group"]
        : Groups.Where(g => g.Id == id).Select(g => g.Name).FirstOrDefault() ?? text["(deleted)"];

    private IActionResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>
    /// The segment the form chose, with only the fields its kind uses (the form carries all of them); null with the
    /// field's message in the page's language when one is missing or out of range.
    /// </summary>
    private async Task<Segment?> SegmentAsync(CancellationToken ct)
    {
        if (!Enum.IsDefined(Kind))
        {
            ModelState.AddModelError(nameof(Kind), text["Choose who receives it."]);
            return null;
        }
        switch (Kind)
        {
            case SegmentKind.Group:
                if (GroupId is { } g && g != Guid.Empty && !await db.CommissionGroups.AnyAsync(x => x.Id == g, ct))
                {
                    // The tenant filter: another program's group is not found, the same as one that does not exist.
                    ModelState.AddModelError(nameof(GroupId), text["Choose a commission group of this program."]);
                    return null;
                }
                return new Segment(Kind, GroupId ?? Guid.Empty);
            case SegmentKind.Status:
                if (Status is not { } status || !Enum.IsDefined(status))
                {
                    ModelState.AddModelError(nameof(Status), text["Choose the status the affiliates have."]);
                    return null;
                }
                return new Segment(Kind, Status: status);
            case SegmentKind.TopPerformers:
                var topOk = Top is >= 1 and <= Segment.MaxTop;
                var daysOk = TopDays is >= 1 and <= Segment.MaxDays;
                if (!topOk) ModelState.AddModelError(nameof(Top), text["The number of top performers must be 1 to {0}.", Segment.MaxTop]);
                if (!daysOk) ModelState.AddModelError(nameof(TopDays), text["The number of days must be 1 to {0}.", Segment.MaxDays]);
                return topOk && daysOk ? new Segment(Kind, Top: Top, Days: TopDays) : null;
            case SegmentKind.Inactive:
                if (InactiveDays is not (>= 1 and <= Segment.MaxDays))
                {
                    ModelState.AddModelError(nameof(InactiveDays), text["The number of days must be 1 to {0}.", Segment.MaxDays]);
                    return null;
                }
                return new Segment(Kind, Days: InactiveDays);
            default:
                return Segment.Everyone;
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        Groups = (await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name)
            .Select(g => new { g.Id, g.Name, g.IsDefault }).ToListAsync(ct)).Select(g => (g.Id, g.Name, g.IsDefault)).ToList();
        List = await announcements.PageAsync(PageRequest.Of(PageNumber), ct);
        return null;
    }
}
