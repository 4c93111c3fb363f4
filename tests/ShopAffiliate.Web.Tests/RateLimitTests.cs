using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Hosting;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;

namespace ShopAffiliate.Web.Tests;

/// <summary>Every limit at <see cref="Limit"/> an hour (the API's a little higher, for the set-up calls), behind a trusted proxy.</summary>
public abstract class LimitedApp(Db provider) : IAsyncLifetime
{
    public const int Limit = 2;
    public const int ApiLimit = 10;
    public const string TrustedProxy = "203.0.113.10";
    public const string UntrustedProxy = "192.0.2.50";

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ForwardedHeaders:TrustedProxies:0"] = TrustedProxy,
            ["ForwardedHeaders:TrustedProxies:1"] = "10.20.0.0/16",
            // Shopify configured, so its webhook endpoint verifies deliveries (the shop itself is never called).
            ["Shopify:ApiKey"] = FakeShopify.ApiKey,
            ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
        };
        foreach (var policy in RateLimits.Policies)
        {
            settings[$"RateLimits:{policy.Section}:PermitLimit"] = (policy.Name == RateLimits.Api ? ApiLimit : Limit).ToString();
            settings[$"RateLimits:{policy.Section}:Window"] = "01:00:00";
        }
        App = await TestApp.BootstrappedAsync(provider, settings);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class LimitedAppOnSqlite() : LimitedApp(Db.Sqlite);

public sealed class LimitedAppOnPostgres() : LimitedApp(Db.Postgres);

public abstract class RateLimitTests(LimitedApp fixture)
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

    private TestApp App => fixture.App;

    private static int _nextAddress;

    /// <summary>A client address no other test uses, so each test starts with a full budget.</summary>
    private static string FreshAddress() => $"198.18.{Interlocked.Increment(ref _nextAddress) / 250}.{(_nextAddress % 250) + 1}";

    private HttpClient Client(string ip, string? forwardedFor = null)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Test-Client-Ip", ip);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Chrome);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("""{"workspace":"none","ref":"none"}""", Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>A 429 with Retry-After and a ProblemDetails saying when to try again.</summary>
    internal static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Try again in", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("POST", "/api/track/landing")]
    [InlineData("GET", "/woocommerce/connect?store_url=https://shop.example&code=sac_x")]
    [InlineData("POST", "/woocommerce/connect")]
    [InlineData("POST", "/woocommerce/keys")]
    [InlineData("GET", "/woocommerce/return")]
    [InlineData("GET", "/woocommerce/launch")]
    [InlineData("GET", "/shopify?shop=a.myshopify.com")]
    [InlineData("GET", "/shopify/callback")]
    [InlineData("GET", "/u/not-a-token")]
    [InlineData("POST", "/u/not-a-token")]
    [InlineData("GET", "/p/no-such-program")]
    public async Task APublicRouteAnswers429WithRetryAfterOverItsPerClientLimit(string method, string path)
    {
        var client = Client(FreshAddress());
        for (var i = 0; i < LimitedApp.Limit; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.SendAsync(Request(method, path))).StatusCode);

        await AssertLimitedAsync(await client.SendAsync(Request(method, path)));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await Client(FreshAddress()).SendAsync(Request(method, path))).StatusCode);
    }

    private static HttpRequestMessage ShopifyDelivery(string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(OrdersCreatePayload.Json);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? ShopifyHmac.SignWebhook(bytes, FakeShopify.ApiSecret));
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", FakeShopify.Shop);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        return request;
    }

    private static HttpRequestMessage WooDelivery(Guid shopId, string secret, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"id":{{Random.Shared.Next(1, 1_000_000)}},"status":"processing","currency":"EUR","total":"10.00"}""");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/woocommerce/{shopId}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-WC-Webhook-Topic", "order.created");
        request.Headers.Add("X-WC-Webhook-Resource", "order");
        request.Headers.Add("X-WC-Webhook-Signature", signature ?? WooWebhookSignature.Sign(bytes, secret));
        return request;
    }

    /// <summary>
    /// Anyone can name a shop (its domain is public, a WooCommerce store's path is in its webhooks): a flood of junk naming it
    /// must not get the shop's real, signed deliveries refused. Only failures count, per sender, and a verified delivery
    /// is answered 200 even from the flooding address itself.
    /// </summary>
    [Fact]
    public async Task WebhookFailuresAreLimitedPerSenderAndAVerifiedDeliveryIsNeverRefused()
    {
        var s = new Scenario(App);
        const string secret = "wooSecretForTheLimitTest1";
        Guid wooShop;
        await using (var scope = App.Scope(await s.WorkspaceIdAsync()))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var shop = new Shop
            {
                WorkspaceId = await s.WorkspaceIdAsync(), Platform = ShopPlatform.WooCommerce, Domain = $"woo{Guid.NewGuid():N}.example",
                Currency = "EUR", Name = "Flooded Woo", EncryptedWebhookSecret = scope.ServiceProvider.GetRequiredService<ShopSecrets>().ProtectWebhookSecret(secret),
            };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            wooShop = shop.Id;
        }

        var flooder = Client(FreshAddress());
        // Its first failures (both endpoints draw on one budget) are answered as what they are.
        for (var i = 0; i < LimitedApp.Limit; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await flooder.SendAsync(i % 2 == 0
                ? ShopifyDelivery(signature: "bm90IGEgc2lnbmF0dXJl")
                : WooDelivery(wooShop, secret, signature: "bm90IGEgc2lnbmF0dXJl"))).StatusCode);
        // Over its budget of failures: 429 with Retry-After, for junk of every kind.
        await AssertLimitedAsync(await flooder.SendAsync(ShopifyDelivery(signature: "bm90IGEgc2lnbmF0dXJl")));
        await AssertLimitedAsync(await flooder.SendAsync(WooDelivery(wooShop, secret, signature: "bm90IGEgc2lnbmF0dXJl")));
        await AssertLimitedAsync(await flooder.SendAsync(WooDelivery(Guid.NewGuid(), secret)));
        var unsigned = ShopifyDelivery();
        unsigned.Headers.Remove("X-Shopify-Hmac-Sha256");
        await AssertLimitedAsync(await flooder.SendAsync(unsigned));

        // The named shops' real deliveries, from the platform and even from the flooding address, are stored.
        var platform = Client(FreshAddress());
        for (var i = 0; i < LimitedApp.Limit + 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(ShopifyDelivery())).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await platform.SendAsync(WooDelivery(wooShop, secret))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await flooder.SendAsync(ShopifyDelivery())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await flooder.SendAsync(WooDelivery(wooShop, secret))).StatusCode);
        // Another sender's first failure is answered as what it is.
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.SendAsync(ShopifyDelivery(signature: "bm90IGEgc2lnbmF0dXJl"))).StatusCode);
    }

    [Fact]
    public async Task TheApiIsLimitedPerWorkspaceNotPerClient()
    {
        string first, second;
        await using (var scope = App.Scope())
        {
            var provisioner = scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>();
            first = (await provisioner.CreateAsync("Busy Program", "EUR", $"busy.{Guid.NewGuid():N}@example.com", "another-password-1")).ApiKey;
            second = (await provisioner.CreateAsync("Quiet Program", "EUR", $"quiet.{Guid.NewGuid():N}@example.com", "another-password-1")).ApiKey;
        }
        var ip = FreshAddress();
        var busy = App.ApiClient(first);
        busy.DefaultRequestHeaders.Add("X-Test-Client-Ip", ip);
        for (var i = 0; i < LimitedApp.ApiLimit; i++)
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/affiliates")).StatusCode);

        await AssertLimitedAsync(await busy.GetAsync("/api/v1/affiliates"));

        var quiet = App.ApiClient(second);
        quiet.DefaultRequestHeaders.Add("X-Test-Client-Ip", ip);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/v1/affiliates")).StatusCode);
    }

    [Fact]
    public void EveryAnonymousRouteHasALimitOrSaysWhyNot()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).ToList();
        Assert.NotEmpty(endpoints);
        var names = RateLimits.Policies.Select(p => p.Name).ToHashSet();
        Assert.All(endpoints, e => Assert.True(
            e.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null
            || e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName is { } name && names.Contains(name),
            $"{e.RoutePattern.RawText} is public but has no rate limit: add a policy in RateLimits.Policies and .RequireRateLimiting it."));
    }

    [Fact]
    public async Task ThroughATrustedProxyTwoVisitorsAreTwoAndThroughAnUntrustedOneTheHeaderIsIgnored()
    {
        var s = new Scenario(App);
        var domain = $"shop{Guid.NewGuid():N}"[..16] + ".myshopify.com";
        await s.ShopAsync(domain);
        var affiliate = await s.ApprovedAffiliateAsync("Paula Proxy", "paula" + Random.Shared.Next(1_000_000));
        var code = (await s.LinkAsync(affiliate.GetProperty("id").GetGuid(), $"https://{domain}/")).GetProperty("code").GetString();

        async Task<Click> ClickAsync(string proxy, string visitor)
        {
            var response = await Client(proxy, visitor).GetAsync($"/r/{code}");
            var id = Guid.Parse(HttpUtility.ParseQueryString(response.Headers.Location!.Query)["sa_click"]!);
            return await Eventually.HoldsAsync(() => s.WithDbAsync(db => db.Clicks.FirstOrDefaultAsync(c => c.Id == id)), c => c is not null, $"click {id}")
                ?? throw new InvalidOperationException();
        }

        var viaTrusted1 = await ClickAsync(LimitedApp.TrustedProxy, "198.51.100.1");
        var viaTrusted2 = await ClickAsync(LimitedApp.TrustedProxy, "198.51.100.2");
        // A chain: the visitor, then a proxy inside the trusted network, then the trusted edge.
        var viaChain = await ClickAsync(LimitedApp.TrustedProxy, "198.51.100.3, 10.20.0.7");
        var viaUntrusted1 = await ClickAsync(LimitedApp.UntrustedProxy, "198.51.100.4");
        var viaUntrusted2 = await ClickAsync(LimitedApp.UntrustedProxy, "198.51.100.5");

        Assert.True(viaTrusted2.Counts, "A second visitor behind the trusted proxy was taken for a repeat of the first.");
        Assert.NotEqual(viaTrusted1.IpHash, viaTrusted2.IpHash);
        Assert.True(viaChain.Counts);
        Assert.NotEqual(viaTrusted1.IpHash, viaChain.IpHash);
        // The untrusted sender's header is ignored: both clicks are its own address, so the second is a repeat.
        Assert.Equal(viaUntrusted1.IpHash, viaUntrusted2.IpHash);
        Assert.True(viaUntrusted2.IsDuplicate);
    }
}

public sealed class RateLimitOnSqlite(LimitedAppOnSqlite fixture) : RateLimitTests(fixture), IClassFixture<LimitedAppOnSqlite>;

public sealed class RateLimitOnPostgres(LimitedAppOnPostgres fixture) : RateLimitTests(fixture), IClassFixture<LimitedAppOnPostgres>;
