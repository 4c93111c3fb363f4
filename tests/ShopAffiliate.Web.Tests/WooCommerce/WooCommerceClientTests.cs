using System.Net;
using System.Text.Json;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Platforms.WooCommerce;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooCommerceClientTests : IDisposable
{
    // printf 'ck_0123456789abcdef:cs_fedcba9876543210' | base64
    private const string BasicCredentials = "Y2tfMDEyMzQ1Njc4OWFiY2RlZjpjc19mZWRjYmE5ODc2NTQzMjEw";

    private const string Unauthorized =
        """{"code":"woocommerce_rest_authentication_error","message":"Consumer secret is invalid.","data":{"status":401}}""";

    private readonly FakeWooCommerce _woo = new();

    public void Dispose() => _woo.Dispose();

    private static string Webhook(long id, string topic = "order.updated", string status = "active") =>
        $$"""
        {"id":{{id}},"name":"ShopAffiliate {{topic}}","status":"{{status}}","topic":"{{topic}}","resource":"order","event":"updated",
         "hooks":["woocommerce_update_order"],"delivery_url":"https://app.example.com/webhooks/woocommerce/{{id}}",
         "date_created":"2025-03-14T15:28:02","date_created_gmt":"2025-03-14T15:28:02"}
        """;

    [Fact]
    public async Task KeysAreCheckedWithBasicAuthFirst()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders", "[]");

        var store = await _woo.Client.VerifyKeysAsync(FakeWooCommerce.HttpsStore, false,
            FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, CancellationToken.None);

        Assert.Equal(new WooStore(FakeWooCommerce.HttpsStore, FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, WooAuthMode.Basic, false), store);
        var request = Assert.Single(_woo.Requests);
        Assert.Equal("Basic " + BasicCredentials, FakeWooCommerce.Header(request, "Authorization"));
        Assert.Equal("1", FakeWooCommerce.Param(request, "per_page"));
        Assert.Null(FakeWooCommerce.Param(request, "consumer_secret"));
        Assert.Equal("ShopAffiliate/1.0", FakeWooCommerce.Header(request, "User-Agent"));
    }

    [Fact]
    public async Task HostThatStripsAuthorizationFallsBackToQueryStringKeys()
    {
        // What WooCommerce does when the host drops the header: no key, so 401.
        _woo.Server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet().WithHeader("Authorization", "*")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody(Unauthorized));
        _woo.Server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet()
                .WithParam("consumer_key", FakeWooCommerce.ConsumerKey).WithParam("consumer_secret", FakeWooCommerce.ConsumerSecret)).AtPriority(2)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("[]"));

        var store = await _woo.Client.VerifyKeysAsync(FakeWooCommerce.HttpsStore, false,
            FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, CancellationToken.None);

        Assert.Equal(WooAuthMode.QueryString, store.AuthMode);
        Assert.Equal(2, _woo.Requests.Count);
        Assert.NotNull(FakeWooCommerce.Header(_woo.Requests[0], "Authorization"));
        Assert.Null(FakeWooCommerce.Header(_woo.Requests[1], "Authorization"));
    }

    [Fact]
    public async Task KeyRefusedBothWaysIsUnauthorizedWithoutTheSecretInTheMessage()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders", Unauthorized, 401);

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.VerifyKeysAsync(FakeWooCommerce.HttpsStore, false,
            FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, CancellationToken.None));

        Assert.True(error.Unauthorized);
        Assert.Equal("woocommerce_rest_authentication_error", error.ErrorCode);
        Assert.Contains("shop.example.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("Consumer secret is invalid.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeWooCommerce.ConsumerSecret, error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.Equal(2, _woo.Requests.Count);
    }

    [Fact]
    public async Task OtherFailureIsNotRetriedWithQueryStringKeys()
    {
        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.VerifyKeysAsync(FakeWooCommerce.HttpsStore, false,
            FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("is WooCommerce active", error.Message, StringComparison.Ordinal);
        Assert.Single(_woo.Requests);
    }

    [Fact]
    public async Task QueryStringStoreSendsTheKeyAsParameters()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/webhooks", "[]");

        await _woo.Client.ListWebhooksAsync(FakeWooCommerce.Store(WooAuthMode.QueryString), CancellationToken.None);

        var request = Assert.Single(_woo.Requests);
        Assert.Null(FakeWooCommerce.Header(request, "Authorization"));
        Assert.Equal(FakeWooCommerce.ConsumerKey, FakeWooCommerce.Param(request, "consumer_key"));
        Assert.Equal(FakeWooCommerce.ConsumerSecret, FakeWooCommerce.Param(request, "consumer_secret"));
    }

    [Fact]
    public async Task WebhookListFollowsTotalPages()
    {
        for (var page = 1; page <= 3; page++)
        {
            _woo.Server.Given(Request.Create().WithPath("/wp-json/wc/v3/webhooks").UsingGet().WithParam("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithHeader("X-WP-TotalPages", "3").WithHeader("X-WP-Total", "5")
                    .WithBody($"[{Webhook(page * 10)}{(page < 3 ? "," + Webhook(page * 10 + 1, "order.created", "disabled") : "")}]"));
        }

        var webhooks = await _woo.Client.ListWebhooksAsync(FakeWooCommerce.Store(), CancellationToken.None);

        Assert.Equal([10, 11, 20, 21, 30], webhooks.Select(w => w.Id));
        Assert.Equal(new WooWebhook(11, "ShopAffiliate order.created", "disabled", "order.created", "https://app.example.com/webhooks/woocommerce/11"), webhooks[1]);
        Assert.Equal(["1", "2", "3"], _woo.Requests.Select(r => FakeWooCommerce.Param(r, "page")));
        Assert.All(_woo.Requests, r => Assert.Equal("100", FakeWooCommerce.Param(r, "per_page")));
    }

    [Fact]
    public async Task OrdersModifiedAfterAreAskedOldestChangeFirst()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders", """[{"id":727,"status":"processing"},{"id":9007199254740993,"status":"completed"}]""", 200,
            ("X-WP-TotalPages", "4"));

        var page = await _woo.Client.ListOrdersModifiedAfterAsync(FakeWooCommerce.Store(),
            new DateTime(2025, 3, 14, 15, 28, 2, 500, DateTimeKind.Utc), 2, CancellationToken.None);

        var request = Assert.Single(_woo.Requests);
        Assert.Equal("2025-03-14T15:28:02", FakeWooCommerce.Param(request, "modified_after"));
        Assert.Equal("true", FakeWooCommerce.Param(request, "dates_are_gmt"));
        Assert.Equal("modified", FakeWooCommerce.Param(request, "orderby"));
        Assert.Equal("asc", FakeWooCommerce.Param(request, "order"));
        Assert.Equal("100", FakeWooCommerce.Param(request, "per_page"));
        Assert.Equal("2", FakeWooCommerce.Param(request, "page"));
        Assert.Equal(2, page.Page);
        Assert.Equal(4, page.TotalPages);
        // The elements outlive the response.
        Assert.Equal([727L, 9007199254740993L], page.Orders.Select(o => o.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task MissingTotalPagesHeaderMeansOnePage()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders", "[]");

        var page = await _woo.Client.ListOrdersModifiedAfterAsync(FakeWooCommerce.Store(), DateTime.UnixEpoch, 1, CancellationToken.None);

        Assert.Equal(1, page.TotalPages);
    }

    [Fact]
    public async Task RefundListReadsEveryPageTheStoreReports()
    {
        for (var page = 1; page <= 3; page++)
        {
            var ids = page < 3 ? new[] { 1000 - page * 10, 1000 - page * 10 - 1 } : [970];
            _woo.Server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/727/refunds").UsingGet()
                    .WithParam("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithHeader("X-WP-TotalPages", "3").WithHeader("X-WP-Total", "5")
                    .WithBody(JsonSerializer.Serialize(ids.Select(id => new { id, amount = "1.00", line_items = Array.Empty<object>() }))));
        }

        var refunds = await _woo.Client.ListRefundsAsync(FakeWooCommerce.Store(), "727", CancellationToken.None);

        Assert.Equal([990, 989, 980, 979, 970], refunds.Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal(["1", "2", "3"], _woo.Requests.Select(r => FakeWooCommerce.Param(r, "page")));
        Assert.All(_woo.Requests, r => Assert.Equal("100", FakeWooCommerce.Param(r, "per_page")));
    }

    [Fact]
    public async Task RefundListWithoutTotalPagesIsOnePage()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders/727/refunds", """[{"id":731,"amount":"10.00","line_items":[]}]""");

        var refunds = await _woo.Client.ListRefundsAsync(FakeWooCommerce.Store(), "727", CancellationToken.None);

        Assert.Equal(731, Assert.Single(refunds).GetProperty("id").GetInt32());
        Assert.Equal("1", FakeWooCommerce.Param(Assert.Single(_woo.Requests), "page"));
    }

    [Fact]
    public async Task RefundListThatNeverEndsIsRefusedNotCutShort()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders/727/refunds", """[{"id":731,"amount":"10.00","line_items":[]}]""", 200, ("X-WP-TotalPages", "999"));

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.ListRefundsAsync(FakeWooCommerce.Store(), "727", CancellationToken.None));

        Assert.Contains("more than 20 pages", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal(20, _woo.Requests.Count);
    }

    [Fact]
    public async Task OneOrderIsReadById()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/orders/727", """{"id":727,"status":"processing","refunds":[{"id":731,"total":"-10.00"}]}""");

        var order = await _woo.Client.GetOrderAsync(FakeWooCommerce.Store(), "727", CancellationToken.None);

        Assert.Equal(731, order.GetProperty("refunds")[0].GetProperty("id").GetInt32());
        Assert.Equal("Basic " + BasicCredentials, FakeWooCommerce.Header(Assert.Single(_woo.Requests), "Authorization"));
        await Assert.ThrowsAsync<ArgumentException>(() => _woo.Client.GetOrderAsync(FakeWooCommerce.Store(), "727/notes", CancellationToken.None));
    }

    [Fact]
    public async Task WebhookIsCreatedActiveWithOurSecret()
    {
        _woo.Stub("POST", "/wp-json/wc/v3/webhooks", Webhook(42), 201);
        var secret = WooWebhookSignature.NewSecret();

        var webhook = await _woo.Client.CreateWebhookAsync(FakeWooCommerce.Store(), "ShopAffiliate order.updated", WooWebhookTopics.OrderUpdated,
            "https://app.example.com/webhooks/woocommerce/42", secret, CancellationToken.None);

        Assert.Equal(new WooWebhook(42, "ShopAffiliate order.updated", "active", "order.updated", "https://app.example.com/webhooks/woocommerce/42"), webhook);
        var body = FakeWooCommerce.Body(Assert.Single(_woo.Requests));
        Assert.Equal("ShopAffiliate order.updated", body.GetProperty("name").GetString());
        Assert.Equal("order.updated", body.GetProperty("topic").GetString());
        Assert.Equal("https://app.example.com/webhooks/woocommerce/42", body.GetProperty("delivery_url").GetString());
        Assert.Equal(secret, body.GetProperty("secret").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal(5, body.EnumerateObject().Count());
    }

    [Theory]
    [InlineData("with&amp;")]
    [InlineData("")]
    public async Task WebhookSecretMustBeAlphanumeric(string secret)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _woo.Client.CreateWebhookAsync(FakeWooCommerce.Store(), "n", "order.updated",
            "https://app.example.com/webhooks/woocommerce/1", secret, CancellationToken.None));
        Assert.Empty(_woo.Requests);
    }

    [Fact]
    public async Task ActivationPutsStatusActive()
    {
        _woo.Stub("PUT", "/wp-json/wc/v3/webhooks/42", Webhook(42));

        var webhook = await _woo.Client.ActivateWebhookAsync(FakeWooCommerce.Store(), 42, CancellationToken.None);

        Assert.Equal("active", webhook.Status);
        var request = Assert.Single(_woo.Requests);
        Assert.Equal("PUT", request.RequestMessage!.Method);
        var body = FakeWooCommerce.Body(request);
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Single(body.EnumerateObject());
    }

    [Theory]
    [InlineData(DiscountType.Percentage, "10", "percent", "10.00")]
    [InlineData(DiscountType.FixedAmount, "5.5", "fixed_cart", "5.50")]
    public async Task CouponIsCreatedLowerCaseWithAStringAmount(DiscountType type, string amount, string discountType, string sentAmount)
    {
        _woo.Stub("POST", "/wp-json/wc/v3/coupons", """{"id":719,"code":"jane10","amount":"10.00","discount_type":"percent"}""", 201);

        var result = await _woo.Client.CreateCouponAsync(FakeWooCommerce.Store(),
            new WooCouponRequest(" JANE10 ", type, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "Affiliate Jane", "aff-42"),
            CancellationToken.None);

        Assert.Equal(new WooCouponResult(WooCouponOutcome.Created, 719), result);
        var body = FakeWooCommerce.Body(Assert.Single(_woo.Requests));
        Assert.Equal("jane10", body.GetProperty("code").GetString());
        Assert.Equal(discountType, body.GetProperty("discount_type").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("amount").ValueKind);
        Assert.Equal(sentAmount, body.GetProperty("amount").GetString());
        Assert.True(body.GetProperty("individual_use").GetBoolean());
        Assert.Equal("Affiliate Jane", body.GetProperty("description").GetString());
        var meta = Assert.Single(body.GetProperty("meta_data").EnumerateArray());
        Assert.Equal("_shopaffiliate_affiliate_id", meta.GetProperty("key").GetString());
        Assert.Equal("aff-42", meta.GetProperty("value").GetString());
    }

    [Fact]
    public async Task DuplicateCouponCodeIsTaken()
    {
        _woo.Stub("POST", "/wp-json/wc/v3/coupons",
            """{"code":"woocommerce_rest_coupon_code_already_exists","message":"The coupon code already exists","data":{"status":400}}""", 400);

        var result = await _woo.Client.CreateCouponAsync(FakeWooCommerce.Store(),
            new WooCouponRequest("jane10", DiscountType.Percentage, 10m, "", "42"), CancellationToken.None);

        Assert.Equal(new WooCouponResult(WooCouponOutcome.Taken, null), result);
    }

    [Fact]
    public async Task OtherCouponRefusalThrowsAUsefulMessage()
    {
        _woo.Stub("POST", "/wp-json/wc/v3/coupons",
            """{"code":"internal_server_error","message":"There has been a critical error on this website.","data":{"status":500}}""", 500);

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.CreateCouponAsync(FakeWooCommerce.Store(),
            new WooCouponRequest("Jane10", DiscountType.Percentage, 10m, "", "42"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("internal_server_error", error.ErrorCode);
        Assert.Equal(
            "WooCommerce coupon 'jane10' creation for shop.example.com failed with HTTP 500: internal_server_error; There has been a critical error on this website.",
            error.Message);
        Assert.False(error.Unauthorized);
    }

    [Theory]
    [InlineData(DiscountType.Percentage, 0)]
    [InlineData(DiscountType.Percentage, 101)]
    [InlineData(DiscountType.FixedAmount, -1)]
    public async Task CouponAmountOutOfRangeIsRefusedLocally(DiscountType type, int amount)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _woo.Client.CreateCouponAsync(FakeWooCommerce.Store(),
            new WooCouponRequest("jane10", type, amount, "", "42"), CancellationToken.None));
        Assert.Empty(_woo.Requests);
    }

    [Fact]
    public async Task PlainPermalinkStoreIsReachedThroughRestRouteWithItsQueryKept()
    {
        _woo.Server.Given(Request.Create().WithPath("/").UsingGet().WithParam("rest_route", "/wc/v3/orders"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithHeader("X-WP-TotalPages", "1").WithBody("""[{"id":1}]"""));

        var page = await _woo.Client.ListOrdersModifiedAfterAsync(FakeWooCommerce.Store(plainPermalinks: true),
            new DateTime(2025, 3, 14, 0, 0, 0, DateTimeKind.Utc), 1, CancellationToken.None);

        Assert.Single(page.Orders);
        var request = Assert.Single(_woo.Requests);
        Assert.Equal("/", request.RequestMessage!.Path);
        Assert.Equal("/wc/v3/orders", FakeWooCommerce.Param(request, "rest_route"));
        Assert.Equal("modified", FakeWooCommerce.Param(request, "orderby"));
        Assert.Equal("2025-03-14T00:00:00", FakeWooCommerce.Param(request, "modified_after"));
        Assert.Equal("Basic " + BasicCredentials, FakeWooCommerce.Header(request, "Authorization"));
        Assert.StartsWith("https://shop.example.com/?rest_route=/wc/v3/orders&", Assert.Single(_woo.SentUris).AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubdirectoryStoreKeepsItsPathInBothPermalinkForms()
    {
        var home = new Uri("https://example.com/store");
        _woo.Stub("PUT", "/store/wp-json/wc/v3/webhooks/7", Webhook(7));
        _woo.Server.Given(Request.Create().WithPath("/store/").UsingPut().WithParam("rest_route", "/wc/v3/webhooks/7"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Webhook(7)));

        await _woo.Client.ActivateWebhookAsync(FakeWooCommerce.Store(url: home), 7, CancellationToken.None);
        await _woo.Client.ActivateWebhookAsync(FakeWooCommerce.Store(url: home, plainPermalinks: true), 7, CancellationToken.None);

        Assert.Equal(
            ["https://example.com/store/wp-json/wc/v3/webhooks/7", "https://example.com/store/?rest_route=/wc/v3/webhooks/7"],
            _woo.SentUris.Select(u => u.AbsoluteUri));
        Assert.Equal(["/store/wp-json/wc/v3/webhooks/7", "/store/"], _woo.Requests.Select(r => r.RequestMessage!.Path));
    }

    [Fact]
    public async Task ProbeFindsPrettyPermalinksAndWooCommerce()
    {
        _woo.Stub("GET", "/wp-json/", """{"name":"Jane's Shop","url":"https://shop.example.com","namespaces":["oembed/1.0","wc/v3","wc/store/v1","wp/v2"],"routes":{}}""");

        var probe = await _woo.Client.ProbeAsync(FakeWooCommerce.HttpsStore, CancellationToken.None);

        Assert.Equal(new WooStoreProbe(PlainPermalinks: false, HasWooCommerce: true), probe);
        Assert.Null(FakeWooCommerce.Header(Assert.Single(_woo.Requests), "Authorization"));
    }

    [Fact]
    public async Task ProbeFallsBackToRestRouteForPlainPermalinks()
    {
        _woo.Server.Given(Request.Create().WithPath("/wp-json/").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "text/html").WithBody("<html>Page not found</html>"));
        _woo.Server.Given(Request.Create().WithPath("/").UsingGet().WithParam("rest_route", "/"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"name":"Jane's Shop","namespaces":["oembed/1.0","wp/v2"]}"""));

        var probe = await _woo.Client.ProbeAsync(FakeWooCommerce.HttpsStore, CancellationToken.None);

        Assert.Equal(new WooStoreProbe(PlainPermalinks: true, HasWooCommerce: false), probe);
        Assert.Equal(2, _woo.Requests.Count);
    }

    [Fact]
    public async Task ProbeOfSomethingElseSaysThereIsNoWordPress()
    {
        // A site that answers every URL with its home page.
        _woo.Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/html").WithBody("<!doctype html><title>Not WordPress</title>"));

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.ProbeAsync(FakeWooCommerce.HttpsStore, CancellationToken.None));

        Assert.StartsWith("There is no WordPress REST API at https://shop.example.com: /wp-json/ answered HTTP 200 without a REST index", error.Message,
            StringComparison.Ordinal);
        Assert.Equal(2, _woo.Requests.Count);
    }

    [Fact]
    public async Task PluginConfigIsPostedAsSnakeCaseWithoutNulls()
    {
        _woo.Stub("POST", "/wp-json/shopaffiliate/v1/config", """{"plugin_version":"1.0.0","shop_id":"0f8fad5b","updated":["shop_id"]}""");
        var config = new WooPluginConfig("0f8fad5bd9cb469fa16570867728950e", "launch-secret-0123456789abcdef-0123456789",
            "https://app.example.com", null, 30, "LastClick", null);

        Assert.True(await _woo.Client.PushConfigAsync(FakeWooCommerce.Store(), config, CancellationToken.None));

        var request = Assert.Single(_woo.Requests);
        Assert.Equal("Basic " + BasicCredentials, FakeWooCommerce.Header(request, "Authorization"));
        Assert.StartsWith("application/json", FakeWooCommerce.Header(request, "Content-Type"), StringComparison.Ordinal);
        var body = FakeWooCommerce.Body(request);
        Assert.Equal(
            ["shop_id", "launch_secret", "server_url", "cookie_days", "attribution_model"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", body.GetProperty("shop_id").GetString());
        Assert.Equal("launch-secret-0123456789abcdef-0123456789", body.GetProperty("launch_secret").GetString());
        Assert.Equal("https://app.example.com", body.GetProperty("server_url").GetString());
        Assert.Equal(30, body.GetProperty("cookie_days").GetInt32());
        Assert.Equal("LastClick", body.GetProperty("attribution_model").GetString());
        Assert.DoesNotContain("launch-secret", config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginConfigGoesThroughRestRouteOnPlainPermalinks()
    {
        _woo.Server.Given(Request.Create().WithPath("/").UsingPost().WithParam("rest_route", "/shopaffiliate/v1/config"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{}"));

        Assert.True(await _woo.Client.PushConfigAsync(FakeWooCommerce.Store(plainPermalinks: true),
            new WooPluginConfig("42", null, "https://app.example.com", "acme", null, null, "marketing"), CancellationToken.None));

        var body = FakeWooCommerce.Body(Assert.Single(_woo.Requests));
        Assert.Equal("acme", body.GetProperty("workspace_slug").GetString());
        Assert.Equal("marketing", body.GetProperty("consent_category").GetString());
        Assert.False(body.TryGetProperty("launch_secret", out _));
    }

    [Fact]
    public async Task MissingPluginIsFalse()
    {
        _woo.Stub("POST", "/wp-json/shopaffiliate/v1/config",
            """{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}""", 404);

        Assert.False(await _woo.Client.PushConfigAsync(FakeWooCommerce.Store(),
            new WooPluginConfig("42", null, "https://app.example.com", null, null, null, null), CancellationToken.None));
    }

    [Fact]
    public async Task RefusedPluginConfigThrowsWithThePluginsFieldErrors()
    {
        _woo.Stub("POST", "/wp-json/shopaffiliate/v1/config",
            """{"code":"shopaffiliate_invalid_config","message":"Invalid configuration.","data":{"status":400,"errors":{"cookie_days":"cookie_days must be an integer from 1 to 365."}}}""",
            400);

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.PushConfigAsync(FakeWooCommerce.Store(),
            new WooPluginConfig("42", null, "https://app.example.com", null, 0, null, null), CancellationToken.None));

        Assert.Equal("shopaffiliate_invalid_config", error.ErrorCode);
        Assert.Contains("cookie_days must be an integer from 1 to 365.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableStoreSaysSoWithoutTheRequest()
    {
        _woo.Server.Stop(); // nothing listens any more

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.ListWebhooksAsync(
            FakeWooCommerce.Store(WooAuthMode.QueryString), CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.StartsWith("WooCommerce webhook list for shop.example.com failed: no response (", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.DoesNotContain(FakeWooCommerce.ConsumerSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"timezone_string":"","gmt_offset":2}""", "Etc/GMT-2")] // two hours east of UTC, POSIX signs inverted
    [InlineData("""{"timezone_string":"","gmt_offset":"-5"}""", "Etc/GMT+5")]
    [InlineData("""{"timezone_string":"","gmt_offset":"5.5"}""", null)] // no IANA zone for a fractional offset
    [InlineData("""{"timezone_string":"America/Sao_Paulo","gmt_offset":-3}""", "America/Sao_Paulo")]
    public async Task TheStoreTimeZoneComesFromWordPressTimezoneStringElseAWholeHourOffset(string wordPress, string? expected)
    {
        _woo.Stub("GET", "/wp-json/wc/v3/settings/general", """[{"id":"woocommerce_currency","label":"Currency","value":"brl"}]""");
        _woo.Stub("GET", "/wp-json/wp/v2/settings", wordPress);

        var settings = await _woo.Client.StoreSettingsAsync(FakeWooCommerce.Store(), CancellationToken.None);

        Assert.Equal(new WooStoreSettings("BRL", expected), settings);
    }

    [Fact]
    public async Task AStoreThatDoesNotSayItsCurrencyIsAnError()
    {
        _woo.Stub("GET", "/wp-json/wc/v3/settings/general", """[{"id":"woocommerce_store_city","value":"Aarhus"}]""");

        var error = await Assert.ThrowsAsync<WooApiException>(() => _woo.Client.StoreSettingsAsync(FakeWooCommerce.Store(), CancellationToken.None));

        Assert.Contains("woocommerce_currency", error.Message);
        Assert.DoesNotContain(_woo.Requests, r => r.RequestMessage!.Path == "/wp-json/wp/v2/settings");
    }
}
