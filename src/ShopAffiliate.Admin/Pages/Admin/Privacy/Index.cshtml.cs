using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Privacy;

/// <summary>
/// The program's privacy requests: the shops' GDPR webhooks (customer data requests, customer and shop redactions) and
/// affiliates' own erasures, newest first, filtered by kind, 25 a page, and the filtered list as CSV. Read-only: every
/// role sees it (the requests are handled when they arrive), and nothing here changes state.
/// </summary>
[Authorize]
public sealed class PrivacyRequestsModel(AppDbContext db, TenantContext tenant, ReportService reports, UiContext ui) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public PrivacyRequestKind? Kind { get; set; }

    /// <summary>From the query only: Razor Pages keeps its own route value named <c>page</c> (the page's path).</summary>
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public Membership? Workspace { get; private set; }
    public PagedResult<PrivacyRequest> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    public static IReadOnlyList<PrivacyRequestKind> Kinds { get; } = Enum.GetValues<PrivacyRequestKind>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        Rows = await Filtered().ToPageAsync(PageRequest.Of(PageNumber), ct);
        return Page();
    }

    /// <summary>Every filtered request (not only the page), without the data exports' contents. A GET: it changes nothing.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var csv = new ReportCsv().Row("id", "kind", "shop", "reference", "receivedAt", "completedAt", "outcome");
        await foreach (var r in Filtered().AsAsyncEnumerable().WithCancellation(ct))
            csv.Row(r.Id, r.Kind, r.ShopDomain, r.CustomerReference ?? "", r.ReceivedAt.ToString("O"), r.CompletedAt?.ToString("O") ?? "", r.Outcome);
        return File(csv.ToBytes(), ReportCsv.ContentType, "privacy-requests.csv");
    }

    private IQueryable<PrivacyRequest> Filtered()
    {
        var rows = db.PrivacyRequests.AsNoTracking();
        if (Kind is { } kind) rows = rows.Where(r => r.Kind == kind);
        return rows.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id);
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (Workspace is null) return NotFound();
        Ws = Workspace.WorkspaceId;
        return null;
    }
}
