using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Messages;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's one thread with the program. Reading changes nothing; sending (which staff get by email) or the
/// mark-as-read button marks staff's messages read.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class MessagesModel(AppDbContext db, TenantContext tenant, MessageService messages, IStringLocalizer<PortalText> text)
    : PortalPageModel(db, tenant)
{
    public List<AffiliateMessage> Thread { get; private set; } = [];
    public int Unread { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) => await LoadAsync(slug, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(string slug, string? message, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        try
        {
            await messages.SendAsync(Current.Affiliate.Id, message, Actor, ct);
        }
        catch (ValidationFailedException)
        {
            await LoadAsync(slug, ct);
            ModelState.AddModelError("message", text["Write a message of up to {0} characters.", MessageService.MaxText]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        TempData.SetStatus(StatusKind.Success, text["Sent. {0} answers here, and you get the answer by email too.", Current.Workspace.Name]);
        return Redirect($"/portal/p/{Current.Workspace.Slug}/messages");
    }

    public async Task<IActionResult> OnPostReadAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await messages.MarkReadAsync(Current.Affiliate.Id, Actor, ct);
        return Redirect($"/portal/p/{Current.Workspace.Slug}/messages");
    }

    private DisputeActor Actor => DisputeActor.Affiliate(Current.Affiliate.Id, Current.Affiliate.Name);

    private async Task<IActionResult?> LoadAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        Thread = await messages.ThreadAsync(Current.Affiliate.Id, Actor, ct);
        Unread = Thread.Count(m => m.Author == DisputeAuthor.Staff && m.ReadAt is null);
        return null;
    }
}
