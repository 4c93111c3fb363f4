namespace ShopAffiliate.Core.Settings;

/// <summary>IANA time zone ids as the program stores them (<c>Europe/Copenhagen</c>, <c>UTC</c>).</summary>
public static class ProgramTimeZone
{
    public const string Default = "UTC";

    /// <summary>
    /// The id when it names a zone this machine knows in IANA form, else null. Windows ids (<c>Romance Standard Time</c>)
    /// are refused even though .NET would map them: the API promises IANA ids, and a report must name its zone one way.
    /// </summary>
    public static string? Normalize(string? id)
    {
        id = id?.Trim();
        if (string.IsNullOrEmpty(id) || id.Length > 64 || id.Any(char.IsWhiteSpace))
            return null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            return null;
        if (id.Equals(Default, StringComparison.OrdinalIgnoreCase))
            return Default;
        return zone.HasIanaId && id.Contains('/', StringComparison.Ordinal) ? id : null;
    }

    /// <summary>
    /// A WordPress <c>gmt_offset</c> (hours east of UTC, maybe fractional) as an IANA id: whole hours map to the
    /// <c>Etc/GMT∓N</c> zones (whose sign is inverted by POSIX convention); a fractional offset has no IANA id, so null.
    /// </summary>
    public static string? FromUtcOffsetHours(decimal hours)
    {
        if (hours != decimal.Truncate(hours) || hours is < -12 or > 14)
            return null;
        var whole = (int)hours;
        return whole == 0 ? Default : Normalize($"Etc/GMT{(whole > 0 ? "-" : "+")}{Math.Abs(whole)}");
    }
}
