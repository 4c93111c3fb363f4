using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>One page of the backfill: orders and their refunds, REST-shaped for <see cref="ShopifyOrderMapper"/>.</summary>
public sealed record ShopifyOrderPage(IReadOnlyList<JsonObject> Orders, IReadOnlyList<JsonObject> Refunds, string? NextCursor);

/// <summary>
/// The backfill reads orders through GraphQL (REST is legacy for new apps) and turns each node into the REST shape
/// of the webhooks, so one mapper, tested against real webhook bodies, reads both.
/// </summary>
public static class ShopifyGraphQlOrders
{
    /// <summary>
    /// Orders per page, and the nested sizes fetched with them: the requested cost by Shopify's rules stays under 1,000
    /// (ShopifyQueryCostTests); an order with more line items, refunds or refund lines than that is completed by
    /// <see cref="OrderLinesQuery"/>, <see cref="OrderRefundsQuery"/> and <see cref="RefundLinesQuery"/>.
    /// </summary>
    public const int PageSize = 8;
    public const int LinesPerOrder = 5;
    public const int RefundsPerOrder = 2;
    public const int LinesPerRefund = 3;
    /// <summary>Items per follow-up page (line items of one order, refund lines of one refund).</summary>
    public const int FollowUpPage = 50;
    /// <summary>The most refunds read for one order; Shopify's refunds field is a list without a cursor.</summary>
    public const int MostRefunds = 50;

    private const string LineFields = """
        id quantity currentQuantity isGiftCard title
        product { id }
        originalUnitPriceSet { shopMoney { amount } }
        discountAllocations { allocatedAmountSet { shopMoney { amount } } }
        taxLines { priceSet { shopMoney { amount } } }
        """;

    private const string RefundLineFields = "lineItem { id } quantity subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }";

    public static readonly string Query = $$"""
        query($first: Int!, $after: String, $query: String) {
          orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes {
              id name createdAt updatedAt test currencyCode displayFinancialStatus cancelledAt email taxesIncluded
              customer { id email }
              discountCodes
              customAttributes { key value }
              customerJourneySummary { lastVisit { landingPage } }
              totalTaxSet { shopMoney { amount } }
              totalShippingPriceSet { shopMoney { amount } }
              lineItems(first: {{LinesPerOrder}}) { pageInfo { hasNextPage endCursor } nodes { {{LineFields}} } }
              refunds(first: {{RefundsPerOrder}}) {
                id createdAt
                refundLineItems(first: {{LinesPerRefund}}) { pageInfo { hasNextPage endCursor } nodes { {{RefundLineFields}} } }
              }
            }
          }
        }
        """;

    /// <summary>The rest of one order's line items, a page at a time.</summary>
    public static readonly string OrderLinesQuery = $$"""
        query($id: ID!, $after: String) {
          order(id: $id) { lineItems(first: {{FollowUpPage}}, after: $after) { pageInfo { hasNextPage endCursor } nodes { {{LineFields}} } } }
        }
        """;

    /// <summary>All of one order's refunds (ids and dates; their lines follow with <see cref="RefundLinesQuery"/>).</summary>
    public static readonly string OrderRefundsQuery = $$"""
        query($id: ID!) { order(id: $id) { refunds(first: {{MostRefunds}}) { id createdAt } } }
        """;

    /// <summary>One refund's lines, a page at a time.</summary>
    public static readonly string RefundLinesQuery = $$"""
        query($id: ID!, $after: String) {
          refund(id: $id) { refundLineItems(first: {{FollowUpPage}}, after: $after) { pageInfo { hasNextPage endCursor } nodes { {{RefundLineFields}} } } }
        }
        """;

    public const string CountQuery = """
        query($query: String) { ordersCount(query: $query, limit: null) { count precision } }
        """;

    /// <summary>The largest <c>first</c> for <see cref="Query"/> whose requested cost is within Shopify's single-query maximum.</summary>
    public static int MaxPageSize => MaxPage.Value;

    private static readonly Lazy<int> MaxPage = new(() => Enumerable.Range(1, 250).Last(n =>
        ShopifyQueryCost.Of(Query, new Dictionary<string, int> { ["first"] = n }) <= ShopifyQueryCost.SingleQueryMaximum));

    /// <summary>The page's orders whose line items, refunds or refund lines go on beyond what the page holds.</summary>
    public static IEnumerable<JsonElement> Incomplete(JsonElement data) =>
        data.GetProperty("orders").GetProperty("nodes").EnumerateArray().Where(n =>
            HasNextPage(n, "lineItems")
            || Array(n, "refunds").Count() >= RefundsPerOrder
            || Array(n, "refunds").Any(r => HasNextPage(r, "refundLineItems")));

    private static bool HasNextPage(JsonElement parent, string connection) =>
        parent.TryGetProperty(connection, out var c) && c.ValueKind == JsonValueKind.Object
        && c.TryGetProperty("pageInfo", out var info) && info.ValueKind == JsonValueKind.Object
        && info.TryGetProperty("hasNextPage", out var next) && next.ValueKind == JsonValueKind.True;

    /// <summary>The search filter for orders created on or after <paramref name="since"/>.</summary>
    public static string Since(DateTime since) => "created_at:>=" + since.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static ShopifyOrderPage Page(JsonElement data)
    {
        var orders = data.GetProperty("orders");
        var rest = new List<JsonObject>();
        var refunds = new List<JsonObject>();
        foreach (var node in orders.GetProperty("nodes").EnumerateArray())
        {
            var order = ToRestOrder(node);
            rest.Add(order);
            refunds.AddRange(order["refunds"]!.AsArray().Select(r => r!.DeepClone().AsObject()));
        }
        var info = orders.GetProperty("pageInfo");
        var next = info.GetProperty("hasNextPage").GetBoolean() && info.GetProperty("endCursor").ValueKind == JsonValueKind.String
            ? info.GetProperty("endCursor").GetString()
            : null;
        return new ShopifyOrderPage(rest, refunds, next);
    }

    internal static JsonObject ToRestOrder(JsonElement n)
    {
        var status = Str(n, "displayFinancialStatus")?.ToLowerInvariant();
        var order = new JsonObject
        {
            ["id"] = Gid(Str(n, "id")),
            ["name"] = Str(n, "name"),
            ["created_at"] = Str(n, "createdAt"),
            ["updated_at"] = Str(n, "updatedAt"),
            ["test"] = n.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.True,
            ["taxes_included"] = n.TryGetProperty("taxesIncluded", out var included) && included.ValueKind == JsonValueKind.True,
            ["currency"] = Str(n, "currencyCode"),
            ["financial_status"] = status,
            ["cancelled_at"] = Str(n, "cancelledAt"),
            ["email"] = Str(n, "email"),
            ["total_tax"] = Money(n, "totalTaxSet"),
            ["shipping_lines"] = new JsonArray(new JsonObject { ["price"] = Money(n, "totalShippingPriceSet") }),
            ["discount_codes"] = new JsonArray(Array(n, "discountCodes").Select(c => (JsonNode)new JsonObject { ["code"] = c.GetString() }).ToArray()),
            ["note_attributes"] = new JsonArray(Array(n, "customAttributes")
                .Select(a => (JsonNode)new JsonObject { ["name"] = Str(a, "key"), ["value"] = Str(a, "value") }).ToArray()),
            ["landing_site"] = n.TryGetProperty("customerJourneySummary", out var journey) && journey.ValueKind == JsonValueKind.Object
                && journey.TryGetProperty("lastVisit", out var visit) && visit.ValueKind == JsonValueKind.Object ? Str(visit, "landingPage") : null,
        };
        if (n.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object)
            order["customer"] = new JsonObject { ["id"] = Gid(Str(customer, "id")), ["email"] = Str(customer, "email") };

        var lines = new JsonArray();
        foreach (var line in Nodes(n, "lineItems"))
        {
            lines.Add(new JsonObject
            {
                ["id"] = Gid(Str(line, "id")),
                ["title"] = Str(line, "title"),
                ["product_id"] = line.TryGetProperty("product", out var product) && product.ValueKind == JsonValueKind.Object ? Gid(Str(product, "id")) : null,
                ["quantity"] = line.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number ? q.GetInt32() : 0,
                ["current_quantity"] = line.TryGetProperty("currentQuantity", out var cq) && cq.ValueKind == JsonValueKind.Number ? cq.GetInt32() : null,
                ["gift_card"] = line.TryGetProperty("isGiftCard", out var gift) && gift.ValueKind == JsonValueKind.True,
                ["price"] = Money(line, "originalUnitPriceSet"),
                ["discount_allocations"] = new JsonArray(Array(line, "discountAllocations")
                    .Select(d => (JsonNode)new JsonObject { ["amount"] = Money(d, "allocatedAmountSet") }).ToArray()),
                ["tax_lines"] = new JsonArray(Array(line, "taxLines").Select(t => (JsonNode)new JsonObject { ["price"] = Money(t, "priceSet") }).ToArray()),
            });
        }
        order["line_items"] = lines;
        // The order's own refunds too, as in a webhook body: the mapper counts the refunded units in current quantities.
        var id = order["id"]?.GetValue<long>() ?? 0;
        order["refunds"] = new JsonArray(Array(n, "refunds").Select(r => (JsonNode)ToRestRefund(r, id)).ToArray());
        return order;
    }

    internal static JsonObject ToRestRefund(JsonElement r, long orderId) => new()
    {
        ["id"] = Gid(Str(r, "id")),
        ["order_id"] = orderId,
        ["created_at"] = Str(r, "createdAt"),
        ["refund_line_items"] = new JsonArray(Nodes(r, "refundLineItems").Select(i => (JsonNode)new JsonObject
        {
            ["line_item_id"] = i.TryGetProperty("lineItem", out var li) && li.ValueKind == JsonValueKind.Object ? Gid(Str(li, "id")) : null,
            ["quantity"] = i.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number ? q.GetInt32() : 0,
            ["subtotal"] = Money(i, "subtotalSet"),
            ["total_tax"] = Money(i, "totalTaxSet"),
        }).ToArray()),
    };

    /// <summary><c>gid://shopify/Order/5812345678901</c> to 5812345678901 (the REST id).</summary>
    private static long? Gid(string? gid) =>
        gid is null ? null : long.TryParse(gid[(gid.LastIndexOf('/') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string? Money(JsonElement parent, string set) =>
        parent.TryGetProperty(set, out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("shopMoney", out var m)
            && m.ValueKind == JsonValueKind.Object ? Str(m, "amount") : null;

    private static string? Str(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    private static IEnumerable<JsonElement> Nodes(JsonElement parent, string connection) =>
        parent.TryGetProperty(connection, out var c) && c.ValueKind == JsonValueKind.Object ? Array(c, "nodes") : [];
}
