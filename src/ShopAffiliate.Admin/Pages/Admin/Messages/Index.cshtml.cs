using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Messages;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Messages;

/// <summary>The inbox: one row per affiliate who has a thread, the latest activity first, with staff's unread count.</summary>
[Authorize]
public sealed class MessagesModel(AppDbContext db, TenantContext tenant, MessageService messages, ReportService reports, UiContext ui) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public bool Unread { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public Membership Program { get; private set; } = null!;
    public PagedResult<MessageThreadSummary> Threads { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        Threads = await messages.InboxAsync(Q, Unread, PageRequest.Of(PageNumber), ct);
        return Page();
    }
}
