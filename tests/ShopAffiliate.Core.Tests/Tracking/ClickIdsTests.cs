using System.Collections.Concurrent;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Tests.Tracking;

public sealed class ClickIdsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void AClickIdIsAVersion7UuidCarryingItsMillisecond()
    {
        var id = ClickIds.Next(Now);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2); // RFC 9562 variant: the top two bits are 10
        var hex = id.ToString("N");
        Assert.Equal(Now.ToUnixTimeMilliseconds(), Convert.ToInt64(hex[..12], 16));
        Assert.Equal('7', hex[12]);
    }

    [Fact]
    public void IdsSortByTimeAcrossMilliseconds()
    {
        var ids = Enumerable.Range(0, 2_000).Select(i => ClickIds.Next(Now.AddMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.OrderBy(id => id.ToString()).ToList());
        // EF stores them upper-case, and they still sort by time.
        Assert.Equal(ids, ids.OrderBy(id => id.ToString().ToUpperInvariant(), StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void IdsInTheSameMillisecondOnManyThreadsNeverRepeat()
    {
        // Well past one refill of each thread's random buffer (100 ids).
        var ids = new ConcurrentBag<Guid>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 5_000; i++) ids.Add(ClickIds.Next(Now));
        });

        Assert.Equal(40_000, ids.Distinct().Count());
        // 74 random bits per id: within a millisecond the random part must vary in every byte position it uses.
        var randomParts = ids.Select(id => id.ToString("N")[13..]).ToList();
        Assert.All(Enumerable.Range(0, 19), position => Assert.True(randomParts.Select(p => p[position]).Distinct().Count() > 1, $"hex digit {position} never changes"));
    }
}
