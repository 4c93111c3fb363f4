using System.Net;
using System.Text.Json;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Platforms.Shopify;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyAdminClientTests : IDisposable
{
    private const string AccessToken = "shpat_abc";
    private const string Callback = "https://app.example.com/webhooks/shopify";
    private readonly FakeShopify _shopify = new();

    public void Dispose() => _shopify.Dispose();

    private static string GraphQlPath(string version = "2026-01") => $"/admin/api/{version}/graphql.json";

    /// <summary>Shopify GraphQL is one URL: stubs match on the operation name in the body.</summary>
    private void GraphQl(string operation, string json, int status = 200, string version = "2026-01") =>
        _shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath(version)).UsingPost().WithBody((string? body) => body is not null && body.Contains(operation, StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));

    private const string ExistingSubscriptions = """
        {"data":{"webhookSubscriptions":{
          "edges":[
            {"node":{"id":"gid://shopify/WebhookSubscription/1","topic":"ORDERS_CREATE","uri":"https://app.example.com/webhooks/shopify"}},
            {"node":{"id":"gid://shopify/WebhookSubscription/2","topic":"APP_UNINSTALLED","uri":"https://app.example.com/webhooks/shopify"}},
            {"node":{"id":"gid://shopify/WebhookSubscription/3","topic":"ORDERS_PAID","uri":"https://old-host.example.com/webhooks/shopify"}}
          ],
          "pageInfo":{"hasNextPage":false,"endCursor":null}}},
         "extensions":{"cost":{"requestedQueryCost":12,"actualQueryCost":5,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1995,"restoreRate":100.0}}}}
        """;

    private const string SubscriptionCreated = """
        {"data":{"webhookSubscriptionCreate":{"webhookSubscription":{"id":"gid://shopify/WebhookSubscription/9","topic":"ORDERS_PAID"},"userErrors":[]}}}
        """;

    private const string SubscriptionDeleted = """
        {"data":{"webhookSubscriptionDelete":{"deletedWebhookSubscriptionId":"gid://shopify/WebhookSubscription/3","userErrors":[]}}}
        """;

    [Fact]
    public async Task WebhookRegistrationCreatesOnlyTheMissingTopics()
    {
        GraphQl("webhookSubscriptions(", ExistingSubscriptions);
        GraphQl("webhookSubscriptionCreate", SubscriptionCreated);
        GraphQl("webhookSubscriptionDelete", SubscriptionDeleted);

        var sync = await _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback,
            ["orders/create", "orders/paid", "refunds/create", "app/uninstalled", "orders/create"], CancellationToken.None);

        // ORDERS_PAID exists, but for another address: ours is still missing (and the old one goes).
        Assert.Equal(["orders/paid", "refunds/create"], sync.Created);
        Assert.Equal(["orders/paid"], sync.Removed);
        Assert.All(_shopify.Requests, r =>
        {
            Assert.Equal(GraphQlPath(), r.RequestMessage!.Path);
            Assert.Equal(AccessToken, FakeShopify.Header(r, "X-Shopify-Access-Token"));
        });

        var list = Assert.Single(_shopify.GraphQlCalls("webhookSubscriptions("));
        Assert.Contains(" uri ", list.GetProperty("query").GetString());
        Assert.DoesNotContain("callbackUrl", list.GetProperty("query").GetString());

        var creates = _shopify.GraphQlCalls("webhookSubscriptionCreate");
        Assert.Equal(["ORDERS_PAID", "REFUNDS_CREATE"], creates.Select(c => c.GetProperty("variables").GetProperty("topic").GetString()));
        Assert.All(creates, c =>
        {
            var subscription = c.GetProperty("variables").GetProperty("webhookSubscription");
            Assert.Equal(Callback, subscription.GetProperty("uri").GetString());
            Assert.Equal("JSON", subscription.GetProperty("format").GetString());
        });
    }

    [Fact]
    public async Task WebhookRegistrationIsANoOpWhenEverythingExists()
    {
        GraphQl("webhookSubscriptions(", ExistingSubscriptions);

        var sync = await _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback,
            ["orders/create", "app/uninstalled"], CancellationToken.None);

        // ORDERS_PAID at the old address is not among these topics: left alone.
        Assert.Empty(sync.Created);
        Assert.Empty(sync.Removed);
        Assert.Single(_shopify.Requests);
    }

    [Fact]
    public async Task WebhookListIsFollowedAcrossPages()
    {
        _shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath()).UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptions(") && b.Contains("\"after\":null")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"data":{"webhookSubscriptions":{"edges":[{"node":{"id":"1","topic":"ORDERS_CREATE","uri":"https://app.example.com/webhooks/shopify"}}],
                 "pageInfo":{"hasNextPage":true,"endCursor":"cursor-1"}}}}
                """));
        _shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath()).UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptions(") && b.Contains("\"after\":\"cursor-1\"")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"data":{"webhookSubscriptions":{"edges":[{"node":{"id":"2","topic":"REFUNDS_CREATE","uri":"https://app.example.com/webhooks/shopify"}}],
                 "pageInfo":{"hasNextPage":false,"endCursor":"cursor-2"}}}}
                """));

        var sync = await _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback,
            ["orders/create", "refunds/create"], CancellationToken.None);

        Assert.Empty(sync.Created);
        Assert.Equal(2, _shopify.Requests.Count);
    }

    [Fact]
    public async Task OlderApiVersionsUseCallbackUrlAndTheEndpointUnion()
    {
        using var shopify = new FakeShopify(apiVersion: "2025-07");
        shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath("2025-07")).UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptions(")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"data":{"webhookSubscriptions":{"edges":[{"node":{"id":"1","topic":"ORDERS_CREATE",
                  "endpoint":{"__typename":"WebhookHttpEndpoint","callbackUrl":"https://app.example.com/webhooks/shopify"}}}],
                 "pageInfo":{"hasNextPage":false,"endCursor":null}}}}
                """));
        shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath("2025-07")).UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptionCreate")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(SubscriptionCreated));

        var sync = await shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback,
            ["orders/create", "orders/updated"], CancellationToken.None);

        Assert.Equal(["orders/updated"], sync.Created);
        Assert.Contains("WebhookHttpEndpoint", Assert.Single(shopify.GraphQlCalls("webhookSubscriptions(")).GetProperty("query").GetString());
        var subscription = Assert.Single(shopify.GraphQlCalls("webhookSubscriptionCreate")).GetProperty("variables").GetProperty("webhookSubscription");
        Assert.Equal(Callback, subscription.GetProperty("callbackUrl").GetString());
        Assert.False(subscription.TryGetProperty("uri", out _));
    }

    [Fact]
    public async Task SubscriptionsAtAnOldAddressAreRemovedOnceTheNewOnesExist()
    {
        GraphQl("webhookSubscriptions(", """
            {"data":{"webhookSubscriptions":{"edges":[
              {"node":{"id":"gid://shopify/WebhookSubscription/1","topic":"ORDERS_CREATE","uri":"https://APP.example.com/webhooks/shopify/"}},
              {"node":{"id":"gid://shopify/WebhookSubscription/4","topic":"ORDERS_CREATE","uri":"https://old-host.example.com/webhooks/shopify"}},
              {"node":{"id":"gid://shopify/WebhookSubscription/3","topic":"ORDERS_PAID","uri":"https://old-host.example.com/webhooks/shopify"}},
              {"node":{"id":"gid://shopify/WebhookSubscription/5","topic":"PRODUCTS_UPDATE","uri":"https://old-host.example.com/webhooks/shopify"}}],
             "pageInfo":{"hasNextPage":false,"endCursor":null}}}}
            """);
        GraphQl("webhookSubscriptionCreate", SubscriptionCreated);
        GraphQl("webhookSubscriptionDelete", SubscriptionDeleted);

        var sync = await _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback, ["orders/create", "orders/paid"], CancellationToken.None);

        // Ours for ORDERS_CREATE is there (a trailing slash and the host's case make no other address).
        Assert.Equal(["orders/paid"], sync.Created);
        Assert.Equal(["orders/create", "orders/paid"], sync.Removed);
        Assert.Empty(sync.Problems);
        var operations = _shopify.Bodies().Select(b => b.GetProperty("query").GetString()!.Split('(')[0].Trim().Split(' ').Last()).ToList();
        Assert.Equal(["WebhookSubscriptions", "webhookSubscriptionCreate", "webhookSubscriptionDelete", "webhookSubscriptionDelete"], operations);
        // The old ones of our topics; not our subscription at the current address, nor another topic's.
        Assert.Equal(["gid://shopify/WebhookSubscription/4", "gid://shopify/WebhookSubscription/3"],
            _shopify.GraphQlCalls("webhookSubscriptionDelete").Select(c => c.GetProperty("variables").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AnOldSubscriptionShopifyWillNotDeleteIsReportedNotThrown()
    {
        GraphQl("webhookSubscriptions(", ExistingSubscriptions);
        GraphQl("webhookSubscriptionCreate", SubscriptionCreated);
        GraphQl("webhookSubscriptionDelete", """
            {"data":{"webhookSubscriptionDelete":{"deletedWebhookSubscriptionId":null,"userErrors":[{"field":["id"],"message":"Webhook subscription does not exist"}]}}}
            """);

        var sync = await _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback, ["orders/paid"], CancellationToken.None);

        Assert.Equal(["orders/paid"], sync.Created);
        Assert.Empty(sync.Removed);
        var problem = Assert.Single(sync.Problems);
        Assert.Contains("https://old-host.example.com/webhooks/shopify", problem);
        Assert.Contains("Webhook subscription does not exist", problem);
    }

    [Fact]
    public async Task RefusedSubscriptionThrowsWithShopifysMessage()
    {
        GraphQl("webhookSubscriptions(", """{"data":{"webhookSubscriptions":{"edges":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}""");
        GraphQl("webhookSubscriptionCreate", """
            {"data":{"webhookSubscriptionCreate":{"webhookSubscription":null,
              "userErrors":[{"field":["webhookSubscription","callbackUrl"],"message":"Address is not a valid https URL"}]}}}
            """);

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback, ["orders/create"], CancellationToken.None));

        Assert.Contains("orders/create", error.Message);
        Assert.Contains("Address is not a valid https URL", error.Message);
    }

    [Fact]
    public async Task RevokedAccessTokenIsReportedAsUnauthorized()
    {
        GraphQl("webhookSubscriptions(", """{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}""", status: 401);

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Admin.EnsureWebhooksAsync(FakeShopify.Shop, AccessToken, Callback, ["orders/create"], CancellationToken.None));

        Assert.True(error.Unauthorized);
        Assert.Contains("invalid or revoked", error.Message);
        Assert.Single(_shopify.Requests);
    }

    private static DiscountCodeRequest Jane10 => new("JANE10", DiscountCodeRequest.TitleFor("Jane"), DiscountType.Percentage, 10m,
        new DateTime(2026, 3, 14, 9, 30, 0, DateTimeKind.Utc));

    private const string DiscountCreated = """
        {"data":{"discountCodeBasicCreate":{"codeDiscountNode":{"id":"gid://shopify/DiscountCodeNode/1057371938"},"userErrors":[]}},
         "extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10}}}
        """;

    [Fact]
    public async Task CouponPushCreatesABasicCodeDiscountForTheWholeOrder()
    {
        GraphQl("discountCodeBasicCreate", DiscountCreated);

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.Equal(new DiscountPushResult(true, "gid://shopify/DiscountCodeNode/1057371938", false, []), result with { Errors = [] });
        Assert.Empty(result.Errors);
        var call = Assert.Single(_shopify.GraphQlCalls("discountCodeBasicCreate"));
        Assert.Contains("mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!)", call.GetProperty("query").GetString());
        Assert.Equal(AccessToken, FakeShopify.Header(_shopify.Requests[0], "X-Shopify-Access-Token"));
        var expected = JsonDocument.Parse("""
            {"title":"Affiliate Jane","code":"JANE10","startsAt":"2026-03-14T09:30:00Z",
             "customerGets":{"value":{"percentage":0.1},"items":{"all":true}},
             "appliesOncePerCustomer":false,
             "combinesWith":{"orderDiscounts":false,"productDiscounts":false,"shippingDiscounts":true},
             "context":{"all":"ALL"}}
            """).RootElement;
        AssertJsonEqual(expected, call.GetProperty("variables").GetProperty("basicCodeDiscount"));
    }

    [Fact]
    public async Task FixedAmountCouponSendsADiscountAmountOnceForTheOrder()
    {
        GraphQl("discountCodeBasicCreate", DiscountCreated);

        await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken,
            Jane10 with { Code = "JANE5", Type = DiscountType.FixedAmount, Amount = 5m }, CancellationToken.None);

        var value = Assert.Single(_shopify.GraphQlCalls("discountCodeBasicCreate"))
            .GetProperty("variables").GetProperty("basicCodeDiscount").GetProperty("customerGets").GetProperty("value");
        AssertJsonEqual(JsonDocument.Parse("""{"discountAmount":{"amount":"5.00","appliesOnEachItem":false}}""").RootElement, value);
    }

    [Fact]
    public async Task OlderApiVersionsSelectCustomersInsteadOfContext()
    {
        using var shopify = new FakeShopify(apiVersion: "2025-07");
        shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath("2025-07")).UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(DiscountCreated));

        await shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        var input = Assert.Single(shopify.GraphQlCalls("discountCodeBasicCreate")).GetProperty("variables").GetProperty("basicCodeDiscount");
        Assert.False(input.TryGetProperty("context", out _));
        Assert.True(input.GetProperty("customerSelection").GetProperty("all").GetBoolean());
    }

    private const string CodeTaken = """
        {"data":{"discountCodeBasicCreate":{"codeDiscountNode":null,
          "userErrors":[{"field":["basicCodeDiscount","code"],"code":"TAKEN","message":"Code must be unique. Please try a different code."}]}}}
        """;

    /// <summary>What <c>codeDiscountNodeByCode</c> finds under the code: a basic discount with this title and value.</summary>
    private static string DiscountUnderTheCode(string title, string value, string type = "DiscountCodeBasic") => $$"""
        {"data":{"codeDiscountNodeByCode":{"id":"gid://shopify/DiscountCodeNode/777","codeDiscount":{"__typename":"{{type}}","title":"{{title}}",
          "customerGets":{"value":{{value}} } } } } }
        """;

    private const string TenPercent = """{"__typename":"DiscountPercentage","percentage":0.1}""";

    [Fact]
    public async Task CodeTakenInTheShopIsReportedNotThrown()
    {
        GraphQl("discountCodeBasicCreate", CodeTaken);
        GraphQl("codeDiscountNodeByCode", DiscountUnderTheCode("Spring sale", TenPercent));

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.False(result.Success);
        Assert.True(result.CodeTaken);
        Assert.Null(result.ExternalId);
        Assert.Equal(["Code must be unique. Please try a different code."], result.Errors);
        var lookup = Assert.Single(_shopify.GraphQlCalls("codeDiscountNodeByCode"));
        Assert.Equal("JANE10", lookup.GetProperty("variables").GetProperty("code").GetString());
    }

    [Fact]
    public async Task TakenIsRecognisedByMessageWhenShopifyOmitsTheCode()
    {
        GraphQl("discountCodeBasicCreate", """
            {"data":{"discountCodeBasicCreate":{"codeDiscountNode":null,"userErrors":[{"field":["basicCodeDiscount","code"],"code":null,"message":"Code has already been taken"}]}}}
            """);
        GraphQl("codeDiscountNodeByCode", """{"data":{"codeDiscountNodeByCode":null}}""");

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.True(result.CodeTaken);
    }

    [Fact]
    public async Task ARetriedCreateWhoseFirstAttemptWentThroughFindsItsOwnDiscount()
    {
        // The first attempt ran in Shopify but its answer was a 503; the retry finds the code taken, by that discount.
        _shopify.Server.Given(Request.Create().WithPath(GraphQlPath()).UsingPost().WithBody((string? b) => b is not null && b.Contains("discountCodeBasicCreate")))
            .InScenario("lost answer").WillSetStateTo("created")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        _shopify.Server.Given(Request.Create().WithPath(GraphQlPath()).UsingPost().WithBody((string? b) => b is not null && b.Contains("discountCodeBasicCreate")))
            .InScenario("lost answer").WhenStateIs("created")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(CodeTaken));
        GraphQl("codeDiscountNodeByCode", DiscountUnderTheCode("Affiliate Jane", TenPercent));

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.Equal(new DiscountPushResult(true, "gid://shopify/DiscountCodeNode/777", false, [], AlreadyThere: true), result with { Errors = [] });
        Assert.Empty(result.Errors);
        Assert.Equal(2, _shopify.GraphQlCalls("discountCodeBasicCreate").Count);
    }

    [Fact]
    public async Task OurOwnFixedAmountDiscountIsRecognisedByItsAmount()
    {
        GraphQl("discountCodeBasicCreate", CodeTaken);
        GraphQl("codeDiscountNodeByCode", DiscountUnderTheCode("Affiliate Jane",
            """{"__typename":"DiscountAmount","amount":{"amount":"5.0","currencyCode":"DKK"},"appliesOnEachItem":false}"""));

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken,
            Jane10 with { Code = "JANE5", Type = DiscountType.FixedAmount, Amount = 5m }, CancellationToken.None);

        Assert.True(result.Success);
        Assert.True(result.AlreadyThere);
        Assert.Equal("gid://shopify/DiscountCodeNode/777", result.ExternalId);
    }

    [Theory]
    [InlineData("Affiliate Jane", """{"__typename":"DiscountPercentage","percentage":0.2}""", "DiscountCodeBasic")] // another value
    [InlineData("Affiliate Janet", """{"__typename":"DiscountPercentage","percentage":0.1}""", "DiscountCodeBasic")] // another title
    [InlineData("Affiliate Jane", """{"__typename":"DiscountAmount","amount":{"amount":"10.0"},"appliesOnEachItem":false}""", "DiscountCodeBasic")]
    [InlineData("Affiliate Jane", """{"__typename":"DiscountPercentage","percentage":0.1}""", "DiscountCodeBxgy")] // not a basic discount
    public async Task ADiscountUnderTheCodeThatDiffersFromOursIsTaken(string title, string value, string type)
    {
        GraphQl("discountCodeBasicCreate", CodeTaken);
        GraphQl("codeDiscountNodeByCode", DiscountUnderTheCode(title, value, type));

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.False(result.Success);
        Assert.True(result.CodeTaken);
        Assert.False(result.AlreadyThere);
        Assert.Null(result.ExternalId);
    }

    [Fact]
    public async Task OtherUserErrorsAreReturnedAsErrors()
    {
        GraphQl("discountCodeBasicCreate", """
            {"data":{"discountCodeBasicCreate":{"codeDiscountNode":null,"userErrors":[{"field":["basicCodeDiscount","startsAt"],"code":"INVALID","message":"Starts at is invalid"}]}}}
            """);

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.False(result.Success);
        Assert.False(result.CodeTaken);
        Assert.Equal(["Starts at is invalid"], result.Errors);
    }

    [Fact]
    public async Task RateLimitedCouponPushIsRetriedAfterRetryAfter()
    {
        _shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath()).UsingPost())
            .InScenario("throttle")
            .WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "2.0").WithBody("Too Many Requests"));
        _shopify.Server
            .Given(Request.Create().WithPath(GraphQlPath()).UsingPost())
            .InScenario("throttle")
            .WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(DiscountCreated));

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.True(result.Success);
        Assert.Equal(2, _shopify.Requests.Count);
        var bodies = _shopify.Requests.Select(r => r.RequestMessage!.Body).ToList();
        Assert.Equal(bodies[0], bodies[1]);
        Assert.Equal([TimeSpan.FromSeconds(2)], _shopify.Delays);
    }

    /// <summary>Shopify's THROTTLED answer: the query did not run; the bucket holds <paramref name="available"/> of the <paramref name="requested"/> points.</summary>
    private static string Throttled(int requested, double available, double restoreRate = 100.0, double maximum = 2000.0) => $$$"""
        {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],
         "extensions":{"cost":{"requestedQueryCost":{{{requested}}},"actualQueryCost":null,
           "throttleStatus":{"maximumAvailable":{{{maximum:0.0}}},"currentlyAvailable":{{{available}}},"restoreRate":{{{restoreRate:0.0}}} } } } }
        """;

    /// <summary>The first GraphQL call answers <paramref name="first"/>, every later one <paramref name="then"/>.</summary>
    private void GraphQlOnceThen(string first, string then, int firstStatus = 200)
    {
        _shopify.Server.Given(Request.Create().WithPath(GraphQlPath()).UsingPost()).InScenario("graphql").WillSetStateTo("answered")
            .RespondWith(Response.Create().WithStatusCode(firstStatus).WithHeader("Content-Type", "application/json").WithBody(first));
        _shopify.Server.Given(Request.Create().WithPath(GraphQlPath()).UsingPost()).InScenario("graphql").WhenStateIs("answered")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(then));
    }

    [Fact]
    public async Task GraphQlThrottlingIsRetriedOnceTheBucketHoldsTheQuerysCost()
    {
        GraphQlOnceThen(Throttled(requested: 10, available: 2), DiscountCreated);

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.True(result.Success);
        // 8 points short at 100 points a second.
        Assert.Equal([TimeSpan.FromMilliseconds(80)], _shopify.Delays);
        var bodies = _shopify.Requests.Select(r => r.RequestMessage!.Body).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Equal(bodies[0], bodies[1]);
    }

    [Fact]
    public async Task GraphQlThrottlingAnsweredWith429WaitsForTheCostNotABackoff()
    {
        GraphQlOnceThen(Throttled(requested: 252, available: 2, restoreRate: 50.0), DiscountCreated, firstStatus: 429);

        var result = await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.True(result.Success);
        Assert.Equal([TimeSpan.FromSeconds(5)], _shopify.Delays);
    }

    [Fact]
    public async Task GraphQlThrottlingWaitsAtMostTenSeconds()
    {
        GraphQlOnceThen(Throttled(requested: 1000, available: 0, restoreRate: 50.0), DiscountCreated);

        await _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(10)], _shopify.Delays);
    }

    [Fact]
    public async Task GraphQlThrottlingThatLastsIsReportedAsThrottledAfterFourAttempts()
    {
        GraphQl("discountCodeBasicCreate", Throttled(requested: 10, available: 2));

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None));

        Assert.True(error.Throttled);
        Assert.Equal("THROTTLED", error.ErrorCode);
        Assert.Contains("Throttled", error.Message);
        Assert.Equal(ShopifyRetryHandler.MaxAttempts, _shopify.Requests.Count);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromMilliseconds(80), ShopifyRetryHandler.MaxAttempts - 1), _shopify.Delays);
    }

    [Fact]
    public async Task QueryCostingMoreThanTheBucketHoldsIsNotRetried()
    {
        GraphQl("discountCodeBasicCreate", Throttled(requested: 1500, available: 1000, restoreRate: 50.0, maximum: 1000.0));

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None));

        Assert.True(error.Throttled);
        Assert.Single(_shopify.Requests);
        Assert.Empty(_shopify.Delays);
    }

    [Fact]
    public async Task OtherGraphQlErrorsAreNotRetried()
    {
        GraphQl("discountCodeBasicCreate", """
            {"errors":[{"message":"Field 'nope' doesn't exist on type 'QueryRoot'","extensions":{"code":"undefinedField"}}]}
            """);

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken, Jane10, CancellationToken.None));

        Assert.False(error.Throttled);
        Assert.Single(_shopify.Requests);
        Assert.Empty(_shopify.Delays);
    }

    [Theory]
    [InlineData(DiscountType.Percentage, 0)]
    [InlineData(DiscountType.Percentage, 101)]
    [InlineData(DiscountType.FixedAmount, -5)]
    public async Task ImpossibleAmountsAreRefusedBeforeCallingShopify(DiscountType type, int amount)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _shopify.Admin.CreateDiscountCodeAsync(FakeShopify.Shop, AccessToken,
            Jane10 with { Type = type, Amount = amount }, CancellationToken.None));
        Assert.Empty(_shopify.Requests);
    }

    private static void AssertJsonEqual(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"Expected {expected}\nActual   {actual}");
}
