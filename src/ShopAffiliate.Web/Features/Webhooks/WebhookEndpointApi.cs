using Microsoft.AspNetCore.Http.HttpResults;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Webhooks;

namespace ShopAffiliate.Web.Features.Webhooks;

public sealed record WebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? EventTypes, bool? Enabled);

public sealed record WebhookEndpointResponse(
    Guid Id, string Url, string Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The endpoint with its signing secret: only in the answer that made or rotated it.</summary>
public sealed record WebhookEndpointCreated(WebhookEndpointResponse Endpoint, string Secret);

public sealed record WebhookSecretResponse(string Secret);

public sealed record WebhookAttemptResponse(int Attempt, DateTime At, int DurationMs, bool Succeeded, int? ResponseCode, string? Error);

public sealed record WebhookDeliveryResponse(
    long Id, string EventType, OutboxStatus Status, int Attempts, DateTime CreatedAt, DateTime? NextAttemptAt, DateTime? SentAt, string? LastError,
    IReadOnlyList<WebhookAttemptResponse> Tries);

/// <summary>
/// The program's integrator endpoints over the API (<c>/api/v1/webhook-endpoints</c>). Everything goes through
/// <see cref="WebhookService"/>, as the admin page does; another program's endpoint answers 404.
/// </summary>
public static class WebhookEndpointApi
{
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhook-endpoints").WithTags("Webhooks");
        group.MapGet("/", List).WithSummary("The program's endpoints (affiliates' postback URLs are theirs and not listed).");
        group.MapPost("/", Create).WithSummary("Register an endpoint: https URL and event types (affiliate.*, commission.*, payout.*, dispute.* or single types). The secret is in this answer only.");
        group.MapGet("/{id:guid}", Get).WithSummary("One endpoint.");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change the URL, description, event types or whether it is enabled (fields left out are unchanged).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Remove the endpoint; nothing more is sent to it.");
        group.MapPost("/{id:guid}/rotate-secret", Rotate).WithSummary("A new signing secret, in this answer only; the old one stops at once.");
        group.MapGet("/{id:guid}/deliveries", Deliveries).WithSummary("The delivery log, newest first: status, tries, response codes, durations, next try.");
        group.MapPost("/{id:guid}/deliveries/{deliveryId:long}/replay", Replay).WithSummary("Queue a delivery again now.");
        group.MapPost("/{id:guid}/test", Test).WithSummary("Queue a webhook.test event for this endpoint.");
        return group;
    }

    private static async Task<Ok<List<WebhookEndpointResponse>>> List(WebhookService hooks, CancellationToken ct) =>
        TypedResults.Ok((await hooks.ListAsync(null, ct)).Select(ToResponse).ToList());

    private static async Task<Created<WebhookEndpointCreated>> Create(WebhookEndpointRequest body, WebhookService hooks, ITenantContext tenant, CancellationToken ct)
    {
        var (endpoint, secret) = await hooks.CreateAsync(Input(body), null, tenant.WorkspaceId!.Value, ct);
        return TypedResults.Created($"/api/v1/webhook-endpoints/{endpoint.Id}", new WebhookEndpointCreated(ToResponse(endpoint), secret));
    }

    private static async Task<Ok<WebhookEndpointResponse>> Get(Guid id, WebhookService hooks, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await hooks.GetAsync(id, null, ct)));

    private static async Task<Ok<WebhookEndpointResponse>> Update(Guid id, WebhookEndpointRequest body, WebhookService hooks, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await hooks.UpdateAsync(id, Input(body), null, ct)));

    private static async Task<NoContent> Delete(Guid id, WebhookService hooks, CancellationToken ct)
    {
        await hooks.DeleteAsync(id, null, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookSecretResponse>> Rotate(Guid id, WebhookService hooks, CancellationToken ct) =>
        TypedResults.Ok(new WebhookSecretResponse(await hooks.RotateSecretAsync(id, null, ct)));

    private static async Task<Ok<PagedList<WebhookDeliveryResponse>>> Deliveries(Guid id, int? page, int? pageSize, WebhookService hooks, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var rows = await hooks.DeliveriesAsync(id, null, new PageRequest(p, size), ct);
        return TypedResults.Ok(new PagedList<WebhookDeliveryResponse>(rows.Items.Select(ToResponse).ToList(), rows.Page, rows.PageSize, rows.Total));
    }

    private static async Task<Accepted<WebhookDeliveryResponse>> Replay(Guid id, long deliveryId, WebhookService hooks, CancellationToken ct)
    {
        var message = await hooks.ReplayAsync(id, deliveryId, null, ct);
        return TypedResults.Accepted($"/api/v1/webhook-endpoints/{id}/deliveries", ToResponse(new WebhookDelivery(message, [])));
    }

    private static async Task<Accepted<WebhookDeliveryResponse>> Test(Guid id, WebhookService hooks, CancellationToken ct)
    {
        var message = await hooks.SendTestAsync(id, null, ct);
        return TypedResults.Accepted($"/api/v1/webhook-endpoints/{id}/deliveries", ToResponse(new WebhookDelivery(message, [])));
    }

    private static WebhookEndpointInput Input(WebhookEndpointRequest body) => new(body.Url, body.Description, body.EventTypes, body.Enabled);

    internal static WebhookEndpointResponse ToResponse(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.Types, e.Enabled, e.DisabledReason, e.CreatedAt, e.UpdatedAt);

    internal static WebhookDeliveryResponse ToResponse(WebhookDelivery d) => new(
        d.Message.Id, d.Message.Topic, d.Message.Status, d.Message.Attempts, d.Message.CreatedAt,
        d.Message.Status == OutboxStatus.Pending ? d.Message.NextAttemptAt : null, d.Message.SentAt, d.Message.LastError,
        d.Attempts.Select(a => new WebhookAttemptResponse(a.Attempt, a.At, a.DurationMs, a.Succeeded, a.ResponseCode, a.Error)).ToList());
}
