using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Inbox;

/// <summary>
/// Processes stored deliveries. A message is claimed with one conditional UPDATE (free, or its lock expired), so
/// several web nodes can run this worker against one database without doing a message twice at the same time;
/// handlers are idempotent anyway. Failures are retried with backoff, then parked as Failed with the error.
/// </summary>
public sealed partial class InboxWorker(IServiceScopeFactory scopes, InboxSignal signal, TimeProvider clock, ILogger<InboxWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int done;
            try
            {
                done = await ProcessBatchAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLoopFailed(e);
                done = 0;
            }
            if (done == 0) await signal.WaitAsync(Poll, clock, stoppingToken);
        }
    }

    /// <summary>Processes what is due now; returns how many messages it handled.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        List<long> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow().UtcDateTime;
            due = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Inbox
                .Where(m => m.Status == InboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
                .OrderBy(m => m.Id).Select(m => m.Id).Take(50).ToListAsync(ct);
        }
        var handled = 0;
        foreach (var id in due)
        {
            if (await ProcessOneAsync(id, ct)) handled++;
        }
        return handled;
    }

    private async Task<bool> ProcessOneAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.Inbox
            .Where(m => m.Id == id && m.Status == InboxStatus.Pending && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, now + Lease).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        if (claimed == 0) return false; // another node has it

        var message = await db.Inbox.AsNoTracking().FirstAsync(m => m.Id == id, ct);
        var handler = scope.ServiceProvider.GetServices<IInboxHandler>().FirstOrDefault(h => h.Platform == message.Platform);
        try
        {
            if (message.WorkspaceId is { } workspaceId) scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
            var acted = handler is not null && await handler.HandleAsync(message, ct);
            await db.Inbox.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, acted ? InboxStatus.Processed : InboxStatus.Ignored)
                .SetProperty(m => m.ProcessedAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(m => m.LockedUntil, (DateTime?)null)
                .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failed = message.Attempts >= InboxMessage.MaxAttempts;
            var retryAt = clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(3, message.Attempts - 1)));
            var error = (e.GetType().Name + ": " + e.Message) is var text && text.Length > 2000 ? text[..2000] : text;
            await db.Inbox.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, failed ? InboxStatus.Failed : InboxStatus.Pending)
                .SetProperty(m => m.NextAttemptAt, retryAt)
                .SetProperty(m => m.LockedUntil, (DateTime?)null)
                .SetProperty(m => m.LastError, error), CancellationToken.None);
            LogFailed(e, message.Platform.ToString(), message.Topic, id, message.Attempts, failed);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} {Topic} delivery {Id} failed (attempt {Attempt}); parked: {Parked}")]
    private partial void LogFailed(Exception e, string platform, string topic, long id, int attempt, bool parked);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox loop failed; retrying after the poll interval")]
    private partial void LogLoopFailed(Exception e);
}
