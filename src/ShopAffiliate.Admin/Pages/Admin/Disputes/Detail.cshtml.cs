using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Disputes;

/// <summary>A stored order with the claim's number, with the name of the affiliate it credits now.</summary>
public sealed record MatchingOrderRow(DisputeOrderMatch Order, string? AffiliateName);

/// <summary>
/// One claim: what the affiliate says, the thread, the program's orders with that number (whom each credits now and the
/// engine's explanation), and for Managers and Owners: accept (choose the order, give a reason), decline (a reason) or
/// reply. Every change goes through <see cref="DisputeService"/>, the same code the API calls, which audits it.
/// </summary>
[Authorize]
public sealed class DisputeDetailModel(
    AppDbContext db, TenantContext tenant, DisputeService disputes, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public Membership Program { get; private set; } = null!;
    public Dispute Dispute { get; private set; } = null!;
    public string AffiliateName { get; private set; } = "";
    public List<DisputeEntry> Thread { get; private set; } = [];
    public List<MatchingOrderRow> Matches { get; private set; } = [];
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostAcceptAsync(Guid? orderId, string? reason, CancellationToken ct) =>
        await ChangeAsync(() => disputes.AcceptAsync(Id, orderId, reason, Actor, ct), () => text["The claim is accepted: the order is credited to {0}.", AffiliateName], ct);

    public async Task<IActionResult> OnPostDeclineAsync(string? reason, CancellationToken ct) =>
        await ChangeAsync(() => disputes.DeclineAsync(Id, reason, Actor, ct), () => text["The claim is declined; {0} is told why by email.", AffiliateName], ct);

    public async Task<IActionResult> OnPostReplyAsync(string? message, CancellationToken ct) =>
        await ChangeAsync(() => disputes.AddMessageAsync(Id, message, Actor, ct), () => text["Your reply is on the thread."], ct);

    private DisputeActor Actor => DisputeActor.Staff(Core.Audit.AuditActor.Of(User).Name);

    private async Task<IActionResult> ChangeAsync<T>(Func<Task<T>> change, Func<LocalizedString> done, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        try
        {
            await change();
        }
        catch (ValidationFailedException e)
        {
            foreach (var field in e.Errors.Keys) ModelState.AddModelError(field == "text" ? "message" : field, FieldError(field));
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await LoadAsync(ct) ?? Page();
        }
        catch (ConflictException)
        {
            TempData.SetStatus(StatusKind.Warning, Dispute.Status == DisputeStatus.Open
                ? text["No order with this number has reached the program's shops yet. Ask the affiliate to check the number, or wait until the shop sends the order."]
                : text["This claim is already settled."]);
            return RedirectToPage(new { ws = Ws, id = Id });
        }
        TempData.SetStatus(StatusKind.Success, done());
        return RedirectToPage(new { ws = Ws, id = Id });
    }

    private string FieldError(string field) => field switch
    {
        "reason" => text["Give a reason of up to {0} characters: the affiliate reads it.", DisputeService.MaxText],
        "orderId" => text["Choose one of the orders listed."],
        _ => text["Write a reply of up to {0} characters.", DisputeService.MaxText],
    };

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        // The tenant filter: another program's claim is not found, the same as one that does not exist.
        try
        {
            Dispute = await disputes.GetAsync(Id, Actor, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        AffiliateName = await db.Affiliates.Where(a => a.Id == Dispute.AffiliateId).Select(a => a.Name).FirstAsync(ct);
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        Thread = await disputes.ThreadAsync(Id, ct);
        var matches = await disputes.MatchingOrdersAsync(Dispute, ct);
        var ids = matches.Where(m => m.AffiliateId is not null).Select(m => m.AffiliateId!.Value).Distinct().ToList();
        var names = await db.Affiliates.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        Matches = matches.Select(m => new MatchingOrderRow(m, m.AffiliateId is { } a ? names.GetValueOrDefault(a) : null)).ToList();
        return null;
    }
}
