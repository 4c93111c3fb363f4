using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Creatives;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>Issue 16's acceptance in Chromium: upload and publish, the affiliate's embed code, a page built from it, the click, the CTR.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CreativesBrowserTests(ChromiumFixture chromium)
{
    /// <summary>A reader's browser: Chromium's headless User-Agent says HeadlessChrome, which is rightly counted as a bot.</summary>
    private const string Reader = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public async Task AnUploadedBannersEmbedCodeCountsOneImpressionAndOneClickThatLandsOnTheShopWithTheReferral()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        // The app listens on a port chosen at start: the embed code is built from App:PublicBaseUrl, so it is set to it.
        app.Services.GetRequiredService<IConfiguration>()["App:PublicBaseUrl"] = app.BaseUrl;
        await using var shop = await FakeShop.StartAsync(app.BaseUrl, "none");
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        var api = app.ApiClient();
        Assert.True((await api.PutAsJsonAsync("/api/v1/settings/program", new { allowedDestinationHosts = new[] { ChromiumFixture.ShopHost } })).IsSuccessStatusCode);
        var (_, email) = await AnnWithPortalAccountAsync(app, workspace.Id);
        var banner = Path.Combine(Path.GetTempPath(), $"summer-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(banner, TestImages.Png(300, 250));

        // The merchant uploads the banner and publishes it.
        await using var staff = await chromium.NewContextAsync();
        var admin = await ShellBrowserTests.SignInAsync(staff, app);
        await using var screenshot = new Screenshot(admin, nameof(AnUploadedBannersEmbedCodeCountsOneImpressionAndOneClickThatLandsOnTheShopWithTheReferral));
        await admin.GotoAsync($"{app.BaseUrl}/admin/creatives");
        await admin.Locator("#NewName").FillAsync("Summer banner");
        await admin.Locator("#NewFiles").SetInputFilesAsync(banner);
        await admin.Locator("#NewDestination").FillAsync($"{shop.BaseUrl}/");
        await admin.Locator("#NewHeadline").FillAsync("The summer knit sale");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save as draft" }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "is saved as a draft" }).WaitForAsync(new() { Timeout = 30_000 });
        await admin.Locator("[data-testid=creative-row][data-name='Summer banner'] [data-testid=publish]").ClickAsync();
        await admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "is published" }).WaitForAsync(new() { Timeout = 30_000 });
        await PageCheck.VisitAsync(staff, $"{app.BaseUrl}/admin/creatives", "admin", "creatives", async (tab, language) =>
            Assert.Equal(language == "da" ? "Materialer" : "Materials", await tab.Locator("h1").InnerTextAsync()));

        // The affiliate finds it in the portal and copies its embed code.
        await using var portal = await chromium.NewContextAsync();
        var tab = await portal.NewPageAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/login");
        await tab.GetByLabel("Email").FillAsync(email);
        await tab.GetByLabel("Password").FillAsync("an-affiliate-passphrase");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.WaitForURLAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}");
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}/materials");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Get the code" }).ClickAsync();
        var code = tab.Locator("[data-testid=html-code]");
        await code.WaitForAsync(new() { Timeout = 30_000 });
        var embed = await code.InputValueAsync();
        Assert.Contains("<small>Ad</small>", embed, StringComparison.Ordinal);
        await PageCheck.VisitAsync(portal, $"{app.BaseUrl}/portal/p/{workspace.Slug}/materials", "portal", "materials", async (page, language) =>
            Assert.Equal(language == "da" ? "Materialer" : "Materials", await page.Locator("h1").InnerTextAsync()));

        // A reader opens a page built from the embed code: one impression; then clicks the banner: the shop, with the referral.
        await using var reader = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = Reader });
        reader.SetDefaultTimeout(ChromiumFixture.ActionTimeoutMs);
        reader.SetDefaultNavigationTimeout(ChromiumFixture.ActionTimeoutMs);
        var blog = await reader.NewPageAsync();
        await blog.SetContentAsync($"<!DOCTYPE html><html lang=\"en\"><title>A knitting blog</title><body><p>My favourite shop:</p>{embed}</body></html>");
        await Assertions.Expect(blog.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        Assert.Equal(300, await blog.Locator("img").EvaluateAsync<int>("i => i.naturalWidth"));
        await Eventually.HoldsAsync(() => app.WithDbAsync(db => db.Impressions.IgnoreQueryFilters().CountAsync()), n => n == 1, "one impression");
        await blog.Locator("a").ClickAsync();
        await blog.WaitForURLAsync(url => url.StartsWith(shop.BaseUrl, StringComparison.Ordinal), new() { Timeout = 30_000 });
        Assert.Contains("ref=ann", blog.Url, StringComparison.Ordinal);

        // The creative's CTR in the report: one unique click per impression.
        await app.Services.GetRequiredService<RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var top = await api.GetFromJsonAsync<JsonElement>($"/api/v1/reports/top?by=creative&metric=ctr&from={today}&to={today}");
        Assert.Equal(1.0m, top.GetProperty("rows")[0].GetProperty("value").GetDecimal());
        await admin.GotoAsync($"{app.BaseUrl}/admin/creatives");
        await Assertions.Expect(admin.Locator("[data-testid=creative-row][data-name='Summer banner'] [data-testid=ctr]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^100"));
        await screenshot.SaveAsync();
    }

    /// <summary>Ann, approved through the API (referral code <c>ann</c>), with a portal account and the program's shop.</summary>
    internal static async Task<(Guid Id, string Email)> AnnWithPortalAccountAsync(BrowserApp app, Guid workspaceId)
    {
        var api = app.ApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Ann Able", email = $"ann.{Guid.NewGuid():N}@example.com", referralCode = "ann" });
        var affiliateId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{affiliateId}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        return (affiliateId, await PortalAccountAsync(app, workspaceId, affiliateId));
    }

    private static async Task<string> PortalAccountAsync(BrowserApp app, Guid workspaceId, Guid affiliateId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var affiliate = await db.Affiliates.SingleAsync(a => a.Id == affiliateId);
        var user = new AppUser { UserName = affiliate.Email, Email = affiliate.Email, EmailConfirmed = true, DisplayName = affiliate.Name };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user, "an-affiliate-passphrase")).Succeeded);
        affiliate.UserId = user.Id;
        db.Shops.Add(new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = "knits.example", Currency = "DKK", Name = "Knits" });
        await db.SaveChangesAsync();
        return affiliate.Email;
    }
}
