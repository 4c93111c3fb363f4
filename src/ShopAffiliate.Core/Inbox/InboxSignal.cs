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

/// <summary>What the inbox worker does with a delivery: leave it (<see cref="Ignore"/>), apply its order events in the batch, or hand it to <see cref="IInboxHandler.HandleAsync"/> alone.</summary>
public sealed record InboxPlan(IReadOnlyList<Orders.BatchEvent> Events, bool Alone)
{
    /// <summary>Understood and deliberately not acted on (a topic we don't use, a paused shop, an excluded test order).</summary>
    public static readonly InboxPlan Ignore = new([], false);

    /// <summary>Needs more than the engine (a store call, privacy work, an uninstall): <see cref="IInboxHandler.HandleAsync"/>, one at a time.</summary>
    public static readonly InboxPlan HandleAlone = new([], true);

    public static InboxPlan Apply(params Orders.BatchEvent[] events) => new(events, false);
}

/// <summary>Does the work of one delivery. One handler per platform; it dispatches on the topic.</summary>
public interface IInboxHandler
{
    Shops.ShopPlatform Platform { get; }

    /// <summary>
    /// Decides from the delivery alone (no I/O) what to do with it: most order deliveries become engine events for the
    /// batch. <paramref name="shop"/> and <paramref name="settings"/> are the delivery's shop and its program's settings,
    /// null when the shop is unknown. Throws for a body it cannot read (the delivery then fails alone).
    /// </summary>
    InboxPlan Plan(InboxMessage message, Shops.Shop? shop, Settings.WorkspaceSettings? settings);

    /// <summary>Returns false when the message was understood and deliberately ignored.</summary>
    Task<bool> HandleAsync(InboxMessage message, CancellationToken ct);
}
