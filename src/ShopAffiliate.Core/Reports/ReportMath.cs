using System.Globalization;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// The report definitions (docs/reports.md, API.md), in one place for the API, the admin and the portal. A ratio whose
/// denominator is zero is null: a program with no clicks has no conversion rate, not a rate of 0 or infinity.
/// </summary>
public static class ReportMath
{
    /// <summary>Ratios are rounded to this many decimals (half away from zero), enough for a percentage with two decimals.</summary>
    public const int RatioDecimals = 6;

    /// <summary>CTR = unique clicks / impressions.</summary>
    public static decimal? Ctr(long uniqueClicks, long impressions) => Ratio(uniqueClicks, impressions);

    /// <summary>Conversion rate = attributed orders / unique clicks.</summary>
    public static decimal? ConversionRate(long orders, long uniqueClicks) => Ratio(orders, uniqueClicks);

    /// <summary>EPC = affiliate commission / unique clicks (money per click, in the commission's currency).</summary>
    public static decimal? Epc(decimal commission, long uniqueClicks) => uniqueClicks == 0 ? null : commission / uniqueClicks;

    /// <summary>AOV = revenue / attributed orders.</summary>
    public static decimal? Aov(decimal revenue, long orders) => orders == 0 ? null : revenue / orders;

    /// <summary>ROI = (attributed revenue - commission) / commission.</summary>
    public static decimal? Roi(decimal revenue, decimal commission) =>
        commission == 0m ? null : decimal.Round((revenue - commission) / commission, RatioDecimals, MidpointRounding.AwayFromZero);

    public static decimal? Ratio(decimal numerator, decimal denominator) =>
        denominator == 0m ? null : decimal.Round(numerator / denominator, RatioDecimals, MidpointRounding.AwayFromZero);

    /// <summary>
    /// An amount as whole minor units of its currency (ISO 4217 exponent: 2 for DKK, 0 for JPY, 3 for KWD), rounded
    /// half away from zero like commissions. What the rollups store, so that SUM is exact integer arithmetic in SQL.
    /// </summary>
    public static long ToMinor(decimal amount, string currency) =>
        (long)decimal.Round(amount * Scale(currency), 0, MidpointRounding.AwayFromZero);

    public static decimal FromMinor(long minor, string currency) => minor / Scale(currency);

    private static decimal Scale(string currency) => Currencies.MinorUnits(currency) switch
    {
        0 => 1m,
        3 => 1000m,
        _ => 100m,
    };
}

/// <summary>Report days: calendar days in the program's time zone.</summary>
public static class ReportCalendar
{
    public const string DateFormat = "yyyy-MM-dd";

    public static DateOnly DayOf(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>
    /// The UTC instant the day starts at in <paramref name="zone"/>. Where midnight does not exist (a DST jump at
    /// 00:00, as in some American zones), the day starts at the first local time that does.
    /// </summary>
    public static DateTime StartUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>[from's start, the day after to's start): both days included.</summary>
    public static (DateTime StartUtc, DateTime EndUtc) UtcRange(DateOnly from, DateOnly to, TimeZoneInfo zone) =>
        (StartUtc(from, zone), StartUtc(to.AddDays(1), zone));

    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static string Format(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly MonthStart(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>ISO 8601 weeks start on Monday.</summary>
    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
