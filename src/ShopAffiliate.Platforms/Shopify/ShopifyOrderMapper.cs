using System.Text.Json;
using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Platforms.PayloadJson<ShopAffiliate.Platforms.Shopify.ShopifyPayloadException>;
using static ShopAffiliate.Platforms.Shopify.ShopifyJson;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>
/// Maps Shopify's REST-shaped webhook bodies (orders/*, refunds/create) to the engine's <see cref="OrderEvent"/> and
/// <see cref="RefundEvent"/>. Money is always the shop currency (<c>*_set.shop_money</c>), never the buyer's.
/// </summary>
/// <remarks>
/// State: <c>cancelled_at</c> set, or <c>voided</c> / <c>expired</c> -> Cancelled. <c>paid</c>, <c>partially_refunded</c>
/// and <c>refunded</c> -> Paid: the money was captured, and what went back arrives as refunds/create events that claw back
/// per line. <c>pending</c>, <c>authorized</c> and <c>partially_paid</c> -> Pending: nothing is earned until the order is
/// fully paid (orders/paid then sends the paid version).
/// <para>Prices that include tax (<c>taxes_included</c>, as in most EU shops): a line's price and discounts contain the
/// tax, so the tax of the line (its <c>tax_lines</c>, computed on the discounted amount) comes out of the net revenue;
/// a refund line's <c>subtotal</c> then contains tax too and carries its <c>total_tax</c> (ADR 0015).</para>
/// <para>Order edits: a line counts the units the customer still buys. Shopify lowers <c>current_quantity</c> for units
/// an edit removed and for refunded units alike; refunded units come back as refunds/create events, so here only the
/// units an edit removed leave the line (current quantity + units refunded in <c>refunds[]</c>, at most the quantity).</para>
/// </remarks>
public static class ShopifyOrderMapper
{
    public const string ReferralAttribute = "_sa_ref";
    public const string ClickAttribute = "_sa_click";
    public const string ReferralQueryParameter = "ref";
    public const string ClickQueryParameter = "sa_click";

    public static OrderEvent MapOrder(ReadOnlyMemory<byte> rawBody, ShopId shop)
    {
        using var document = Parse(rawBody, "order");
        return MapOrder(document.RootElement, shop);
    }

    public static RefundEvent MapRefund(ReadOnlyMemory<byte> rawBody, ShopId shop)
    {
        using var document = Parse(rawBody, "refund");
        return MapRefund(document.RootElement, shop);
    }

    public static OrderEvent MapOrder(JsonElement order, ShopId shop)
    {
        order = Root(order, "order", "order");
        var id = Id(order, "id", "id") ?? throw new ShopifyPayloadException("The Shopify order has no id.");
        var createdAt = Time(order, "created_at", "created_at") ?? Time(order, "processed_at", "processed_at")
            ?? throw new ShopifyPayloadException($"Shopify order {id} has no created_at.");
        var updatedAt = Time(order, "updated_at", "updated_at") ?? createdAt;
        var currency = CurrencyCode(Str(order, "currency"), "currency")
            ?? (TryGet(order, "total_price_set", out var set) && TryGet(set, "shop_money", out var money)
                ? CurrencyCode(Str(money, "currency_code"), "total_price_set.shop_money.currency_code") : null)
            ?? throw new ShopifyPayloadException($"Shopify order {id} has no currency.");
        var taxesIncluded = Bool(order, "taxes_included");

        var customer = TryGet(order, "customer", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var email = NonEmpty(Str(order, "email")) ?? NonEmpty(Str(order, "contact_email")) ?? NonEmpty(Str(customer, "email"));

        return new OrderEvent(
            shop,
            new ExternalOrderId(id),
            NonEmpty(Str(order, "name")) ?? NonEmpty(Str(order, "order_number")),
            createdAt,
            updatedAt,
            currency,
            State(order),
            Bool(order, "test"),
            Id(customer, "id", "customer.id"),
            email,
            Lines(order, id, currency, taxesIncluded),
            Array(order, "discount_codes").Select(d => NonEmpty(Str(d, "code"))).OfType<string>().ToList(),
            Touches(order),
            Array(order, "shipping_lines").Select((s, i) => ShopMoney(s, "price", $"shipping_lines[{i}].price") ?? 0m).Sum(),
            ShopMoney(order, "total_tax", "total_tax") ?? 0m,
            taxesIncluded);
    }

    /// <summary>
    /// A refunds/create body. <see cref="RefundEvent.OtherAmount"/> stays 0: Shopify's <c>order_adjustments</c> are
    /// shipping refunds and refund discrepancies, not merchandise, and every merchandise refund names its line.
    /// </summary>
    public static RefundEvent MapRefund(JsonElement refund, ShopId shop)
    {
        refund = Root(refund, "refund", "refund");
        var id = Id(refund, "id", "id") ?? throw new ShopifyPayloadException("The Shopify refund has no id.");
        var orderId = Id(refund, "order_id", "order_id") ?? throw new ShopifyPayloadException($"Shopify refund {id} has no order_id.");
        var createdAt = Time(refund, "created_at", "created_at") ?? Time(refund, "processed_at", "processed_at")
            ?? throw new ShopifyPayloadException($"Shopify refund {id} has no created_at.");

        var lines = Array(refund, "refund_line_items").Select((item, i) =>
        {
            var path = $"refund_line_items[{i}]";
            var lineId = RefundedLineId(item, path) ?? throw new ShopifyPayloadException($"Shopify refund {id}: {path} names no line item.");
            return new RefundLine(lineId, Math.Max(0, Int(item, "quantity", path + ".quantity")),
                Math.Abs(ShopMoney(item, "subtotal", path + ".subtotal") ?? 0m), Math.Abs(ShopMoney(item, "total_tax", path + ".total_tax") ?? 0m));
        }).ToList();

        return new RefundEvent(shop, new ExternalOrderId(orderId), id, createdAt, lines);
    }

    private static OrderState State(JsonElement order)
    {
        if (Str(order, "cancelled_at") is { Length: > 0 })
            return OrderState.Cancelled;
        return Str(order, "financial_status")?.Trim().ToLowerInvariant() switch
        {
            "voided" or "expired" => OrderState.Cancelled,
            "paid" or "partially_refunded" or "refunded" => OrderState.Paid,
            _ => OrderState.Pending, // pending, authorized, partially_paid, unknown
        };
    }

    /// <summary>
    /// Net revenue = price x quantity - the discounts allocated to the line (an order-level discount is allocated to the
    /// lines too), less the line's tax where prices include it; shipping is never in a line. Scaled to the units the
    /// customer still buys after an edit (see the remarks on the class).
    /// </summary>
    private static List<OrderLine> Lines(JsonElement order, string orderId, string currency, bool taxesIncluded)
    {
        var refunded = RefundedUnits(order);
        return Array(order, "line_items").Select((item, i) =>
        {
            var path = $"line_items[{i}]";
            var lineId = Id(item, "id", path + ".id") ?? throw new ShopifyPayloadException($"Shopify order {orderId}: {path} has no id.");
            var quantity = Math.Max(0, Int(item, "quantity", path + ".quantity"));
            var price = ShopMoney(item, "price", path + ".price") ?? 0m;
            var discounts = TryGet(item, "discount_allocations", out var allocations) && allocations.ValueKind == JsonValueKind.Array
                ? Array(item, "discount_allocations").Select((d, j) => ShopMoney(d, "amount", $"{path}.discount_allocations[{j}].amount") ?? 0m).Sum()
                : ShopMoney(item, "total_discount", path + ".total_discount") ?? 0m;
            var tax = Array(item, "tax_lines").Select((t, j) => ShopMoney(t, "price", $"{path}.tax_lines[{j}].price") ?? 0m).Sum();
            var net = price * quantity - discounts - (taxesIncluded ? tax : 0m);

            var kept = quantity;
            if (TryGet(item, "current_quantity", out var current) && current.ValueKind == JsonValueKind.Number)
                kept = Math.Clamp(Int(item, "current_quantity", path + ".current_quantity") + refunded.GetValueOrDefault(lineId), 0, quantity);
            if (kept < quantity)
            {
                net = Currencies.Round(net * kept / quantity, currency);
                tax = Currencies.Round(tax * kept / quantity, currency);
            }

            return new OrderLine(lineId, Id(item, "product_id", path + ".product_id"), [], kept, Math.Max(0m, net), tax, Bool(item, "gift_card"),
                PayloadText.Title(item, "title"));
        }).ToList();
    }

    /// <summary>Units per line in the order's <c>refunds[].refund_line_items</c> (the refunds this version knows of).</summary>
    private static Dictionary<string, int> RefundedUnits(JsonElement order)
    {
        var units = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (refund, r) in Array(order, "refunds").Select((refund, r) => (refund, r)))
        {
            foreach (var (item, i) in Array(refund, "refund_line_items").Select((item, i) => (item, i)))
            {
                var path = $"refunds[{r}].refund_line_items[{i}]";
                if (RefundedLineId(item, path) is { } lineId)
                    units[lineId] = units.GetValueOrDefault(lineId) + Math.Max(0, Int(item, "quantity", path + ".quantity"));
            }
        }
        return units;
    }

    private static string? RefundedLineId(JsonElement refundLine, string path) =>
        Id(refundLine, "line_item_id", path + ".line_item_id")
        ?? (TryGet(refundLine, "line_item", out var li) ? Id(li, "id", path + ".line_item.id") : null);

    private static List<ReferralTouch> Touches(JsonElement order)
    {
        var touches = new List<ReferralTouch>();
        var attributes = Array(order, "note_attributes")
            .Select(a => (Name: Str(a, "name"), Value: NonEmpty(Str(a, "value"))))
            .Where(a => a.Name is not null)
            .ToList();
        var attributeRef = attributes.FirstOrDefault(a => string.Equals(a.Name, ReferralAttribute, StringComparison.OrdinalIgnoreCase)).Value;
        if (attributeRef is not null)
        {
            var click = attributes.FirstOrDefault(a => string.Equals(a.Name, ClickAttribute, StringComparison.OrdinalIgnoreCase)).Value;
            touches.Add(new(attributeRef, ParseGuid(click), null, TouchSource.CartAttribute));
        }

        var landing = QueryOf(Str(order, "landing_site"));
        if (Value(landing, ReferralQueryParameter) is { } landingRef)
            touches.Add(new(landingRef, ParseGuid(Value(landing, ClickQueryParameter)), null, TouchSource.LandingUrl));
        return touches;
    }

    /// <summary>The decoded query of a relative (<c>/p?ref=x</c>) or absolute landing URL.</summary>
    private static List<KeyValuePair<string, string>> QueryOf(string? url)
    {
        var result = new List<KeyValuePair<string, string>>();
        var start = url?.IndexOf('?') ?? -1;
        if (url is null || start < 0)
            return result;
        var query = url[(start + 1)..];
        var hash = query.IndexOf('#');
        if (hash >= 0)
            query = query[..hash];
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = Decode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Decode(part[(eq + 1)..]);
            result.Add(new(key, value));
        }

        return result;

        static string Decode(string s)
        {
            try
            {
                return Uri.UnescapeDataString(s.Replace('+', ' '));
            }
            catch (UriFormatException)
            {
                return s;
            }
        }
    }

    private static string? Value(List<KeyValuePair<string, string>> query, string key) =>
        query.Where(p => p.Key == key).Select(p => NonEmpty(p.Value)).FirstOrDefault(v => v is not null);

    private static Guid? ParseGuid(string? value) => Guid.TryParse(value, out var guid) && guid != Guid.Empty ? guid : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static JsonDocument Parse(ReadOnlyMemory<byte> rawBody, string what)
    {
        try
        {
            return JsonDocument.Parse(rawBody);
        }
        catch (JsonException e)
        {
            throw new ShopifyPayloadException($"The Shopify {what} body is not JSON: {e.Message}", e);
        }
    }
}
