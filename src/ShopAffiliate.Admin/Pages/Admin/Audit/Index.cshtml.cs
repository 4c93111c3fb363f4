using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Admin.Pages.Admin.Audit;

/// <summary>
/// The audit log: every staff action, filtered by who, entity, action and date (the program's days), paged on the
/// server, and the filtered whole as CSV. Every staff role reads it; the page has no form that changes anything.
/// </summary>
[Authorize]
public sealed class AuditModel(AppDbContext db, TenantContext tenant, ReportService reports, UiContext ui) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public string? Who { get; set; }
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityId { get; set; }
    [BindProperty(SupportsGet = true, Name = "action")] public string? ActionFilter { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    /// <summary>From the query only: Razor Pages keeps its own route value named <c>page</c>.</summary>
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public Membership Program { get; private set; } = null!;
    public PagedResult<AuditEntry> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);
    public bool Filtered => !string.IsNullOrWhiteSpace(Who) || Entity is not null || EntityId is not null || ActionFilter is not null || From is not null || To is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is not { } filter) return NotFound();
        Rows = await AuditLog.Query(db, filter).ToPageAsync(PageRequest.Of(PageNumber), ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is not { } filter) return NotFound();
        var csv = new ReportCsv().Row("id", "at", "actorKind", "actor", "action", "entityType", "entityId", "reason", "before", "after");
        await foreach (var e in AuditLog.Query(db, filter).AsAsyncEnumerable().WithCancellation(ct))
            csv.Row(e.Id, e.At.ToString("O"), e.ActorKind, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Reason, e.Before, e.After);
        return File(csv.ToBytes(), ReportCsv.ContentType, $"audit-{Program.Slug}.csv");
    }

    private async Task<AuditFilter?> EnterAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return null;
        Program = program;
        Ws = program.WorkspaceId;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await reports.TimeZoneIdAsync(ct));
        ui.TimeZone = zone.Id;
        if (!AuditLog.EntityTypes.Contains(Entity)) Entity = null;
        if (!AuditActions.All.Contains(ActionFilter)) ActionFilter = null;
        if (string.IsNullOrWhiteSpace(EntityId)) EntityId = null;
        return new AuditFilter(Who, Entity, EntityId, ActionFilter,
            From is { } from ? ReportCalendar.StartUtc(from, zone) : null,
            To is { } to ? ReportCalendar.StartUtc(to.AddDays(1), zone) : null);
    }
}
