using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.WooCommerce;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Coupons;

/// <summary>
/// One app per test class with a Shopify shop and a WooCommerce store (both WireMock, the store on plain http and so
/// OAuth 1.0a signed) and a real SMTP server. Each test makes its own group and affiliates, so codes never collide.
/// </summary>
public abstract class CouponShops(Db provider) : IAsyncLifetime
{
    public const string GraphQl = "/admin/api/2026-01/graphql.json";

    public WireMockServer Shopify { get; } = WireMockServer.Start();
    public WireMockServer Woo { get; } = WireMockServer.Start();
    public SmtpSink Smtp { get; } = new();
    public TestApp App { get; private set; } = null!;
    public Scenario S { get; private set; } = null!;
    public string WooDomain => $"127.0.0.1:{Woo.Port}";

    private long _ids = 500;

    public async Task InitializeAsync()
    {
        await Smtp.InitializeAsync();
        StubShops();
        App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>(Smtp.Settings)
        {
            ["Shopify:ApiKey"] = FakeShopify.ApiKey,
            ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
            ["Shopify:ShopBaseUrl"] = $"http://127.0.0.1:{Shopify.Port}",
            ["WooCommerce:AllowHttpStores"] = "true",
            ["WooCommerce:ReconcileInterval"] = "1.00:00:00",
            ["Outbox:PollSeconds"] = "1",
        });
        S = new Scenario(App);
        var workspaceId = await S.WorkspaceIdAsync();
        await using var scope = App.Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<ShopSecrets>();
        db.Shops.Add(new Shop
        {
            WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = FakeShopify.Shop, Name = "Shopify shop",
            EncryptedCredentials = secrets.Protect(new ShopCredentials("shpat_coupon", "write_discounts", null, null, null)),
        });
        db.Shops.Add(new Shop
        {
            WorkspaceId = workspaceId, Platform = ShopPlatform.WooCommerce, Domain = WooDomain, Name = "Woo store",
            BaseUrl = $"http://{WooDomain}", ApiAuth = "OAuth1",
            EncryptedCredentials = secrets.Protect(new ShopCredentials("", null, null, null, null, FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret)),
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Shopify.Stop();
        Woo.Stop();
        await Smtp.DisposeAsync();
    }

    /// <summary>
    /// Shopify creates and deactivates every code; WooCommerce creates every code with a new id and expires any. A code
    /// with FLAKY in it is refused by the store with a 500 the first time, then created.
    /// </summary>
    private void StubShops()
    {
        Shopify.Given(Request.Create().WithPath(GraphQl).UsingPost().WithBody((string? b) => b is not null && b.Contains("discountCodeBasicCreate")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(r =>
            {
                var code = JsonDocument.Parse(r.Body!).RootElement.GetProperty("variables").GetProperty("basicCodeDiscount").GetProperty("code").GetString();
                return "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":{\"id\":\"gid://shopify/DiscountCodeNode/" + code + "\"},\"userErrors\":[]}}}";
            }));
        Shopify.Given(Request.Create().WithPath(GraphQl).UsingPost().WithBody((string? b) => b is not null && b.Contains("discountCodeDeactivate")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(r =>
            {
                var id = JsonDocument.Parse(r.Body!).RootElement.GetProperty("variables").GetProperty("id").GetString();
                return "{\"data\":{\"discountCodeDeactivate\":{\"codeDiscountNode\":{\"id\":\"" + id + "\"},\"userErrors\":[]}}}";
            }));
        Woo.Given(Request.Create().WithPath("/wp-json/wc/v3/coupons").UsingPost().WithBody((string? b) => b is not null && b.Contains("flaky")))
            .InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"internal_server_error","message":"The site is experiencing technical difficulties.","data":{"status":500}}"""));
        Woo.Given(Request.Create().WithPath("/wp-json/wc/v3/coupons").UsingPost().WithBody((string? b) => b is not null && !b.Contains("flaky")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(r => Created(r.Body!)));
        Woo.Given(Request.Create().WithPath("/wp-json/wc/v3/coupons").UsingPost().WithBody((string? b) => b is not null && b.Contains("flaky")))
            .InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(r => Created(r.Body!)));
        Woo.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/wp-json/wc/v3/coupons/\d+$")).UsingPut())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody(r => JsonSerializer.Serialize(new { id = long.Parse(r.Path.Split('/').Last()), date_expires = JsonDocument.Parse(r.Body!).RootElement.GetProperty("date_expires").GetString() })));
    }

    private string Created(string body) => JsonSerializer.Serialize(new
    {
        id = Interlocked.Increment(ref _ids), code = JsonDocument.Parse(body).RootElement.GetProperty("code").GetString(),
    });
}

public sealed class SqliteCouponShops() : CouponShops(Db.Sqlite);

public sealed class PostgresCouponShops() : CouponShops(Db.Postgres);

/// <summary>Issue 16's coupons: bulk codes for a group, per-shop status and re-sync, the leaked-code action, usage per coupon.</summary>
public abstract class CouponCampaignTests(CouponShops shops)
{
    private Scenario S => shops.S;

    [Fact]
    public async Task BulkCouponsForAGroupOfThreeReachShopifyAndWooCommerceAndALeakedCodeIsReplacedInBothAndMailed()
    {
        var tag = Tag();
        var group = await GroupAsync(tag);
        var affiliates = new List<(Guid Id, string Email, string Code)>();
        foreach (var name in new[] { "Ada", "Ben", "Cleo" }) affiliates.Add(await AffiliateAsync($"{name} {tag}", $"{name}{tag}".ToLowerInvariant(), group));
        var outsider = await AffiliateAsync($"Dan {tag}", $"dan{tag}".ToLowerInvariant(), group: null);

        var bulk = await S.Api.PostAsJsonAsync("/api/v1/coupons/bulk", new { groupId = group, pattern = "{CODE}10", discountType = "Percentage", amount = 10 });

        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var body = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        var created = body.GetProperty("created").EnumerateArray().ToList();
        Assert.Equal(affiliates.Select(a => a.Code.ToUpperInvariant() + "10").Order(), created.Select(c => c.GetProperty("code").GetString()!).Order());
        Assert.DoesNotContain(created, c => c.GetProperty("affiliateId").GetGuid() == outsider.Id);
        foreach (var coupon in created)
        {
            var states = coupon.GetProperty("shops").EnumerateArray().ToDictionary(s => s.GetProperty("shop").GetString()!, s => s.GetProperty("status").GetString());
            Assert.Equal(new Dictionary<string, string?> { [FakeShopify.Shop] = "Synced", [shops.WooDomain] = "Synced" }, states);
        }
        var code = affiliates[0].Code.ToUpperInvariant() + "10";
        Assert.Contains(shops.Shopify.LogEntries, e => e.RequestMessage!.Body!.Contains("discountCodeBasicCreate") && e.RequestMessage.Body.Contains($"\"{code}\""));
        Assert.Contains(shops.Woo.LogEntries, e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Body!.Contains($"\"{code.ToLowerInvariant()}\""));
        var leakedId = created.Single(c => c.GetProperty("code").GetString() == code).GetProperty("id").GetGuid();

        var leak = await S.Api.PostAsJsonAsync($"/api/v1/coupons/{leakedId}/leaked", new { reason = "Published on bargain-codes.example" });

        Assert.Equal(HttpStatusCode.OK, leak.StatusCode);
        var outcome = await leak.Content.ReadFromJsonAsync<JsonElement>();
        var leaked = outcome.GetProperty("leaked");
        var replacement = outcome.GetProperty("replacement");
        Assert.False(leaked.GetProperty("active").GetBoolean());
        Assert.Equal("Published on bargain-codes.example", leaked.GetProperty("deactivationReason").GetString());
        Assert.All(leaked.GetProperty("shops").EnumerateArray(), s => Assert.Equal("Deactivated", s.GetProperty("status").GetString()));
        var newCode = replacement.GetProperty("code").GetString()!;
        Assert.Matches($"^{code}-[A-Z2-9]{{4}}$", newCode);
        Assert.Equal(affiliates[0].Id, replacement.GetProperty("affiliateId").GetGuid());
        Assert.Equal(leakedId, replacement.GetProperty("replacesId").GetGuid());
        Assert.Equal(newCode, leaked.GetProperty("replacedByCode").GetString());
        Assert.All(replacement.GetProperty("shops").EnumerateArray(), s => Assert.Equal("Synced", s.GetProperty("status").GetString()));
        // Deactivated at Shopify by the discount's id, expired in WooCommerce by the coupon's id (a date in the past).
        Assert.Contains(shops.Shopify.LogEntries, e => e.RequestMessage!.Body!.Contains("discountCodeDeactivate")
            && e.RequestMessage.Body.Contains($"gid://shopify/DiscountCodeNode/{code}"));
        var wooId = await S.WithDbAsync(db => db.CouponSyncs.Where(s => s.CouponId == leakedId && db.Shops.Any(x => x.Id == s.ShopId && x.Platform == ShopPlatform.WooCommerce))
            .Select(s => s.ExternalId).SingleAsync());
        var expiry = Assert.Single(shops.Woo.LogEntries, e => e.RequestMessage!.Method == "PUT" && e.RequestMessage.Path == $"/wp-json/wc/v3/coupons/{wooId}");
        Assert.True(DateOnly.Parse(JsonDocument.Parse(expiry.RequestMessage!.Body!).RootElement.GetProperty("date_expires").GetString()!) < DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.Contains(shops.Woo.LogEntries, e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Body!.Contains($"\"{newCode.ToLowerInvariant()}\""));

        static bool Replaced(MimeKit.MimeMessage m) => (m.Subject ?? "").StartsWith("Your coupon code", StringComparison.Ordinal);
        var mail = await Eventually.HoldsAsync(() => Task.FromResult(shops.Smtp.MessagesTo(affiliates[0].Email).Where(Replaced).ToList()), m => m.Count > 0,
            "the replacement mail on the SMTP server", timeoutMs: 60_000);
        var message = Assert.Single(mail);
        Assert.Equal($"Your coupon code {code} is replaced by {newCode}", message.Subject);
        Assert.Contains("Published on bargain-codes.example", message.TextBody);
        Assert.Contains($"/portal/p/", message.TextBody);
        Assert.DoesNotContain(shops.Smtp.MessagesTo(affiliates[1].Email), Replaced);

        var again = await S.Api.PostAsJsonAsync($"/api/v1/coupons/{leakedId}/leaked", new { reason = "Twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task ThePreviewResolvesClashesPredictablyReportsThemAndCreatesNothing()
    {
        var tag = Tag();
        var group = await GroupAsync(tag);
        var first = await AffiliateAsync($"Ann {tag}", $"ann{tag}".ToLowerInvariant(), group);
        var second = await AffiliateAsync($"Bob {tag}", $"bob{tag}".ToLowerInvariant(), group);
        var existing = $"SALE{tag}";
        Assert.Equal(HttpStatusCode.Created, (await S.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = first.Id, code = existing, discountType = "FixedAmount", amount = 5 })).StatusCode);
        var before = await CouponCountAsync();

        var preview = await S.Api.PostAsJsonAsync("/api/v1/coupons/bulk/preview", new { groupId = group, pattern = "{CODE}", @base = $"sale{tag}", discountType = "Percentage", amount = 15 });

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var codes = (await preview.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal([($"Ann {tag}", $"SALE{tag.ToUpperInvariant()}-2", true), ($"Bob {tag}", $"SALE{tag.ToUpperInvariant()}-3", true)],
            codes.Select(c => (c.GetProperty("affiliateName").GetString(), c.GetProperty("code").GetString(), c.GetProperty("clashed").GetBoolean())));
        Assert.Equal(before, await CouponCountAsync());
        Assert.Equal(second.Id, codes[1].GetProperty("affiliateId").GetGuid());

        var bad = await S.Api.PostAsJsonAsync("/api/v1/coupons/bulk/preview", new { groupId = group, pattern = "TEN", discountType = "Percentage", amount = 15 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("{CODE}", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AShopThatFailsShowsTheReasonAndWhenAndReSyncPushesOnlyThere()
    {
        var tag = Tag();
        var affiliate = await AffiliateAsync($"Fay {tag}", $"fay{tag}".ToLowerInvariant(), group: null);
        var code = $"FLAKY{tag}";

        var created = await (await S.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = affiliate.Id, code, discountType = "Percentage", amount = 5 }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var woo = ShopState(created, shops.WooDomain);
        Assert.Equal("Failed", woo.GetProperty("status").GetString());
        Assert.Contains("500", woo.GetProperty("error").GetString());
        Assert.True(woo.GetProperty("updatedAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal("Synced", ShopState(created, FakeShopify.Shop).GetProperty("status").GetString());
        Assert.True(created.GetProperty("outOfSync").GetBoolean());
        var listed = await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/coupons?status=OutOfSync&q={code}");
        Assert.Equal(code, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("code").GetString());
        var shopifyCalls = CreatesAtShopify(code);

        var synced = await (await S.Api.PostAsync($"/api/v1/coupons/{created.GetProperty("id").GetGuid()}/sync", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Synced", ShopState(synced, shops.WooDomain).GetProperty("status").GetString());
        Assert.Equal(2, ShopState(synced, shops.WooDomain).GetProperty("attempts").GetInt32());
        Assert.False(synced.GetProperty("outOfSync").GetBoolean());
        Assert.Equal(shopifyCalls, CreatesAtShopify(code)); // already synced there: not pushed again
    }

    [Fact]
    public async Task UsageCountsTheOrdersRevenueAndCommissionCreditedThroughEachCoupon()
    {
        var tag = Tag();
        var affiliate = await AffiliateAsync($"Uma {tag}", $"uma{tag}".ToLowerInvariant(), await GroupAsync(tag));
        var used = await CouponIdAsync(affiliate.Id, $"USED{tag}");
        var idle = await CouponIdAsync(affiliate.Id, $"IDLE{tag}");
        var shopId = await S.WithDbAsync(db => db.Shops.Where(s => s.Domain == FakeShopify.Shop).Select(s => s.Id).SingleAsync());
        var at = DateTime.UtcNow.AddHours(-1);
        await S.WithServiceAsync<int, OrderProcessor>(async p =>
        {
            // Two orders with the code (matched case-insensitively), one cancelled with it, one through a link only.
            await p.ApplyOrderAsync(Scenario.Order(new ShopId(shopId), $"u1{tag}", at, OrderState.Paid, 100m, coupons: [$"used{tag}"]), default);
            await p.ApplyOrderAsync(Scenario.Order(new ShopId(shopId), $"u2{tag}", at, OrderState.Paid, 50m, coupons: [$"USED{tag}"]), default);
            await p.ApplyOrderAsync(Scenario.Order(new ShopId(shopId), $"u3{tag}", at, OrderState.Cancelled, 70m, coupons: [$"USED{tag}"]), default);
            await p.ApplyOrderAsync(Scenario.Order(new ShopId(shopId), $"u4{tag}", at, OrderState.Paid, 80m,
                touches: [new ReferralTouch(affiliate.Code, null, at.AddMinutes(-5), TouchSource.CartAttribute)]), default);
            return 0;
        });
        await shops.App.Services.GetRequiredService<RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var usage = (await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/coupons/{used}")).GetProperty("usage");
        var none = (await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/coupons/{idle}")).GetProperty("usage");

        Assert.Equal(2, usage.GetProperty("orders").GetInt64());
        var revenue = await S.WithDbAsync(db => db.Orders.IgnoreQueryFilters()
            .Where(o => o.ExternalId == $"u1{tag}" || o.ExternalId == $"u2{tag}").Select(o => o.NetRevenue - o.RefundedAmount).ToListAsync());
        Assert.Equal(revenue.Sum().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), usage.GetProperty("revenue").GetString());
        Assert.NotEqual("0.00", usage.GetProperty("revenue").GetString());
        Assert.Equal("USD", usage.GetProperty("currency").GetString());
        var commission = await S.WithDbAsync(db => db.Commissions.IgnoreQueryFilters()
            .Where(c => c.AffiliateId == affiliate.Id && db.Orders.Any(o => o.Id == c.OrderId && o.CouponCode == $"used{tag}")).Select(c => c.Amount).ToListAsync());
        Assert.Equal(commission.Sum().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), usage.GetProperty("commission").GetString());
        Assert.NotEqual("0.00", usage.GetProperty("commission").GetString());
        Assert.Equal(0, none.GetProperty("orders").GetInt64());
    }

    [Fact]
    public async Task TheAdminPagePreviewsAGroupsCodesCreatesThemAndReplacesALeakedOneWithAntiforgery()
    {
        var tag = Tag();
        var group = await GroupAsync(tag);
        var eve = await AffiliateAsync($"Eve {tag}", $"eve{tag}".ToLowerInvariant(), group);
        var staff = (await Staff.SignedInAsync(shops.App, await Staff.CreateAsync(shops.App, ShopAffiliate.Core.Workspaces.StaffRole.Owner))).Browser;
        var before = await CouponCountAsync();
        var query = $"Bulk.GroupId={group}&Bulk.Pattern=%7BCODE%7D20&Bulk.DiscountType=Percentage&Bulk.Amount=20";

        var preview = await staff.GetAsync($"/admin/coupons?handler=Preview&{query}");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var code = $"EVE{tag.ToUpperInvariant()}20";
        Assert.Contains($"data-code=\"{code}\"", await preview.Content.ReadAsStringAsync());
        Assert.Equal(before, await CouponCountAsync()); // a GET changes nothing
        var created = await Forms.SubmitAsync(staff, "/admin/coupons", new Dictionary<string, string>
        {
            ["Bulk.GroupId"] = group.ToString(), ["Bulk.Pattern"] = "{CODE}20", ["Bulk.DiscountType"] = "Percentage", ["Bulk.Amount"] = "20",
        }, "/admin/coupons?handler=Bulk");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await (await staff.GetAsync($"/admin/coupons?q={code}")).Content.ReadAsStringAsync();
        Assert.Contains($"data-shop=\"{FakeShopify.Shop}\" data-status=\"Synced\"", list);
        Assert.Contains($"data-shop=\"{shops.WooDomain}\" data-status=\"Synced\"", list);
        var id = await S.WithDbAsync(db => db.Coupons.Where(c => c.Code == code).Select(c => c.Id).SingleAsync());

        var forged = await staff.PostAsync($"/admin/coupons?handler=Leaked", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = id.ToString(), ["reason"] = "No token" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var leaked = await Forms.SubmitAsync(staff, $"/admin/coupons?q={code}", new Dictionary<string, string>
        {
            ["id"] = id.ToString(), ["reason"] = "Found on a coupon site", ["newCode"] = $"EVE{tag}NEW",
        }, $"/admin/coupons?handler=Leaked&q={code}");

        Assert.Equal(HttpStatusCode.Redirect, leaked.StatusCode);
        var coupon = await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/coupons/{id}");
        Assert.False(coupon.GetProperty("active").GetBoolean());
        Assert.Equal($"EVE{tag}NEW", coupon.GetProperty("replacedByCode").GetString());
        var page = await (await staff.GetAsync($"/admin/coupons?q={tag}&status=Deactivated")).Content.ReadAsStringAsync();
        Assert.Contains("Found on a coupon site", page);
        Assert.Equal(eve.Id, await S.WithDbAsync(db => db.Coupons.Where(c => c.Code == $"EVE{tag}NEW").Select(c => c.AffiliateId).SingleAsync()));
    }

    [Fact]
    public async Task ALeakedCodeWhoseShopifyAnswerWasLostIsFoundByItsCodeAndDeactivated()
    {
        var tag = Tag();
        var affiliate = await AffiliateAsync($"Gus {tag}", $"gus{tag}".ToLowerInvariant(), group: null);
        var code = $"GUS{tag.ToUpperInvariant()}";
        var id = await CouponIdAsync(affiliate.Id, code);
        // As after a push whose answer never came: Shopify made the discount, we hold no id for it.
        await S.WithDbAsync(db => db.CouponSyncs.Where(s => s.CouponId == id && db.Shops.Any(x => x.Id == s.ShopId && x.Platform == ShopPlatform.Shopify))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExternalId, (string?)null).SetProperty(x => x.Status, ShopAffiliate.Core.Coupons.CouponSyncStatus.Failed)));
        shops.Shopify.Given(Request.Create().WithPath(CouponShops.GraphQl).UsingPost()
                .WithBody((string? b) => b is not null && b.Contains("codeDiscountNodeByCode") && b.Contains(code)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new
            {
                data = new
                {
                    codeDiscountNodeByCode = new
                    {
                        id = $"gid://shopify/DiscountCodeNode/found-{code}",
                        codeDiscount = new
                        {
                            __typename = "DiscountCodeBasic", title = $"Affiliate Gus {tag}",
                            customerGets = new { value = new { __typename = "DiscountPercentage", percentage = 0.1 } },
                        },
                    },
                },
            })));

        var leak = await (await S.Api.PostAsJsonAsync($"/api/v1/coupons/{id}/leaked", new { reason = "Shared on a forum" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Deactivated", ShopState(leak.GetProperty("leaked"), FakeShopify.Shop).GetProperty("status").GetString());
        Assert.Contains(shops.Shopify.LogEntries, e => e.RequestMessage!.Body!.Contains("discountCodeDeactivate")
            && e.RequestMessage.Body.Contains($"gid://shopify/DiscountCodeNode/found-{code}"));
    }

    private static JsonElement ShopState(JsonElement coupon, string shop) =>
        coupon.GetProperty("shops").EnumerateArray().Single(s => s.GetProperty("shop").GetString() == shop);

    private int CreatesAtShopify(string code) =>
        shops.Shopify.LogEntries.Count(e => e.RequestMessage!.Body!.Contains("discountCodeBasicCreate") && e.RequestMessage.Body.Contains($"\"{code}\""));

    private Task<int> CouponCountAsync() => S.WithDbAsync(db => db.Coupons.IgnoreQueryFilters().CountAsync());

    private async Task<Guid> CouponIdAsync(Guid affiliate, string code)
    {
        var response = await S.Api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = affiliate, code, discountType = "Percentage", amount = 10 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<Guid> GroupAsync(string tag)
    {
        var response = await S.Api.PostAsJsonAsync("/api/v1/groups", new
        {
            name = $"Bloggers {tag}", isDefault = false, rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(Guid Id, string Email, string Code)> AffiliateAsync(string name, string code, Guid? group)
    {
        var email = $"{code}@example.com";
        var created = await S.Api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, referralCode = code, groupId = group });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await S.Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fine" })).StatusCode);
        return (id, email, code);
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];
}

public sealed class CouponCampaignOnSqlite(SqliteCouponShops shops) : CouponCampaignTests(shops), IClassFixture<SqliteCouponShops>;

public sealed class CouponCampaignOnPostgres(PostgresCouponShops shops) : CouponCampaignTests(shops), IClassFixture<PostgresCouponShops>;
