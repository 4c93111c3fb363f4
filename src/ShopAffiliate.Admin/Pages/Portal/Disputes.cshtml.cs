using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's claims in this program with their status, and the form to claim a missing commission (order number,
/// date, note). Filing goes through <see cref="DisputeService"/>, the same code as the API, held to this affiliate.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class DisputesModel(AppDbContext db, TenantContext tenant, DisputeService disputes, TimeProvider clock, IStringLocalizer<PortalText> text)
    : PortalPageModel(db, tenant)
{
    [BindProperty] public string? OrderNumber { get; set; }
    [BindProperty] public DateOnly? OrderDate { get; set; }
    [BindProperty] public string? Note { get; set; }

    public List<Dispute> Claims { get; private set; } = [];
    public string Today { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        // A date the browser could not send as yyyy-MM-dd is the service's "give the date" error, not a model error.
        ModelState.Clear();
        try
        {
            var claim = await disputes.OpenAsync(Current.Affiliate.Id, OrderNumber, OrderDate, Note,
                DisputeActor.Affiliate(Current.Affiliate.Id, Current.Affiliate.Name), ct);
            TempData.SetStatus(StatusKind.Success, text["Your claim is sent. You can follow it here; we also email you when it is decided."]);
            return Redirect($"/portal/p/{Current.Workspace.Slug}/disputes/{claim.Id}");
        }
        catch (ValidationFailedException e)
        {
            foreach (var field in e.Errors.Keys)
            {
                ModelState.AddModelError(field switch { "orderNumber" => nameof(OrderNumber), "orderDate" => nameof(OrderDate), _ => nameof(Note) }, field switch
                {
                    "orderNumber" => text["Give the order number as the shop showed it (up to {0} characters).", DisputeService.MaxOrderNumber],
                    "orderDate" => text["Give the date of the order: not in the future and at most two years ago."],
                    _ => text["Say what is missing or wrong (up to {0} characters).", DisputeService.MaxText],
                });
            }
        }
        catch (ConflictException)
        {
            ModelState.AddModelError(nameof(OrderNumber), text["You already have an open claim for this order: add to its thread instead."]);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        Claims = await Db.Disputes.AsNoTracking().Where(d => d.AffiliateId == Current.Affiliate.Id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(100).ToListAsync(ct);
    }
}
