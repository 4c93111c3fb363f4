using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.WooCommerce;
using ShopAffiliate.Web.Tests.Infrastructure;
using static ShopAffiliate.Web.Tests.Infrastructure.HostQueries;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// The WooCommerce plug-in through the host: connect, key callback, webhooks, reconciliation. WireMock plays the store
/// (on plain http, so REST calls are OAuth 1.0a signed as WooCommerce requires; Basic auth is covered by the client tests).
/// </summary>
public abstract class WooCommerceHostTests(Db provider) : IDisposable
{
    private const string PublicBaseUrl = "https://affiliates.example.com";
    private readonly WireMockServer _store = WireMockServer.Start();

    public void Dispose()
    {
        _store.Stop();
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    private string StoreUrl => $"http://127.0.0.1:{_store.Port}";

    private Task<TestApp> AppAsync() => TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
    {
        ["App:PublicBaseUrl"] = PublicBaseUrl,
        ["WooCommerce:AllowHttpStores"] = "true",
        // The tests run reconciliation themselves; the background loop only runs once at start (no stores yet).
        ["WooCommerce:ReconcileInterval"] = "1.00:00:00",
    });

    private static HttpClient Browser(TestApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private void StubJson(string path, string method, string json, int status = 200, IDictionary<string, string>? headers = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) response = response.WithHeader(name, value);
        _store.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(response);
    }

    /// <summary>
    /// A WooCommerce store with pretty permalinks, no webhooks yet, the companion plugin, and no orders, selling in
    /// <paramref name="currency"/>. WordPress's own settings answer 401 to the WooCommerce key, as they do in a stock
    /// install, unless <paramref name="wordPressSettings"/> is given.
    /// </summary>
    private void StubStore(string webhooks = "[]", string orders = "[]", bool keysWork = true, string currency = "USD", string? wordPressSettings = null)
    {
        StubJson("/wp-json/wc/v3/settings/general", "GET", JsonSerializer.Serialize(new object[]
        {
            new { id = "woocommerce_store_address", label = "Address line 1", type = "text", @default = "", value = "Nørrebrogade 12" },
            new { id = "woocommerce_currency", label = "Currency", type = "select", @default = "USD", value = currency },
            new { id = "woocommerce_price_num_decimals", label = "Number of decimals", type = "number", @default = "2", value = "2" },
        }));
        if (wordPressSettings is null)
            StubJson("/wp-json/wp/v2/settings", "GET", """{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":401}}""", 401);
        else
            StubJson("/wp-json/wp/v2/settings", "GET", wordPressSettings);
        StubJson("/wp-json/", "GET", """{"name":"Jane's Shop","namespaces":["oembed/1.0","wc/v3","shopaffiliate/v1"]}""");
        StubJson("/wp-json/wc/v3/webhooks", "GET", webhooks, headers: new Dictionary<string, string> { ["X-WP-TotalPages"] = "1" });
        _store.Given(Request.Create().WithPath("/wp-json/wc/v3/webhooks").UsingPost()).RespondWith(Response.Create().WithStatusCode(201)
            .WithHeader("Content-Type", "application/json")
            .WithBody(r => WebhookJson(91, "active", JsonDocument.Parse(r.Body!).RootElement.GetProperty("topic").GetString()!,
                JsonDocument.Parse(r.Body!).RootElement.GetProperty("delivery_url").GetString()!)));
        _store.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/wp-json/wc/v3/webhooks/\\d+$")).UsingPut())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(r =>
                WebhookJson(long.Parse(r.Path.Split('/').Last()), "active", "order.updated", "x")));
        if (keysWork)
            StubJson("/wp-json/wc/v3/orders", "GET", orders, headers: new Dictionary<string, string> { ["X-WP-TotalPages"] = "1", ["X-WP-Total"] = "0" });
        else
            StubJson("/wp-json/wc/v3/orders", "GET", """{"code":"woocommerce_rest_authentication_error","message":"Invalid signature - provided signature does not match.","data":{"status":401}}""", 401);
        StubJson("/wp-json/shopaffiliate/v1/config", "POST", """{"plugin_version":"1.0.0","updated":["shop_id"]}""");
    }

    /// <summary>The store's <c>GET /orders/{id}/refunds</c> for order 727 (pass refund objects, newest first as WooCommerce lists them).</summary>
    private Guid StubRefunds(int status, string body)
    {
        var guid = Guid.NewGuid();
        _store.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/727/refunds").UsingGet()).WithGuid(guid)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
        return guid;
    }

    /// <summary>A refund of order 727 as the store lists it: <paramref name="lineTotal"/> of line 315 (quantity 0: an amount only),
    /// and <paramref name="shipping"/> of its shipping line.</summary>
    private static string RefundJson(int id, string date, decimal lineTotal, decimal shipping = 0m) =>
        JsonSerializer.Serialize(new
        {
            id, date_created_gmt = date, amount = (lineTotal + shipping).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), reason = "",
            line_items = new[]
            {
                new
                {
                    id = id + 1000, product_id = 93, quantity = 0, total = (-lineTotal).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                    meta_data = new[] { new { id = id + 2000, key = "_refunded_item_id", value = "315" } },
                },
            },
            shipping_lines = shipping == 0m ? [] : new[] { new { id = id + 3000, total = (-shipping).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) } },
        });

    private static string WebhookJson(long id, string status, string topic, string deliveryUrl) =>
        JsonSerializer.Serialize(new { id, name = "ShopAffiliate " + topic, status, topic, resource = "order", @event = "updated", delivery_url = deliveryUrl });

    private IEnumerable<ILogEntry> Requests(string method, string path) =>
        _store.LogEntries.Where(e => e.RequestMessage!.Method == method && e.RequestMessage.Path == path);

    /// <summary>Opens the connect page with the API key and confirms it (the POST); the answer is the redirect to the store.</summary>
    private async Task<HttpResponseMessage> ConfirmedConnectAsync(TestApp app, string? storeUrl = null) =>
        await Forms.ConfirmAsync(Browser(app), $"/woocommerce/connect?store_url={Uri.EscapeDataString(storeUrl ?? StoreUrl)}&workspace={TestApp.ApiKey}", "/woocommerce/connect");

    /// <summary>Runs the whole connection: connect with the API key, then WooCommerce's key callback. Returns the shop.</summary>
    private async Task<Shop> ConnectAsync(TestApp app)
    {
        var connect = await ConfirmedConnectAsync(app);
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var userId = HttpUtility.ParseQueryString(connect.Headers.Location!.Query)["user_id"]!;
        var keys = await PostKeysAsync(app, JsonSerializer.Serialize(new
        {
            key_id = 1, user_id = userId, consumer_key = "ck_0123456789abcdef", consumer_secret = "cs_fedcba9876543210", key_permissions = "read_write",
        }));
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().SingleAsync();
    }

    /// <summary>Connects the store and approves Jane Doe (code "jane", the UTM source of <see cref="Order"/>); returns the shop and its webhook secret.</summary>
    private async Task<(Shop Shop, string Secret)> ConnectWithJaneAsync(TestApp app)
    {
        var shop = await ConnectAsync(app);
        await new Scenario(app).ApprovedAffiliateAsync("Jane Doe", "jane");
        return (shop, await WebhookSecretAsync(app, shop));
    }

    private static async Task<HttpResponseMessage> PostKeysAsync(TestApp app, string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new("application/json") { CharSet = "UTF-8" };
        return await app.CreateClient().PostAsync("/woocommerce/keys", content);
    }

    private static async Task<string> WebhookSecretAsync(TestApp app, Shop shop)
    {
        await using var scope = app.Scope();
        return scope.ServiceProvider.GetRequiredService<ShopSecrets>().WebhookSecret(shop)!;
    }

    private static async Task<HttpResponseMessage> DeliverAsync(TestApp app, Shop shop, string topic, string body, string? secret, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/woocommerce/{shop.Id}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-WC-Webhook-Source", "https://janes-shop.example/");
        request.Headers.Add("X-WC-Webhook-Topic", topic);
        request.Headers.Add("X-WC-Webhook-Resource", topic.Split('.')[0]);
        request.Headers.Add("X-WC-Webhook-Event", topic.Split('.')[1]);
        request.Headers.Add("X-WC-Webhook-ID", "91");
        request.Headers.Add("X-WC-Webhook-Delivery-ID", Guid.NewGuid().ToString("N")); // changes on every delivery
        request.Headers.Add("X-WC-Webhook-Signature", signature ?? WooWebhookSignature.Sign(bytes, secret!));
        request.Headers.UserAgent.ParseAdd("WooCommerce/9.8.1 Hookshot (WordPress/6.8)");
        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>The PROTOCOLS example order: 45.00 of merchandise after a 5.00 discount, attributed to "jane" by UTM source.</summary>
    private static string Order(string status, string modified = "2025-03-14T15:30:10", string? refunds = null, int id = 727, string utm = "aff-jane") => $$"""
        {"id":{{id}},"parent_id":0,"number":"{{id}}","status":"{{status}}","currency":"EUR","prices_include_tax":false,
         "date_created":"2025-03-14T16:28:02","date_created_gmt":"2025-03-14T15:28:02","date_modified":"2025-03-14T16:30:10","date_modified_gmt":"{{modified}}",
         "discount_total":"5.00","discount_tax":"0.00","shipping_total":"4.90","shipping_tax":"0.00","cart_tax":"0.00","total":"49.90","total_tax":"0.00",
         "customer_id":0,"billing":{"first_name":"Ana","last_name":"Garcia","email":"ana@example.com","country":"ES"},
         "payment_method":"stripe","transaction_id":"pi_1",
         "meta_data":[{"id":13106,"key":"_wc_order_attribution_utm_source","value":"{{utm}}"},{"id":13107,"key":"_wc_order_attribution_session_pages","value":"3"}],
         "line_items":[{"id":315,"name":"Hoodie","product_id":93,"variation_id":0,"quantity":1,"tax_class":"","subtotal":"50.00","subtotal_tax":"0.00","total":"45.00","total_tax":"0.00","taxes":[],"meta_data":[],"sku":"H-1","price":45}],
         "shipping_lines":[{"id":316,"method_title":"Flat rate","method_id":"flat_rate","total":"4.90","total_tax":"0.00"}],
         "coupon_lines":[],"refunds":[{{refunds ?? ""}}]}
        """;

    private static async Task<ShopAffiliate.Core.Orders.Order> OrderRowAsync(TestApp app, string externalId = "727")
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Orders.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.ExternalId == externalId);
    }

    [Fact]
    public async Task ConnectWithTheApiKeyRedirectsToTheStoresKeyApprovalOnceConfirmed()
    {
        StubStore();
        await using var app = await AppAsync();
        Assert.Equal(0, await CountAsync(app, db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.LastUsedAt != null)));

        var connect = await ConfirmedConnectAsync(app, StoreUrl + "/");

        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var location = connect.Headers.Location!;
        Assert.Equal($"{StoreUrl}/wc-auth/v1/authorize", location.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("ShopAffiliate", query["app_name"]);
        Assert.Equal("read_write", query["scope"]);
        Assert.Equal($"{PublicBaseUrl}/woocommerce/keys", query["callback_url"]);
        Assert.Equal($"{PublicBaseUrl}/woocommerce/return", query["return_url"]);
        Assert.False(string.IsNullOrEmpty(query["user_id"]));
        Assert.DoesNotContain(TestApp.ApiKey, location.ToString()); // the key stays with us
        // The same key lookup as the API's: the key shows as used in the admin's key list.
        Assert.Equal(1, await CountAsync(app, db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.LastUsedAt != null)));
    }

    [Fact]
    public async Task ConnectToAStoreWithPlainPermalinksUsesTheQueryForm()
    {
        // Plain permalinks: /wp-json/ is a 404 page, the REST API answers on ?rest_route=/.
        _store.Given(Request.Create().WithPath("/wp-json/").UsingGet()).RespondWith(Response.Create().WithStatusCode(404).WithBody("<html>Not found</html>"));
        _store.Given(Request.Create().WithPath("/").WithParam("rest_route", "/").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json").WithBody("""{"name":"Plain","namespaces":["wc/v3"]}"""));
        await using var app = await AppAsync();

        var connect = await ConfirmedConnectAsync(app);

        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var location = connect.Headers.Location!;
        Assert.Equal(StoreUrl + "/", location.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("1", query["wc-auth-version"]);
        Assert.Equal("authorize", query["wc-auth-route"]);
        Assert.Equal($"{PublicBaseUrl}/woocommerce/keys", query["callback_url"]);
    }

    [Fact]
    public async Task ASignedInOwnerConnectsByProgramSlugAfterSigningIn()
    {
        StubStore();
        await using var app = await AppAsync();
        var slug = await new Scenario(app).WithDbAsync(db => db.Workspaces.Select(w => w.Slug).SingleAsync());
        var browser = Browser(app);
        var url = $"/woocommerce/connect?store_url={Uri.EscapeDataString(StoreUrl)}&workspace={slug}";

        var anonymous = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/admin/login?ReturnUrl=", anonymous.Headers.Location!.OriginalString);

        var signedIn = await Forms.SubmitAsync(browser, "/admin/login",
            new Dictionary<string, string> { ["Input.Email"] = TestApp.OwnerEmail, ["Input.Password"] = TestApp.OwnerPassword });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var connect = await Forms.ConfirmAsync(browser, url, "/woocommerce/connect");
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        Assert.Equal($"{StoreUrl}/wc-auth/v1/authorize", connect.Headers.Location!.GetLeftPart(UriPartial.Path));
    }

    [Theory]
    [InlineData("ftp://shop.example.com")]
    [InlineData("")]
    public async Task ConnectRefusesWhatIsNotAStoreAddress(string storeUrl)
    {
        await using var app = await AppAsync();
        var response = await Browser(app).GetAsync($"/woocommerce/connect?store_url={Uri.EscapeDataString(storeUrl)}&workspace={TestApp.ApiKey}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ConnectWithAnUnknownApiKeyIs401()
    {
        StubStore();
        await using var app = await AppAsync();
        var response = await Browser(app).GetAsync($"/woocommerce/connect?store_url={Uri.EscapeDataString(StoreUrl)}&workspace=sa_not_a_real_key_000000000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheKeyCallbackStoresEncryptedKeysCreatesTheWebhooksAndConfiguresThePlugin()
    {
        StubStore();
        await using var app = await AppAsync();

        var shop = await ConnectAsync(app);

        Assert.Equal(ShopPlatform.WooCommerce, shop.Platform);
        Assert.Equal($"127.0.0.1:{_store.Port}", shop.Domain);
        Assert.Equal(StoreUrl, shop.BaseUrl);
        Assert.Equal(nameof(WooAuthMode.OAuth1), shop.ApiAuth);
        Assert.Null(shop.SyncError);
        Assert.DoesNotContain("cs_fedcba9876543210", shop.EncryptedCredentials); // encrypted at rest
        await using (var scope = app.Scope())
        {
            var credentials = scope.ServiceProvider.GetRequiredService<ShopSecrets>().Credentials(shop)!;
            Assert.Equal("ck_0123456789abcdef", credentials.ConsumerKey);
            Assert.Equal("cs_fedcba9876543210", credentials.ConsumerSecret);
        }

        // The keys were checked with a signed REST call before anything else.
        var check = Requests("GET", "/wp-json/wc/v3/orders").First();
        Assert.Equal("ck_0123456789abcdef", check.RequestMessage!.Query!["oauth_consumer_key"].Single());
        Assert.Equal("HMAC-SHA256", check.RequestMessage.Query["oauth_signature_method"].Single());

        var secret = await WebhookSecretAsync(app, shop);
        Assert.Matches("^[A-Za-z0-9]{32,}$", secret);
        var created = Requests("POST", "/wp-json/wc/v3/webhooks").Select(e => JsonDocument.Parse(e.RequestMessage!.Body!).RootElement).ToList();
        Assert.Equal(["order.created", "order.deleted", "order.restored", "order.updated"], created.Select(w => w.GetProperty("topic").GetString()).Order());
        Assert.All(created, w =>
        {
            Assert.Equal($"{PublicBaseUrl}/webhooks/woocommerce/{shop.Id}", w.GetProperty("delivery_url").GetString());
            Assert.Equal(secret, w.GetProperty("secret").GetString());
        });

        var config = JsonDocument.Parse(Requests("POST", "/wp-json/shopaffiliate/v1/config").Single().RequestMessage!.Body!).RootElement;
        Assert.Equal(shop.Id.ToString(), config.GetProperty("shop_id").GetString());
        Assert.Equal(PublicBaseUrl, config.GetProperty("server_url").GetString());
        Assert.Equal(30, config.GetProperty("cookie_days").GetInt32());
        Assert.True(config.GetProperty("launch_secret").GetString()!.Length >= 32);
    }

    [Fact]
    public async Task ConnectingADanishStoreGivesTheProgramItsCurrencyAndTimeZone()
    {
        StubStore(currency: "DKK", wordPressSettings: """{"title":"Hygge Hjem","timezone_string":"Europe/Copenhagen","gmt_offset":1,"date_format":"j. F Y"}""");
        await using var app = await AppAsync();

        var shop = await ConnectAsync(app);

        Assert.Null(shop.SyncError);
        Assert.Equal(("DKK", "Europe/Copenhagen"), (shop.Currency, shop.TimeZone));
        var api = app.ApiClient();
        Assert.Equal("Europe/Copenhagen", (await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("timeZone").GetString());
        await using var scope = app.Scope();
        Assert.Equal("DKK", (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.SingleAsync()).Currency); // no orders yet
    }

    [Fact]
    public async Task AStoreWhoseWordPressSettingsAreClosedToTheKeyLeavesTheProgramOnUtc()
    {
        StubStore(currency: "EUR");
        await using var app = await AppAsync();

        var shop = await ConnectAsync(app);

        Assert.Null(shop.SyncError);
        Assert.Equal(("EUR", null), (shop.Currency, shop.TimeZone));
        Assert.Equal("UTC", (await app.ApiClient().GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task AKeyCallbackWithANumericUserIdIsReadAndRefusedCleanly()
    {
        StubStore();
        await using var app = await AppAsync();

        // WooCommerce echoes our user_id, sometimes as a JSON number. Ours is an opaque token, so a number is never ours:
        // a clear 400 (WooCommerce then deletes the key), not a 500, and nothing stored.
        var response = await PostKeysAsync(app,
            """{"key_id":3,"user_id":123,"consumer_key":"ck_0123456789abcdef","consumer_secret":"cs_fedcba9876543210","key_permissions":"read_write"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Press Connect again", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await CountAsync(app, db => db.Shops.IgnoreQueryFilters()));
        Assert.Empty(Requests("GET", "/wp-json/wc/v3/orders"));
    }

    [Fact]
    public async Task AKeyCallbackWhoseKeysDoNotWorkIsRefusedSoWooCommerceDeletesThem()
    {
        StubStore(keysWork: false);
        await using var app = await AppAsync();
        var connect = await ConfirmedConnectAsync(app);
        var userId = HttpUtility.ParseQueryString(connect.Headers.Location!.Query)["user_id"]!;

        var response = await PostKeysAsync(app, JsonSerializer.Serialize(new
        {
            key_id = "1", user_id = userId, consumer_key = "ck_0123456789abcdef", consumer_secret = "cs_wrong", key_permissions = "read_write",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("woocommerce_rest_authentication_error", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(0, await CountAsync(app, db => db.Shops.IgnoreQueryFilters()));
        Assert.Empty(Requests("POST", "/wp-json/wc/v3/webhooks"));
    }

    [Fact]
    public async Task TheUnsignedPingIsAnswered200AndStoresNothing()
    {
        StubStore();
        await using var app = await AppAsync();
        var shop = await ConnectAsync(app);

        var ping = new StringContent("webhook_id=91", Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await app.CreateClient().PostAsync($"/webhooks/woocommerce/{shop.Id}", ping);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await CountAsync(app, db => db.Inbox));
    }

    [Fact]
    public async Task ASignedOrderIsCreditedOnceEvenWhenDeliveredTwice()
    {
        StubStore();
        await using var app = await AppAsync();
        var shop = await ConnectAsync(app);
        var jane = (await new Scenario(app).ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();
        var secret = await WebhookSecretAsync(app, shop);

        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app, shop, "order.created", Order("processing"), secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app, shop, "order.created", Order("processing"), secret)).StatusCode);
        await WaitForInboxAsync(app);

        Assert.Equal(1, await CountAsync(app, db => db.Inbox));
        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(jane, commission.AffiliateId);
        Assert.Equal(4.50m, commission.Amount); // 10 % of the 45.00 line after discount; no shipping, no tax
        Assert.Equal("EUR", commission.Currency);
        Assert.Equal(CommissionStatus.Pending, commission.Status);
        var order = await OrderRowAsync(app);
        Assert.Equal(OrderState.Paid, order.State);
        Assert.Contains("Jane Doe", order.AttributionExplanation);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bm90IHRoZSBzaWduYXR1cmU=")]
    [InlineData("%%%")]
    public async Task ADeliveryWithABadSignatureIs401AndStoresNothing(string? signature)
    {
        StubStore();
        await using var app = await AppAsync();
        var shop = await ConnectAsync(app);

        var response = await DeliverAsync(app, shop, "order.created", Order("processing"), secret: "the-wrong-secret-0123456789", signature: signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CountAsync(app, db => db.Inbox));
    }

    [Fact]
    public async Task EachStatusTransitionAndAPartialRefundGiveTheRightCommission()
    {
        StubStore();
        // Refund 731: 10.00 of the hoodie line; refund 740: the other 35.00 of it and the 4.90 shipping.
        StubRefunds(200, $"[{RefundJson(740, "2025-03-20T09:00:00", 35.00m, 4.90m)},{RefundJson(731, "2025-03-15T09:00:00", 10.00m)}]");
        await using var app = await AppAsync();
        var (shop, secret) = await ConnectWithJaneAsync(app);

        async Task<(OrderState? State, decimal Amount, CommissionStatus Status)> Deliver(string topic, string body)
        {
            Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app, shop, topic, body, secret)).StatusCode);
            await WaitForInboxAsync(app);
            var commission = Assert.Single(await CommissionsAsync(app));
            return ((await OrderRowAsync(app)).State, commission.Amount, commission.Status);
        }

        // Placed, not paid: recorded, not yet earned (pending payment is never approved).
        Assert.Equal((OrderState.Pending, 4.50m, CommissionStatus.Pending), await Deliver("order.created", Order("pending", "2025-03-14T15:28:03")));
        Assert.Equal((OrderState.Pending, 4.50m, CommissionStatus.Pending), await Deliver("order.updated", Order("on-hold", "2025-03-14T15:29:00")));
        Assert.Equal((OrderState.Paid, 4.50m, CommissionStatus.Pending), await Deliver("order.updated", Order("processing", "2025-03-14T15:30:10")));
        // A partial refund of 10.00 of the 45.00 line keeps 35/45 of the commission.
        Assert.Equal((OrderState.Paid, 3.50m, CommissionStatus.Pending),
            await Deliver("order.updated", Order("processing", "2025-03-15T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}""")));
        Assert.Equal((OrderState.Paid, 3.50m, CommissionStatus.Pending),
            await Deliver("order.updated", Order("completed", "2025-03-16T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}""")));
        Assert.Equal((OrderState.Cancelled, 0m, CommissionStatus.Reversed),
            await Deliver("order.updated", Order("cancelled", "2025-03-17T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}""")));
        Assert.Equal((OrderState.Paid, 3.50m, CommissionStatus.Pending),
            await Deliver("order.restored", Order("processing", "2025-03-18T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}""")));
        Assert.Equal((OrderState.Cancelled, 0m, CommissionStatus.Reversed), await Deliver("order.deleted", """{"id":727}"""));
        Assert.Equal((OrderState.Paid, 3.50m, CommissionStatus.Pending),
            await Deliver("order.restored", Order("processing", "2025-03-19T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}""")));
        // Fully refunded: the second refund takes the rest of the line (and the shipping, which earns nothing); nothing is
        // left to approve, so the commission is closed as Reversed.
        Assert.Equal((OrderState.Paid, 0m, CommissionStatus.Reversed), await Deliver("order.updated", Order("refunded", "2025-03-20T09:00:00",
            refunds: """{"id":740,"reason":"","total":"-39.90"},{"id":731,"reason":"","total":"-10.00"}""")));
        Assert.Equal("Refunds took the whole commission.", Assert.Single(await CommissionsAsync(app)).StatusReason);
        // The store was asked once per new refund: not again for deliveries that carried only refunds already applied.
        Assert.Equal(2, Requests("GET", "/wp-json/wc/v3/orders/727/refunds").Count());
    }

    private const string Refund731 = """{"id":731,"reason":"","total":"-10.00"}""";

    /// <summary>
    /// Connects the store with Jane, whose order 727 then arrives with refund 731 while the store refuses to list refunds
    /// (403): the refund is spread over the order. Returns the refusing stub, to take away.
    /// </summary>
    private async Task<(Shop Shop, string Secret, Guid Refusal)> SpreadRefund731Async(TestApp app)
    {
        var refusal = StubRefunds(403, """{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":403}}""");
        var (shop, secret) = await ConnectWithJaneAsync(app);
        await DeliverAsync(app, shop, "order.updated", Order("processing", "2025-03-15T09:00:00", refunds: Refund731), secret);
        await WaitForInboxAsync(app);
        return (shop, secret, refusal);
    }

    [Fact]
    public async Task RefundWhoseLinesTheStoreWillNotGiveIsSpreadOverTheOrder()
    {
        StubStore();
        await using var app = await AppAsync();

        await SpreadRefund731Async(app);

        // 10.00 of a 49.90 order with 45.00 of merchandise: 9.018 of merchandise, so 4.50 x (45 - 9.018) / 45 = 3.598.
        Assert.Equal(3.60m, Assert.Single(await CommissionsAsync(app)).Amount);
        Assert.True((await OrderRowAsync(app)).RefundsFromTotals);
        Assert.Equal(1, await CountAsync(app, db => db.Inbox.Where(m => m.Status == InboxStatus.Processed)));
        Assert.Single(Requests("GET", "/wp-json/wc/v3/orders/727/refunds"));
    }

    [Fact]
    public async Task RefundSpreadOverTheOrderIsCorrectedByItsLinesOnTheOrdersNextDelivery()
    {
        StubStore();
        await using var app = await AppAsync();
        var (shop, secret, refused) = await SpreadRefund731Async(app);
        Assert.Equal(3.60m, Assert.Single(await CommissionsAsync(app)).Amount);

        // The merchant gave the key its rights back; the order's next delivery (marked completed) reads the lines.
        _store.DeleteMapping(refused);
        StubRefunds(200, $"[{RefundJson(731, "2025-03-15T09:00:00", 10.00m)}]");
        await DeliverAsync(app, shop, "order.updated", Order("completed", "2025-03-16T09:00:00", refunds: Refund731), secret);
        await WaitForInboxAsync(app);

        // 10.00 of the 45.00 line: 35/45 of 4.50, in place of the spread 3.60.
        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(3.50m, commission.Amount);
        Assert.False((await OrderRowAsync(app)).RefundsFromTotals);
        var ledger = await LedgerAsync(app);
        Assert.Equal(3.50m, ledger.Sum(e => e.Amount));
        Assert.Contains(ledger, e => e.Amount == -0.10m && e.Description.Contains("read again with its lines", StringComparison.Ordinal));

        // Read once: later deliveries ask the store nothing.
        await DeliverAsync(app, shop, "order.updated", Order("completed", "2025-03-17T09:00:00", refunds: Refund731), secret);
        await WaitForInboxAsync(app);
        Assert.Equal(3.50m, Assert.Single(await CommissionsAsync(app)).Amount);
        Assert.Equal(2, Requests("GET", "/wp-json/wc/v3/orders/727/refunds").Count());
    }

    [Fact]
    public async Task ReconciliationReadsASpreadRefundAgainOnceTheStoreGivesItsLines()
    {
        StubStore();
        await using var app = await AppAsync();
        var (_, _, refused) = await SpreadRefund731Async(app);
        StubJson("/wp-json/wc/v3/orders/727", "GET", Order("processing", "2025-03-15T09:00:00", refunds: Refund731));

        async Task<Shop> ReconcileAsync()
        {
            await using var scope = app.Scope();
            await scope.ServiceProvider.GetRequiredService<WooReconciler>().RunOnceAsync(CancellationToken.None);
            return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().AsNoTracking().SingleAsync();
        }

        // Still refused: the estimate stays, and the merchant sees why.
        var stillRefused = await ReconcileAsync();
        Assert.Contains("Refund lines could not be read", stillRefused.SyncError);
        Assert.Contains("Sorry, you cannot list resources.", stillRefused.SyncError);
        Assert.NotNull(stillRefused.SyncedThrough); // the poll itself went on
        Assert.Equal(3.60m, Assert.Single(await CommissionsAsync(app)).Amount);

        _store.DeleteMapping(refused);
        StubRefunds(200, $"[{RefundJson(731, "2025-03-15T09:00:00", 10.00m)}]");
        var fixedShop = await ReconcileAsync();

        Assert.Null(fixedShop.SyncError);
        Assert.Equal(3.50m, Assert.Single(await CommissionsAsync(app)).Amount);
        Assert.False((await OrderRowAsync(app)).RefundsFromTotals);
        Assert.Equal(3.50m, (await LedgerAsync(app)).Sum(e => e.Amount));

        // Nothing is left estimated: the next run asks about no order.
        _store.ResetLogEntries();
        await ReconcileAsync();
        Assert.Empty(Requests("GET", "/wp-json/wc/v3/orders/727"));
        Assert.Empty(Requests("GET", "/wp-json/wc/v3/orders/727/refunds"));
    }

    [Fact]
    public async Task RefundLinesAreFetchedAgainAfterTheStoreFailedForAMoment()
    {
        StubStore();
        var failing = StubRefunds(503, """{"code":"internal_server_error","message":"Try later.","data":{"status":503}}""");
        await using var app = await AppAsync();
        var (shop, secret) = await ConnectWithJaneAsync(app);

        await DeliverAsync(app, shop, "order.updated", Order("processing", "2025-03-15T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}"""), secret);

        // The delivery failed and waits for a retry; the order itself is in, the refund is not.
        var failed = await Eventually.HoldsAsync(async () =>
        {
            await using var scope = app.Scope();
            return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Inbox.AsNoTracking().SingleAsync();
        }, m => m.LastError is not null, "the first attempt to fail");
        Assert.Equal(InboxStatus.Pending, failed.Status);
        Assert.Contains("HTTP 503", failed.LastError);
        Assert.Equal(4.50m, Assert.Single(await CommissionsAsync(app)).Amount);

        _store.DeleteMapping(failing);
        StubRefunds(200, $"[{RefundJson(731, "2025-03-15T09:00:00", 10.00m)}]");
        await Eventually.HoldsAsync(() => CountAsync(app, db => db.Inbox.Where(m => m.Status == InboxStatus.Processed)), n => n == 1,
            "the retry to go through", timeoutMs: 30_000);

        // The lines this time: 10.00 of the 45.00 line, 35/45 of 4.50.
        Assert.Equal(3.50m, Assert.Single(await CommissionsAsync(app)).Amount);
    }

    [Fact]
    public async Task RefundLinesThatKeepFailingFallBackToTheTotalsOnTheLastAttempt()
    {
        StubStore();
        StubRefunds(503, """{"code":"internal_server_error","message":"Try later.","data":{"status":503}}""");
        await using var app = await AppAsync();
        var (shop, secret) = await ConnectWithJaneAsync(app);

        await DeliverAsync(app, shop, "order.updated", Order("processing", "2025-03-15T09:00:00", refunds: """{"id":731,"reason":"","total":"-10.00"}"""), secret);
        await Eventually.HoldsAsync(() => CountAsync(app, db => db.Inbox.Where(m => m.LastError != null)), n => n == 1, "the first attempt to fail");

        // Skip the backoff: the next attempt is the last one.
        await using (var scope = app.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Inbox.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, InboxMessage.MaxAttempts - 1)
                .SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddMinutes(-1)));
            scope.ServiceProvider.GetRequiredService<InboxSignal>().Notify();
        }
        await Eventually.HoldsAsync(() => CountAsync(app, db => db.Inbox.Where(m => m.Status == InboxStatus.Processed)), n => n == 1,
            "the last attempt to go through", timeoutMs: 20_000);

        // Applied from the totals, spread over the order (as when the store refuses): 3.598, not left unapplied.
        Assert.Equal(3.60m, Assert.Single(await CommissionsAsync(app)).Amount);
        Assert.Equal(2, Requests("GET", "/wp-json/wc/v3/orders/727/refunds").Count());
    }

    [Fact]
    public async Task FailedAndTrashedOrdersAreReversed()
    {
        StubStore();
        await using var app = await AppAsync();
        var (shop, secret) = await ConnectWithJaneAsync(app);

        await DeliverAsync(app, shop, "order.created", Order("processing", "2025-03-14T15:30:10", id: 800), secret);
        await DeliverAsync(app, shop, "order.created", Order("processing", "2025-03-14T15:30:10", id: 801), secret);
        await DeliverAsync(app, shop, "order.updated", Order("failed", "2025-03-14T16:00:00", id: 800), secret);
        await DeliverAsync(app, shop, "order.updated", Order("trash", "2025-03-14T16:00:00", id: 801), secret);
        await WaitForInboxAsync(app);

        var commissions = await CommissionsAsync(app);
        Assert.Equal(2, commissions.Count);
        Assert.All(commissions, c => Assert.Equal((0m, CommissionStatus.Reversed), (c.Amount, c.Status)));
    }

    [Fact]
    public async Task ReconciliationCreditsAnOrderWhoseWebhookNeverCameOnceAndReEnablesADisabledWebhook()
    {
        StubStore();
        await using var app = await AppAsync();
        var shop = await ConnectAsync(app);
        await new Scenario(app).ApprovedAffiliateAsync("Jane Doe", "jane");
        var url = $"{PublicBaseUrl}/webhooks/woocommerce/{shop.Id}";

        // Since connecting: WooCommerce disabled our order.updated webhook after failed deliveries, and order 950 was
        // placed while it was down.
        _store.ResetMappings();
        StubStore(
            webhooks: "[" + string.Join(",", WebhookJson(91, "active", "order.created", url), WebhookJson(92, "disabled", "order.updated", url),
                WebhookJson(93, "active", "order.deleted", url), WebhookJson(94, "active", "order.restored", url),
                WebhookJson(95, "active", "order.updated", "https://someone-else.example/hook")) + "]",
            orders: "[" + Order("processing", "2026-11-20T10:00:00", id: 950) + "]");
        _store.ResetLogEntries();

        await using (var scope = app.Scope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<WooReconciler>().RunOnceAsync(CancellationToken.None));
        await WaitForInboxAsync(app);
        await using (var scope = app.Scope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<WooReconciler>().RunOnceAsync(CancellationToken.None)); // already seen
        await WaitForInboxAsync(app);

        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(4.50m, commission.Amount);
        Assert.Equal(OrderState.Paid, (await OrderRowAsync(app, "950")).State);
        var reEnabled = Requests("PUT", "/wp-json/wc/v3/webhooks/92").ToList();
        Assert.NotEmpty(reEnabled);
        Assert.Equal("active", JsonDocument.Parse(reEnabled[0].RequestMessage!.Body!).RootElement.GetProperty("status").GetString());
        Assert.Empty(Requests("POST", "/wp-json/wc/v3/webhooks")); // nothing missing, nothing created
        Assert.Empty(Requests("PUT", "/wp-json/wc/v3/webhooks/95")); // not ours

        var poll = Requests("GET", "/wp-json/wc/v3/orders").First().RequestMessage!.Query!;
        Assert.Equal("modified", poll["orderby"].Single());
        Assert.Equal("asc", poll["order"].Single());
        Assert.True(DateTime.Parse(poll["modified_after"].Single(), null, System.Globalization.DateTimeStyles.AdjustToUniversal) < DateTime.UtcNow.AddDays(-59));

        // The webhook arriving late after all changes nothing.
        var secret = await WebhookSecretAsync(app, shop);
        await DeliverAsync(app, shop, "order.created", Order("processing", "2026-11-20T10:00:00", id: 950), secret);
        await WaitForInboxAsync(app);
        Assert.Equal(4.50m, Assert.Single(await CommissionsAsync(app)).Amount);
    }

    [Fact]
    public async Task CouponsArePushedToTheStoreAndADuplicateCodeIsReportedTaken()
    {
        StubStore();
        _store.Given(Request.Create().WithPath("/wp-json/wc/v3/coupons").UsingPost().WithBody((string? b) => b is not null && b.Contains("\"jane10\"")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":501,"code":"jane10"}"""));
        _store.Given(Request.Create().WithPath("/wp-json/wc/v3/coupons").UsingPost().WithBody((string? b) => b is not null && b.Contains("\"summer\"")))
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json").WithBody(
                """{"code":"woocommerce_rest_coupon_code_already_exists","message":"The coupon code already exists","data":{"status":400}}"""));
        await using var app = await AppAsync();
        await ConnectAsync(app);
        var s = new Scenario(app);
        var jane = (await s.ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();

        var created = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "JANE10", discountType = "Percentage", amount = 10 });
        var taken = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "SUMMER", discountType = "FixedAmount", amount = 5 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var synced = Assert.Single((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shops").EnumerateArray());
        Assert.Equal("Synced", synced.GetProperty("status").GetString());
        var refused = Assert.Single((await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shops").EnumerateArray());
        Assert.Equal("Taken", refused.GetProperty("status").GetString());
        Assert.Contains("already has a discount with the code SUMMER", refused.GetProperty("error").GetString());
        var sent = Requests("POST", "/wp-json/wc/v3/coupons").Select(e => JsonDocument.Parse(e.RequestMessage!.Body!).RootElement).ToList();
        Assert.Equal(("percent", "10.00"), (sent[0].GetProperty("discount_type").GetString(), sent[0].GetProperty("amount").GetString()));
        Assert.Equal("fixed_cart", sent[1].GetProperty("discount_type").GetString());
    }

    [Fact]
    public async Task ASignedLaunchLinkSignsTheStoreAdminInOnceAndOnlyOnce()
    {
        StubStore();
        await using var app = await AppAsync();
        var shop = await ConnectAsync(app);
        string launchSecret;
        await using (var scope = app.Scope())
            launchSecret = scope.ServiceProvider.GetRequiredService<ShopSecrets>().LaunchSecret(shop)!;
        var parameters = new Dictionary<string, string>
        {
            ["shop"] = shop.Id.ToString(), ["user"] = "7", ["email"] = "ana+shop@example.com", ["nonce"] = "0123456789abcdef",
            ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
        };
        var link = "/woocommerce/launch?" + WooLaunchLink.Canonical(parameters) + "&sig=" + WooLaunchLink.Sign(parameters, launchSecret);
        var browser = Browser(app);

        var launch = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        Assert.Equal("/admin", launch.Headers.Location!.OriginalString);
        var admin = await browser.GetAsync(launch.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode); // signed in: the panel, not the sign-in page
        Assert.Contains("Test Program", await admin.Content.ReadAsStringAsync());
        // The staff list's "last sign-in" counts the launch, as it counts a password sign-in.
        await using (var scope = app.Scope())
        {
            var signedInAt = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users
                .Where(u => u.NormalizedEmail == "ANA+SHOP@EXAMPLE.COM").Select(u => u.LastSignInAt).SingleAsync();
            Assert.NotNull(signedInAt);
            Assert.True(signedInAt > DateTime.UtcNow.AddMinutes(-5), $"last sign-in {signedInAt:O}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser(app).GetAsync(link)).StatusCode); // replayed
        // A fresh, correctly signed link, changed after signing: only the signature can refuse it (its nonce is unused).
        parameters["nonce"] = "00112233445566ff";
        var fresh = "/woocommerce/launch?" + WooLaunchLink.Canonical(parameters) + "&sig=" + WooLaunchLink.Sign(parameters, launchSecret);
        var tampered = fresh.Replace("user=7", "user=8");
        Assert.NotEqual(fresh, tampered);
        var refused = await Browser(app).GetAsync(tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("could not be verified", await refused.Content.ReadAsStringAsync());
        parameters["nonce"] = "fedcba9876543210";
        parameters["ts"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds().ToString();
        var stale = "/woocommerce/launch?" + WooLaunchLink.Canonical(parameters) + "&sig=" + WooLaunchLink.Sign(parameters, launchSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser(app).GetAsync(stale)).StatusCode);
    }
}

public sealed class WooCommerceHostOnSqlite() : WooCommerceHostTests(Db.Sqlite);

public sealed class WooCommerceHostOnPostgres() : WooCommerceHostTests(Db.Postgres);
