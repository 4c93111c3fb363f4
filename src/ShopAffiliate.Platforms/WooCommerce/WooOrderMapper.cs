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
            CurrencyCode(NonEmpty(Str(order, "currency")), "currency") ?? throw new WooPayloadException($"WooCommerce order {id} has no currency."),
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
    /// The fallback when the store's refund details cannot be read: one <see cref="RefundEvent"/> per <c>refunds[]</c> item
    /// of the order (<c>order.updated</c> fires on a refund). The order shows only each refund's total, negative
    /// (<c>"-10.00"</c>), which may include tax and shipping, so it is spread over the order: the merchandise share is
    /// total x merchandise / order total (<see cref="MerchandiseShare"/>), an order-level amount with no lines.
    /// <see cref="RefundEvent.CreatedAt"/> is the order's <c>date_modified_gmt</c> (the refund's own date is not in the order).
    /// Each is marked <see cref="RefundEvent.FromTotals"/>, so the engine takes its lines in its place when they are read later.
    /// </summary>
    public static IReadOnlyList<RefundEvent> MapRefunds(JsonElement order, ShopId shop)
    {
        var id = OrderId(order);
        var at = ModifiedAt(order) ?? CreatedAt(order, id);
        return Array(order, "refunds").Select((refund, i) =>
        {
            var path = $"refunds[{i}]";
            var refundId = RefundIdOf(refund, path) ?? throw new WooPayloadException($"WooCommerce order {id}: {path} has no id.");
            return new RefundEvent(shop, new ExternalOrderId(id), refundId, at, [], MerchandiseShare(order, Math.Abs(Money(refund, "total", path + ".total") ?? 0m)),
                FromTotals: true);
        }).ToList();
    }

    /// <summary>The ids of the order's <c>refunds[]</c>, in order; a refund without one is a <see cref="WooPayloadException"/>.</summary>
    public static IReadOnlyList<string> RefundIds(JsonElement order)
    {
        var id = OrderId(order);
        return Array(order, "refunds").Select((refund, i) =>
            RefundIdOf(refund, $"refunds[{i}]") ?? throw new WooPayloadException($"WooCommerce order {id}: refunds[{i}] has no id.")).ToList();
    }

    /// <summary>
    /// A refund as <c>GET /orders/{id}/refunds</c> gives it, with its lines. Each <c>line_items[]</c> entry names the order
    /// line it refunds in <c>line_item_id</c> or in its <c>_refunded_item_id</c> meta (WooCommerce's own link), with a
    /// negative <c>quantity</c> (0 = an amount only) and <c>total</c> (before tax; <c>refund_total</c> in newer stores).
    /// A product line that names no order line counts as an order-level amount (<see cref="RefundEvent.OtherAmount"/>).
    /// Shipping, fee and tax lines are not merchandise and are left out. A refund with no lines at all (an amount typed in
    /// by hand) is spread over the order like <see cref="MapRefunds"/>. <see cref="RefundEvent.CreatedAt"/> is the refund's
    /// <c>date_created_gmt</c>.
    /// </summary>
    public static RefundEvent MapRefundDetail(JsonElement order, JsonElement refund, ShopId shop)
    {
        var id = OrderId(order);
        var refundId = RefundIdOf(refund, "refund") ?? throw new WooPayloadException($"WooCommerce order {id}: a refund has no id.");
        var path = $"refund {refundId}";
        var at = Time(refund, "date_created_gmt", path + ".date_created_gmt") ?? ModifiedAt(order) ?? CreatedAt(order, id);
        var lines = new List<RefundLine>();
        var unlinked = 0m;
        foreach (var (item, i) in Array(refund, "line_items").Select((item, i) => (item, i)))
        {
            var itemPath = $"{path}.line_items[{i}]";
            var amount = Math.Abs(Money(item, "refund_total", itemPath + ".refund_total") ?? Money(item, "total", itemPath + ".total") ?? 0m);
            if (RefundedLineId(item, itemPath) is { } lineId)
                lines.Add(new RefundLine(lineId, Quantity(item, "quantity", itemPath + ".quantity", absolute: true), amount));
            else
                unlinked += amount; // merchandise whose order line is not named: an order-level amount
        }
        var anyItems = Array(refund, "line_items").Any() || Array(refund, "shipping_lines").Any() || Array(refund, "fee_lines").Any();
        var other = anyItems ? unlinked : MerchandiseShare(order, Math.Abs(Money(refund, "amount", path + ".amount") ?? 0m));
        return new RefundEvent(shop, new ExternalOrderId(id), refundId, at, lines, other);
    }

    /// <summary>
    /// The part of a refunded order-level amount that is merchandise: amount x (sum of line totals) / order total, at most
    /// the merchandise (the whole amount, capped, when the order total is not above the merchandise).
    /// </summary>
    public static decimal MerchandiseShare(JsonElement order, decimal amount)
    {
        var merchandise = Array(order, "line_items").Select((item, i) => Money(item, "total", $"line_items[{i}].total") ?? 0m).Sum();
        var total = Money(order, "total", "total") ?? 0m;
        if (amount <= 0m || merchandise <= 0m) return 0m;
        var ratio = total > merchandise ? merchandise / total : 1m;
        return Math.Min(merchandise, Math.Round(amount * ratio, 4, MidpointRounding.AwayFromZero));
    }

    private static string? RefundIdOf(JsonElement refund, string path) => Id(refund, "id", path + ".id");

    /// <summary><c>line_item_id</c> when present (and not 0), else the <c>_refunded_item_id</c> meta.</summary>
    private static string? RefundedLineId(JsonElement item, string path)
    {
        if (Id(item, "line_item_id", path + ".line_item_id") is { } direct && direct != "0")
            return direct;
        return Array(item, "meta_data")
            .Where(m => Str(m, "key") == "_refunded_item_id")
            .Select(m => Str(m, "value")?.Trim())
            .FirstOrDefault(v => v is { Length: > 0 } && v != "0" && v.All(char.IsAsciiDigit));
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
                Money(item, "total_tax", path + ".total_tax") ?? 0m,
                Title: PayloadText.Title(item, "name"));
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
            .Select(m => NonEmpty(Text(m.GetProperty("value"), $"meta_data {key}")))
            .LastOrDefault(v => v is not null);

    private static Guid? ParseGuid(string? value) => Guid.TryParse(value, out var guid) && guid != Guid.Empty ? guid : null;

    private static DateTime? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.UtcDateTime : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
