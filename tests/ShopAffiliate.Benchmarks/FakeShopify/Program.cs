// A Shopify store for ../backfill.sh: the OAuth token endpoint and the Admin GraphQL endpoint the app calls when it is
// installed (shop settings, webhook subscriptions, discount codes) and when it imports past orders: ordersCount and
// orders(first, after, query: "created_at:>=…", sortKey: CREATED_AT) with Relay cursor paging (pageInfo.hasNextPage,
// endCursor; an opaque base64 cursor; first at most 250). The orders are made up from their index, the same on every
// run: ORDERS orders spread evenly over the last 60 days, every 7th with the affiliate's coupon JANE10, every 11th with
// another code, every 20th partly refunded. Orders are held back until POST /bench/release (so the program can be set
// up first); GET /bench/stats says what was served.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

var total = int.Parse(Environment.GetEnvironmentVariable("ORDERS") ?? "100000", CultureInfo.InvariantCulture);
var coupon = Environment.GetEnvironmentVariable("COUPON") ?? "JANE10";
var end = DateTime.UtcNow.AddMinutes(-1);
var start = end.AddDays(-60).AddHours(2); // inside the app's window (midnight 60 days before today)
var step = (end - start).Ticks / Math.Max(1, total);
const long FirstId = 7_000_000_000_000;
const int MaxFirst = 250;
var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var clock = Stopwatch.StartNew();
long pages = 0, served = 0, firstPageMs = -1, lastPageMs = -1, maxFirstSeen = 0;

DateTime CreatedAt(int i) => new(start.Ticks + step * i, DateTimeKind.Utc);
string Iso(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
JsonObject Money(decimal amount) => new() { ["shopMoney"] = new JsonObject { ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["currencyCode"] = "USD" } };

JsonObject Order(int i)
{
    var random = new Random(i);
    var id = FirstId + i;
    var created = CreatedAt(i);
    var refunded = i % 20 == 3;
    var codes = new JsonArray();
    if (i % 7 == 0) codes.Add(coupon);
    if (i % 11 == 0) codes.Add("WELCOME5");
    var lines = new JsonArray();
    var lineCount = 1 + random.Next(3);
    for (var l = 0; l < lineCount; l++)
    {
        var quantity = 1 + random.Next(3);
        lines.Add(new JsonObject
        {
            ["id"] = $"gid://shopify/LineItem/{id * 10 + l}", ["quantity"] = quantity,
            ["currentQuantity"] = refunded && l == 0 ? quantity - 1 : quantity, ["isGiftCard"] = false, ["title"] = $"Product {random.Next(500)}",
            ["product"] = new JsonObject { ["id"] = $"gid://shopify/Product/{8_000_000 + random.Next(500)}" },
            ["originalUnitPriceSet"] = Money(10 + random.Next(19000) / 100m),
            ["discountAllocations"] = new JsonArray(), ["taxLines"] = new JsonArray(new JsonObject { ["priceSet"] = Money(0m) }),
        });
    }
    var refunds = new JsonArray();
    if (refunded)
    {
        var line = lines[0]!.AsObject();
        var price = decimal.Parse(line["originalUnitPriceSet"]!["shopMoney"]!["amount"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        refunds.Add(new JsonObject
        {
            ["id"] = $"gid://shopify/Refund/{id}", ["createdAt"] = Iso(created.AddDays(2)),
            ["refundLineItems"] = new JsonObject
            {
                ["nodes"] = new JsonArray(new JsonObject
                {
                    ["lineItem"] = new JsonObject { ["id"] = line["id"]!.GetValue<string>() }, ["quantity"] = 1,
                    ["subtotalSet"] = Money(price), ["totalTaxSet"] = Money(0m),
                }),
            },
        });
    }
    return new JsonObject
    {
        ["id"] = $"gid://shopify/Order/{id}", ["name"] = $"#{100000 + i}", ["createdAt"] = Iso(created),
        ["updatedAt"] = Iso(refunded ? created.AddDays(2) : created.AddMinutes(2)), ["test"] = false, ["currencyCode"] = "USD",
        ["displayFinancialStatus"] = refunded ? "PARTIALLY_REFUNDED" : "PAID", ["cancelledAt"] = null, ["email"] = $"buyer{i}@example.com",
        ["taxesIncluded"] = false,
        // A buyer of their own per order: no lifetime link credits an order that carries no coupon.
        ["customer"] = new JsonObject { ["id"] = $"gid://shopify/Customer/{9_000_000_000_000 + i}", ["email"] = $"buyer{i}@example.com" },
        ["discountCodes"] = codes, ["customAttributes"] = new JsonArray(),
        ["customerJourneySummary"] = new JsonObject { ["lastVisit"] = new JsonObject { ["landingPage"] = "https://bench-shop.example/products/hoodie" } },
        ["totalTaxSet"] = Money(0m), ["totalShippingPriceSet"] = Money(4.90m),
        ["lineItems"] = new JsonObject { ["nodes"] = lines }, ["refunds"] = refunds,
    };
}

// Orders on or after `since` start at this index (they are sorted by creation time).
int FirstAtOrAfter(DateTime since)
{
    if (since <= start) return 0;
    var i = (int)Math.Min(total, (since.Ticks - start.Ticks + step - 1) / step);
    return Math.Max(0, i);
}

DateTime Since(JsonNode? variables)
{
    var query = variables?["query"]?.GetValue<string>() ?? "";
    const string prefix = "created_at:>=";
    var at = query.IndexOf(prefix, StringComparison.Ordinal);
    return at < 0 ? DateTime.MinValue
        : DateTime.Parse(query[(at + prefix.Length)..].Split(' ')[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}

// Shopify's cursors are opaque base64 of the last row's sort value and id.
string Cursor(int i) => Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"last_id":{{FirstId + i}},"last_value":"{{Iso(CreatedAt(i))}}"}"""));
int AfterCursor(string cursor) =>
    (int)(JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)))!["last_id"]!.GetValue<long>() - FirstId) + 1;

IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");
IResult Data(JsonObject data) => Json(new JsonObject
{
    ["data"] = data,
    ["extensions"] = new JsonObject { ["cost"] = new JsonObject { ["requestedQueryCost"] = 10, ["actualQueryCost"] = 10,
        ["throttleStatus"] = new JsonObject { ["maximumAvailable"] = 2000.0, ["currentlyAvailable"] = 1990, ["restoreRate"] = 100.0 } } },
});

app.MapPost("/admin/oauth/access_token", () => Json(new JsonObject
{
    ["access_token"] = "shpat_bench_fake_store", ["scope"] = "read_orders,write_discounts", ["expires_in"] = 86400,
    ["refresh_token"] = "shprt_bench", ["refresh_token_expires_in"] = 7776000,
}));
app.MapGet("/admin/oauth/authorize", () => Results.Text("The benchmark completes the OAuth step itself."));

app.MapPost("/admin/api/{version}/graphql.json", async (HttpRequest request) =>
{
    var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
    var query = body["query"]?.GetValue<string>() ?? "";
    var variables = body["variables"];
    if (query.Contains("ordersCount(", StringComparison.Ordinal))
    {
        await released.Task;
        return Data(new JsonObject { ["ordersCount"] = new JsonObject { ["count"] = total - FirstAtOrAfter(Since(variables)), ["precision"] = "EXACT" } });
    }
    if (query.Contains("orders(", StringComparison.Ordinal))
    {
        await released.Task;
        var first = variables?["first"]?.GetValue<int>() ?? 0;
        if (first is < 1 or > MaxFirst)
            return Json(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = $"The first argument must be between 1 and {MaxFirst}." }) });
        var from = variables?["after"]?.GetValue<string>() is { } after ? AfterCursor(after) : FirstAtOrAfter(Since(variables));
        var to = Math.Min(total, from + first);
        var nodes = new JsonArray();
        for (var i = from; i < to; i++) nodes.Add(Order(i));
        var now = clock.ElapsedMilliseconds;
        Interlocked.CompareExchange(ref firstPageMs, now, -1);
        Interlocked.Exchange(ref lastPageMs, now);
        Interlocked.Increment(ref pages);
        Interlocked.Add(ref served, to - from);
        if (first > Interlocked.Read(ref maxFirstSeen)) Interlocked.Exchange(ref maxFirstSeen, first);
        return Data(new JsonObject
        {
            ["orders"] = new JsonObject
            {
                ["pageInfo"] = new JsonObject { ["hasNextPage"] = to < total, ["endCursor"] = to > from ? Cursor(to - 1) : null },
                ["nodes"] = nodes,
            },
        });
    }
    if (query.Contains("shop {", StringComparison.Ordinal))
        return Data(new JsonObject { ["shop"] = new JsonObject { ["currencyCode"] = "USD", ["ianaTimezone"] = "Europe/Copenhagen" } });
    if (query.Contains("webhookSubscriptionCreate", StringComparison.Ordinal))
        return Data(new JsonObject { ["webhookSubscriptionCreate"] = new JsonObject
        {
            ["webhookSubscription"] = new JsonObject { ["id"] = $"gid://shopify/WebhookSubscription/{Random.Shared.Next(1, int.MaxValue)}" }, ["userErrors"] = new JsonArray(),
        } });
    if (query.Contains("webhookSubscriptions(", StringComparison.Ordinal))
        return Data(new JsonObject { ["webhookSubscriptions"] = new JsonObject
        {
            ["edges"] = new JsonArray(), ["nodes"] = new JsonArray(), ["pageInfo"] = new JsonObject { ["hasNextPage"] = false, ["endCursor"] = null },
        } });
    if (query.Contains("discountCodeBasicCreate", StringComparison.Ordinal))
        return Data(new JsonObject { ["discountCodeBasicCreate"] = new JsonObject
        {
            ["codeDiscountNode"] = new JsonObject { ["id"] = "gid://shopify/DiscountCodeNode/1" }, ["userErrors"] = new JsonArray(),
        } });
    return Json(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = "The fake store does not know this query." }) });
});

app.MapPost("/bench/release", () =>
{
    released.TrySetResult();
    return Results.Ok();
});
app.MapGet("/bench/stats", () => Json(new JsonObject
{
    ["orders"] = total, ["couponOrders"] = (total + 6) / 7, ["pages"] = Interlocked.Read(ref pages), ["served"] = Interlocked.Read(ref served),
    ["firstPageMs"] = Interlocked.Read(ref firstPageMs), ["lastPageMs"] = Interlocked.Read(ref lastPageMs), ["nowMs"] = clock.ElapsedMilliseconds,
    ["pageSize"] = Interlocked.Read(ref maxFirstSeen),
}));
app.Run();
