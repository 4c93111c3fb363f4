using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Messages;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Messages;

/// <summary>
/// The thread with one affiliate (the route's id is the affiliate's). Reading changes nothing: staff mark the
/// affiliate's messages read with a button, or by replying. Replies are mailed to the affiliate and audited.
/// </summary>
[Authorize]
public sealed class MessageThreadModel(
    AppDbContext db, TenantContext tenant, MessageService messages, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public Membership Program { get; private set; } = null!;
    public Affiliate Affiliate { get; private set; } = null!;
    public List<AffiliateMessage> Messages { get; private set; } = [];
    public int Unread { get; private set; }
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostSendAsync(string? message, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        try
        {
            await messages.SendAsync(Id, message, Actor, ct);
        }
        catch (ValidationFailedException)
        {
            ModelState.AddModelError("message", text["Write a message of up to {0} characters.", MessageService.MaxText]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await LoadAsync(ct) ?? Page();
        }
        TempData.SetStatus(StatusKind.Success, text["Sent. {0} gets it by email too.", Affiliate.Name]);
        return RedirectToPage(new { ws = Ws, id = Id });
    }

    public async Task<IActionResult> OnPostReadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        await messages.MarkReadAsync(Id, Actor, ct);
        return RedirectToPage(new { ws = Ws, id = Id });
    }

    private DisputeActor Actor => DisputeActor.Staff(Core.Audit.AuditActor.Of(User).Name);

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        // The tenant filter: another program's affiliate is not found, the same as one that does not exist.
        if (await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == Id, ct) is not { } affiliate) return NotFound();
        Affiliate = affiliate;
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        Messages = await messages.ThreadAsync(Id, Actor, ct);
        Unread = Messages.Count(m => m.Author == DisputeAuthor.Affiliate && m.ReadAt is null);
        return null;
    }
}
