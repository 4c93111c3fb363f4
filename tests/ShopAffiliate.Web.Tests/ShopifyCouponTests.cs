using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests;

/// <summary>Affiliate coupons pushed to a Shopify shop (WireMock), with the sync status visible per shop.</summary>
public abstract class ShopifyCouponTests(Db provider) : IDisposable
{
    private const string GraphQl = "/admin/api/2026-01/graphql.json";
    private readonly WireMockServer _shopify = WireMockServer.Start();
    private readonly List<TimeSpan> _backoffs = [];

    public void Dispose()
    {
        _shopify.Stop();
        _shopify.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(TestApp App, Scenario S, Guid Jane)> ProgramAsync()
    {
        var app = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
        {
            ["Shopify:ApiKey"] = FakeShopify.ApiKey,
            ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
            ["Shopify:ShopBaseUrl"] = $"http://127.0.0.1:{_shopify.Port}",
        }, services => services.AddTransient(_ => new ShopifyRetryHandler((delay, _) =>
        {
            lock (_backoffs) _backoffs.Add(delay); // recorded, not slept
            return Task.CompletedTask;
        })));
        var s = new Scenario(app);
        var shopId = await s.ShopAsync(FakeShopify.Shop);
        await s.WithDbAsync(async db =>
        {
            var shop = await db.Shops.FindAsync(shopId.Value);
            using var scope = app.Services.CreateScope();
            shop!.EncryptedCredentials = scope.ServiceProvider.GetRequiredService<ShopSecrets>()
                .Protect(new ShopCredentials("shpat_coupon", "write_discounts", null, null, null));
            return await db.SaveChangesAsync();
        });
        var jane = (await s.ApprovedAffiliateAsync("Jane Doe", "jane")).GetProperty("id").GetGuid();
        return (app, s, jane);
    }

    private static string Created(string id) =>
        "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":{\"id\":\"" + id + "\"},\"userErrors\":[]}}}";

    [Fact]
    public async Task ACouponIsPushedToTheShopAndShowsAsSyncedWithAShareableLink()
    {
        _shopify.Given(Request.Create().WithPath(GraphQl).UsingPost()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json").WithBody(Created("gid://shopify/DiscountCodeNode/1")));
        var (app, s, jane) = await ProgramAsync();
        await using var _ = app;

        var response = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "JANE10", discountType = "Percentage", amount = 10 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var shop = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shops").EnumerateArray());
        Assert.Equal("Synced", shop.GetProperty("status").GetString());
        Assert.Equal($"https://{FakeShopify.Shop}/discount/JANE10?redirect=%2F", shop.GetProperty("shareableLink").GetString());
        var call = Assert.Single(_shopify.LogEntries);
        Assert.Equal("shpat_coupon", FakeShopify.Header(call, "X-Shopify-Access-Token"));
        var input = JsonDocument.Parse(call.RequestMessage!.Body!).RootElement.GetProperty("variables").EnumerateObject().First().Value;
        Assert.Equal("JANE10", input.GetProperty("code").GetString());
        Assert.Equal(0.1m, input.GetProperty("customerGets").GetProperty("value").GetProperty("percentage").GetDecimal());
        Assert.Equal("Affiliate Jane Doe", input.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ACodeTheShopAlreadyUsesShowsAsTakenWithAnExplanation()
    {
        StubCodeTaken(underTheCode: "The merchant's summer sale");
        var (app, s, jane) = await ProgramAsync();
        await using var _ = app;

        var response = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "SUMMER", discountType = "FixedAmount", amount = 5 });

        var shop = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shops").EnumerateArray());
        Assert.Equal("Taken", shop.GetProperty("status").GetString());
        Assert.Contains("already has a discount with the code SUMMER", shop.GetProperty("error").GetString());
    }

    /// <summary>The shop answers "code taken"; under the code is a 5.00 fixed-amount discount titled <paramref name="underTheCode"/>.</summary>
    private void StubCodeTaken(string underTheCode)
    {
        _shopify.Given(Request.Create().WithPath(GraphQl).UsingPost().WithBody((string? b) => b is not null && b.Contains("discountCodeBasicCreate")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"data":{"discountCodeBasicCreate":{"codeDiscountNode":null,"userErrors":[{"field":["basicCodeDiscount","code"],"code":"TAKEN","message":"Code must be unique. Please try a different code."}]}}}"""));
        _shopify.Given(Request.Create().WithPath(GraphQl).UsingPost().WithBody((string? b) => b is not null && b.Contains("codeDiscountNodeByCode")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new
            {
                data = new
                {
                    codeDiscountNodeByCode = new
                    {
                        id = "gid://shopify/DiscountCodeNode/42",
                        codeDiscount = new
                        {
                            __typename = "DiscountCodeBasic", title = underTheCode,
                            customerGets = new { value = new { __typename = "DiscountAmount", amount = new { amount = "5.0", currencyCode = "USD" }, appliesOnEachItem = false } },
                        },
                    },
                },
            })));
    }

    [Fact]
    public async Task ACodeTakenByOurOwnEarlierPushShowsAsSyncedWithThatDiscount()
    {
        StubCodeTaken(underTheCode: "Affiliate Jane Doe");
        var (app, s, jane) = await ProgramAsync();
        await using var _ = app;

        var response = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "JANE5", discountType = "FixedAmount", amount = 5 });

        var shop = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shops").EnumerateArray());
        Assert.Equal("Synced", shop.GetProperty("status").GetString());
        Assert.False(shop.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String);
        var external = await s.WithDbAsync(db => db.CouponSyncs.Select(c => c.ExternalId).SingleAsync());
        Assert.Equal("gid://shopify/DiscountCodeNode/42", external);
    }

    [Fact]
    public async Task AThrottledPushIsRetriedAfterTheShopsRetryAfter()
    {
        _shopify.Given(Request.Create().WithPath(GraphQl).UsingPost()).InScenario("throttle").WillSetStateTo("again")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "2.0"));
        _shopify.Given(Request.Create().WithPath(GraphQl).UsingPost()).InScenario("throttle").WhenStateIs("again")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Created("gid://shopify/DiscountCodeNode/2")));
        var (app, s, jane) = await ProgramAsync();
        await using var _ = app;

        var response = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "JANE15", discountType = "Percentage", amount = 15 });

        var shop = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shops").EnumerateArray());
        Assert.Equal("Synced", shop.GetProperty("status").GetString());
        Assert.Equal(2, _shopify.LogEntries.Count());
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(_backoffs));
    }

    [Fact]
    public async Task ABadCouponIs400AndADuplicateCodeIs409()
    {
        _shopify.Given(Request.Create().WithPath(GraphQl).UsingPost()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json").WithBody(Created("gid://shopify/DiscountCodeNode/3")));
        var (app, s, jane) = await ProgramAsync();
        await using var _ = app;

        var bad = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "x", discountType = "Percentage", amount = 150 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "JANE20", discountType = "Percentage", amount = 20 })).StatusCode);
        var duplicate = await s.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = jane, code = "jane20", discountType = "Percentage", amount = 20 });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }
}

public sealed class ShopifyCouponsOnSqlite() : ShopifyCouponTests(Db.Sqlite);

public sealed class ShopifyCouponsOnPostgres() : ShopifyCouponTests(Db.Postgres);
