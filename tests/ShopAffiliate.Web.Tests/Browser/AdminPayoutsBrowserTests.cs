using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>Payouts and settings in Chromium: both languages and widths, a batch's file downloaded, a rule changed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPayoutsBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task TheOwnerCreatesABatchDownloadsItsPayPalFileAndMarksItPaid()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        var email = await OwedCommissionAsync(app);
        await using var context = await chromium.NewContextAsync();
        var page = await ShellBrowserTests.SignInAsync(context, app);
        await using var screenshot = new Screenshot(page, nameof(TheOwnerCreatesABatchDownloadsItsPayPalFileAndMarksItPaid));

        await page.GotoAsync($"{app.BaseUrl}/admin/payouts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a USD batch" }).ClickAsync();
        var status = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is ready" });
        await status.WaitForAsync(new() { Timeout = 30_000 });
        var reference = await page.Locator("[data-testid=open-batch]").GetAttributeAsync("data-reference");
        Assert.NotNull(reference);

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/payouts", "admin", "payouts", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Udbetalinger" : "Payouts", await tab.Locator("h1").InnerTextAsync());
            await Assertions.Expect(tab.Locator("[data-testid=open-batch]")).ToHaveCountAsync(1);
        });

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "PayPal mass payment file" }).ClickAsync());
        Assert.Equal($"{reference}-paypal.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal($"{email},12.00,USD,{reference}-0001,Affiliate commissions {reference}\r\n", csv);

        await page.GetByText("Mark paid", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Yes, mark {reference} paid" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is marked paid" }).WaitForAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator($"[data-testid=history-row][data-reference='{reference}'] .badge")).ToHaveTextAsync("Paid");
        await screenshot.SaveAsync();
    }

    [Fact]
    public async Task TheSettingsPageSavesARuleInBothLanguages()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        var page = await ShellBrowserTests.SignInAsync(context, app);
        await using var screenshot = new Screenshot(page, nameof(TheSettingsPageSavesARuleInBothLanguages));

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/settings", "admin", "settings", async (tab, language) =>
            Assert.Equal(language == "da" ? "Indstillinger" : "Settings", await tab.Locator("h1").InnerTextAsync()));
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/program-page", "admin", "program-page", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Programside" : "Program page", await tab.Locator("h1").InnerTextAsync());
            Assert.Equal(language == "da" ? "Tag imod ansøgninger" : "Accept applications", (await tab.Locator("label:has(#Input_AcceptingApplications)").InnerTextAsync()).Trim());
        });

        await page.GotoAsync($"{app.BaseUrl}/admin/settings");
        await page.GetByLabel("Cookie window (days)").FillAsync("60");
        await page.GetByLabel("Time zone", new() { Exact = true }).FillAsync("Europe/Copenhagen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the rules" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "rules are saved" }).WaitForAsync(new() { Timeout = 30_000 });

        using var api = app.ApiClient();
        var settings = await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program");
        Assert.Equal(60, settings.GetProperty("cookieWindowDays").GetInt32());
        Assert.Equal("Europe/Copenhagen", settings.GetProperty("timeZone").GetString());
        await Assertions.Expect(page.GetByLabel("Cookie window (days)")).ToHaveValueAsync("60");
    }

    /// <summary>An approved affiliate with an approved 12.00 USD commission (10 % of 120.00); returns their e-mail.</summary>
    private static async Task<string> OwedCommissionAsync(BrowserApp app)
    {
        using var api = app.ApiClient();
        Assert.True((await api.PutAsJsonAsync("/api/v1/settings/program", new { payoutThreshold = 5m, defaultCommissionRate = 0.1m })).IsSuccessStatusCode);
        var email = $"bea.{Guid.NewGuid():N}@example.com";
        var created = await (await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Bea Buyer", email, referralCode = "bea" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var affiliateId = created.GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{affiliateId}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        var workspaceId = await app.WithDbAsync(db => db.Workspaces.Select(w => w.Id).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var shop = new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = "bea-shop.myshopify.com", Currency = "USD", Name = "Bea" };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            var at = DateTime.UtcNow.AddHours(-1);
            await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ApplyOrderAsync(Scenario.Order(new ShopId(shop.Id), "B-1", at, OrderState.Paid, 120m,
                [new ReferralTouch("bea", null, at.AddMinutes(-5), TouchSource.CartAttribute)]), default);
        }
        var commissionId = await app.WithDbAsync(db => db.Commissions.IgnoreQueryFilters().Where(c => c.AffiliateId == affiliateId).Select(c => c.Id).SingleAsync());
        Assert.True((await api.PostAsJsonAsync($"/api/v1/commissions/{commissionId}/approve", new { reason = "Checked" })).IsSuccessStatusCode);
        return email;
    }
}
