namespace ShopAffiliate.Core.Simulation;

/// <summary>
/// One affiliate's credited sales in one currency, appended in time order, with running totals so the sales between
/// two instants cost a binary search, not a scan: a year of one busy affiliate's orders stays linear to replay.
/// </summary>
public sealed class SalesTimeline
{
    private readonly List<DateTime> _at = [];
    private readonly List<decimal> _runningTotal = [];

    /// <summary>Sales at <paramref name="at"/>, no earlier than the last one added (the replay goes in placement order).</summary>
    public void Add(DateTime at, decimal sales)
    {
        if (_at.Count > 0 && at < _at[^1])
            throw new ArgumentException("Sales are added in time order.", nameof(at));
        _at.Add(at);
        _runningTotal.Add((_runningTotal.Count == 0 ? 0m : _runningTotal[^1]) + sales);
    }

    /// <summary>The sales at or after <paramref name="from"/> and strictly before <paramref name="before"/>.</summary>
    public decimal Between(DateTime from, DateTime before) => before <= from ? 0m : TotalBefore(before) - TotalBefore(from);

    private decimal TotalBefore(DateTime at)
    {
        // The number of entries strictly before `at`: the first index whose time is >= at.
        int lo = 0, hi = _at.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_at[mid] < at) lo = mid + 1;
            else hi = mid;
        }
        return lo == 0 ? 0m : _runningTotal[lo - 1];
    }
}
