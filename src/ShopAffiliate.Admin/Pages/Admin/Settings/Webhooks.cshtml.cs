using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Webhooks;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Settings;

/// <summary>
/// The program's integrator endpoints: register (the secret shown once), enable or disable, send a test event, rotate
/// the secret, delete (owners), and each endpoint's delivery log with replay. Owners and managers change, analysts
/// read; every change goes through <see cref="WebhookService"/>, as the API's do.
/// </summary>
[Authorize]
public sealed class WebhooksModel(
    AppDbContext db, TenantContext tenant, WebhookService hooks, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }

    /// <summary>The endpoint whose delivery log is shown.</summary>
    [BindProperty(SupportsGet = true)] public Guid? Endpoint { get; set; }

    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    [BindProperty] public string? EndpointUrl { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public List<string> EventTypes { get; set; } = [];

    public Membership Program { get; private set; } = null!;
    public List<WebhookEndpoint> Endpoints { get; private set; } = [];
    public WebhookEndpoint? Selected { get; private set; }
    public PagedResult<WebhookDelivery>? Log { get; private set; }

    /// <summary>Set only in the answer that made or rotated a secret: it is not shown again.</summary>
    public string? NewSecret { get; private set; }

    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);
    public bool CanDelete => Program.Role.MayDo(StaffRole.Owner);

    public static IReadOnlyList<string> Choices { get; } = [.. WebhookEventTypes.Families, .. WebhookEventTypes.All];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            var (endpoint, secret) = await hooks.CreateAsync(new WebhookEndpointInput(EndpointUrl, Description, EventTypes, true), null, Program.WorkspaceId, ct);
            NewSecret = secret;
            Endpoint = endpoint.Id;
            EndpointUrl = Description = null;
            EventTypes = [];
            ModelState.Clear();
            return await LoadAsync(ct) ?? Page();
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            ModelState.AddModelError(e is ValidationFailedException { Errors.Count: > 0 } v ? Field(v.Errors.Keys.First()) : "", e.Message);
            Response.StatusCode = e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            return await LoadAsync(ct) ?? Page();
        }
    }

    public Task<IActionResult> OnPostEnableAsync(Guid id, bool enabled, CancellationToken ct) => ChangeAsync(id, async () =>
    {
        await hooks.UpdateAsync(id, new WebhookEndpointInput(null, null, null, enabled), null, ct);
        return enabled ? text["The endpoint is enabled; new events are sent to it."] : text["The endpoint is disabled; nothing is sent to it until it is enabled again."];
    }, ct);

    public Task<IActionResult> OnPostTestAsync(Guid id, CancellationToken ct) => ChangeAsync(id, async () =>
    {
        await hooks.SendTestAsync(id, null, ct);
        return text["A test event is queued; its delivery appears in the log below."];
    }, ct);

    public Task<IActionResult> OnPostReplayAsync(Guid id, long deliveryId, CancellationToken ct) => ChangeAsync(id, async () =>
    {
        await hooks.ReplayAsync(id, deliveryId, null, ct);
        return text["Delivery {0} is queued again.", deliveryId];
    }, ct);

    [RequiresRole(StaffRole.Owner)]
    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        return await PageChanges.RunAsync(this, async () =>
        {
            await hooks.DeleteAsync(id, null, ct);
            return text["The endpoint is deleted; nothing more is sent to it."];
        }, () => LoadAsync(ct), new { ws = Ws });
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            NewSecret = await hooks.RotateSecretAsync(id, null, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Endpoint = id;
        return await LoadAsync(ct) ?? Page();
    }

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task<LocalizedString>> change, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        return await PageChanges.RunAsync(this, change, () => LoadAsync(ct), new { ws = Ws, endpoint = id });
    }

    private static string Field(string name) => name switch
    {
        "url" => nameof(EndpointUrl),
        "description" => nameof(Description),
        "eventTypes" => nameof(EventTypes),
        _ => "",
    };

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        var program = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (program is null) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (Program is null && await EnterAsync(ct) is { } denied) return denied;
        Endpoints = await hooks.ListAsync(null, ct);
        Selected = Endpoints.FirstOrDefault(e => e.Id == Endpoint) ?? (Endpoint is null ? Endpoints.FirstOrDefault() : null);
        if (Endpoint is not null && Selected is null) return NotFound();
        if (Selected is not null) Log = await hooks.DeliveriesAsync(Selected.Id, null, PageRequest.Of(PageNumber), ct);
        return null;
    }
}
