using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;
using static ShopAffiliate.Web.Tests.Infrastructure.HostQueries;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests;

/// <summary>The Shopify plug-in through the host: install, embedded admin, webhooks. WireMock plays the shop.</summary>
public abstract class ShopifyHostTests(Db provider) : IDisposable
{
    private const string Shop = FakeShopify.Shop;
    private readonly WireMockServer _shopify = WireMockServer.Start();
    private readonly FakeTimeProvider _clock = new(SessionTokens.Now);

    public void Dispose()
    {
        _shopify.Stop();
        _shopify.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<TestApp> AppAsync(bool bootstrap = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Shopify:ApiKey"] = FakeShopify.ApiKey,
            ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
            ["Shopify:ShopBaseUrl"] = $"http://127.0.0.1:{_shopify.Port}",
            ["App:PublicBaseUrl"] = "https://affiliates.example.com",
        };
        void Services(IServiceCollection s) => s.AddSingleton<TimeProvider>(_clock);
        return bootstrap ? TestApp.BootstrappedAsync(provider, settings, Services) : TestApp.CreateAsync(provider, settings, Services);
    }

    private void StubShopify(string currency = "USD", string timeZone = "America/New_York")
    {
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("shop {")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(new JsonObject
            {
                ["data"] = new JsonObject { ["shop"] = new JsonObject { ["currencyCode"] = currency, ["ianaTimezone"] = timeZone } },
            }.ToJsonString()));
        _shopify.Given(Request.Create().WithPath("/admin/oauth/access_token").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"access_token":"shpat_offline","scope":"read_orders,write_discounts","expires_in":3600,"refresh_token":"shprt_1","refresh_token_expires_in":7776000}"""));
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptions(")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"data":{"webhookSubscriptions":{"edges":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}"""));
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("orders(first")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"data":{"orders":{"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}}}"""));
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptionCreate")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"data":{"webhookSubscriptionCreate":{"webhookSubscription":{"id":"gid://shopify/WebhookSubscription/1"},"userErrors":[]}}}"""));
    }

    private string SignedQuery(IDictionary<string, string> extra, string secret = FakeShopify.ApiSecret)
    {
        var query = new Dictionary<string, string>(extra)
        {
            ["shop"] = extra.TryGetValue("shop", out var shop) ? shop : Shop,
            ["timestamp"] = extra.TryGetValue("timestamp", out var ts) ? ts : _clock.GetUtcNow().ToUnixTimeSeconds().ToString(),
            ["host"] = "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvamFuZXMtc2hvcA",
        };
        var hmac = ShopifyHmac.SignQuery(query, secret);
        return string.Join("&", query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")) + "&hmac=" + hmac;
    }

    private static HttpClient Browser(TestApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task InstallRunsOAuthStoresAnEncryptedTokenAndRegistersTheWebhooks()
    {
        StubShopify();
        await using var app = await AppAsync(bootstrap: false);
        var browser = Browser(app);

        var launch = await browser.GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        var authorize = launch.Headers.Location!;
        Assert.Equal("/admin/oauth/authorize", authorize.AbsolutePath);
        var state = HttpUtility.ParseQueryString(authorize.Query)["state"]!;
        Assert.Equal("https://affiliates.example.com/shopify/callback", HttpUtility.ParseQueryString(authorize.Query)["redirect_uri"]);

        var callback = await browser.GetAsync("/shopify/callback?" + SignedQuery(new Dictionary<string, string> { ["code"] = "auth-code-1", ["state"] = state }));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"https://{Shop}/admin/apps/{FakeShopify.ApiKey}", callback.Headers.Location!.ToString());
        var tokenRequest = JsonDocument.Parse(_shopify.LogEntries.First(e => e.RequestMessage!.Path == "/admin/oauth/access_token").RequestMessage!.Body!).RootElement;
        Assert.Equal("auth-code-1", tokenRequest.GetProperty("code").GetString());
        Assert.Equal(FakeShopify.ApiSecret, tokenRequest.GetProperty("client_secret").GetString());
        var created = _shopify.LogEntries.Where(e => e.RequestMessage!.Body!.Contains("webhookSubscriptionCreate")).ToList();
        Assert.Equal(ShopifyInstaller_Topics.Length, created.Count);
        Assert.All(created, e => Assert.Equal("shpat_offline", FakeShopify.Header(e, "X-Shopify-Access-Token")));
        Assert.Contains(created, e => e.RequestMessage!.Body!.Contains("ORDERS_CREATE") && e.RequestMessage.Body.Contains("https://affiliates.example.com/webhooks/shopify"));

        await using var scope = app.Scope();
        var shop = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(Shop, shop.Domain);
        Assert.DoesNotContain("shpat_offline", shop.EncryptedCredentials); // encrypted at rest
        var credentials = scope.ServiceProvider.GetRequiredService<ShopSecrets>().Credentials(shop)!;
        Assert.Equal("shpat_offline", credentials.AccessToken);
        Assert.Equal("shprt_1", credentials.RefreshToken);
    }

    [Fact]
    public async Task AStaffMemberConnectsAStoreToTheirExistingProgram()
    {
        StubShopify();
        await using var app = await AppAsync();
        var workspaceId = await new Scenario(app).WorkspaceIdAsync();
        var browser = Browser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync($"/shopify/connect?shop=janes-shop&workspace={workspaceId}")).StatusCode); // to sign-in
        var signedIn = await Forms.SubmitAsync(browser, "/admin/login",
            new Dictionary<string, string> { ["Input.Email"] = TestApp.OwnerEmail, ["Input.Password"] = TestApp.OwnerPassword });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var connect = await browser.GetAsync($"/shopify/connect?shop=janes-shop&workspace={workspaceId}");
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var state = HttpUtility.ParseQueryString(connect.Headers.Location!.Query)["state"]!;
        var callback = await browser.GetAsync("/shopify/callback?" + SignedQuery(new Dictionary<string, string> { ["code"] = "c-9", ["state"] = state }));

        Assert.Equal("/admin?connected=janes-shop.myshopify.com", callback.Headers.Location!.OriginalString);
        await using var scope = app.Scope();
        var shop = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(workspaceId, shop.WorkspaceId); // attached, not a new program
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.CountAsync());
    }

    [Fact]
    public async Task InstallingADanishShopCreatesADkkProgramInCopenhagenTimeWhosePayoutsDefaultToDkk()
    {
        StubShopify(currency: "DKK", timeZone: "Europe/Copenhagen");
        await using var app = await AppAsync(bootstrap: false);
        var browser = Browser(app);
        var launch = await browser.GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string>()));
        var state = HttpUtility.ParseQueryString(launch.Headers.Location!.Query)["state"]!;
        var callback = await browser.GetAsync("/shopify/callback?" + SignedQuery(new Dictionary<string, string> { ["code"] = "auth-code-dk", ["state"] = state }));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);

        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal("DKK", (await db.Workspaces.SingleAsync()).Currency);
            var shop = await db.Shops.IgnoreQueryFilters().SingleAsync();
            Assert.Equal(("DKK", "Europe/Copenhagen"), (shop.Currency, shop.TimeZone));
        }
        var api = app.CreateClient(); // the embedded admin's session token: a shop-created program has no API key
        api.DefaultRequestHeaders.Authorization = new("Bearer", SessionTokens.Create(SessionTokens.Claims()));
        var settings = await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program");
        Assert.Equal("Europe/Copenhagen", settings.GetProperty("timeZone").GetString());

        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Jane Doe", email = "jane@example.dk", referralCode = "jane" });
        var jane = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/affiliates/{jane}/approve", new { reason = "Danish blogger" })).StatusCode);
        await DeliverAsync(app, "orders/create", DanishOrderPayloads.Placed);
        await WaitForInboxAsync(app);
        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal((89.58m, "DKK"), (commission.Amount, commission.Currency));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/commissions/{commission.Id}/approve", new { reason = "Checked" })).StatusCode);

        var batch = await api.PostAsJsonAsync("/api/v1/payouts/batches", new { });

        Assert.True(batch.StatusCode == HttpStatusCode.Created, await batch.Content.ReadAsStringAsync());
        var body = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DKK", body.GetProperty("currency").GetString());
        Assert.Equal("89.58", body.GetProperty("total").GetProperty("amount").GetString());
    }

    private static readonly string[] ShopifyInstaller_Topics = ShopAffiliate.Web.Features.Shopify.ShopifyInstaller.Topics;

    [Theory]
    [InlineData("tampered")]
    [InlineData("stale")]
    [InlineData("wrong-secret")]
    public async Task AnInstallQueryThatFailsVerificationIs401AndStoresNothing(string how)
    {
        StubShopify();
        await using var app = await AppAsync(bootstrap: false);
        var query = how switch
        {
            "stale" => SignedQuery(new Dictionary<string, string> { ["timestamp"] = _clock.GetUtcNow().AddSeconds(-91).ToUnixTimeSeconds().ToString() }),
            "wrong-secret" => SignedQuery(new Dictionary<string, string>(), secret: "not-the-secret"),
            _ => SignedQuery(new Dictionary<string, string>()).Replace("janes-shop", "evil-shop", StringComparison.Ordinal),
        };

        var response = await Browser(app).GetAsync("/shopify?" + query);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CountAsync(app, db => db.Shops.IgnoreQueryFilters()));
        Assert.Empty(_shopify.LogEntries);
    }

    [Fact]
    public async Task AShopOutsideMyshopifyIs400()
    {
        await using var app = await AppAsync(bootstrap: false);

        var response = await Browser(app).GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string> { ["shop"] = "shop.evil.com" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ACallbackWhoseStateDoesNotMatchIs403AndStoresNothing()
    {
        StubShopify();
        await using var app = await AppAsync(bootstrap: false);
        var browser = Browser(app);
        await browser.GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string>())); // sets the state cookie

        var callback = await browser.GetAsync("/shopify/callback?" + SignedQuery(new Dictionary<string, string> { ["code"] = "c", ["state"] = "forged-state" }));

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Equal(0, await CountAsync(app, db => db.Shops.IgnoreQueryFilters()));
        Assert.DoesNotContain(_shopify.LogEntries, e => e.RequestMessage!.Path == "/admin/oauth/access_token");
    }

    [Fact]
    public async Task AReplayedOAuthCallbackIsRefusedOnEveryNodeAndTheCodeIsExchangedOnce()
    {
        StubShopify();
        await using var app = await AppAsync(bootstrap: false);
        var browser = Browser(app);
        var launch = await browser.GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string>()));
        var state = HttpUtility.ParseQueryString(launch.Headers.Location!.Query)["state"]!;
        var stateCookie = launch.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sa_shopify_state=", StringComparison.Ordinal)).Split(';')[0];
        var callback = "/shopify/callback?" + SignedQuery(new Dictionary<string, string> { ["code"] = "auth-code-1", ["state"] = state });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback)).StatusCode);

        // Someone who captured the callback URL and the state cookie sends them again within the minute, to this node
        // and to another one.
        await using var otherNode = app.SecondNode();
        foreach (var node in (TestApp[])[app, otherNode])
        {
            var replay = new HttpRequestMessage(HttpMethod.Get, callback);
            replay.Headers.Add("Cookie", stateCookie);
            var answer = await node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(replay);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Contains("already used", await answer.Content.ReadAsStringAsync());
        }
        Assert.Single(_shopify.LogEntries, e => e.RequestMessage!.Path == "/admin/oauth/access_token");
    }

    [Fact]
    public async Task AnEmbeddedLaunchExchangesTheSessionTokenAndOpensTheAdminThatOnlyThatShopMayFrame()
    {
        StubShopify();
        await using var app = await AppAsync(bootstrap: false);
        var idToken = SessionTokens.Create(SessionTokens.Claims());

        var response = await Browser(app).GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string> { ["embedded"] = "1", ["id_token"] = idToken }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var admin = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin?", admin);
        var query = HttpUtility.ParseQueryString(admin[admin.IndexOf('?')..]);
        Assert.Equal((Shop, "1", idToken), (query["shop"], query["embedded"], query["id_token"]));
        var exchange = JsonDocument.Parse(_shopify.LogEntries.First(e => e.RequestMessage!.Path == "/admin/oauth/access_token").RequestMessage!.Body!).RootElement;
        Assert.Equal("urn:ietf:params:oauth:grant-type:token-exchange", exchange.GetProperty("grant_type").GetString());
        Assert.Equal(idToken, exchange.GetProperty("subject_token").GetString());
        Assert.Equal(1, await CountAsync(app, db => db.Shops.IgnoreQueryFilters()));

        var page = await Browser(app).GetAsync(admin);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"frame-ancestors https://{Shop} https://admin.shopify.com", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(page.Headers.Contains("X-Frame-Options"));
        Assert.Contains("data-embedded=\"shopify\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheEmbeddedAdminIsSignedInByTheSessionTokenAloneAndEveryLinkKeepsTheFramesQuery()
    {
        await using var app = await AppAsync();
        await new Scenario(app).ShopAsync(Shop);
        var token = SessionTokens.Create(SessionTokens.Claims());

        var page = await Browser(app).GetAsync($"/admin/affiliates?shop={Shop}&host=aG9zdA&embedded=1&id_token={token}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"script-src 'nonce-{nonce}' https://cdn.shopify.com", csp);
        Assert.Contains($"<meta name=\"shopify-api-key\" content=\"{FakeShopify.ApiKey}\" />", html);
        var appBridge = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]*app-bridge[^>]*>").Value;
        Assert.True(appBridge.Contains("src=\"https://cdn.shopify.com/shopifycloud/app-bridge.js\"") && appBridge.Contains($"nonce=\"{nonce}\""),
            "App Bridge's tag: " + appBridge + " in " + html[..Math.Min(html.Length, 1200)]);
        Assert.Contains($"shop={Shop}&amp;host=aG9zdA&amp;embedded=1", html); // the navigation's links
        Assert.DoesNotContain(token, html); // the token is never copied into a link
        Assert.Contains("Test Program", html);
        Assert.DoesNotContain(page.Headers.Where(h => h.Key == "Set-Cookie").SelectMany(h => h.Value), c => c.StartsWith("sa_staff", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEmbeddedPageLoadWithoutAFreshTokenGoesToTheBouncePageAndOutsideTheShopifyAdminItIsRefused()
    {
        await using var app = await AppAsync();
        await new Scenario(app).ShopAsync(Shop);
        var expired = SessionTokens.Claims();
        expired["exp"] = SessionTokens.Now.AddMinutes(-5).ToUnixTimeSeconds();
        var otherApp = SessionTokens.Create(SessionTokens.Claims(), secret: "shpss_someone_else");

        foreach (var token in (string?[])[null, SessionTokens.Create(expired), otherApp])
        {
            var page = await Browser(app).GetAsync($"/admin/affiliates?shop={Shop}&embedded=1" + (token is null ? "" : "&id_token=" + token));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            var bounce = page.Headers.Location!.OriginalString;
            Assert.StartsWith("/shopify/session-token?", bounce);
            Assert.Equal($"/admin/affiliates?shop={Shop}&embedded=1", HttpUtility.ParseQueryString(bounce[bounce.IndexOf('?')..])["shopify-reload"]);
            var bouncePage = await Browser(app).GetAsync(bounce);
            Assert.Equal(HttpStatusCode.OK, bouncePage.StatusCode);
            var html = await bouncePage.Content.ReadAsStringAsync();
            Assert.Contains("app-bridge.js", html);
            Assert.DoesNotContain("Test Program", html);
        }
        // The bounce page reloads only pages of our admin.
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser(app).GetAsync($"/shopify/session-token?shop={Shop}&shopify-reload=https%3A%2F%2Fevil.example%2F")).StatusCode);
        // A fetch with a bad token gets Shopify's retry answer, and no page.
        var fetch = new HttpRequestMessage(HttpMethod.Get, $"/admin/affiliates?shop={Shop}");
        fetch.Headers.Authorization = new("Bearer", otherApp);
        var refused = await Browser(app).SendAsync(fetch);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("X-Shopify-Retry-Invalid-Session-Request").Single());
        // Not embedded and not signed in: the sign-in page, as before.
        var plain = await Browser(app).GetAsync("/admin/affiliates");
        Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        Assert.StartsWith("/admin/login", plain.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnEmbeddedFormPostedWithTheTokenInItsHeaderNeedsNoAntiforgeryCookieButOneWithTheTokenInItsQueryDoes()
    {
        await using var app = await AppAsync();
        await new Scenario(app).ShopAsync(Shop);
        var token = SessionTokens.Create(SessionTokens.Claims());
        HttpRequestMessage Post(string pitch, bool inHeader)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/program-page?shop={Shop}&embedded=1" + (inHeader ? "" : "&id_token=" + token))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Input.Pitch"] = pitch, ["Input.Terms"] = "Be honest.", ["Input.AcceptingApplications"] = "true", ["Input.AutoApprove"] = "Never",
                }),
            };
            if (inHeader) request.Headers.Authorization = new("Bearer", token);
            return request;
        }

        var fromQuery = await Browser(app).SendAsync(Post("Sent with the token in the URL", inHeader: false));
        var fromHeader = await Browser(app).SendAsync(Post("Sent by ui.js with the token in its header", inHeader: true));

        Assert.Equal(HttpStatusCode.BadRequest, fromQuery.StatusCode); // a cross-site form can put a URL in action=, not a header
        Assert.Equal(HttpStatusCode.Redirect, fromHeader.StatusCode);
        Assert.Equal("Sent by ui.js with the token in its header",
            await WithAppDbAsync(app, db => db.ProgramPages.IgnoreQueryFilters().Select(p => p.Pitch).SingleAsync()));
    }

    private static async Task<T> WithAppDbAsync<T>(TestApp app, Func<AppDbContext, Task<T>> read)
    {
        await using var scope = app.Scope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task ABadSessionTokenGetsTheBouncePageOnADocumentAndA401WithRetryOnAFetch()
    {
        StubShopify();
        await using var app = await AppAsync();
        await new Scenario(app).ShopAsync(Shop);
        var expired = SessionTokens.Claims();
        expired["exp"] = SessionTokens.Now.AddMinutes(-5).ToUnixTimeSeconds();
        var badToken = SessionTokens.Create(expired);

        var document = await Browser(app).GetAsync("/shopify?" + SignedQuery(new Dictionary<string, string> { ["embedded"] = "1", ["id_token"] = badToken }));
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var html = await document.Content.ReadAsStringAsync();
        Assert.Contains("https://cdn.shopify.com/shopifycloud/app-bridge.js", html);
        Assert.Contains($"data-api-key=\"{FakeShopify.ApiKey}\"", html);

        var fetch = app.CreateClient();
        fetch.DefaultRequestHeaders.Authorization = new("Bearer", badToken);
        var api = await fetch.GetAsync("/api/v1/affiliates");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("1", api.Headers.GetValues("X-Shopify-Retry-Invalid-Session-Request").Single());

        fetch.DefaultRequestHeaders.Authorization = new("Bearer", SessionTokens.Create(SessionTokens.Claims()));
        Assert.Equal(HttpStatusCode.OK, (await fetch.GetAsync("/api/v1/affiliates")).StatusCode); // a fresh token works
    }

    private Task<HttpResponseMessage> DeliverAsync(TestApp app, string topic, string body, string? webhookId = null, string? signature = "sign") =>
        ShopifyWebhooks.DeliverAsync(app, topic, body, _clock.GetUtcNow(), webhookId, signature);

    [Fact]
    public async Task ARealisticOrdersCreateWithTheCartAttributeCreditsTheAffiliateOnceEvenWhenDeliveredTwice()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        await s.ShopAsync(Shop);
        var jane = (await s.ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();

        var first = await DeliverAsync(app, "orders/create", OrdersCreatePayload.Json, webhookId: "wh-1");
        var again = await DeliverAsync(app, "orders/create", OrdersCreatePayload.Json, webhookId: "wh-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await WaitForInboxAsync(app);

        Assert.Equal(1, await CountAsync(app, db => db.Inbox));
        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(jane, commission.AffiliateId);
        Assert.Equal(9.50m, commission.Amount); // 10% of 90.00 (hoodies after discount) + 5.00 (sticker); no tax, no shipping
        Assert.Equal("USD", commission.Currency);
        Assert.Contains("Jane Doe", commission.Explanation);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bm90IHRoZSBzaWduYXR1cmU=")]
    [InlineData("%%%")]
    public async Task AWebhookWithABadOrMissingSignatureIs401AndStoresNothing(string? signature)
    {
        await using var app = await AppAsync();
        await new Scenario(app).ShopAsync(Shop);

        var response = await DeliverAsync(app, "orders/create", OrdersCreatePayload.Json, signature: signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CountAsync(app, db => db.Inbox));
    }

    [Fact]
    public async Task AnOrdersUpdatedOlderThanWhatWeHoldIsIgnored()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        await s.ShopAsync(Shop);
        await s.ApprovedAffiliateAsync("Jane Doe", "jane");
        var older = JsonNode.Parse(OrdersCreatePayload.Json)!;
        older["updated_at"] = "2025-03-14T10:21:34-04:00"; // a second before the version we will hold
        older["financial_status"] = "voided";
        older["cancelled_at"] = "2025-03-14T10:21:34-04:00";

        await DeliverAsync(app, "orders/create", OrdersCreatePayload.Json);
        await WaitForInboxAsync(app);
        await DeliverAsync(app, "orders/updated", older.ToJsonString());
        await WaitForInboxAsync(app);

        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(9.50m, commission.Amount);
        Assert.Equal(ShopAffiliate.Core.Engine.CommissionStatus.Pending, commission.Status);
    }

    [Fact]
    public async Task ARefundThatArrivesBeforeItsOrderEndsWithTheRightCommission()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        await s.ShopAsync(Shop);
        await s.ApprovedAffiliateAsync("Jane Doe", "jane");

        await DeliverAsync(app, "refunds/create", RefundsCreatePayload.Json);
        await WaitForInboxAsync(app);
        await DeliverAsync(app, "orders/create", OrdersCreatePayload.Json);
        await WaitForInboxAsync(app);

        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(5.00m, commission.Amount); // 9.50 less the returned hoodie's 4.50
    }

    private static JsonObject GraphQlOrder(long id, string createdAt, bool test, string? saRef, int refundQuantity)
    {
        static JsonObject Money(string amount) => new() { ["shopMoney"] = new JsonObject { ["amount"] = amount } };
        var lineId = $"gid://shopify/LineItem/{id * 10}";
        return new JsonObject
        {
            ["id"] = $"gid://shopify/Order/{id}", ["name"] = $"#{id}", ["createdAt"] = createdAt, ["updatedAt"] = createdAt, ["test"] = test,
            ["currencyCode"] = "USD", ["taxesIncluded"] = false, ["displayFinancialStatus"] = "PAID", ["cancelledAt"] = null, ["email"] = $"b{id}@example.com",
            ["customer"] = new JsonObject { ["id"] = $"gid://shopify/Customer/{id + 1}", ["email"] = $"b{id}@example.com" },
            ["discountCodes"] = new JsonArray(),
            ["customAttributes"] = saRef is null ? new JsonArray() : new JsonArray(new JsonObject { ["key"] = "_sa_ref", ["value"] = saRef }),
            ["customerJourneySummary"] = new JsonObject { ["lastVisit"] = new JsonObject { ["landingPage"] = "/products/hoodie" } },
            ["totalTaxSet"] = Money("0.00"), ["totalShippingPriceSet"] = Money("5.00"),
            ["lineItems"] = new JsonObject
            {
                ["nodes"] = new JsonArray(new JsonObject
                {
                    // currentQuantity drops with the refund too: the refund must still take its unit once, not twice.
                    ["id"] = lineId, ["quantity"] = 2, ["currentQuantity"] = 2 - refundQuantity, ["isGiftCard"] = false,
                    ["product"] = new JsonObject { ["id"] = "gid://shopify/Product/77" },
                    ["originalUnitPriceSet"] = Money("50.00"), ["discountAllocations"] = new JsonArray(), ["taxLines"] = new JsonArray(),
                }),
            },
            ["refunds"] = refundQuantity == 0 ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["id"] = $"gid://shopify/Refund/{id + 2}", ["createdAt"] = createdAt,
                ["refundLineItems"] = new JsonObject
                {
                    ["nodes"] = new JsonArray(new JsonObject
                    {
                        ["lineItem"] = new JsonObject { ["id"] = lineId }, ["quantity"] = refundQuantity, ["subtotalSet"] = Money("50.00"),
                        ["totalTaxSet"] = Money("0.00"),
                    }),
                },
            }),
        };
    }

    private static string OrdersPage(bool hasNext, string cursor, params JsonObject[] orders) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["orders"] = new JsonObject
            {
                ["pageInfo"] = new JsonObject { ["hasNextPage"] = hasNext, ["endCursor"] = cursor },
                ["nodes"] = new JsonArray(orders.Cast<JsonNode>().ToArray()),
            },
        },
    }.ToJsonString();

    /// <summary>Gives the shop a token and queues its import, as the install does.</summary>
    private async Task StartBackfillAsync(TestApp app, ShopAffiliate.Core.Engine.ShopId shopId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var shop = await db.Shops.IgnoreQueryFilters().SingleAsync(x => x.Id == shopId.Value);
        shop.EncryptedCredentials = scope.ServiceProvider.GetRequiredService<ShopSecrets>().Protect(new ShopCredentials("shpat_backfill", "read_orders", null, null, null));
        await db.SaveChangesAsync();
        await ShopAffiliate.Web.Features.Shopify.ShopifyBackfill.EnqueueAsync(db, shop, _clock.GetUtcNow().UtcDateTime, null, default);
        scope.ServiceProvider.GetRequiredService<InboxSignal>().Notify();
    }

    [Fact]
    public async Task TheBackfillImportsThePast60DaysPageByPageAndCreditsReferredOrders()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shopId = await s.ShopAsync(Shop);
        var jane = (await s.ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();
        var page1 = OrdersPage(true, "c1", GraphQlOrder(1001, "2026-02-01T10:00:00Z", false, "jane", 1), GraphQlOrder(1002, "2026-02-02T10:00:00Z", true, "jane", 0));
        var page2 = OrdersPage(false, "c2", GraphQlOrder(1003, "2026-02-03T10:00:00Z", false, null, 0));
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("orders(first") && b.Contains("\"after\":null")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(page1));
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("orders(first") && b.Contains("\"after\":\"c1\"")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(page2));

        await StartBackfillAsync(app, shopId);
        await WaitForInboxAsync(app);

        var queries = _shopify.LogEntries.Where(e => e.RequestMessage!.Body!.Contains("orders(first")).ToList();
        Assert.Equal(2, queries.Count);
        var variables = JsonDocument.Parse(queries[0].RequestMessage!.Body!).RootElement.GetProperty("variables");
        Assert.Equal("created_at:>=2026-01-13T00:00:00Z", variables.GetProperty("query").GetString()); // 60 days before 2026-03-14
        Assert.Equal(2, await CountAsync(app, db => db.Orders.IgnoreQueryFilters())); // 1001 and 1003; the test order 1002 is skipped
        var commission = Assert.Single(await CommissionsAsync(app));
        Assert.Equal(jane, commission.AffiliateId);
        Assert.Equal(5.00m, commission.Amount); // 10% of 100.00, halved by the refund of one of two hoodies
    }

    private void StubOrdersPage(string? after, string page) =>
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost()
                .WithBody((string? b) => b is not null && b.Contains("orders(first") && b.Contains(after is null ? "\"after\":null" : $"\"after\":\"{after}\"")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(page));

    private int OrdersQueriesAfter(string? after) => _shopify.LogEntries.Count(e => e.RequestMessage!.Body!.Contains("orders(first")
        && e.RequestMessage.Body.Contains(after is null ? "\"after\":null" : $"\"after\":\"{after}\""));

    /// <summary>The import cell of the shop's row on /admin/settings/shops, as the signed-in owner reads it (tags stripped).</summary>
    private static async Task<string> ImportCellAsync(HttpClient owner, Guid shopId)
    {
        var html = await owner.GetStringAsync("/admin/settings/shops");
        var row = html[html.IndexOf($"data-id=\"{shopId}\"", StringComparison.Ordinal)..];
        var cell = row[row.IndexOf("data-testid=\"import\"", StringComparison.Ordinal)..];
        cell = cell[..cell.IndexOf("</td>", StringComparison.Ordinal)];
        return System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(cell, "<[^>]+>", " ")), @"\s+", " ");
    }

    [Fact]
    public async Task TheBackfillShowsItsProgressOnTheShopsPageAfterEachStoredPageAndResumesFromTheLastOne()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shopId = await s.ShopAsync(Shop);
        await s.ApprovedAffiliateAsync("Jane Doe", "jane");
        var (owner, cookie) = await Staff.SignedInAsync(app, await Staff.CreateAsync(app, ShopAffiliate.Core.Workspaces.StaffRole.Owner));
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost().WithBody((string? b) => b is not null && b.Contains("ordersCount(")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"data":{"ordersCount":{"count":5,"precision":"EXACT"}}}"""));
        // Only the first page is there at first: the store fails the second (as a store under load may).
        StubOrdersPage(null, OrdersPage(true, "c1", GraphQlOrder(2001, "2026-02-01T10:00:00Z", false, "jane", 0), GraphQlOrder(2002, "2026-02-02T10:00:00Z", false, null, 0)));
        await StartBackfillAsync(app, shopId);
        async Task<ShopAffiliate.Core.Shops.Shop> ShopRowAsync()
        {
            await using var read = app.Scope();
            return await read.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().AsNoTracking().SingleAsync(x => x.Id == shopId.Value);
        }

        var afterOne = await Eventually.HoldsAsync(ShopRowAsync, x => x.ImportError is not null, "the second page to fail");
        Assert.Equal((1, 2, 5, "c1"), (afterOne.ImportPages, afterOne.ImportOrders, afterOne.ImportTotal, afterOne.ImportCursor));
        Assert.Null(afterOne.ImportFinishedAt);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, afterOne.ImportStartedAt);
        var cell = await ImportCellAsync(owner, shopId.Value);
        Assert.Contains("Importing", cell);
        Assert.Contains("2 of 5 orders imported", cell);
        Assert.Contains("Last attempt failed, being retried:", cell);
        Assert.DoesNotContain("Finished", cell);

        // The retry goes on from the stored cursor: the first page is not read again.
        StubOrdersPage("c1", OrdersPage(true, "c2", GraphQlOrder(2003, "2026-02-03T10:00:00Z", false, "jane", 0), GraphQlOrder(2004, "2026-02-04T10:00:00Z", false, null, 0)));
        _clock.Advance(TimeSpan.FromSeconds(6));
        app.Services.GetRequiredService<InboxSignal>().Notify();
        var afterTwo = await Eventually.HoldsAsync(ShopRowAsync, x => x.ImportPages == 2 && x.ImportError is not null, "the second page to be stored and the third to fail");
        Assert.Equal((4, "c2"), (afterTwo.ImportOrders, afterTwo.ImportCursor));
        Assert.Equal(1, OrdersQueriesAfter(null));
        Assert.Contains("4 of 5 orders imported", await ImportCellAsync(owner, shopId.Value));

        StubOrdersPage("c2", OrdersPage(false, "c3", GraphQlOrder(2005, "2026-02-05T10:00:00Z", false, "jane", 0)));
        _clock.Advance(TimeSpan.FromSeconds(20));
        app.Services.GetRequiredService<InboxSignal>().Notify();
        var done = await Eventually.HoldsAsync(ShopRowAsync, x => x.ImportFinishedAt is not null, "the import to finish");
        Assert.Equal((3, 5, (string?)null, (string?)null), (done.ImportPages, done.ImportOrders, done.ImportCursor, done.ImportError));
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, done.ImportFinishedAt);
        // Each page stored once: c1 and c2 were asked for twice because the first ask failed, the stored pages never again.
        Assert.Equal((1, 2, 2), (OrdersQueriesAfter(null), OrdersQueriesAfter("c1"), OrdersQueriesAfter("c2")));
        cell = await ImportCellAsync(owner, shopId.Value);
        Assert.Contains("Up to date", cell);
        Assert.Contains("5 of 5 orders imported", cell);
        Assert.Contains("Finished", cell);
        Assert.DoesNotContain("failed", cell);
        Assert.Equal(5, await CountAsync(app, db => db.Orders.IgnoreQueryFilters()));
        Assert.Equal(3, (await CommissionsAsync(app)).Count); // Jane's three, each once

        var danish = Staff.WithCookie(app, cookie + "; sa_culture=c=da|uic=da");
        var dansk = await ImportCellAsync(danish, shopId.Value);
        Assert.Contains("Ajour", dansk);
        Assert.Contains("5 af 5 ordrer importeret", dansk);
        Assert.Contains("Færdig", dansk);
    }

    [Fact]
    public async Task AppUninstalledPausesTheShopAndDropsItsToken()
    {
        _shopify.Given(Request.Create().WithPath("/admin/api/2026-01/graphql.json").UsingPost()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"data":{"discountCodeBasicCreate":{"codeDiscountNode":{"id":"gid://shopify/DiscountCodeNode/1"},"userErrors":[]}}}"""));
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shopId = await s.ShopAsync(Shop);
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var shop = await db.Shops.IgnoreQueryFilters().SingleAsync(x => x.Id == shopId.Value);
            shop.EncryptedCredentials = scope.ServiceProvider.GetRequiredService<ShopSecrets>().Protect(new ShopCredentials("shpat_gone", null, null, null, null));
            await db.SaveChangesAsync();
        }

        // Jane could be credited twice over: the order carries her coupon JANE10 and her referral code in the cart.
        var jane = (await s.ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();
        var coupon = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "JANE10", discountType = "Percentage", amount = 10 });
        Assert.Equal(HttpStatusCode.Created, coupon.StatusCode);

        await DeliverAsync(app, "app/uninstalled", $$"""{"id":954889,"domain":"{{Shop}}","myshopify_domain":"{{Shop}}"}""");
        await WaitForInboxAsync(app);

        await using (var check = app.Scope())
        {
            var paused = await check.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().SingleAsync();
            Assert.Equal(ShopStatus.Paused, paused.Status);
            Assert.Null(paused.EncryptedCredentials);
        }
        // Orders from a paused shop are not credited: understood and left alone, no order row, no commission.
        await DeliverAsync(app, "orders/create", OrdersCreatePayload.Json);
        await WaitForInboxAsync(app);
        Assert.Empty(await CommissionsAsync(app));
        Assert.Equal(0, await CountAsync(app, db => db.Orders.IgnoreQueryFilters()));
        Assert.Equal(1, await CountAsync(app, db => db.Inbox.Where(m => m.Topic == "orders/create" && m.Status == InboxStatus.Ignored)));
    }

    [Fact]
    public async Task AnExpiringTokenIsRefreshedBeforeUseAndTheRotatedPairIsStored()
    {
        _shopify.Given(Request.Create().WithPath("/admin/oauth/access_token").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"access_token":"shpat_new","scope":"read_orders","expires_in":3600,"refresh_token":"shprt_new","refresh_token_expires_in":7776000}"""));
        await using var app = await AppAsync();
        var shopId = await new Scenario(app).ShopAsync(Shop);
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<ShopSecrets>();
        var shop = await db.Shops.IgnoreQueryFilters().SingleAsync(x => x.Id == shopId.Value);
        shop.EncryptedCredentials = secrets.Protect(new ShopCredentials("shpat_old", "read_orders", _clock.GetUtcNow().UtcDateTime.AddMinutes(2), "shprt_old", null));
        await db.SaveChangesAsync();

        var token = await scope.ServiceProvider.GetRequiredService<ShopAffiliate.Web.Features.Shopify.ShopifyTokens>().AccessTokenAsync(shop, default);

        Assert.Equal("shpat_new", token);
        var request = JsonDocument.Parse(Assert.Single(_shopify.LogEntries).RequestMessage!.Body!).RootElement;
        Assert.Equal("refresh_token", request.GetProperty("grant_type").GetString());
        Assert.Equal("shprt_old", request.GetProperty("refresh_token").GetString());
        await using var reread = app.Scope();
        var stored = secrets.Credentials(await reread.ServiceProvider.GetRequiredService<AppDbContext>().Shops.IgnoreQueryFilters().SingleAsync())!;
        Assert.Equal("shprt_new", stored.RefreshToken); // a refresh token works once: the new one is kept at once
    }

    [Fact]
    public async Task ThePrivacyTopicsExportRedactAndErase()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        await s.ShopAsync(Shop);
        await s.ApprovedAffiliateAsync("Jane Doe", "jane");
        var order = JsonNode.Parse(OrdersCreatePayload.Json)!;
        order["id"] = 299938;
        order["email"] = "john@example.com";
        order["customer"]!["id"] = 191167;
        order["customer"]!["email"] = "john@example.com";
        await DeliverAsync(app, "orders/create", order.ToJsonString());
        await WaitForInboxAsync(app);

        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app, "customers/data_request", PrivacyPayloads.CustomersDataRequest)).StatusCode);
        await WaitForInboxAsync(app);
        await using (var scope = app.Scope())
        {
            var export = await scope.ServiceProvider.GetRequiredService<AppDbContext>().PrivacyRequests.IgnoreQueryFilters()
                .SingleAsync(p => p.Kind == PrivacyRequestKind.DataRequest);
            Assert.Equal("9999", export.ExternalRequestId);
            Assert.Contains("299938", export.ExportJson);
            Assert.Contains("Jane Doe", export.ExportJson);
        }

        await DeliverAsync(app, "customers/redact", PrivacyPayloads.CustomersRedact);
        await WaitForInboxAsync(app);
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var redacted = await db.Orders.IgnoreQueryFilters().SingleAsync(o => o.ExternalId == "299938");
            Assert.Null(redacted.CustomerEmail);
            Assert.DoesNotContain("john@example.com", redacted.StateJson);
            Assert.Equal(9.50m, (await db.Commissions.IgnoreQueryFilters().SingleAsync()).Amount); // money stays
        }

        await DeliverAsync(app, "shop/redact", PrivacyPayloads.ShopRedact);
        // The redaction deletes the shop's deliveries too, so wait for its outcome rather than for an empty inbox.
        await Eventually.HoldsAsync(() => CountAsync(app, db => db.PrivacyRequests.IgnoreQueryFilters()), n => n == 3, "the shop redaction");
        Assert.Equal(0, await CountAsync(app, db => db.Shops.IgnoreQueryFilters()));
        Assert.Equal(0, await CountAsync(app, db => db.Orders.IgnoreQueryFilters()));
        Assert.Equal(3, await CountAsync(app, db => db.PrivacyRequests.IgnoreQueryFilters()));
    }
}

public sealed class ShopifyHostOnSqlite() : ShopifyHostTests(Db.Sqlite);

public sealed class ShopifyHostOnPostgres() : ShopifyHostTests(Db.Postgres);
