using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Payouts;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Payouts;

/// <summary>A batch in the tables: its figures without its lines.</summary>
public sealed record BatchRow(Guid Id, string Reference, string Currency, PayoutBatchStatus Status, decimal Total, int Items, DateTime CreatedAt, DateTime? PaidAt);

/// <summary>
/// Payouts: what a batch would pay now per currency, the open batches (download, mark paid, cancel) and the history.
/// Every change goes through <see cref="PayoutService"/>, the code path of the API. Analysts look; owners and managers pay.
/// </summary>
[Authorize]
public sealed class PayoutsModel(
    AppDbContext db, TenantContext tenant, PayoutService payouts, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    /// <summary>From the query only: Razor Pages keeps its own route value named <c>page</c> (the page's path).</summary>
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public Membership? Workspace { get; private set; }
    public IReadOnlyList<PayoutDue> Due { get; private set; } = [];
    public IReadOnlyList<BatchRow> Open { get; private set; } = [];
    public PagedResult<BatchRow> History { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    public bool CanPay => Workspace is { Role: not StaffRole.Analyst };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>The batch's PayPal or bank file. A GET: it reads the batch and changes nothing.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var batch = await db.PayoutBatches.AsNoTracking().Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return NotFound();
        if (PayoutExport.Render(batch, format) is not { } file)
        {
            return BadRequest(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest, Title = "Unknown export format.",
                Detail = $"Use format={string.Join(" or format=", PayoutExport.Formats)}.",
            });
        }
        return File(file.Content, file.ContentType, file.FileName);
    }

    public Task<IActionResult> OnPostCreateAsync(string? currency, CancellationToken ct) => ChangeAsync(async () =>
    {
        var created = await payouts.CreateAsync(Workspace!.WorkspaceId, currency, ct);
        return text["Batch {0} is ready: {1} affiliates. Download its file, pay it, then mark it paid.", created.Batch.Reference, created.Batch.Items.Count];
    }, ct);

    public Task<IActionResult> OnPostMarkPaidAsync(Guid id, CancellationToken ct) => ChangeAsync(async () =>
    {
        var batch = await payouts.MarkPaidAsync(id, ct);
        return text["Batch {0} is marked paid; each affiliate in it has been emailed.", batch.Reference];
    }, ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) => ChangeAsync(async () =>
    {
        var reference = await db.PayoutBatches.Where(b => b.Id == id).Select(b => b.Reference).FirstOrDefaultAsync(ct);
        await payouts.CancelAsync(id, ct);
        return text["Batch {0} is cancelled; its money is due again.", reference ?? ""];
    }, ct);

    /// <summary>Runs a change for an owner or manager, then back to the page (post-redirect-get) with its outcome.</summary>
    private async Task<IActionResult> ChangeAsync(Func<Task<LocalizedString>> change, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        // A 403, not Forbid(): the staff cookie has no access-denied page to redirect to.
        if (!CanPay) return StatusCode(StatusCodes.Status403Forbidden);
        // The service's own message says what to do (e.g. "a USD batch is still open: mark it paid or cancel it").
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
        Due = await payouts.DueAsync(Workspace!.WorkspaceId, ct);
        Open = await Rows(db.PayoutBatches.AsNoTracking().Where(b => b.Status == PayoutBatchStatus.Open).OrderBy(b => b.Currency)).ToListAsync(ct);
        History = await Rows(db.PayoutBatches.AsNoTracking().OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id))
            .ToPageAsync(PageRequest.Of(PageNumber), ct);
        return null;
    }

    private static IQueryable<BatchRow> Rows(IQueryable<PayoutBatch> batches) =>
        batches.Select(b => new BatchRow(b.Id, b.Reference, b.Currency, b.Status, b.Total, b.Items.Count, b.CreatedAt, b.PaidAt));
}
