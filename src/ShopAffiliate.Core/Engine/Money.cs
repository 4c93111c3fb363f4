using System.Globalization;

namespace ShopAffiliate.Core.Engine;

/// <summary>
/// An amount in one ISO 4217 currency (code normalised to upper case). Arithmetic between two currencies throws
/// <see cref="CurrencyMismatchException"/>: a commission must never silently add yen to dollars.
/// </summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public string Currency { get; init => field = Currencies.Normalize(value); } = Currencies.Normalize(Currency);

    public static Money Zero(string currency) => new(0m, currency);

    public bool IsZero => Amount == 0m;

    /// <summary>
    /// Rounds to the currency's minor units, half away from zero (0.005 -> 0.01). Commissions use this rule, not
    /// banker's rounding, because affiliates check them by hand and expect the school-book result.
    /// </summary>
    public Money RoundCommission() => this with { Amount = Currencies.Round(Amount, Currency) };

    public static Money operator +(Money left, Money right) => new(left.Amount + Same(left, right).Amount, left.Currency);

    public static Money operator -(Money left, Money right) => new(left.Amount - Same(left, right).Amount, left.Currency);

    public static Money operator -(Money value) => value with { Amount = -value.Amount };

    public static Money operator *(Money value, decimal factor) => value with { Amount = value.Amount * factor };

    public static bool operator <(Money left, Money right) => left.Amount < Same(left, right).Amount;

    public static bool operator >(Money left, Money right) => left.Amount > Same(left, right).Amount;

    public static bool operator <=(Money left, Money right) => left.Amount <= Same(left, right).Amount;

    public static bool operator >=(Money left, Money right) => left.Amount >= Same(left, right).Amount;

    /// <summary>"12.50 USD", "1500 JPY": invariant culture, the currency's minor units.</summary>
    public override string ToString() => $"{Currencies.Format(Amount, Currency)} {Currency}";

    private static Money Same(Money left, Money right) =>
        string.Equals(left.Currency, right.Currency, StringComparison.Ordinal)
            ? right
            : throw new CurrencyMismatchException(left.Currency, right.Currency);
}

public sealed class CurrencyMismatchException(string left, string right)
    : InvalidOperationException($"Cannot combine {left} with {right}: amounts in different currencies never mix.");

/// <summary>ISO 4217 minor units. Everything not listed has 2.</summary>
public static class Currencies
{
    // ISO 4217 zero-decimal currencies. (HUF has 2 minor units in ISO 4217 even though cash is whole forints.)
    private static readonly HashSet<string> ZeroDecimals =
    [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ];

    private static readonly HashSet<string> ThreeDecimals = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

    // ISO 4217 list one, the codes in circulation (no precious metals, test or fund-less codes such as XXX, XTS).
    private static readonly HashSet<string> Known =
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
        "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF",
        "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP",
        "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL",
        "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
        "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
        "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
        "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF",
        "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
        "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI",
        "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR",
        "ZMW", "ZWG", "ZWL",
    ];

    /// <summary>
    /// For codes a person types (a payout batch's currency, a rule's): shops' own codes go through <see cref="Normalize"/>,
    /// so a code ISO adds later still flows in from a shop.
    /// </summary>
    public static bool IsKnown(string? currency) =>
        currency is not null && Known.Contains(currency.Trim().ToUpperInvariant());

    public static int MinorUnits(string currency)
    {
        var code = Normalize(currency);
        if (ZeroDecimals.Contains(code))
            return 0;
        return ThreeDecimals.Contains(code) ? 3 : 2;
    }

    /// <summary>Half away from zero at the currency's minor units (see <see cref="Money.RoundCommission"/>).</summary>
    public static decimal Round(decimal amount, string currency) =>
        decimal.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero);

    public static string Format(decimal amount, string currency) =>
        Currencies.Round(amount, currency).ToString("F" + MinorUnits(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Normalize(string currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        var code = currency.Trim().ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code.", nameof(currency));
        return code;
    }
}
