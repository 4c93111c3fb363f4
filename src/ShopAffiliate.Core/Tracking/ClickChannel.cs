using System.Threading.Channels;

namespace ShopAffiliate.Core.Tracking;

/// <summary>A click as the redirect saw it. The raw IP lives only in memory, until the writer hashes it.</summary>
public sealed record PendingClick(
    Guid Id, DateTime At, Guid WorkspaceId, Guid AffiliateId, Guid? LinkId, string ReferralCode, string? SubId,
    ClickSource Source, string? Ip, string? UserAgent, string? Referrer, string? LandingUrl);

/// <summary>
/// The queue between the redirect and <see cref="ClickWriter"/>. Bounded, and full means wait: under a flood the
/// redirect slows down rather than drop a click.
/// </summary>
public sealed class ClickChannel
{
    private readonly Channel<PendingClick> _channel;

    public ClickChannel(int capacity = 50_000) =>
        _channel = Channel.CreateBounded<PendingClick>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });

    public ChannelReader<PendingClick> Reader => _channel.Reader;

    /// <summary>False only when the channel is closed (shutdown): the caller then stores the click itself.</summary>
    public ValueTask<bool> TryEnqueueAsync(PendingClick click, CancellationToken ct)
    {
        if (_channel.Writer.TryWrite(click)) return ValueTask.FromResult(true);
        return SlowAsync(click, ct);
    }

    private async ValueTask<bool> SlowAsync(PendingClick click, CancellationToken ct)
    {
        try
        {
            await _channel.Writer.WriteAsync(click, ct);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    public void Complete() => _channel.Writer.TryComplete();
}
