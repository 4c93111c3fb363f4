using System.Globalization;

namespace ShopAffiliate.Admin.Ui;

/// <summary>Money, numbers and dates as a person of the request's culture writes them.</summary>
public static class Formats
{
    /// <summary>
    /// <c>1.234,50 kr.</c> (DKK in Danish), <c>DKK 1,234.50</c> (DKK in English), <c>$1,234.50</c> (USD in English): the
    /// culture's own symbol where the currency is the culture's, else the ISO code, so a figure is never ambiguous.
    /// </summary>
    public static string Money(decimal amount, string currency, CultureInfo culture)
    {
        currency = currency.ToUpperInvariant();
        var specific = culture.IsNeutralCulture ? CultureInfo.CreateSpecificCulture(culture.Name) : culture;
        var format = (NumberFormatInfo)specific.NumberFormat.Clone();
        var own = specific.Name.Length > 0 && new RegionInfo(specific.Name).ISOCurrencySymbol == currency;
        if (!own)
        {
            format.CurrencySymbol = currency;
            // A code needs a space the symbol does not: "$n" becomes "DKK n", "n $" stays.
            format.CurrencyPositivePattern = format.CurrencyPositivePattern switch { 0 => 2, 1 => 3, var p => p };
            format.CurrencyNegativePattern = format.CurrencyPositivePattern == 2 ? 12 : 8; // "-$ n" / "-n $"
        }
        format.CurrencyDecimalDigits = CurrencyDigits(currency);
        return amount.ToString("C", format);
    }

    /// <summary>Minor units: 0 for currencies without (JPY, ISK, KRW...), else 2.</summary>
    public static int CurrencyDigits(string currency) => currency switch
    {
        "JPY" or "KRW" or "ISK" or "CLP" or "VND" or "HUF" => 0,
        _ => 2,
    };

    public static string Number(decimal value, CultureInfo culture, int decimals = 0) => value.ToString("N" + decimals, culture);

    /// <summary>A fraction as a percentage: 0.125 → <c>12.5%</c> / <c>12,5 %</c>.</summary>
    public static string Percent(decimal fraction, CultureInfo culture, int decimals = 1) => fraction.ToString("P" + decimals, culture);

    /// <summary>A calendar day (no time zone to apply), written as <see cref="DateTime"/> writes dates.</summary>
    public static string Date(DateOnly day, CultureInfo culture) =>
        day.ToString(culture.TwoLetterISOLanguageName == "da" ? "d. MMM yyyy" : "MMM d, yyyy", culture);

    /// <summary><paramref name="utc"/> in <paramref name="timeZone"/> (IANA), written the culture's way.</summary>
    public static string DateTime(DateTime utc, string timeZone, CultureInfo culture, bool withTime = true)
    {
        var local = ToZone(utc, timeZone);
        var danish = culture.TwoLetterISOLanguageName == "da";
        // ":" is the culture's time separator: Danish writes "kl. 14.30", as Dansk Sprognævn recommends.
        var pattern = (danish, withTime) switch
        {
            (true, true) => "d. MMM yyyy 'kl.' HH:mm",
            (true, false) => "d. MMM yyyy",
            (false, true) => "MMM d, yyyy HH:mm",
            (false, false) => "MMM d, yyyy",
        };
        return local.ToString(pattern, culture);
    }

    public static DateTime ToZone(DateTime utc, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
    }
}
