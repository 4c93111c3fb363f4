using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Webhooks;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's one postback URL in this program: a signed POST for each of their own commissions created or changed
/// (the same mechanism as the merchants' endpoints, <see cref="WebhookService"/> with the affiliate as owner), the
/// secret shown once, a test event and their delivery log.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class PostbackModel(AppDbContext db, TenantContext tenant, WebhookService hooks, IStringLocalizer<PortalText> text) : PortalPageModel(db, tenant)
{
    [BindProperty] public string? PostbackUrl { get; set; }

    public WebhookEndpoint? Endpoint { get; private set; }
    public PagedResult<WebhookDelivery>? Log { get; private set; }
    public string? NewSecret { get; private set; }

    private Guid Me => Current.Affiliate.Id;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) => await LoadAsync(slug, ct) ?? Page();

    public async Task<IActionResult> OnPostSaveAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        try
        {
            var existing = (await hooks.ListAsync(Me, ct)).FirstOrDefault();
            if (existing is null)
            {
                (_, NewSecret) = await hooks.CreateAsync(new WebhookEndpointInput(PostbackUrl, null, null, true), Me, Current.Workspace.Id, ct);
            }
            else
            {
                await hooks.UpdateAsync(existing.Id, new WebhookEndpointInput(PostbackUrl, null, null, true), Me, ct);
                TempData.SetStatus(StatusKind.Success, text["Saved. Your commissions are posted to the new address."]);
                return RedirectToPage(new { slug });
            }
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            ModelState.AddModelError(nameof(PostbackUrl), e.Message);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return await LoadAsync(slug, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostTestAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        if ((await hooks.ListAsync(Me, ct)).FirstOrDefault() is not { } endpoint) return NotFound();
        await hooks.SendTestAsync(endpoint.Id, Me, ct);
        TempData.SetStatus(StatusKind.Success, text["A test postback is queued; it appears in the log below."]);
        return RedirectToPage(new { slug });
    }

    public async Task<IActionResult> OnPostRemoveAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        if ((await hooks.ListAsync(Me, ct)).FirstOrDefault() is not { } endpoint) return NotFound();
        await hooks.DeleteAsync(endpoint.Id, Me, ct);
        TempData.SetStatus(StatusKind.Success, text["Your postback URL is removed; nothing more is sent."]);
        return RedirectToPage(new { slug });
    }

    private async Task<IActionResult?> LoadAsync(string slug, CancellationToken ct)
    {
        if (Current is null && await EnterAsync(slug, ct) is { } missing) return missing;
        Endpoint = (await hooks.ListAsync(Me, ct)).FirstOrDefault();
        PostbackUrl ??= Endpoint?.Url;
        if (Endpoint is not null) Log = await hooks.DeliveriesAsync(Endpoint.Id, Me, PageRequest.Of(1), ct);
        return null;
    }
}
