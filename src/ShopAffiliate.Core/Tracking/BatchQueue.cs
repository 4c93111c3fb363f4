using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace ShopAffiliate.Core.Tracking;

/// <summary>
/// The queue between a hot path (the redirect, the impression pixel) and its batch writer. Bounded, and full means
/// wait: under a flood the hot path slows down rather than drop what it saw.
/// </summary>
public class BatchQueue<T>(int capacity)
{
    private readonly Channel<T> _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>Items waiting for the writer (the metrics' queue depth).</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>False only when the queue is closed (shutdown): the caller then stores the item itself.</summary>
    public ValueTask<bool> TryEnqueueAsync(T item, CancellationToken ct) =>
        _channel.Writer.TryWrite(item) ? ValueTask.FromResult(true) : SlowAsync(item, ct);

    private async ValueTask<bool> SlowAsync(T item, CancellationToken ct)
    {
        try
        {
            await _channel.Writer.WriteAsync(item, ct);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    public void Complete() => _channel.Writer.TryComplete();
}

/// <summary>
/// Stores what a <see cref="BatchQueue{T}"/> holds, in batches. On shutdown it stops taking new items and writes every
/// queued one before the host exits; an item that arrives after the queue closed is written directly
/// (<see cref="RecordAsync"/>). Writes are serialized, so a subclass's state needs no concurrent collections.
/// </summary>
public abstract class BatchWriter<T>(BatchQueue<T> queue) : BackgroundService
{
    public const int MaxBatch = 1000;

    /// <summary>
    /// How long the writer lets items gather after the first one arrives. Under load that turns many small
    /// transactions (and a thread wake-up per item) into a few large ones; when idle an item is stored 10 ms later.
    /// Real time, not <see cref="TimeProvider"/>: it is a scheduling detail, and a test clock must not stall it.
    /// </summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    private volatile bool _stopping;

    // Uncontended in normal running (one holder: the batch loop); during shutdown it orders direct writes after it.
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Queues an item, or writes it at once when the queue is already closed (the host is stopping).</summary>
    public async ValueTask RecordAsync(T item)
    {
        if (!await queue.TryEnqueueAsync(item, CancellationToken.None)) await WriteAsync([item]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<T>(MaxBatch);
        // Not cancelled by stoppingToken: the loop ends when the queue is completed and empty (see StopAsync).
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (!_stopping && queue.Reader.Count < MaxBatch) await Task.Delay(Linger, CancellationToken.None);
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never let one bad batch stop the writer (a BackgroundService that throws stops the host).
                OnBatchFailed(e, batch.Count);
            }
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        queue.Complete();
        if (ExecuteTask is { } running) await running.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync(IReadOnlyList<T> items)
    {
        await _writing.WaitAsync();
        try
        {
            await WriteSerializedAsync(items);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Stores one batch; never called concurrently.</summary>
    protected abstract Task WriteSerializedAsync(IReadOnlyList<T> items);

    protected abstract void OnBatchFailed(Exception e, int count);
}
