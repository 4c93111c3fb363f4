namespace ShopAffiliate.Core.Settings;

/// <summary>Calendar days of the program's time zone as UTC instants: reports and statements count by the merchant's day.</summary>
public static class ProgramDays
{
    /// <summary>The program's zone; an unset or unknown id is UTC (the stored id was validated when it was set).</summary>
    public static TimeZoneInfo Zone(string? id) =>
        ProgramTimeZone.Normalize(id) is { } known && TimeZoneInfo.TryFindSystemTimeZoneById(known, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// The first instant of <paramref name="day"/> in <paramref name="zone"/>. Where a clock change skips local midnight
    /// (America/Santiago, Asia/Beirut) the day starts at the first local time that exists; where midnight happens
    /// twice, at the first of them.
    /// </summary>
    public static DateTime StartUtc(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>The local calendar day an instant falls on.</summary>
    public static DateOnly DayOf(DateTime utc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));
    }
}
