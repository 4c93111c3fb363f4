using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>One program's last 30 days (in its own time zone) for the agency overview: figures per currency and open tasks.</summary>
public sealed record ProgramCard(Membership Program, SummaryFigures Figures, ProgramTasks Tasks);

/// <summary>
/// The cross-program overview of a staff member in several programs (an agency): each program's revenue and commission
/// per currency and its open tasks for the last 30 days, from the same report service and task counts the overview
/// uses. Only the programs the signed-in user is staff of; it changes nothing.
/// </summary>
[Authorize]
public sealed class ProgramsModel(AppDbContext db, TenantContext tenant, ReportService reports, ProgramOverview overview, UiContext ui) : PageModel
{
    public List<ProgramCard> Cards { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var memberships = await AdminSession.MembershipsAsync(db, User, ct);
        if (memberships.Count == 0) return NotFound();
        ui.Programs = memberships;
        foreach (var program in memberships)
        {
            // Each program's figures through the tenant filter, one program at a time.
            tenant.WorkspaceId = program.WorkspaceId;
            var today = await reports.TodayAsync(ct);
            var figures = await reports.FiguresAsync(new ReportPeriod(today.AddDays(-29), today), ct);
            Cards.Add(new ProgramCard(program, figures, await overview.TasksAsync(ct)));
        }
        tenant.WorkspaceId = null;
        return Page();
    }
}
