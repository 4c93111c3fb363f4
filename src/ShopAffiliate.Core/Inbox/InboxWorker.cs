using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Inbox;

/// <summary>
/// Processes stored deliveries in batches. One statement claims up to <see cref="MaxBatch"/> due messages (a lease;
/// <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so nodes claiming at once take different messages); the handlers turn
/// order deliveries into engine events, which <see cref="OrderProcessor.ApplyBatchAsync"/> applies in one transaction
/// that also marks them processed. A delivery that fails (unreadable, or its event throws) fails alone and is retried
/// with backoff, then parked as Failed with the error (an unreadable body at once, <see cref="IUnreadablePayload"/>); the rest of its batch is stored. Deliveries that need more than
/// the engine (store calls, privacy work) are handled one at a time after the batch.
/// </summary>
public sealed partial class InboxWorker(IServiceScopeFactory scopes, InboxSignal signal, TimeProvider clock, ILogger<InboxWorker> logger)
    : BackgroundService
{
    public const int MaxBatch = 500;
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

    /// <summary>Processes what is due now (one batch); returns how many messages it handled.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var claimed = await ClaimAsync(db, ct);
        if (claimed.Count == 0) return 0;

        var handlers = scope.ServiceProvider.GetServices<IInboxHandler>().ToDictionary(h => h.Platform);
        var shopIds = claimed.Where(m => m.ShopId is not null).Select(m => m.ShopId!.Value).Distinct().ToList();
        var shops = await db.Shops.IgnoreQueryFilters().AsNoTracking().Where(s => shopIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var workspaceIds = shops.Values.Select(s => s.WorkspaceId).Distinct().ToList();
        var settings = await db.WorkspaceSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(s => workspaceIds.Contains(s.WorkspaceId)).ToDictionaryAsync(s => s.WorkspaceId, ct);

        var batched = new List<InboxMessage>();
        var events = new List<BatchEvent>();
        var ignored = new List<long>();
        var alone = new List<InboxMessage>();
        var failed = new Dictionary<long, Exception>();
        foreach (var message in claimed)
        {
            try
            {
                var shop = message.ShopId is { } id ? shops.GetValueOrDefault(id) : null;
                var plan = handlers.TryGetValue(message.Platform, out var handler)
                    ? handler.Plan(message, shop, shop is null ? null : settings.GetValueOrDefault(shop.WorkspaceId))
                    : InboxPlan.Ignore;
                if (plan.Alone) alone.Add(message);
                else if (plan.Events.Count == 0) ignored.Add(message.Id);
                else
                {
                    batched.Add(message);
                    events.AddRange(plan.Events);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed[message.Id] = e; // an unreadable body: this delivery fails, not its batch
            }
        }

        if (events.Count > 0)
        {
            try
            {
                await ApplyAsync(scope.ServiceProvider, events, ignored, failed, ct);
                ignored.Clear();
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The batch as a whole could not be stored (a value the database refuses, say): each delivery alone, in
                // its own transaction, so only the one at fault fails.
                LogBatchFailed(e, batched.Count);
                foreach (var message in batched)
                {
                    await using var own = scopes.CreateAsyncScope();
                    try
                    {
                        await ApplyAsync(own.ServiceProvider, [.. events.Where(x => x.Tag == message.Id)], [], failed, ct);
                    }
                    catch (Exception single) when (single is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        failed[message.Id] = single;
                    }
                }
            }
        }
        if (ignored.Count > 0) await MarkDoneAsync(db, ignored, InboxStatus.Ignored);

        foreach (var message in alone) await ProcessAloneAsync(message, ct);
        foreach (var message in claimed)
        {
            if (failed.TryGetValue(message.Id, out var error)) await RecordFailureAsync(db, message, error);
        }
        return claimed.Count;
    }

    /// <summary>
    /// One transaction: the events' effects, their messages marked processed and <paramref name="ignored"/> marked
    /// ignored. The messages whose event failed are added to <paramref name="failed"/> once it has committed.
    /// </summary>
    private async Task ApplyAsync(IServiceProvider services, List<BatchEvent> events, List<long> ignored, Dictionary<long, Exception> failed, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var result = await services.GetRequiredService<OrderProcessor>().ApplyBatchAsync(events, async result =>
        {
            var done = events.Select(e => e.Tag).Distinct().Where(tag => !result.Failed.ContainsKey(tag)).ToList();
            await MarkDoneAsync(db, done, InboxStatus.Processed);
            if (ignored.Count > 0) await MarkDoneAsync(db, ignored, InboxStatus.Ignored);
        }, ct);
        foreach (var (tag, error) in result.Failed) failed[tag] = error;
    }

    /// <summary>
    /// Leases up to <see cref="MaxBatch"/> due messages in one statement and returns them (attempt counted). On
    /// PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so another node claiming at the same moment skips
    /// them instead of waiting; on SQLite the statement runs under the database's one write lock. The statement returns
    /// only the ids, and the messages are read after it: on SQLite the write lock is then held for the update alone, not
    /// while some megabytes of bodies are read and materialized (179 ms per 500 through EF's <c>RETURNING *</c>).
    /// </summary>
    private async Task<List<InboxMessage>> ClaimAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        var ids = new List<long>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"""
                UPDATE "Inbox" SET "LockedUntil" = @until, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (SELECT "Id" FROM "Inbox" WHERE "Status" = '{nameof(InboxStatus.Pending)}' AND "NextAttemptAt" <= @now
                    AND ("LockedUntil" IS NULL OR "LockedUntil" < @now) ORDER BY "Id" LIMIT {MaxBatch}{(db.Database.IsNpgsql() ? " FOR UPDATE SKIP LOCKED" : "")})
                RETURNING "Id"
                """;
            AddParameter(command, "@now", now);
            AddParameter(command, "@until", until);
            using (await SqliteWriteGate.EnterAsync(db, ct))
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (ids.Count == 0) return [];
        return await ReadClaimedAsync(db, ids, ct);
    }

    /// <summary>
    /// The claimed messages through a data reader, in arrival order (RETURNING promises no order): the bodies (about
    /// 10 KB each) are copied once into strings, with no EF materialization or tracking around them. The ids are
    /// inlined (they are longs the claim returned), so the statement has no parameter list to bind.
    /// </summary>
    private static async Task<List<InboxMessage>> ReadClaimedAsync(AppDbContext db, List<long> ids, CancellationToken ct)
    {
        var messages = new List<InboxMessage>(ids.Count);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"""
                SELECT "Id", "Platform", "ShopId", "WorkspaceId", "ShopDomain", "Topic", "DeliveryId", "EventId", "TriggeredAt",
                    "Body", "ReceivedAt", "Status", "Attempts", "NextAttemptAt", "LockedUntil", "ProcessedAt", "LastError"
                FROM "Inbox" WHERE "Id" IN ({string.Join(",", ids)}) ORDER BY "Id"
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                messages.Add(new InboxMessage
                {
                    Id = reader.GetInt64(0),
                    Platform = Enum.Parse<ShopPlatform>(reader.GetString(1)),
                    ShopId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    WorkspaceId = reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    ShopDomain = reader.GetString(4),
                    Topic = reader.GetString(5),
                    DeliveryId = reader.GetString(6),
                    EventId = reader.IsDBNull(7) ? null : reader.GetString(7),
                    TriggeredAt = Utc(reader, 8),
                    Body = reader.GetString(9),
                    ReceivedAt = Utc(reader, 10) ?? default,
                    Status = Enum.Parse<InboxStatus>(reader.GetString(11)),
                    Attempts = reader.GetInt32(12),
                    NextAttemptAt = Utc(reader, 13) ?? default,
                    LockedUntil = Utc(reader, 14),
                    ProcessedAt = Utc(reader, 15),
                    LastError = reader.IsDBNull(16) ? null : reader.GetString(16),
                });
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return messages;
    }

    /// <summary>As the model's UTC converter reads a time: SQLite hands it back Unspecified.</summary>
    private static DateTime? Utc(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    private static void AddParameter(System.Data.Common.DbCommand command, string name, DateTime value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private async Task MarkDoneAsync(AppDbContext db, List<long> ids, InboxStatus status)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Inbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.ProcessedAt, now)
            .SetProperty(m => m.LockedUntil, (DateTime?)null)
            .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
    }

    /// <summary>A claimed delivery that needs its handler (store calls, privacy work): in its own scope, as before batching.</summary>
    private async Task ProcessAloneAsync(InboxMessage message, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var handler = scope.ServiceProvider.GetServices<IInboxHandler>().First(h => h.Platform == message.Platform);
        try
        {
            if (message.WorkspaceId is { } workspaceId) scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
            var acted = await handler.HandleAsync(message, ct);
            await MarkDoneAsync(db, [message.Id], acted ? InboxStatus.Processed : InboxStatus.Ignored);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(db, message, e);
        }
    }

    private async Task RecordFailureAsync(AppDbContext db, InboxMessage message, Exception e)
    {
        // A body that is not JSON, or that its mapper cannot read, reads the same on every attempt: parked now, with the
        // mapper's message (which names the field) as the reason staff see.
        var unreadable = e is IUnreadablePayload or System.Text.Json.JsonException;
        var parked = unreadable || message.Attempts >= InboxMessage.MaxAttempts;
        var retryAt = clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(3, message.Attempts - 1)));
        var reason = unreadable ? "Unreadable payload: " + e.Message : e.GetType().Name + ": " + e.Message;
        var error = reason.Length > 2000 ? reason[..2000] : reason;
        await db.Inbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, parked ? InboxStatus.Failed : InboxStatus.Pending)
            .SetProperty(m => m.NextAttemptAt, retryAt)
            .SetProperty(m => m.LockedUntil, (DateTime?)null)
            .SetProperty(m => m.LastError, error), CancellationToken.None);
        LogFailed(e, message.Platform.ToString(), message.Topic, message.Id, message.Attempts, parked);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} {Topic} delivery {Id} failed (attempt {Attempt}); parked: {Parked}")]
    private partial void LogFailed(Exception e, string platform, string topic, long id, int attempt, bool parked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} deliveries could not be stored together; storing each alone")]
    private partial void LogBatchFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox loop failed; retrying after the poll interval")]
    private partial void LogLoopFailed(Exception e);
}
