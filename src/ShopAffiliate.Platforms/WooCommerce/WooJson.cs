using System.Text.Json;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// WooCommerce's readings on top of <see cref="PayloadJson{TError}"/>: ids are digits, money is a string (sometimes a
/// number), quantities are whole.
/// </summary>
internal static class WooJson
{
    /// <summary>A 64-bit id as text, exactly as sent (never through a double); an empty string is no id.</summary>
    public static string? Id(JsonElement parent, string name, string path) =>
        PayloadJson<WooPayloadException>.IdText(parent, name, path, digitsOnly: true);

    /// <summary>A money string (<c>"45.00"</c>, <c>"-10.00"</c>) or number, invariant; blank is null.</summary>
    public static decimal? Money(JsonElement parent, string name, string path) =>
        PayloadJson<WooPayloadException>.Decimal(parent, name, path, "an amount");

    /// <summary>A whole quantity; a fractional one (some plugins sell by weight) is 0, the engine's "unknown".
    /// <paramref name="absolute"/>: read a negative quantity (a refund's) as its size.</summary>
    public static int Quantity(JsonElement parent, string name, string path, bool absolute = false)
    {
        var quantity = PayloadJson<WooPayloadException>.Decimal(parent, name, path, "a quantity", bounded: false) ?? 0m;
        if (absolute) quantity = Math.Abs(quantity);
        return quantity == decimal.Truncate(quantity) && quantity is > 0m and <= int.MaxValue ? (int)quantity : 0;
    }
}
