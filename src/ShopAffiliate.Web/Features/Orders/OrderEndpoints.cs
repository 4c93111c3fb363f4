using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Web.Auth;
using ShopAffiliate.Web.Features.Commissions;

namespace ShopAffiliate.Web.Features.Orders;

public sealed record AttributionDto(Guid? AffiliateId, AttributionMethod Method, string Explanation);

public sealed record OrderResponse(
    Guid Id, Guid ShopId, string ExternalId, string? Number, DateTime? PlacedAt, OrderState? State, bool IsTest,
    MoneyDto? NetRevenue, MoneyDto? Refunded, AttributionDto Attribution, DateTime ReceivedAt);

public sealed record AssignRequest(Guid? AffiliateId, string? Reason);

public sealed record OrderDetail(OrderResponse Order, IReadOnlyList<CommissionResponse> Commissions);

public static class OrderEndpoints
{
    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orders").WithTags("Orders");
        group.MapGet("/", List).WithSummary("Orders with their attribution, newest first (filter externalId, shopId, affiliateId).");
        group.MapGet("/{id:guid}", Get).WithSummary("One order with its attribution explained and its commissions.");
        group.MapPost("/{id:guid}/assign", Assign)
            .WithSummary("Credit the order to an affiliate by hand, with a reason the affiliate sees; another affiliate's commission on it is reversed.");
        return group;
    }

    private static async Task<Results<Ok<OrderDetail>, NotFound>> Assign(
        Guid id, AssignRequest body, OrderProcessor orders, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body.AffiliateId is not { } affiliateId)
            throw ValidationFailedException.For("affiliateId", "Name the affiliate to credit the order to.");
        await orders.AssignAsync(id, affiliateId, new ReasonRequest(body.Reason).Require("assign the order"), Actor.Of(user), ct);
        return await Get(db, id, ct);
    }

    private static async Task<Ok<PagedList<OrderResponse>>> List(
        AppDbContext db, string? externalId, Guid? shopId, Guid? affiliateId, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = db.Orders.AsNoTracking().Where(o => o.HasOrder);
        if (!string.IsNullOrWhiteSpace(externalId)) query = query.Where(o => o.ExternalId == externalId.Trim());
        if (shopId is { } s) query = query.Where(o => o.ShopId == s);
        if (affiliateId is { } a) query = query.Where(o => o.AffiliateId == a);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(o => o.PlacedAt).ThenBy(o => o.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<OrderResponse>(rows.Select(ToResponse).ToList(), p, size, total));
    }

    private static async Task<Results<Ok<OrderDetail>, NotFound>> Get(AppDbContext db, Guid id, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (order is null) return TypedResults.NotFound();
        var commissions = await db.Commissions.AsNoTracking().Where(c => c.OrderId == id).OrderBy(c => c.Tier).ToListAsync(ct);
        return TypedResults.Ok(new OrderDetail(ToResponse(order), commissions.Select(c => CommissionEndpoints.ToResponse(c, order)).ToList()));
    }

    internal static OrderResponse ToResponse(Core.Orders.Order o) => new(
        o.Id, o.ShopId, o.ExternalId, o.Number, o.PlacedAt, o.State, o.IsTest,
        o.HasOrder ? MoneyDto.Of(o.NetRevenue, o.Currency) : null,
        o.HasOrder ? MoneyDto.Of(o.RefundedAmount, o.Currency) : null,
        new AttributionDto(o.AffiliateId, o.AttributionMethod, o.AttributionExplanation), o.ReceivedAt);
}
