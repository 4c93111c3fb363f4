using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Disputes;

/// <summary>One claim in the list, with the affiliate's name.</summary>
public sealed record DisputeRow(Guid Id, Guid AffiliateId, string AffiliateName, string OrderNumber, DateOnly OrderDate, DisputeStatus Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// The program's claims for missing or wrongly rejected commissions: open ones first by default, filtered by status and
/// searched by order number or affiliate, 25 a page, and the filtered list as CSV. Every role reads it; deciding is on
/// the claim's own page.
/// </summary>
[Authorize]
public sealed class DisputesModel(AppDbContext db, TenantContext tenant, ReportService reports, UiContext ui) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }

    /// <summary>Open unless the query says otherwise; <c>all</c> shows every status.</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public Membership Program { get; private set; } = null!;
    public DisputeStatus? StatusFilter { get; private set; }
    public PagedResult<DisputeRow> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    public static IReadOnlyList<DisputeStatus> Statuses { get; } = Enum.GetValues<DisputeStatus>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        Rows = await Filtered().ToPageAsync(PageRequest.Of(PageNumber), ct);
        return Page();
    }

    /// <summary>Every filtered claim (not only the page). A GET: it changes nothing.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var csv = new ReportCsv().Row("id", "affiliateId", "affiliate", "orderNumber", "orderDate", "status", "createdAt", "updatedAt");
        await foreach (var r in Filtered().AsAsyncEnumerable().WithCancellation(ct))
            csv.Row(r.Id, r.AffiliateId, r.AffiliateName, r.OrderNumber, r.OrderDate.ToString("yyyy-MM-dd"), r.Status, r.CreatedAt.ToString("O"), r.UpdatedAt.ToString("O"));
        return File(csv.ToBytes(), ReportCsv.ContentType, "disputes.csv");
    }

    private IQueryable<DisputeRow> Filtered()
    {
        var rows = from d in db.Disputes.AsNoTracking()
                   join a in db.Affiliates on d.AffiliateId equals a.Id
                   select new { d, a.Name, a.Email };
        if (StatusFilter is { } s) rows = rows.Where(r => r.d.Status == s);
        if (Q?.Trim() is { Length: > 0 } q)
        {
            var bare = q.TrimStart('#').Trim();
            var pattern = $"%{q.ToLowerInvariant()}%";
            rows = rows.Where(r => r.d.OrderNumber == bare || r.d.OrderNumber == "#" + bare
                || EF.Functions.Like(r.Name.ToLower(), pattern) || EF.Functions.Like(r.Email.ToLower(), pattern));
        }
        return rows.OrderByDescending(r => r.d.UpdatedAt).ThenByDescending(r => r.d.Id)
            .Select(r => new DisputeRow(r.d.Id, r.d.AffiliateId, r.Name, r.d.OrderNumber, r.d.OrderDate, r.d.Status, r.d.CreatedAt, r.d.UpdatedAt));
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        Status ??= nameof(DisputeStatus.Open);
        StatusFilter = Enum.TryParse<DisputeStatus>(Status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;
        if (StatusFilter is null) Status = "all";
        return null;
    }
}
