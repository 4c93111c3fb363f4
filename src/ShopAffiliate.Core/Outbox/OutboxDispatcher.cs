using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Outbox;

/// <summary>
/// Sends what the outbox holds. One statement claims up to <see cref="OutboxOptions.BatchSize"/> due messages (a
/// lease; <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so nodes claiming at once take different rows), each is handed
/// to its kind's handler, and every try is logged in <see cref="OutboxAttempt"/>. A failure is retried with
/// exponential backoff up to a cap, then parked as Failed with the reason; a permanent refusal parks at once.
/// A message whose node dies mid-send is claimed again when its lease runs out (at-least-once: the handlers give each
/// message a stable id, the email's Message-ID and the webhook's <c>webhook-id</c>, so receivers can drop a repeat).
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes, OutboxSignal signal, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private OutboxOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int done;
            try
            {
                done = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLoopFailed(e);
                done = 0;
            }
            if (done == 0) await signal.WaitAsync(TimeSpan.FromSeconds(Options.PollSeconds), clock, stoppingToken);
        }
    }

    /// <summary>Sends one claimed batch of due messages; returns how many it tried.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var claimed = await ClaimAsync(db, ct);
        if (claimed.Count == 0) return 0;
        var handlers = scope.ServiceProvider.GetServices<IOutboxHandler>().ToDictionary(h => h.Kind);
        for (var i = 0; i < claimed.Count; i++)
        {
            var message = claimed[i];
            if (ct.IsCancellationRequested)
            {
                await ReleaseAsync(db, null, claimed.Skip(i).Select(m => m.Id).ToList());
                ct.ThrowIfCancellationRequested();
            }
            var started = Stopwatch.GetTimestamp();
            OutboxOutcome outcome;
            try
            {
                outcome = handlers.TryGetValue(message.Kind, out var handler)
                    ? await handler.SendAsync(message, ct)
                    : OutboxOutcome.GiveUp($"No handler sends '{message.Kind}' messages.");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                outcome = OutboxOutcome.Retry(e.GetType().Name + ": " + e.Message);
            }
            catch (OperationCanceledException)
            {
                await ReleaseAsync(db, message.Id, claimed.Skip(i + 1).Select(m => m.Id).ToList());
                throw;
            }
            await RecordAsync(db, message, outcome, Stopwatch.GetElapsedTime(started));
        }
        return claimed.Count;
    }

    /// <summary>
    /// Leases due messages in one statement and returns them with their attempt counted. PostgreSQL picks rows with
    /// FOR UPDATE SKIP LOCKED, so a node claiming at the same moment skips them instead of waiting; SQLite runs the
    /// statement under its one write lock.
    /// </summary>
    private async Task<List<OutboxMessage>> ClaimAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + TimeSpan.FromSeconds(Options.LeaseSeconds);
        var pending = nameof(OutboxStatus.Pending);
        var limit = Options.BatchSize;
        var claim = db.Database.IsNpgsql()
            ? db.OutboxMessages.FromSql($"""
                UPDATE "OutboxMessages" SET "LockedUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (SELECT "Id" FROM "OutboxMessages" WHERE "Status" = {pending} AND "NextAttemptAt" <= {now}
                    AND ("LockedUntil" IS NULL OR "LockedUntil" < {now}) ORDER BY "NextAttemptAt", "Id" LIMIT {limit} FOR UPDATE SKIP LOCKED)
                RETURNING *
                """)
            : db.OutboxMessages.FromSql($"""
                UPDATE "OutboxMessages" SET "LockedUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (SELECT "Id" FROM "OutboxMessages" WHERE "Status" = {pending} AND "NextAttemptAt" <= {now}
                    AND ("LockedUntil" IS NULL OR "LockedUntil" < {now}) ORDER BY "NextAttemptAt", "Id" LIMIT {limit})
                RETURNING *
                """);
        List<OutboxMessage> messages;
        // Not cancelled half-way: a claim whose rows were leased but never returned would hold them for a whole lease.
        using (await SqliteWriteGate.EnterAsync(db, ct)) messages = await claim.AsNoTracking().ToListAsync(CancellationToken.None);
        messages.Sort((a, b) => a.Id.CompareTo(b.Id));
        return messages;
    }

    /// <summary>
    /// Stopping: hands back the message cut off mid-send (its try counted: the receiver may have it) and those not
    /// started (their claim's count undone), so the next node to start sends them at once, not after the lease.
    /// </summary>
    private static async Task ReleaseAsync(AppDbContext db, long? interrupted, List<long> untried)
    {
        if (interrupted is { } id)
        {
            await db.OutboxMessages.Where(m => m.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTime?)null), CancellationToken.None);
        }
        if (untried.Count == 0) return;
        await db.OutboxMessages.Where(m => untried.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LockedUntil, (DateTime?)null)
            .SetProperty(m => m.Attempts, m => m.Attempts - 1), CancellationToken.None);
    }

    private async Task RecordAsync(AppDbContext db, OutboxMessage message, OutboxOutcome outcome, TimeSpan took)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var error = outcome.Error is { Length: > 2000 } text ? text[..2000] : outcome.Error;
        var maxAttempts = message.Kind == OutboxKinds.Delivery ? Options.DeliveryMaxAttempts : Options.MaxAttempts;
        var parked = !outcome.Succeeded && (outcome.Permanent || message.Attempts >= maxAttempts);
        var status = outcome.Succeeded ? OutboxStatus.Sent : parked ? OutboxStatus.Failed : OutboxStatus.Pending;
        // Signed deliveries add jitter, so a receiver that was down for everyone is not retried by every message at once.
        var delay = OutboxBackoff.After(message.Attempts, Options);
        if (message.Kind == OutboxKinds.Delivery) delay = OutboxBackoff.WithJitter(delay);
        var next = outcome.Succeeded || parked ? message.NextAttemptAt : now + delay;
        db.OutboxAttempts.Add(new OutboxAttempt
        {
            MessageId = message.Id,
            Attempt = message.Attempts,
            At = now - took,
            DurationMs = (int)Math.Min(int.MaxValue, took.TotalMilliseconds),
            Succeeded = outcome.Succeeded,
            ResponseCode = outcome.ResponseCode,
            Error = error,
        });
        // The attempt and the message's new state in one transaction: the log never shows a try the row does not.
        using var gate = await SqliteWriteGate.EnterAsync(db, CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await db.OutboxMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.LockedUntil, (DateTime?)null)
            .SetProperty(m => m.SentAt, outcome.Succeeded ? now : null)
            .SetProperty(m => m.LastError, outcome.Succeeded ? null : error), CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
        if (!outcome.Succeeded) LogFailed(message.Kind, message.Topic, message.Id, message.Attempts, parked, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Kind} {Topic} message {Id} failed (attempt {Attempt}); parked: {Parked}; {Error}")]
    private partial void LogFailed(string kind, string topic, long id, int attempt, bool parked, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox loop failed; retrying after the poll interval")]
    private partial void LogLoopFailed(Exception e);
}
