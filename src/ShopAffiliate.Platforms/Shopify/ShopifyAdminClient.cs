using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Coupons;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>An affiliate coupon to create in the shop.</summary>
/// <param name="Title">Shown to the merchant in the admin; see <see cref="TitleFor"/>.</param>
/// <param name="Amount">A percent (10 = 10 %) or an amount in the shop currency.</param>
/// <param name="StartsAt">UTC (an unspecified kind is read as UTC).</param>
public sealed record DiscountCodeRequest(string Code, string Title, DiscountType Type, decimal Amount, DateTime StartsAt)
{
    public static string TitleFor(string affiliateName) => $"Affiliate {affiliateName}";
}

/// <param name="ExternalId">The <c>DiscountCodeNode</c> gid when created, or of our own discount found under the code.</param>
/// <param name="CodeTaken">The shop has a discount with this code that is not ours (the merchant's, or another affiliate's).</param>
/// <param name="AlreadyThere">The code was taken by this very discount (an earlier attempt went through): success, nothing created.</param>
public sealed record DiscountPushResult(bool Success, string? ExternalId, bool CodeTaken, IReadOnlyList<string> Errors, bool AlreadyThere = false);

/// <param name="Created">Topics subscribed to the address now (as given, e.g. <c>orders/create</c>).</param>
/// <param name="Removed">Topics whose subscription at another (an old) address was deleted.</param>
/// <param name="Problems">Shopify's refusals to delete an old subscription; the new ones are in place regardless.</param>
public sealed record WebhookSync(IReadOnlyList<string> Created, IReadOnlyList<string> Removed, IReadOnlyList<string> Problems);

/// <summary>What the shop says about itself: its currency (ISO 4217) and IANA time zone.</summary>
public sealed record ShopifyShopSettings(string Currency, string? TimeZone);

/// <summary>The GraphQL Admin API calls the app makes: webhook subscriptions and affiliate discount codes.</summary>
public sealed class ShopifyAdminClient(IHttpClientFactory httpClientFactory, IOptions<ShopifyOptions> options)
{
    // Both the WebhookSubscriptionInput.uri field and WebhookSubscription.uri exist from 2025-10 (Shopify changelog
    // "webhookSubscriptionCreate and webhookSubscriptionUpdate support all URI types"); before that: callbackUrl / endpoint.
    private const string UriFieldSince = "2025-10";

    // DiscountCodeBasicInput.context replaced customerSelection in 2025-10.
    private const string DiscountContextSince = "2025-10";

    private const int MaxSubscriptionPages = 10;

    private const string SubscriptionsQuery = """
        query WebhookSubscriptions($after: String) {
          webhookSubscriptions(first: 100, after: $after) {
            edges { node { id topic uri } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private const string LegacySubscriptionsQuery = """
        query WebhookSubscriptions($after: String) {
          webhookSubscriptions(first: 100, after: $after) {
            edges { node { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private const string CreateSubscriptionMutation = """
        mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
          webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
            webhookSubscription { id topic }
            userErrors { field message }
          }
        }
        """;

    private const string DeleteSubscriptionMutation = """
        mutation webhookSubscriptionDelete($id: ID!) {
          webhookSubscriptionDelete(id: $id) {
            deletedWebhookSubscriptionId
            userErrors { field message }
          }
        }
        """;

    private const string CreateDiscountMutation = """
        mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
          discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
            codeDiscountNode { id }
            userErrors { field code message }
          }
        }
        """;

    private const string DiscountByCodeQuery = """
        query codeDiscountNodeByCode($code: String!) {
          codeDiscountNodeByCode(code: $code) {
            id
            codeDiscount {
              __typename
              ... on DiscountCodeBasic {
                title
                customerGets {
                  value {
                    __typename
                    ... on DiscountPercentage { percentage }
                    ... on DiscountAmount { amount { amount } appliesOnEachItem }
                  }
                }
              }
            }
          }
        }
        """;

    private const string DeactivateDiscountMutation = """
        mutation discountCodeDeactivate($id: ID!) {
          discountCodeDeactivate(id: $id) {
            codeDiscountNode { id }
            userErrors { field code message }
          }
        }
        """;

    private const string ShopQuery = "query { shop { currencyCode ianaTimezone } }";

    private ShopifyOptions Options => options.Value;

    /// <summary>
    /// Subscribes the shop to each topic that has no subscription to <paramref name="callbackUrl"/> yet, then deletes the
    /// subscriptions of those topics at any other address: the app's own, left from an earlier public URL, which would
    /// otherwise keep receiving (and failing) every delivery. Safe to call on every install and start-up.
    /// </summary>
    public async Task<WebhookSync> EnsureWebhooksAsync(
        string shop, string accessToken, string callbackUrl, IEnumerable<string> topics, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"The webhook callback '{callbackUrl}' is not an absolute URL.", nameof(callbackUrl));
        var wanted = topics.Select(t => t.Trim()).Distinct(StringComparer.Ordinal)
            .Select(t => (Topic: t, Enum: ShopifyWebhookTopics.ToGraphQlEnum(t))).ToList();
        var useUri = Options.ApiVersionAtLeast(UriFieldSince);

        var existing = await ExistingSubscriptionsAsync(shop, accessToken, useUri, cancellationToken);
        var created = new List<string>();
        foreach (var (topic, topicEnum) in wanted)
        {
            if (existing.Any(e => e.Topic == topicEnum && SameAddress(e.Address, callbackUrl)))
                continue;
            var variables = new JsonObject
            {
                ["topic"] = topicEnum,
                ["webhookSubscription"] = new JsonObject
                {
                    [useUri ? "uri" : "callbackUrl"] = callbackUrl,
                    ["format"] = "JSON",
                },
            };
            var data = await ExecuteAsync(shop, accessToken, CreateSubscriptionMutation, variables, "webhook subscription", cancellationToken);
            var payload = Payload(data, "webhookSubscriptionCreate", shop);
            var errors = UserErrors(payload);
            if (errors.Count > 0)
                throw new ShopifyApiException(
                    $"Shopify refused the {topic} webhook for {shop}: {string.Join("; ", errors.Select(e => e.Message))}");
            created.Add(topic);
        }

        // After the creates, so no delivery falls between the old subscription and the new one.
        var removed = new List<string>();
        var problems = new List<string>();
        foreach (var (topic, topicEnum) in wanted)
        {
            foreach (var old in existing.Where(e => e.Topic == topicEnum && !SameAddress(e.Address, callbackUrl)))
            {
                var data = await ExecuteAsync(shop, accessToken, DeleteSubscriptionMutation, new JsonObject { ["id"] = old.Id },
                    "webhook subscription removal", cancellationToken);
                var errors = UserErrors(Payload(data, "webhookSubscriptionDelete", shop));
                if (errors.Count == 0)
                    removed.Add(topic);
                else
                    problems.Add($"The {topic} webhook at {old.Address} could not be removed: {string.Join("; ", errors.Select(e => e.Message))}");
            }
        }

        return new(created, removed, problems);
    }

    /// <summary>
    /// Creates a basic code discount for the whole order (<c>discountCodeBasicCreate</c>). Shopify's refusals come back in the
    /// result (<see cref="DiscountPushResult.CodeTaken"/>, <see cref="DiscountPushResult.Errors"/>); a failed call throws
    /// <see cref="ShopifyApiException"/>. A code Shopify calls taken is looked up first (<c>codeDiscountNodeByCode</c>):
    /// an earlier attempt may have created it (a retried call whose first answer was lost, or a push that failed after
    /// Shopify ran it). When the discount under the code is ours, with our title and value, it is a success with its id.
    /// </summary>
    public async Task<DiscountPushResult> CreateDiscountCodeAsync(
        string shop, string accessToken, DiscountCodeRequest request, CancellationToken cancellationToken)
    {
        var input = DiscountInput(request);
        var variables = new JsonObject { ["basicCodeDiscount"] = input };
        var data = await ExecuteAsync(shop, accessToken, CreateDiscountMutation, variables, "discount code creation", cancellationToken);
        var payload = Payload(data, "discountCodeBasicCreate", shop);
        var errors = UserErrors(payload);
        var id = payload.TryGetProperty("codeDiscountNode", out var node) && node.ValueKind == JsonValueKind.Object
            && node.TryGetProperty("id", out var gid) ? gid.GetString() : null;
        var taken = errors.Any(e => e.Code == "TAKEN"
            || e.Message.Contains("taken", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("must be unique", StringComparison.OrdinalIgnoreCase));
        if (taken && await OwnDiscountAsync(shop, accessToken, request, input, cancellationToken) is { } ours)
            return new(true, ours, false, [], AlreadyThere: true);
        return new(errors.Count == 0 && id is not null, id, taken, errors.Select(e => e.Message).ToList());
    }

    /// <summary>
    /// Takes a code discount out of use (<c>discountCodeDeactivate</c>; it stays in the admin, expired, and can be
    /// reactivated by the merchant). Returns Shopify's refusals, empty on success; a failed call throws <see cref="ShopifyApiException"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeactivateDiscountCodeAsync(string shop, string accessToken, string discountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(discountId);
        var data = await ExecuteAsync(shop, accessToken, DeactivateDiscountMutation, new JsonObject { ["id"] = discountId },
            "discount code deactivation", cancellationToken);
        return UserErrors(Payload(data, "discountCodeDeactivate", shop)).Select(e => e.Message).ToList();
    }

    /// <summary>
    /// The id of our own discount under the request's code (a basic discount with our title and value), or null: for a
    /// push whose answer was lost, so a coupon we may have created can still be found and deactivated.
    /// </summary>
    public Task<string?> FindOwnDiscountCodeAsync(string shop, string accessToken, DiscountCodeRequest request, CancellationToken cancellationToken) =>
        OwnDiscountAsync(shop, accessToken, request, DiscountInput(request), cancellationToken);

    /// <summary>The id of the discount under <paramref name="request"/>'s code when it is a basic one with our title and value.</summary>
    private async Task<string?> OwnDiscountAsync(
        string shop, string accessToken, DiscountCodeRequest request, JsonObject input, CancellationToken cancellationToken)
    {
        var data = await ExecuteAsync(shop, accessToken, DiscountByCodeQuery, new JsonObject { ["code"] = request.Code.Trim() },
            "discount code lookup", cancellationToken);
        if (!data.TryGetProperty("codeDiscountNodeByCode", out var node) || node.ValueKind != JsonValueKind.Object
            || Str(node, "id") is not { } id
            || !node.TryGetProperty("codeDiscount", out var discount) || Str(discount, "__typename") != "DiscountCodeBasic"
            || Str(discount, "title") != (string?)input["title"])
            return null;
        var value = discount.TryGetProperty("customerGets", out var gets) && gets.ValueKind == JsonValueKind.Object
            && gets.TryGetProperty("value", out var v) ? v : default;
        var sameValue = request.Type switch
        {
            DiscountType.Percentage => Number(value, "percentage") is { } fraction && Math.Abs(fraction * 100m - request.Amount) < 0.0001m,
            _ => Str(value, "__typename") == "DiscountAmount" && value.TryGetProperty("amount", out var money)
                 && decimal.TryParse(Str(money, "amount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) && amount == request.Amount,
        };
        return sameValue ? id : null;
    }

    private static decimal? Number(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out var number) ? number : null;

    /// <summary>The shop's currency and time zone (GraphQL <c>shop { currencyCode ianaTimezone }</c>, any scope).</summary>
    public async Task<ShopifyShopSettings> ShopSettingsAsync(string shop, string accessToken, CancellationToken cancellationToken)
    {
        var data = await ExecuteAsync(shop, accessToken, ShopQuery, new JsonObject(), "shop settings", cancellationToken);
        var node = Payload(data, "shop", shop);
        var currency = Str(node, "currencyCode")?.Trim().ToUpperInvariant();
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
            throw new ShopifyApiException($"Shopify gave no currency for {shop}.");
        return new(currency, Str(node, "ianaTimezone") is { } zone && !string.IsNullOrWhiteSpace(zone) ? zone.Trim() : null);
    }

    /// <summary>One page of orders created since <paramref name="since"/> (needs read_orders; beyond 60 days read_all_orders).</summary>
    public async Task<ShopifyOrderPage> OrdersAsync(string shop, string accessToken, DateTime since, string? cursor, CancellationToken cancellationToken)
    {
        var variables = new JsonObject
        {
            ["first"] = Math.Min(Options.BackfillPageSize, ShopifyGraphQlOrders.MaxPageSize),
            ["after"] = cursor,
            ["query"] = ShopifyGraphQlOrders.Since(since),
        };
        var data = await ExecuteAsync(shop, accessToken, ShopifyGraphQlOrders.Query, variables, "orders", cancellationToken);
        if (!ShopifyGraphQlOrders.Incomplete(data).Any())
            return ShopifyGraphQlOrders.Page(data);
        var page = JsonNode.Parse(data.GetRawText())!.AsObject();
        foreach (var order in page["orders"]!["nodes"]!.AsArray().Select(o => o!.AsObject()))
            await CompleteOrderAsync(shop, accessToken, order, cancellationToken);
        return ShopifyGraphQlOrders.Page(JsonSerializer.SerializeToElement(page));
    }

    /// <summary>
    /// An order with more line items, refunds or refund lines than the page's nested sizes gets the rest by follow-up
    /// queries, each under Shopify's single-query cost limit (docs/decisions/0048).
    /// </summary>
    private async Task CompleteOrderAsync(string shop, string accessToken, JsonObject order, CancellationToken cancellationToken)
    {
        var id = order["id"]!.GetValue<string>();
        var lines = order["lineItems"] as JsonObject;
        while (lines?["pageInfo"]?["hasNextPage"]?.GetValue<bool>() == true)
        {
            var data = await ExecuteAsync(shop, accessToken, ShopifyGraphQlOrders.OrderLinesQuery,
                new JsonObject { ["id"] = id, ["after"] = lines["pageInfo"]!["endCursor"]?.GetValue<string>() }, "order line items", cancellationToken);
            var more = JsonNode.Parse(data.GetProperty("order").GetProperty("lineItems").GetRawText())!.AsObject();
            Append(lines, more);
        }

        if (order["refunds"] is JsonArray refunds && refunds.Count >= ShopifyGraphQlOrders.RefundsPerOrder)
        {
            var data = await ExecuteAsync(shop, accessToken, ShopifyGraphQlOrders.OrderRefundsQuery,
                new JsonObject { ["id"] = id }, "order refunds", cancellationToken);
            var known = refunds.Select(r => r!["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var refund in data.GetProperty("order").GetProperty("refunds").EnumerateArray())
                if (known.Add(refund.GetProperty("id").GetString()!))
                {
                    var added = JsonNode.Parse(refund.GetRawText())!.AsObject();
                    added["refundLineItems"] = new JsonObject
                    {
                        ["pageInfo"] = new JsonObject { ["hasNextPage"] = true, ["endCursor"] = null },
                        ["nodes"] = new JsonArray(),
                    };
                    refunds.Add(added);
                }
        }

        foreach (var refund in (order["refunds"] as JsonArray ?? []).Select(r => r!.AsObject()))
        {
            var refundLines = refund["refundLineItems"] as JsonObject;
            while (refundLines?["pageInfo"]?["hasNextPage"]?.GetValue<bool>() == true)
            {
                var data = await ExecuteAsync(shop, accessToken, ShopifyGraphQlOrders.RefundLinesQuery,
                    new JsonObject { ["id"] = refund["id"]!.GetValue<string>(), ["after"] = refundLines["pageInfo"]!["endCursor"]?.GetValue<string>() },
                    "refund lines", cancellationToken);
                Append(refundLines, JsonNode.Parse(data.GetProperty("refund").GetProperty("refundLineItems").GetRawText())!.AsObject());
            }
        }
    }

    private static void Append(JsonObject connection, JsonObject more)
    {
        var nodes = connection["nodes"]!.AsArray();
        foreach (var node in more["nodes"]!.AsArray().ToList())
            nodes.Add(node!.DeepClone());
        connection["pageInfo"] = more["pageInfo"]!.DeepClone();
    }

    /// <summary>
    /// How many orders were created since <paramref name="since"/> (<c>ordersCount</c>, API 2024-07; uncapped with
    /// <c>limit: null</c> from 2025-07), for the import's progress; null when Shopify gave no number.
    /// </summary>
    public async Task<int?> OrdersCountAsync(string shop, string accessToken, DateTime since, CancellationToken cancellationToken)
    {
        var data = await ExecuteAsync(shop, accessToken, ShopifyGraphQlOrders.CountQuery,
            new JsonObject { ["query"] = ShopifyGraphQlOrders.Since(since) }, "orders count", cancellationToken);
        return data.TryGetProperty("ordersCount", out var count) && count.ValueKind == JsonValueKind.Object
            && count.TryGetProperty("count", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var value) ? value : null;
    }

    private JsonObject DiscountInput(DiscountCodeRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
            throw new ArgumentException("A discount code is required.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.Title))
            throw new ArgumentException("A discount title is required.", nameof(request));

        JsonObject value = request.Type switch
        {
            DiscountType.Percentage when request.Amount is > 0m and <= 100m =>
                new() { ["percentage"] = request.Amount / 100m },
            DiscountType.FixedAmount when request.Amount > 0m =>
                new()
                {
                    ["discountAmount"] = new JsonObject
                    {
                        ["amount"] = request.Amount.ToString("0.00##", CultureInfo.InvariantCulture),
                        ["appliesOnEachItem"] = false,
                    },
                },
            DiscountType.Percentage => throw new ArgumentException("A percentage discount must be above 0 and at most 100.", nameof(request)),
            _ => throw new ArgumentException("A fixed discount must be above 0.", nameof(request)),
        };

        var startsAt = DateTime.SpecifyKind(request.StartsAt, request.StartsAt.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc)
            .ToUniversalTime();
        var input = new JsonObject
        {
            ["title"] = request.Title.Trim(),
            ["code"] = request.Code.Trim(),
            ["startsAt"] = startsAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["customerGets"] = new JsonObject { ["value"] = value, ["items"] = new JsonObject { ["all"] = true } },
            ["appliesOncePerCustomer"] = false,
            ["combinesWith"] = new JsonObject
            {
                ["orderDiscounts"] = false,
                ["productDiscounts"] = false,
                ["shippingDiscounts"] = true,
            },
        };
        if (Options.ApiVersionAtLeast(DiscountContextSince))
            input["context"] = new JsonObject { ["all"] = "ALL" };
        else
            input["customerSelection"] = new JsonObject { ["all"] = true };
        return input;
    }

    private sealed record Subscription(string Id, string Topic, string Address);

    /// <summary>The shop's HTTP subscriptions of this app (other endpoint kinds have no address we could compare).</summary>
    private async Task<List<Subscription>> ExistingSubscriptionsAsync(
        string shop, string accessToken, bool useUri, CancellationToken cancellationToken)
    {
        var found = new List<Subscription>();
        string? after = null;
        for (var page = 0; page < MaxSubscriptionPages; page++)
        {
            var data = await ExecuteAsync(shop, accessToken, useUri ? SubscriptionsQuery : LegacySubscriptionsQuery,
                new JsonObject { ["after"] = after }, "webhook subscription list", cancellationToken);
            var connection = Payload(data, "webhookSubscriptions", shop);
            foreach (var edge in Array(connection, "edges"))
            {
                if (!edge.TryGetProperty("node", out var node) || Str(node, "topic") is not { } topic || Str(node, "id") is not { } id)
                    continue;
                var address = Str(node, "uri")
                    ?? (node.TryGetProperty("endpoint", out var endpoint) && endpoint.ValueKind == JsonValueKind.Object ? Str(endpoint, "callbackUrl") : null);
                if (address is not null && (address.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
                    found.Add(new(id, topic, address));
            }

            if (!connection.TryGetProperty("pageInfo", out var pageInfo)
                || !pageInfo.TryGetProperty("hasNextPage", out var next) || next.ValueKind != JsonValueKind.True
                || Str(pageInfo, "endCursor") is not { } cursor)
                break;
            after = cursor;
        }

        return found;
    }

    /// <summary>A trailing slash or the host's case does not make another address.</summary>
    private static bool SameAddress(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs one GraphQL call and returns its <c>data</c>; transport, HTTP and top-level GraphQL errors throw.</summary>
    private async Task<JsonElement> ExecuteAsync(
        string shop, string accessToken, string query, JsonObject variables, string operation, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(accessToken))
            throw new ArgumentException("An access token is required.", nameof(accessToken));
        var o = Options;
        var api = ShopifyHttp.For<IShopifyGraphQlApi>(httpClientFactory, o, shop);
        using var response = await api.ExecuteAsync(o.ApiVersion, accessToken, new(query, variables), cancellationToken);
        if (!response.IsSuccessful || response.Content.ValueKind != JsonValueKind.Object)
            throw ShopifyHttp.Failure(response, operation, shop);

        var body = response.Content;
        if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var messages = errors.EnumerateArray().Select(e => Str(e, "message") ?? e.GetRawText()).ToList();
            var code = errors.EnumerateArray()
                .Select(e => e.TryGetProperty("extensions", out var x) && x.ValueKind == JsonValueKind.Object ? Str(x, "code") : null)
                .FirstOrDefault(c => c is not null);
            throw new ShopifyApiException($"Shopify {operation} for {shop} failed: {string.Join("; ", messages)}.", response.StatusCode, code);
        }

        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new ShopifyApiException($"Shopify {operation} for {shop} returned no data.", response.StatusCode);
        return data.Clone();
    }

    private static JsonElement Payload(JsonElement data, string field, string shop) =>
        data.TryGetProperty(field, out var payload) && payload.ValueKind == JsonValueKind.Object
            ? payload
            : throw new ShopifyApiException($"Shopify returned no {field} result for {shop}.");

    private sealed record UserError(string? Code, string Message);

    private static List<UserError> UserErrors(JsonElement payload) =>
        Array(payload, "userErrors")
            .Select(e => new UserError(Str(e, "code"), Str(e, "message") ?? "Unknown error."))
            .ToList();

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    private static string? Str(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
