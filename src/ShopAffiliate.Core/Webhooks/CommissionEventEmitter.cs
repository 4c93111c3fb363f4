using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often the commission emitter looks for new ledger entries.</summary>
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 2;

    /// <summary>How long one delivery may take before it counts as a failure (a short timeout: receivers answer fast).</summary>
    [Range(0.5, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>How much of a receiver's answer is read and kept in the log.</summary>
    [Range(0, 65536)]
    public int MaxResponseBytes { get; set; } = 4096;
}

/// <summary>
/// Emits <c>commission.created</c> and <c>commission.changed</c> from new ledger entries, read by a watermark of its own
/// (<see cref="RollupWatermark"/> source <see cref="Source"/>, the same ordering the rollups use, ADR 0019): the engine's
/// batched write path gains nothing. Each step claims the watermark (a row lock on PostgreSQL, the write lock on SQLite),
/// queues the deliveries of one batch and moves the watermark in one transaction, so each ledger change is emitted once
/// across restarts and nodes.
/// </summary>
public sealed partial class CommissionEventEmitter(
    IServiceScopeFactory scopes, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<CommissionEventEmitter> logger) : BackgroundService
{
    public const string Source = "webhooks";
    public const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int read;
            try
            {
                read = await StepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
                read = 0;
            }
            if (read < Batch) await Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), clock, stoppingToken);
        }
    }

    /// <summary>One batch: returns how many ledger entries it read.</summary>
    public async Task<int> StepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var updater = scope.ServiceProvider.GetRequiredService<RollupUpdater>();
        var publisher = scope.ServiceProvider.GetRequiredService<WebhookPublisher>();
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var mark = await updater.ClaimAsync(Source, ct);
        var rows = await updater.NewRowsAsync<LedgerPosition>(mark, Source, "\"Id\" AS \"LedgerId\"", Batch, ct);
        if (rows.Count == 0) return 0;

        var ids = rows.Select(r => r.LedgerId).ToList();
        var entries = await db.Ledger.IgnoreQueryFilters().AsNoTracking()
            .Where(e => ids.Contains(e.Id) && e.OrderId != null).ToListAsync(ct);
        // Only programs with an endpoint that may want commissions are looked at further.
        var programs = entries.Select(e => e.WorkspaceId).Distinct().ToList();
        var listening = await db.WebhookEndpoints.IgnoreQueryFilters().Where(w => programs.Contains(w.WorkspaceId) && w.Enabled)
            .Select(w => w.WorkspaceId).Distinct().ToListAsync(ct);
        foreach (var change in entries.Where(e => listening.Contains(e.WorkspaceId))
                     .GroupBy(e => (e.WorkspaceId, OrderId: e.OrderId!.Value, e.AffiliateId, e.Tier)))
        {
            var (ws, orderId, affiliateId, tier) = change.Key;
            var commission = await db.Commissions.IgnoreQueryFilters().AsNoTracking()
                .FirstOrDefaultAsync(c => c.WorkspaceId == ws && c.OrderId == orderId && c.AffiliateId == affiliateId && c.Tier == tier, ct);
            if (commission is null) continue;
            var number = await db.Orders.IgnoreQueryFilters().Where(o => o.Id == orderId).Select(o => o.Number ?? o.ExternalId).FirstOrDefaultAsync(ct);
            var created = change.Any(e => e.Kind == LedgerEntryKind.Earned);
            // A transfer (approval, payment) moves money between buckets: its change is the status, not the amount.
            var kind = change.OrderByDescending(e => e.Id).Select(e => e.Kind).First();
            var amount = change.Where(e => e.Kind is not (LedgerEntryKind.Approved or LedgerEntryKind.Paid)).Sum(e => e.Amount);
            var data = WebhookPayloads.Commission(commission, number, kind, amount);
            await publisher.PublishAsync(db, ws, created ? WebhookEventTypes.CommissionCreated : WebhookEventTypes.CommissionChanged,
                $"ledger:{change.Max(e => e.Id)}:{commission.Id:N}", data, affiliateId, ct);
        }
        updater.Advance(mark, rows[^1].Seq, rows[^1].Key);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    internal sealed class LedgerPosition
    {
        public long Seq { get; init; }
        public string Key { get; init; } = "";
        public long LedgerId { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The commission event emitter failed; retrying after the poll interval")]
    private partial void LogFailed(Exception e);
}
