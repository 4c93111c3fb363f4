namespace ShopAffiliate.Core.Reports;

/// <summary>A report's period and filters: days in the program's time zone, both included.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To, Guid? AffiliateId = null, Guid? ShopId = null)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of equal length just before this one (for "change vs previous").</summary>
    public ReportPeriod Previous() => this with { From = From.AddDays(-Days), To = From.AddDays(-1) };
}

/// <summary>
/// A period's figures. Counts are whole numbers; ratios are fractions rounded to <see cref="ReportMath.RatioDecimals"/>
/// decimals, or null when their denominator is 0; money is per currency (never summed across currencies).
/// </summary>
public sealed record SummaryFigures(
    DateOnly From, DateOnly To, long Clicks, long UniqueClicks, long Impressions, decimal? Ctr, long Orders, decimal? ConversionRate,
    IReadOnlyList<CurrencyFigures> Currencies);

/// <summary>Money figures of one currency. Epc and Aov are unrounded; the edge rounds them to the currency's minor units.</summary>
public sealed record CurrencyFigures(
    string Currency, long Orders, decimal Revenue, decimal Commission, decimal? Epc, decimal? Aov, decimal? Roi, decimal Refunds,
    decimal Earned, decimal Reversed, decimal SecondTier);

public sealed record ReportSummary(string TimeZone, SummaryFigures Current, SummaryFigures Previous, IReadOnlyList<GoalProgress> Goals);

public enum ReportMetric
{
    Clicks,
    UniqueClicks,
    Impressions,
    Ctr,
    Orders,
    ConversionRate,
    Revenue,
    Commission,
    Refunds,
    Epc,
    Aov,
    Roi,
}

public enum ReportGrouping
{
    Day,
    Week,
    Month,
}

public enum TopDimension
{
    Affiliate,
    Link,
    SubId,
    Creative,
    Product,
}

public static class ReportMetrics
{
    /// <summary>Metrics whose value is money (a decimal string on the wire, per currency).</summary>
    public static bool IsMoney(ReportMetric m) => m is ReportMetric.Revenue or ReportMetric.Commission or ReportMetric.Refunds or ReportMetric.Epc or ReportMetric.Aov;

    /// <summary>Metrics reported per currency: money, and ROI (a ratio of two amounts in one currency).</summary>
    public static bool PerCurrency(ReportMetric m) => IsMoney(m) || m == ReportMetric.Roi;

    /// <summary>Metrics that come from clicks alone (what a link or a sub-id can be ranked by).</summary>
    public static bool FromClicks(ReportMetric m) => m is ReportMetric.Clicks or ReportMetric.UniqueClicks;
}

/// <summary>One series of a timeseries: per currency for money metrics and ROI, else one with no currency.</summary>
public sealed record TimeSeries(string? Currency, IReadOnlyList<TimePoint> Points);

/// <summary>A bucket (its first day: the day, the ISO week's Monday, the month's 1st) and the metric's value.</summary>
public sealed record TimePoint(DateOnly Start, decimal? Value);

public sealed record TimeseriesReport(ReportMetric Metric, ReportGrouping GroupBy, DateOnly From, DateOnly To, IReadOnlyList<TimeSeries> Series);

public sealed record TopRow(string Key, string Name, string? Currency, decimal? Value)
{
    /// <summary>All of a creative's figures (rows of <c>by=creative</c> only).</summary>
    public CreativeFigures? Figures { get; init; }
}

/// <summary>
/// A creative's figures over a period: views, clicks through it, and the orders whose winning click came through it
/// (ADR 0039) with their revenue and tier-1 commission in <see cref="Currency"/> (null: no single currency to show).
/// Ratios are null on a zero denominator; <see cref="Epc"/> is unrounded (the edge rounds it to minor units).
/// </summary>
public sealed record CreativeFigures(
    long Impressions, long Clicks, long UniqueClicks, decimal? Ctr, long Orders, string? Currency, decimal Revenue, decimal Commission, decimal? Epc)
{
    public static CreativeFigures Of(SummaryFigures f, string? currency)
    {
        ArgumentNullException.ThrowIfNull(f);
        var money = currency is null ? null : f.Currencies.FirstOrDefault(c => c.Currency == currency);
        return new(f.Impressions, f.Clicks, f.UniqueClicks, f.Ctr, f.Orders, currency, money?.Revenue ?? 0m, money?.Commission ?? 0m,
            currency is null ? null : money?.Epc ?? ReportMath.Epc(0m, f.UniqueClicks));
    }
}

public sealed record TopReport(TopDimension By, ReportMetric Metric, DateOnly From, DateOnly To, string? Currency, IReadOnlyList<TopRow> Rows);

/// <summary>
/// How far a month's goal is: <see cref="Actual"/> over the month so far, <see cref="Progress"/> = actual / target,
/// <see cref="Projected"/> = actual at the pace so far over the whole month, <see cref="NeededPerDay"/> = what is
/// left divided by the days left (today included). ROI has no pace (it is not a sum), so those are null for it.
/// </summary>
public sealed record GoalProgress(
    DateOnly Month, GoalMetric Metric, string? Currency, decimal Target, decimal? Actual, decimal? Progress, int DaysLeft,
    decimal? Projected, decimal? NeededPerDay);
