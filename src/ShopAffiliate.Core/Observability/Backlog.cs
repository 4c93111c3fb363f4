using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Outbox;

namespace ShopAffiliate.Core.Observability;

/// <summary>What waits in the database: the inbox's lag, pending and failed deliveries, the outbox's unsent messages.</summary>
public sealed record BacklogFigures(double InboxLagSeconds, long InboxPending, long InboxFailed, long OutboxPending)
{
    /// <summary>
    /// Reads the figures in four small queries (the inbox's and the outbox's status indexes). The lag is the age of the
    /// oldest pending delivery that is due (its next attempt has come): a delivery waiting for its backoff is not late,
    /// one held by a node that stopped is.
    /// </summary>
    public static async Task<BacklogFigures> ReadAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var oldestDue = await db.Inbox.Where(m => m.Status == InboxStatus.Pending && m.NextAttemptAt <= now)
            .MinAsync(m => (DateTime?)m.NextAttemptAt, ct);
        return new BacklogFigures(
            oldestDue is { } due ? Math.Max(0, (now - due).TotalSeconds) : 0,
            await db.Inbox.LongCountAsync(m => m.Status == InboxStatus.Pending, ct),
            await db.Inbox.LongCountAsync(m => m.Status == InboxStatus.Failed, ct),
            await db.OutboxMessages.LongCountAsync(m => m.Status == OutboxStatus.Pending, ct));
    }
}

/// <summary>Samples <see cref="BacklogFigures"/> every 15 seconds into <see cref="AppMetrics"/>; a failed sample is logged and tried again.</summary>
public sealed partial class BacklogMonitor(IServiceScopeFactory scopes, AppMetrics metrics, TimeProvider clock, ILogger<BacklogMonitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public async Task SampleAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        metrics.Backlog = await BacklogFigures.ReadAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), clock.GetUtcNow().UtcDateTime, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
            await Task.Delay(Interval, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling the inbox and outbox backlog for the metrics failed; trying again in 15 s")]
    private partial void LogFailed(Exception e);
}
