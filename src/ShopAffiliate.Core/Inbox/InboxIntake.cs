using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Inbox;

/// <summary>The delivery could not be stored (or not queued in time): answer 5xx, so the platform sends it again.</summary>
public sealed class InboxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Group commit for webhook deliveries. An endpoint verifies a delivery and awaits <see cref="StoreAsync"/>; one writer
/// takes everything queued meanwhile, stores it in one transaction and only then completes each waiting request. So a
/// request is answered 200 only for a delivery that is committed, and a burst costs one transaction per batch instead
/// of one per delivery (the transactions fought each other, and the inbox worker, for SQLite's one writer).
/// The queue is bounded: when the database stalls, requests wait for room and then get a 503, memory does not grow.
/// </summary>
public sealed partial class InboxIntake : BackgroundService
{
    /// <summary>The most deliveries in one transaction; more queued go in the next one.</summary>
    public const int MaxBatch = 1000;

    private readonly Channel<Pending> _queue;
    private readonly TimeSpan _queueWait;
    private readonly IServiceScopeFactory _scopes;
    private readonly InboxSignal _signal;
    private readonly ILogger<InboxIntake> _logger;
    private readonly Observability.AppMetrics _metrics;
    private int _writing;

    public InboxIntake(IOptions<InboxOptions> options, IServiceScopeFactory scopes, InboxSignal signal, Observability.AppMetrics metrics, ILogger<InboxIntake> logger)
    {
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Value.IntakeQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _queueWait = TimeSpan.FromSeconds(options.Value.IntakeQueueWaitSeconds);
        _scopes = scopes;
        _signal = signal;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Deliveries waiting for the writer (not yet in a transaction).</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Deliveries in the transaction the writer is running now (stored once it commits).</summary>
    public int Writing => Volatile.Read(ref _writing);

    /// <summary>
    /// Stores <paramref name="message"/> and returns once it is committed: true when new, false when a delivery with its
    /// id was stored before. Throws <see cref="InboxUnavailableException"/> when it could not be stored. A Shopify
    /// message without a shop id gets the shop of its domain in the writer (one query per batch, not per request).
    /// Cancelling <paramref name="ct"/> (the client went away) stops the wait, not the write.
    /// </summary>
    public async Task<bool> StoreAsync(InboxMessage message, CancellationToken ct)
    {
        var pending = new Pending(message);
        if (!_queue.Writer.TryWrite(pending))
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(_queueWait);
            try
            {
                await _queue.Writer.WriteAsync(pending, wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new InboxUnavailableException($"The inbox queue stayed full for {_queueWait.TotalSeconds:0.##} s.");
            }
            catch (ChannelClosedException)
            {
                throw new InboxUnavailableException("The server is shutting down.");
            }
        }
        return await pending.Stored.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        // Not cancelled by stoppingToken: on stop the queue is completed and what is in it is still written (StopAsync).
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            // No linger: while one batch commits, the next gathers by itself, so an idle delivery is stored at once.
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
            Volatile.Write(ref _writing, batch.Count);
            await WriteAsync(batch);
            Volatile.Write(ref _writing, 0);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Requests still in flight were answered by Kestrel's drain before hosted services stop; a late one gets 503.
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running) await running.WaitAsync(cancellationToken);
    }

    /// <summary>One transaction for the batch; if it fails, each delivery alone, so one bad row fails only its own request.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            Complete(batch, await InsertAsync(batch));
            return;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            LogBatchFailed(e, batch.Count);
        }
        foreach (var pending in batch)
        {
            try
            {
                Complete([pending], await InsertAsync([pending]));
            }
            catch (Exception e)
            {
                LogDeliveryFailed(e, pending.Message.Platform.ToString(), pending.Message.DeliveryId);
                pending.Stored.TrySetException(new InboxUnavailableException("The delivery could not be stored.", e));
            }
        }
    }

    private void Complete(List<Pending> batch, HashSet<Pending> inserted)
    {
        if (inserted.Count > 0)
        {
            _signal.Notify();
            _metrics.WebhooksStored.Add(inserted.Count);
        }
        foreach (var pending in batch) pending.Stored.TrySetResult(inserted.Contains(pending));
    }

    /// <summary>
    /// Inserts the deliveries not stored yet, in one transaction; returns those it inserted. The insert is one multi-row
    /// <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c> on both databases, not EF: the unique (Platform, DeliveryId)
    /// index decides what is a repeat, in the statement itself, so a delivery stored meanwhile by another node is a
    /// repeat (200), not a failed batch, and there is no separate lookup. EF's change tracking cost about 17 ms per 30
    /// deliveries, more than the commit.
    /// </summary>
    private async Task<HashSet<Pending>> InsertAsync(List<Pending> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // A retried delivery twice in this batch: stored once, the other answered as the repeat it is.
        var seen = new HashSet<(ShopPlatform, string)>();
        var candidates = batch.Where(p => seen.Add((p.Message.Platform, p.Message.DeliveryId))).ToList();

        // Shops are read before the write lock (a read does not wait for SQLite's writer, so the lock is held only for the insert).
        var domains = candidates.Where(p => p.Message is { Platform: ShopPlatform.Shopify, ShopId: null }).Select(p => p.Message.ShopDomain).Distinct().ToList();
        var shops = domains.Count == 0
            ? []
            : await db.Shops.IgnoreQueryFilters().AsNoTracking().Where(s => s.Platform == ShopPlatform.Shopify && domains.Contains(s.Domain))
                .Select(s => new { s.Domain, s.Id, s.WorkspaceId }).ToDictionaryAsync(s => s.Domain, StringComparer.Ordinal);
        foreach (var pending in candidates)
        {
            var message = pending.Message;
            if (message is { Platform: ShopPlatform.Shopify, ShopId: null } && shops.TryGetValue(message.ShopDomain, out var shop))
            {
                message.ShopId = shop.Id;
                message.WorkspaceId = shop.WorkspaceId;
            }
        }

        using var turn = await SqliteWriteGate.EnterAsync(db, CancellationToken.None, urgent: true);
        // One statement is one transaction on both databases: all of it is stored or none, and it is durable when it returns.
        var inserted = await InboxInsert.InsertNewAsync(db, candidates.Select(p => p.Message).ToList(), CancellationToken.None);
        return candidates.Where(p => inserted.Contains((p.Message.Platform, p.Message.DeliveryId))).ToHashSet();
    }

    private sealed class Pending(InboxMessage message)
    {
        public InboxMessage Message { get; } = message;

        // Completed by the writer's thread; continuations (the request) run elsewhere, not inside the write loop.
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing a batch of {Count} deliveries failed; storing each alone")]
    private partial void LogBatchFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Platform} delivery {DeliveryId} could not be stored; answered 503")]
    private partial void LogDeliveryFailed(Exception e, string platform, string deliveryId);
}
