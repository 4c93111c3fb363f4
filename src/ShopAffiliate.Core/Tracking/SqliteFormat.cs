namespace ShopAffiliate.Core.Tracking;

/// <summary>
/// The text EF Core's SQLite provider stores for a GUID, a UTC time and a click source, written as UTF-8 without
/// allocating, for <see cref="ClickStore"/>'s direct insert. Rows written this way must read and compare exactly like
/// rows EF wrote (ClickStoreFormatTests checks that against EF itself).
/// </summary>
internal static class SqliteFormat
{
    public const int GuidLength = 36;

    /// <summary>"yyyy-MM-dd HH:mm:ss" plus up to 8 for ".FFFFFFF".</summary>
    public const int TimeLength = 27;

    /// <summary>Upper-case "D" format (EF stores <c>Guid.ToString().ToUpperInvariant()</c>).</summary>
    public static int Guid(Guid value, Span<byte> destination)
    {
        if (!value.TryFormat(destination, out var written, "D")) throw new ArgumentException("Too small for a GUID.", nameof(destination));
        foreach (ref var b in destination[..written])
        {
            if (b is >= (byte)'a' and <= (byte)'f') b -= 'a' - 'A';
        }
        return written;
    }

    /// <summary>
    /// "yyyy-MM-dd HH:mm:ss.FFFFFFF" (EF's SQLite DateTime format): the fraction without trailing zeros, and without
    /// the dot when it is zero.
    /// </summary>
    public static int Time(DateTime value, Span<byte> destination)
    {
        if (destination.Length < TimeLength) throw new ArgumentException("Too small for a time.", nameof(destination));
        Digits(destination[..4], value.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), value.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), value.Day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), value.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), value.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), value.Second);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0) return 19;
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 7), fraction);
        var length = TimeLength;
        while (destination[length - 1] == (byte)'0') length--;
        return length;
    }

    /// <summary>Enums by name, as EF's string conversion stores them.</summary>
    public static ReadOnlySpan<byte> Source(ClickSource source) => source switch
    {
        ClickSource.Redirect => "Redirect"u8,
        ClickSource.Landing => "Landing"u8,
        _ => System.Text.Encoding.UTF8.GetBytes(source.ToString()),
    };

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
