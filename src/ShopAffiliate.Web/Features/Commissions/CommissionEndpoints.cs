using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;

namespace ShopAffiliate.Web.Features.Commissions;

public sealed record CommissionResponse(
    Guid Id, Guid OrderId, string? OrderNumber, Guid AffiliateId, int Tier, CommissionStatus Status, MoneyDto Amount,
    string Explanation, string? StatusReason, bool HeldForReview, DateTime? EligibleAt, DateTime? ApprovedAt, DateTime? PaidAt, DateTime CreatedAt);

public static class CommissionEndpoints
{
    public static RouteGroupBuilder MapCommissions(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/commissions").WithTags("Commissions");
        group.MapGet("/", List).WithSummary("Commissions, newest first (filter affiliateId, status, orderId).");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/{id:guid}/approve", (Guid id, ReasonRequest body, CommissionReview review, AppDbContext db, CancellationToken ct) =>
                DecideAsync(id, DecisionKind.Approve, body.Require("approve"), review, db, ct))
            .WithSummary("Approve now (skips the rest of the hold period), with a reason.");
        group.MapPost("/{id:guid}/reject", (Guid id, ReasonRequest body, CommissionReview review, AppDbContext db, CancellationToken ct) =>
                DecideAsync(id, DecisionKind.Reject, body.Require("reject"), review, db, ct))
            .WithSummary("Reject (fraud, self-referral, returned goods...), with a reason the affiliate sees.");
        return group;
    }

    private static async Task<Ok<PagedList<CommissionResponse>>> List(
        AppDbContext db, Guid? affiliateId, CommissionStatus? status, Guid? orderId, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = db.Commissions.AsNoTracking();
        if (affiliateId is { } a) query = query.Where(c => c.AffiliateId == a);
        if (status is { } s) query = query.Where(c => c.Status == s);
        if (orderId is { } o) query = query.Where(c => c.OrderId == o);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip((p - 1) * size).Take(size)
            .Join(db.Orders, c => c.OrderId, o => o.Id, (c, o) => new { c, o }).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<CommissionResponse>(rows.Select(r => ToResponse(r.c, r.o)).ToList(), p, size, total));
    }

    private static async Task<Results<Ok<CommissionResponse>, NotFound>> Get(AppDbContext db, Guid id, CancellationToken ct)
    {
        var row = await db.Commissions.AsNoTracking().Where(c => c.Id == id)
            .Join(db.Orders, c => c.OrderId, o => o.Id, (c, o) => new { c, o }).FirstOrDefaultAsync(ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(row.c, row.o));
    }

    private static async Task<Results<Ok<CommissionResponse>, NotFound>> DecideAsync(
        Guid id, DecisionKind kind, string reason, CommissionReview review, AppDbContext db, CancellationToken ct)
    {
        await review.DecideAsync([id], kind, reason, ct);
        return await Get(db, id, ct);
    }

    internal static CommissionResponse ToResponse(Commission c, Order o) => new(
        c.Id, c.OrderId, o.Number, c.AffiliateId, c.Tier, c.Status, MoneyDto.Of(c.Amount, c.Currency), c.Explanation, c.StatusReason,
        c.HeldForReview, c.EligibleAt, c.ApprovedAt, c.PaidAt, c.CreatedAt);
}

/// <summary>Approves commissions whose hold period is over, every <c>Commissions:ApprovalIntervalSeconds</c>.</summary>
internal sealed class CommissionApprover(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<CommissionApprover> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = Math.Clamp(configuration.GetValue("Commissions:ApprovalIntervalSeconds", 300), 1, 86_400);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var approved = await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ApproveDueAsync(stoppingToken);
                if (approved > 0) logger.LogInformation("Approved the commissions of {Count} order(s) whose hold period is over", approved);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Approving due commissions failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
