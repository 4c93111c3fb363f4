using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Web.Auth;

namespace ShopAffiliate.Web.Features.Disputes;

public sealed record DisputeResponse(
    Guid Id, Guid AffiliateId, string OrderNumber, DateOnly OrderDate, string Note, DisputeStatus Status, Guid? OrderId,
    string? DecisionReason, string? DecidedBy, DateTime? DecidedAt, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record DisputeEntryResponse(Guid Id, DisputeEntryKind Kind, DisputeAuthor Author, string ActorName, string Text, DateTime At);

public sealed record DisputeDetail(DisputeResponse Dispute, IReadOnlyList<DisputeEntryResponse> Thread, IReadOnlyList<DisputeOrderMatch> MatchingOrders);

public sealed record OpenDisputeRequest(Guid? AffiliateId, string? OrderNumber, DateOnly? OrderDate, string? Note);

public sealed record AcceptDisputeRequest(string? Reason, Guid? OrderId);

public sealed record DisputeMessageRequest(string? Text);

/// <summary>
/// Staff's side of disputes over the API. Program scoping: every route reads through the tenant filter of the key's
/// workspace, so another program's dispute answers 404.
/// </summary>
public static class DisputeEndpoints
{
    public static RouteGroupBuilder MapDisputes(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/disputes").WithTags("Disputes");
        group.MapGet("/", List).WithSummary("Claims for missing or wrongly rejected commissions, newest first (filter status, affiliateId).");
        group.MapGet("/{id:guid}", Get).WithSummary("One claim with its thread and the program's orders that carry its order number.");
        group.MapPost("/", Open).WithSummary("File a claim for an affiliate (they can file their own in the portal).");
        group.MapPost("/{id:guid}/accept", (Guid id, AcceptDisputeRequest body, DisputeService disputes, ClaimsPrincipal user, CancellationToken ct) =>
                DetailAfterAsync(disputes, id, user, disputes.AcceptAsync(id, body.OrderId, body.Reason, Staff(user), ct), ct))
            .WithSummary("Accept: the order (orderId, or the one with the claim's number) is credited to the affiliate by hand, with the reason.");
        group.MapPost("/{id:guid}/decline", (Guid id, ReasonRequest body, DisputeService disputes, ClaimsPrincipal user, CancellationToken ct) =>
                DetailAfterAsync(disputes, id, user, disputes.DeclineAsync(id, body.Reason, Staff(user), ct), ct))
            .WithSummary("Decline, with a reason the affiliate is mailed; nothing is booked.");
        group.MapPost("/{id:guid}/messages", (Guid id, DisputeMessageRequest body, DisputeService disputes, ClaimsPrincipal user, CancellationToken ct) =>
                DetailAfterAsync(disputes, id, user, disputes.AddMessageAsync(id, body.Text, Staff(user), ct), ct))
            .WithSummary("Add a staff message to the claim's thread.");
        return group;
    }

    private static async Task<Ok<PagedList<DisputeResponse>>> List(
        AppDbContext db, DisputeStatus? status, Guid? affiliateId, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = db.Disputes.AsNoTracking();
        if (status is { } s) query = query.Where(d => d.Status == s);
        if (affiliateId is { } a) query = query.Where(d => d.AffiliateId == a);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<DisputeResponse>(rows.Select(ToResponse).ToList(), p, size, total));
    }

    private static async Task<Ok<DisputeDetail>> Get(Guid id, DisputeService disputes, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await DetailAsync(disputes, await disputes.GetAsync(id, Staff(user), ct), ct));

    private static async Task<Created<DisputeDetail>> Open(OpenDisputeRequest body, DisputeService disputes, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body.AffiliateId is not { } affiliateId)
            throw Core.Errors.ValidationFailedException.For("affiliateId", "Name the affiliate the claim is for.");
        var dispute = await disputes.OpenAsync(affiliateId, body.OrderNumber, body.OrderDate, body.Note, Staff(user), ct);
        return TypedResults.Created($"/api/v1/disputes/{dispute.Id}", await DetailAsync(disputes, dispute, ct));
    }

    private static async Task<Ok<DisputeDetail>> DetailAfterAsync<T>(DisputeService disputes, Guid id, ClaimsPrincipal user, Task<T> change, CancellationToken ct)
    {
        await change;
        return await Get(id, disputes, user, ct);
    }

    private static async Task<DisputeDetail> DetailAsync(DisputeService disputes, Dispute dispute, CancellationToken ct) => new(
        ToResponse(dispute),
        (await disputes.ThreadAsync(dispute.Id, ct)).Select(e => new DisputeEntryResponse(e.Id, e.Kind, e.Author, e.ActorName, e.Text, e.At)).ToList(),
        await disputes.MatchingOrdersAsync(dispute, ct));

    private static DisputeActor Staff(ClaimsPrincipal user) => DisputeActor.Staff(Actor.Of(user));

    internal static DisputeResponse ToResponse(Dispute d) => new(
        d.Id, d.AffiliateId, d.OrderNumber, d.OrderDate, d.Note, d.Status, d.OrderId, d.DecisionReason, d.DecidedBy, d.DecidedAt, d.CreatedAt, d.UpdatedAt);
}
