using ShopAffiliate.Core.Outbox;

namespace ShopAffiliate.Core.Tests.Outbox;

public sealed class OutboxBackoffTests
{
    private static readonly OutboxOptions Options = new() { RetryBaseSeconds = 30, MaxDelaySeconds = 3600 };

    [Fact]
    public void EachFailureDoublesTheWaitStartingFromTheBase()
    {
        Assert.Equal([30, 60, 120, 240, 480], Enumerable.Range(1, 5).Select(n => OutboxBackoff.After(n, Options).TotalSeconds));
    }

    [Fact]
    public void TheWaitNeverExceedsTheCapHoweverManyFailures()
    {
        Assert.Equal(TimeSpan.FromHours(1), OutboxBackoff.After(8, Options));
        Assert.Equal(TimeSpan.FromHours(1), OutboxBackoff.After(1000, Options));
    }
}
