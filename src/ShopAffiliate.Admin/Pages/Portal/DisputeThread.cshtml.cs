using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>One of the affiliate's own claims: its status, the decision, the thread and a reply. Anyone else's is 404.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class DisputeThreadModel(AppDbContext db, TenantContext tenant, DisputeService disputes, IStringLocalizer<PortalText> text)
    : PortalPageModel(db, tenant)
{
    public Dispute Dispute { get; private set; } = null!;
    public List<DisputeEntry> Thread { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, Guid id, CancellationToken ct) => await LoadAsync(slug, id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(string slug, Guid id, string? message, CancellationToken ct)
    {
        if (await LoadAsync(slug, id, ct) is { } missing) return missing;
        try
        {
            await disputes.AddMessageAsync(id, message, Actor, ct);
        }
        catch (ValidationFailedException)
        {
            ModelState.AddModelError("message", text["Write a message of up to {0} characters.", DisputeService.MaxText]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        TempData.SetStatus(StatusKind.Success, text["Your message is on the thread."]);
        return Redirect($"/portal/p/{Current.Workspace.Slug}/disputes/{id}");
    }

    private DisputeActor Actor => DisputeActor.Affiliate(Current.Affiliate.Id, Current.Affiliate.Name);

    private async Task<IActionResult?> LoadAsync(string slug, Guid id, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        try
        {
            Dispute = await disputes.GetAsync(id, Actor, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Thread = await disputes.ThreadAsync(id, ct);
        return null;
    }
}
