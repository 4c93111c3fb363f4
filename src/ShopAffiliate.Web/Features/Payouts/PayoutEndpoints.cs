using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Payouts;

namespace ShopAffiliate.Web.Features.Payouts;

public sealed record CreateBatchRequest(string? Currency);

public sealed record PayoutItemDto(Guid AffiliateId, string Name, string Email, MoneyDto Amount, MoneyDto Approved, MoneyDto Carried, string Reference);

public sealed record PayoutBatchResponse(
    Guid Id, string Reference, string Currency, PayoutBatchStatus Status, MoneyDto Total, int Items, DateTime CreatedAt, DateTime? PaidAt,
    IReadOnlyList<PayoutItemDto>? Lines = null, IReadOnlyList<SkippedDto>? Skipped = null);

public sealed record SkippedDto(Guid AffiliateId, MoneyDto Payable, string Reason);

public sealed record BalanceDto(string Currency, MoneyDto Pending, MoneyDto Approved, MoneyDto Paid, MoneyDto Carried, MoneyDto Payable);

public static class PayoutEndpoints
{
    public static RouteGroupBuilder MapPayouts(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/payouts/batches").WithTags("Payouts");
        group.MapGet("/", List);
        group.MapPost("/", Create).WithSummary("Batch every approved balance (net of clawbacks) at or above the threshold, in one currency (default: the program's).");
        group.MapGet("/{id:guid}", Get);
        group.MapGet("/{id:guid}/export", Export).WithSummary("format=paypal (PayPal mass payment CSV) or format=csv (bank CSV with a header).");
        group.MapPost("/{id:guid}/mark-paid", MarkPaid).WithSummary("Record that the batch was paid: books the ledger entries.");
        group.MapDelete("/{id:guid}", Cancel).WithSummary("Cancel an open batch (nothing was booked yet).");

        api.MapGet("/affiliates/{id:guid}/balance", Balance).WithTags("Affiliates")
            .WithSummary("Per currency: pending, approved, paid, and carried (negative after clawbacks); payable = approved + carried.");
        return group;
    }

    private static async Task<Ok<PagedList<PayoutBatchResponse>>> List(AppDbContext db, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var total = await db.PayoutBatches.CountAsync(ct);
        var rows = await db.PayoutBatches.AsNoTracking().Include(b => b.Items).OrderByDescending(b => b.CreatedAt).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<PayoutBatchResponse>(rows.Select(b => ToResponse(b)).ToList(), p, size, total));
    }

    private static async Task<Created<PayoutBatchResponse>> Create(
        PayoutService payouts, ITenantContext tenant, CreateBatchRequest? body, CancellationToken ct)
    {
        var created = await payouts.CreateAsync(tenant.WorkspaceId!.Value, body?.Currency, ct);
        var skipped = created.Skipped.Select(s => new SkippedDto(s.Affiliate.Value, MoneyDto.Of(s.Payable), s.Reason)).ToList();
        return TypedResults.Created($"/api/v1/payouts/batches/{created.Batch.Id}", ToResponse(created.Batch, withLines: true, skipped));
    }

    private static async Task<Results<Ok<PayoutBatchResponse>, NotFound>> Get(AppDbContext db, Guid id, CancellationToken ct)
    {
        var batch = await db.PayoutBatches.AsNoTracking().Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == id, ct);
        return batch is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(batch, withLines: true));
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> Export(AppDbContext db, Guid id, string? format, CancellationToken ct)
    {
        var batch = await db.PayoutBatches.AsNoTracking().Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null) return TypedResults.NotFound();
        return PayoutExport.Render(batch, format) is { } file
            ? TypedResults.File(file.Content, file.ContentType, file.FileName)
            : TypedResults.Problem(statusCode: 400, title: "Unknown export format.", detail: $"'{format}' is not an export format: use format=paypal or format=csv.");
    }

    private static async Task<Ok<PayoutBatchResponse>> MarkPaid(PayoutService payouts, Guid id, CancellationToken ct) =>
        TypedResults.Ok(ToResponse(await payouts.MarkPaidAsync(id, ct), withLines: true));

    private static async Task<NoContent> Cancel(PayoutService payouts, Guid id, CancellationToken ct)
    {
        await payouts.CancelAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<BalanceDto>>, NotFound>> Balance(
        AppDbContext db, PayoutService payouts, ITenantContext tenant, Guid id, CancellationToken ct)
    {
        if (!await db.Affiliates.AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var balances = await payouts.BalancesAsync(tenant.WorkspaceId!.Value, id, ct);
        return TypedResults.Ok<IReadOnlyList<BalanceDto>>(balances.Select(b => new BalanceDto(b.Currency,
            MoneyDto.Of(b.Pending), MoneyDto.Of(b.Approved), MoneyDto.Of(b.Paid), MoneyDto.Of(b.Carried), MoneyDto.Of(b.Payable))).ToList());
    }

    private static PayoutBatchResponse ToResponse(PayoutBatch b, bool withLines = false, IReadOnlyList<SkippedDto>? skipped = null) => new(
        b.Id, b.Reference, b.Currency, b.Status, MoneyDto.Of(b.Total, b.Currency), b.Items.Count, b.CreatedAt, b.PaidAt,
        withLines ? b.Items.OrderBy(i => i.Reference, StringComparer.Ordinal).Select(i => new PayoutItemDto(i.AffiliateId, i.Name, i.Email,
            MoneyDto.Of(i.Amount, b.Currency), MoneyDto.Of(i.Approved, b.Currency), MoneyDto.Of(i.Carried, b.Currency), i.Reference)).ToList() : null,
        skipped);
}
