using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Web.Tests.Creatives;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Campaigns in Chromium: the merchant creates a campaign, attaches a banner and announces it; the affiliate finds the
/// banner under the campaign filter of their materials, and after an order through the banner's click its results card
/// and the admin's creatives list show the order's figures. Screenshots of each page in both languages and widths.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CampaignsBrowserTests(ChromiumFixture chromium)
{
    private const string Reader = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public async Task AnAnnouncedCampaignsBannerIsInTheAffiliatesMaterialsAndAnOrderThroughItShowsInTheResults()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        app.Services.GetRequiredService<IConfiguration>()["App:PublicBaseUrl"] = app.BaseUrl;
        await using var shop = await FakeShop.StartAsync(app.BaseUrl, "none");
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        var api = app.ApiClient();
        Assert.True((await api.PutAsJsonAsync("/api/v1/settings/program",
            new { allowedDestinationHosts = new[] { ChromiumFixture.ShopHost }, defaultCommissionRate = 0.1m, timeZone = "UTC" })).IsSuccessStatusCode);
        var (affiliateId, email) = await CreativesBrowserTests.AnnWithPortalAccountAsync(app, workspace.Id);
        var form = new MultipartFormDataContent
        {
            { new StringContent("Banner"), "kind" }, { new StringContent("Summer sale banner"), "name" }, { new StringContent("Knits on sale"), "headline" },
            { new StringContent($"{shop.BaseUrl}/"), "destination" }, { new ByteArrayContent(TestImages.Png(300, 250)), "file", "summer.png" },
        };
        var banner = (await (await api.PostAsync("/api/v1/creatives", form)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsync($"/api/v1/creatives/{banner}/publish", null)).IsSuccessStatusCode);
        var coupon = await api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId, code = "ANNSUMMER", discountType = "Percentage", amount = 10m });
        Assert.True(coupon.IsSuccessStatusCode, await coupon.Content.ReadAsStringAsync());

        // The merchant creates the campaign, attaches the banner and the coupon, and announces it.
        await using var staff = await chromium.NewContextAsync();
        var admin = await ShellBrowserTests.SignInAsync(staff, app);
        await using var screenshot = new Screenshot(admin, nameof(AnAnnouncedCampaignsBannerIsInTheAffiliatesMaterialsAndAnOrderThroughItShowsInTheResults));
        await admin.GotoAsync($"{app.BaseUrl}/admin/campaigns");
        await admin.Locator("#campaign-name").FillAsync("Summer sale");
        await admin.Locator("#campaign-start").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        await admin.Locator("#campaign-end").FillAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "is created" }).WaitForAsync(new() { Timeout = 60_000 });
        var detailUrl = admin.Url;
        await admin.Locator("[data-testid=attach-creatives] input[type=checkbox]").First.CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Attach the ticked materials" }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "now part of Summer sale" }).WaitForAsync(new() { Timeout = 60_000 });
        await admin.Locator("#coupon-codes").FillAsync("annsummer");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Attach the coupons" }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "coupons are now part" }).WaitForAsync(new() { Timeout = 60_000 });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send the announcement" }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "sent to 1 affiliates" }).WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal(1, await app.WithDbAsync(db => db.AnnouncementRecipients.IgnoreQueryFilters().CountAsync(r => r.AffiliateId == affiliateId)));
        await PageCheck.VisitAsync(staff, $"{app.BaseUrl}/admin/campaigns", "admin", "campaigns", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Kampagner" : "Campaigns", await tab.Locator("h1").InnerTextAsync());
            Assert.Equal(language == "da" ? "I gang" : "Running", await tab.Locator("[data-testid=campaign-status]").First.InnerTextAsync());
        });
        await PageCheck.VisitAsync(staff, detailUrl, "admin", "campaign-detail");

        // The affiliate filters their materials by the campaign, sees its banner and coupon, and takes the code.
        await using var portal = await chromium.NewContextAsync();
        var tab = await portal.NewPageAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/login");
        await tab.GetByLabel("Email").FillAsync(email);
        await tab.GetByLabel("Password").FillAsync("an-affiliate-passphrase");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.WaitForURLAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}");
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}/materials");
        await tab.Locator("#campaign").SelectOptionAsync(new SelectOptionValue { Label = "Summer sale" });
        await tab.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await tab.WaitForURLAsync(url => url.Contains("campaign=", StringComparison.Ordinal));
        await Assertions.Expect(tab.Locator($"#creative-{banner} [data-testid=creative-campaign]")).ToHaveTextAsync("Summer sale");
        await Assertions.Expect(tab.Locator("[data-testid=campaigns] [data-testid=campaign-coupons] code")).ToHaveTextAsync("ANNSUMMER");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Get the code" }).ClickAsync();
        await tab.Locator("[data-testid=html-code]").WaitForAsync(new() { Timeout = 60_000 });
        var linkCode = await app.WithDbAsync(db => db.TrackingLinks.IgnoreQueryFilters().Where(l => l.AffiliateId == affiliateId).Select(l => l.Code).SingleAsync());

        // A reader clicks the banner and buys: the order is the banner's.
        await using var reader = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = Reader });
        reader.SetDefaultTimeout(ChromiumFixture.ActionTimeoutMs);
        reader.SetDefaultNavigationTimeout(ChromiumFixture.ActionTimeoutMs);
        var blog = await reader.NewPageAsync();
        await blog.GotoAsync($"{app.BaseUrl}/r/{linkCode}?c={banner}");
        await blog.WaitForURLAsync(url => url.StartsWith(shop.BaseUrl, StringComparison.Ordinal), new() { Timeout = 60_000 });
        var click = await Eventually.HoldsAsync(() => app.WithDbAsync(db => db.Clicks.IgnoreQueryFilters().Where(c => c.CreativeId == banner).Select(c => (Guid?)c.Id).FirstOrDefaultAsync()),
            c => c is not null, "the banner's click");
        var shopId = await app.WithDbAsync(db => db.Shops.IgnoreQueryFilters().Where(s => s.WorkspaceId == workspace.Id).Select(s => s.Id).FirstAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspace.Id;
            var now = DateTime.UtcNow;
            var order = new OrderEvent(new ShopId(shopId), new ExternalOrderId("summer-1"), "#1001", now, now, "DKK", OrderState.Paid, IsTest: false,
                CustomerId: "c-1", CustomerEmail: "buyer@example.com", Lines: [new OrderLine("L1", "P1", [], 1, 500.00m, 0m)], DiscountCodes: [],
                Touches: [new ReferralTouch("ann", click, null, TouchSource.Click)], ShippingTotal: 0m, TaxTotal: 0m);
            Assert.Equal(ApplyOutcome.Applied, await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ApplyOrderAsync(order, default));
        }
        await app.Services.GetRequiredService<RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(120));

        await PageCheck.VisitAsync(portal, $"{app.BaseUrl}/portal/p/{workspace.Slug}/materials?campaign={await CampaignIdAsync(app)}", "portal", "materials-campaign", async (page, language) =>
        {
            var result = page.Locator("[data-testid=creative-result]").First;
            Assert.Equal("1", (await result.Locator("td").Nth(4).InnerTextAsync()).Trim());
            Assert.Contains("50", await result.Locator("td").Nth(5).InnerTextAsync(), StringComparison.Ordinal);
        });
        await PageCheck.VisitAsync(staff, $"{app.BaseUrl}/admin/creatives", "admin", "creatives-figures", async (page, language) =>
        {
            var row = page.Locator("[data-testid=creative-row][data-name='Summer sale banner']");
            Assert.Equal("1", (await row.Locator("[data-testid=orders]").InnerTextAsync()).Trim());
            Assert.Contains("500", await row.Locator("[data-testid=revenue]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("50", await row.Locator("[data-testid=commission]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("50", await row.Locator("[data-testid=epc]").InnerTextAsync(), StringComparison.Ordinal);
        });
        await screenshot.SaveAsync();
    }

    private static Task<Guid> CampaignIdAsync(BrowserApp app) =>
        app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Where(c => c.Name == "Summer sale").Select(c => c.Id).SingleAsync());
}
