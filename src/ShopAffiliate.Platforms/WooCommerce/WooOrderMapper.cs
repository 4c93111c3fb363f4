using System.Globalization;
using System.Text.Json;
using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Platforms.PayloadJson<ShopAffiliate.Platforms.WooCommerce.WooPayloadException>;
using static ShopAffiliate.Platforms.WooCommerce.WooJson;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// Maps a WooCommerce order (an order webhook body or a REST <c>/orders</c> item: the same shape) to the engine's
/// <see cref="OrderEvent"/> and <see cref="RefundEvent"/>s. Money is the order currency, which is the store's.
/// </summary>
/// <remarks>
/// State: <c>pending</c>, <c>on-hold</c>, <c>checkout-draft</c> -> Pending; <c>processing</c>, <c>completed</c>,
/// <c>refunded</c> -> Paid (what went back arrives as refunds); <c>cancelled</c>, <c>failed</c>, <c>trash</c> -> Cancelled.
/// A status a plugin added is Paid when the order has a <c>date_paid_gmt</c> (plugins add steps after payment, such as
/// "shipped"), otherwise Pending.
/// </remarks>
public static class WooOrderMapper
{
    /// <summary>Order meta the companion plugin writes at checkout (integrations/woocommerce/README.md section 2).</summary>
    public const string ReferralMeta = "_sa_ref", ClickMeta = "_sa_click", LandedAtMeta = "_sa_landed_at";

    /// <summary>WooCommerce's own order attribution (8.5+): our tracking links carry <c>utm_source=aff-{code}</c>.</summary>
    public const string UtmSourceMeta = "_wc_order_attribution_utm_source", UtmPrefix = "aff-";

    /// <summary>Parses a raw body; not JSON is a <see cref="WooPayloadException"/>. Dispose the document when done.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new WooPayloadException($"The WooCommerce body is not JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The order as the engine sees it. Lines: <c>total</c> (after discounts, before tax) is the net revenue, <c>total_tax</c>
    /// the tax, <c>product_id</c> the product (the parent one for a variation; 0 = deleted, null). Categories are not in
    /// the order, so lines have no collections.
    /// </summary>
    public static OrderEvent MapOrder(JsonElement order, ShopId shop)
    {
        var id = OrderId(order);
        var createdAt = CreatedAt(order, id);
        var billing = TryGet(order, "billing", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;

        return new OrderEvent(
            shop,
            new ExternalOrderId(id),
            NonEmpty(Str(order, "number")) is { } number ? "#" + number : null,
            createdAt,
            ModifiedAt(order) ?? createdAt,
            NonEmpty(Str(order, "currency"))?.ToUpperInvariant() ?? throw new WooPayloadException($"WooCommerce order {id} has no currency."),
            State(order),
            IsTest: false,
            CustomerId(order),
            NonEmpty(Str(billing, "email")),
            Lines(order, id),
            Array(order, "coupon_lines").Select(c => NonEmpty(Str(c, "code"))?.ToLowerInvariant()).OfType<string>().ToList(),
            Touches(order),
            Money(order, "shipping_total", "shipping_total") ?? 0m,
            Money(order, "total_tax", "total_tax") ?? 0m);
    }

    /// <summary>
    /// One <see cref="RefundEvent"/> per <c>refunds[]</c> item (WooCommerce lists them on the order; <c>order.updated</c>
    /// fires on a refund). The order shows only each refund's total, negative (<c>"-10.00"</c>): it becomes
    /// <see cref="RefundEvent.OtherAmount"/> with no lines, and it may include refunded tax and shipping, so it can exceed
    /// the merchandise; the engine caps a refund's share at 100 %. <see cref="RefundEvent.CreatedAt"/> is the order's
    /// <c>date_modified_gmt</c> (the refund's own date is not in the order).
    /// </summary>
    public static IReadOnlyList<RefundEvent> MapRefunds(JsonElement order, ShopId shop)
    {
        var id = OrderId(order);
        var at = ModifiedAt(order) ?? CreatedAt(order, id);
        return Array(order, "refunds").Select((refund, i) =>
        {
            var path = $"refunds[{i}]";
            var refundId = Id(refund, "id", path + ".id") ?? throw new WooPayloadException($"WooCommerce order {id}: {path} has no id.");
            return new RefundEvent(shop, new ExternalOrderId(id), refundId, at, [], Math.Abs(Money(refund, "total", path + ".total") ?? 0m));
        }).ToList();
    }

    /// <summary>An <c>order.deleted</c> body, <c>{"id":N}</c>: the order's id.</summary>
    public static ExternalOrderId DeletedOrderId(JsonElement body) => new(OrderId(body));

    private static string OrderId(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object)
            throw new WooPayloadException($"A WooCommerce order must be a JSON object, not {order.ValueKind}.");
        return Id(order, "id", "id") ?? throw new WooPayloadException("The WooCommerce order has no id.");
    }

    /// <summary><c>date_created_gmt</c>; the site-time <c>date_created</c> only when that is missing (then read as UTC too).</summary>
    private static DateTime CreatedAt(JsonElement order, string id) =>
        Time(order, "date_created_gmt", "date_created_gmt") ?? Time(order, "date_created", "date_created")
        ?? throw new WooPayloadException($"WooCommerce order {id} has no date_created_gmt.");

    private static DateTime? ModifiedAt(JsonElement order) =>
        Time(order, "date_modified_gmt", "date_modified_gmt") ?? Time(order, "date_modified", "date_modified");

    private static OrderState State(JsonElement order) => Str(order, "status")?.Trim().ToLowerInvariant() switch
    {
        "pending" or "on-hold" or "checkout-draft" => OrderState.Pending,
        "processing" or "completed" or "refunded" => OrderState.Paid,
        "cancelled" or "failed" or "trash" => OrderState.Cancelled,
        _ => NonEmpty(Str(order, "date_paid_gmt")) is not null ? OrderState.Paid : OrderState.Pending,
    };

    /// <summary><c>customer_id</c> 0 is a guest.</summary>
    private static string? CustomerId(JsonElement order) =>
        Id(order, "customer_id", "customer_id") is { } id && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? id
            : null;

    private static List<OrderLine> Lines(JsonElement order, string orderId) =>
        Array(order, "line_items").Select((item, i) =>
        {
            var path = $"line_items[{i}]";
            var lineId = Id(item, "id", path + ".id") ?? throw new WooPayloadException($"WooCommerce order {orderId}: {path} has no id.");
            var productId = Id(item, "product_id", path + ".product_id");
            return new OrderLine(
                lineId,
                productId is null or "0" ? null : productId,
                [],
                Quantity(item, "quantity", path + ".quantity"),
                Money(item, "total", path + ".total") ?? 0m,
                Money(item, "total_tax", path + ".total_tax") ?? 0m);
        }).ToList();

    /// <summary>The plugin's meta first (code, click id, landing time), then WooCommerce's <c>utm_source=aff-{code}</c>.</summary>
    private static List<ReferralTouch> Touches(JsonElement order)
    {
        var touches = new List<ReferralTouch>();
        if (Meta(order, ReferralMeta) is { } code)
            touches.Add(new(code, ParseGuid(Meta(order, ClickMeta)), ParseTime(Meta(order, LandedAtMeta)), TouchSource.OrderMeta));
        if (Meta(order, UtmSourceMeta) is { } utm && utm.StartsWith(UtmPrefix, StringComparison.OrdinalIgnoreCase)
            && NonEmpty(utm[UtmPrefix.Length..]) is { } utmCode)
            touches.Add(new(utmCode, null, null, TouchSource.UtmSource));
        return touches;
    }

    /// <summary>The last <c>meta_data</c> entry with this key whose value is a non-blank string (values may be any JSON).</summary>
    private static string? Meta(JsonElement order, string key) =>
        Array(order, "meta_data")
            .Where(m => Str(m, "key") == key && TryGet(m, "value", out var v) && v.ValueKind == JsonValueKind.String)
            .Select(m => NonEmpty(m.GetProperty("value").GetString()))
            .LastOrDefault(v => v is not null);

    private static Guid? ParseGuid(string? value) => Guid.TryParse(value, out var guid) && guid != Guid.Empty ? guid : null;

    private static DateTime? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.UtcDateTime : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
