using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Tests.Reports;

public sealed class ReportDefinitionTests
{
    [Fact]
    public void CtrIsUniqueClicksOverImpressionsAndNullWithoutImpressions()
    {
        Assert.Equal(0.1m, ReportMath.Ctr(100, 1000));
        Assert.Null(ReportMath.Ctr(100, 0));
    }

    [Fact]
    public void ConversionRateIsOrdersOverUniqueClicksAndNullWithoutClicks()
    {
        Assert.Equal(0.05m, ReportMath.ConversionRate(5, 100));
        Assert.Equal(0m, ReportMath.ConversionRate(0, 100));
        Assert.Null(ReportMath.ConversionRate(5, 0));
    }

    [Fact]
    public void EpcIsCommissionOverUniqueClicksAndNullWithoutClicks()
    {
        Assert.Equal(2.16m, ReportMath.Epc(216m, 100));
        Assert.Null(ReportMath.Epc(216m, 0));
    }

    [Fact]
    public void AovIsRevenueOverOrdersAndNullWithoutOrders()
    {
        Assert.Equal(432m, ReportMath.Aov(2160m, 5));
        Assert.Null(ReportMath.Aov(0m, 0));
    }

    [Fact]
    public void RoiIsRevenueLessCommissionOverCommissionAndNullWithoutCommission()
    {
        Assert.Equal(9m, ReportMath.Roi(2160m, 216m));
        Assert.Equal(-1m, ReportMath.Roi(0m, 10m));
        Assert.Null(ReportMath.Roi(2160m, 0m));
    }

    [Fact]
    public void RatiosAreRoundedToSixDecimalsHalfAwayFromZero()
    {
        Assert.Equal(0.333333m, ReportMath.Ratio(1, 3));
        Assert.Equal(0.666667m, ReportMath.Ratio(2, 3));
    }

    [Theory]
    [InlineData("12.50", "DKK", 1250L)]
    [InlineData("-4.50", "EUR", -450L)]
    [InlineData("1500", "JPY", 1500L)]
    [InlineData("1.2345", "KWD", 1235L)]
    [InlineData("0.005", "USD", 1L)]
    public void MoneyIsStoredAsWholeMinorUnitsOfItsCurrency(string amount, string currency, long minor)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(minor, ReportMath.ToMinor(value, currency));
        Assert.Equal(decimal.Round(value, currency switch { "JPY" => 0, "KWD" => 3, _ => 2 }, MidpointRounding.AwayFromZero), ReportMath.FromMinor(minor, currency));
    }
}

public sealed class ReportCalendarTests
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    private static DateTime Utc(int y, int m, int d, int h, int min) => new(y, m, d, h, min, 0, DateTimeKind.Utc);

    [Fact]
    public void HalfPastElevenUtcOnTheLastOfNovemberIsTheFirstOfDecemberInCopenhagen()
    {
        Assert.Equal(new DateOnly(2026, 12, 1), ReportCalendar.DayOf(Utc(2026, 11, 30, 23, 30), Copenhagen));
        Assert.Equal(new DateOnly(2026, 11, 30), ReportCalendar.DayOf(Utc(2026, 11, 30, 22, 59), Copenhagen));
        Assert.Equal(new DateOnly(2026, 11, 30), ReportCalendar.DayOf(Utc(2026, 11, 30, 23, 30), TimeZoneInfo.Utc));
    }

    [Fact]
    public void TheSpringForwardDayHasTwentyThreeHours()
    {
        var (start, end) = ReportCalendar.UtcRange(new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29), Copenhagen);
        Assert.Equal(Utc(2026, 3, 28, 23, 0), start);
        Assert.Equal(Utc(2026, 3, 29, 22, 0), end);
        Assert.Equal(new DateOnly(2026, 3, 29), ReportCalendar.DayOf(Utc(2026, 3, 29, 21, 59), Copenhagen));
        Assert.Equal(new DateOnly(2026, 3, 30), ReportCalendar.DayOf(Utc(2026, 3, 29, 22, 0), Copenhagen));
    }

    [Fact]
    public void TheFallBackDayHasTwentyFiveHours()
    {
        var (start, end) = ReportCalendar.UtcRange(new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 25), Copenhagen);
        Assert.Equal(Utc(2026, 10, 24, 22, 0), start);
        Assert.Equal(Utc(2026, 10, 25, 23, 0), end);
        Assert.Equal(new DateOnly(2026, 10, 25), ReportCalendar.DayOf(Utc(2026, 10, 25, 22, 30), Copenhagen));
    }

    [Fact]
    public void WeeksStartOnMondayAndMonthsOnTheFirst()
    {
        Assert.Equal(new DateOnly(2026, 10, 26), ReportCalendar.WeekStart(new DateOnly(2026, 11, 1))); // a Sunday
        Assert.Equal(new DateOnly(2026, 11, 2), ReportCalendar.WeekStart(new DateOnly(2026, 11, 2))); // a Monday
        Assert.Equal(new DateOnly(2026, 11, 1), ReportCalendar.MonthStart(new DateOnly(2026, 11, 30)));
    }

    [Theory]
    [InlineData("2026-11-01", true)]
    [InlineData("2026-2-01", false)]
    [InlineData("01-11-2026", false)]
    [InlineData("2026-02-30", false)]
    [InlineData("", false)]
    public void DaysAreParsedOnlyAsYearMonthDay(string text, bool ok) => Assert.Equal(ok, ReportCalendar.TryParseDay(text, out _));
}
