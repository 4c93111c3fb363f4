using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Tests.Reports;

/// <summary>
/// The affiliate ranking reads a period as blocks (ADR 0041, 2026-12-02): they must cover exactly the period's days,
/// each once, and each must be one the triggers keep (aligned, inside its month for day blocks).
/// </summary>
public sealed class RankingBlockTests
{
    private static (DateOnly From, DateOnly To) Days(RankingRollupSql.Block b)
    {
        if (b.IsDay) return (b.Start, b.Start);
        if (b.Span > 1000) return (b.Start, b.Start.AddMonths(b.Span - 1000).AddDays(-1));
        var monthEnd = new DateOnly(b.Start.Year, b.Start.Month, 1).AddMonths(1).AddDays(-1);
        var end = b.Start.AddDays(b.Span - 1);
        return (b.Start, end < monthEnd ? end : monthEnd);
    }

    [Fact]
    public void RandomPeriodsAreCoveredExactlyOnceByAlignedBlocks()
    {
        var random = new Random(20261202);
        var origin = new DateOnly(2023, 1, 1);
        for (var i = 0; i < 20_000; i++)
        {
            var from = origin.AddDays(random.Next(0, 1500));
            var to = from.AddDays(random.Next(0, i % 4 == 0 ? 900 : 70));
            var blocks = RankingRollupSql.Decompose(from, to);
            var covered = new List<DateOnly>();
            foreach (var b in blocks)
            {
                if (b.Span > 1000)
                {
                    var months = b.Span - 1000;
                    Assert.Contains(months, RankingRollupSql.MonthSpans);
                    Assert.Equal(1, b.Start.Day);
                    Assert.Equal(0, (b.Start.Year * 12 + b.Start.Month - 1) % months);
                }
                else if (!b.IsDay)
                {
                    Assert.Contains(b.Span, RankingRollupSql.DaySpans);
                    Assert.Equal(0, (b.Start.Day - 1) % b.Span);
                }
                var (a, z) = Days(b);
                for (var d = a; d <= z; d = d.AddDays(1)) covered.Add(d);
            }
            var expected = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
            Assert.True(expected.SequenceEqual(covered), $"{from}..{to}: {string.Join(", ", blocks)}");
        }
    }

    [Theory]
    // A year of whole months (December to November): a month, eight months from January, two, a month.
    [InlineData("2025-12-01", "2026-11-30", "1001:2025-12-01 1008:2026-01-01 1002:2026-09-01 1001:2026-11-01")]
    // Mid-month to mid-month: 15-16 and 17-31 December (a block of 16 cut at the month's end), the months, then 1-14 November.
    [InlineData("2025-12-15", "2026-11-14", "2:2025-12-15 16:2025-12-17 1008:2026-01-01 1002:2026-09-01 8:2026-11-01 4:2026-11-09 2:2026-11-13")]
    // No whole month: days of two months.
    [InlineData("2026-10-17", "2026-11-15", "16:2026-10-17 8:2026-11-01 4:2026-11-09 2:2026-11-13 1:2026-11-15")]
    [InlineData("2026-11-01", "2026-11-30", "1001:2026-11-01")]
    [InlineData("2026-02-17", "2026-02-28", "16:2026-02-17")]
    public void KnownPeriodsGiveTheExpectedBlocks(string from, string to, string expected)
    {
        var blocks = RankingRollupSql.Decompose(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, string.Join(" ", blocks.Select(b => $"{b.Span}:{b.Start:yyyy-MM-dd}")));
    }
}
