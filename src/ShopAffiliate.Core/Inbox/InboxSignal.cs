using System.Threading.Channels;

namespace ShopAffiliate.Core.Inbox;

/// <summary>Wakes the inbox worker when a delivery is stored, so processing starts in milliseconds, not at the next poll.</summary>
public sealed class InboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the poll interval passed without a signal
        }
    }
}

/// <summary>Does the work of one delivery. One handler per platform; it dispatches on the topic.</summary>
public interface IInboxHandler
{
    Shops.ShopPlatform Platform { get; }

    /// <summary>Returns false when the message was understood and deliberately ignored.</summary>
    Task<bool> HandleAsync(InboxMessage message, CancellationToken ct);
}
