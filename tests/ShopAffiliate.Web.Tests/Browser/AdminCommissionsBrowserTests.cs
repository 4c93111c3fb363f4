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

/// <summary>
/// Issue 14's "commission review and a payout CSV download" in Chromium, and the screenshots (both languages, both widths,
/// axe) of the commissions queue, the affiliate's page and the audit log.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminCommissionsBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task TheOwnerApprovesAHeldSelfReferralThenPaysItAndDownloadsTheBankCsv()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        var (affiliateId, email) = await HeldSelfReferralAsync(app);
        await using var context = await chromium.NewContextAsync();
        var page = await ShellBrowserTests.SignInAsync(context, app);
        await using var screenshot = new Screenshot(page, nameof(TheOwnerApprovesAHeldSelfReferralThenPaysItAndDownloadsTheBankCsv));

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/commissions", "admin", "commissions-review", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Provisioner" : "Commissions", await tab.Locator("h1").InnerTextAsync());
            await Assertions.Expect(tab.Locator("[data-testid=commission-row]")).ToHaveCountAsync(1);
        });

        await page.GotoAsync($"{app.BaseUrl}/admin/commissions");
        await Assertions.Expect(page.Locator("[data-testid=reason]")).ToHaveTextAsync("Self-referral: held until staff review it.");
        await page.Locator("[data-testid=commission-row] input[name=ids]").CheckAsync();
        await page.GetByLabel("With the ticked commissions").SelectOptionAsync("approve");
        await page.Locator("#reasonTemplate").SelectOptionAsync("Checked: the referral is genuine.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply to ticked" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Approved 1 of 1 commissions." }).WaitForAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=commission-row]")).ToHaveCountAsync(0);

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/commissions?view=all", "admin", "commissions", async (tab, _) =>
            await Assertions.Expect(tab.Locator("[data-testid=commission-row][data-status=Approved]")).ToHaveCountAsync(1));
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/affiliates/{affiliateId}", "admin", "affiliate", async (tab, language) =>
        {
            Assert.Equal("Bea Buyer", await tab.Locator("h1").InnerTextAsync());
            await Assertions.Expect(tab.Locator("[data-testid=affiliate-commission-row]")).ToHaveCountAsync(1);
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/audit", "admin", "audit", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Revisionslog" : "Audit log", await tab.Locator("h1").InnerTextAsync());
            await Assertions.Expect(tab.Locator("[data-testid=audit-row][data-action='commission.approved']")).ToHaveCountAsync(1);
        });

        await page.GotoAsync($"{app.BaseUrl}/admin/payouts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a USD batch" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is ready" }).WaitForAsync(new() { Timeout = 30_000 });
        var reference = await page.Locator("[data-testid=open-batch]").GetAttributeAsync("data-reference");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Bank CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains(email, csv, StringComparison.Ordinal);
        Assert.Contains("12.00", csv, StringComparison.Ordinal);
        Assert.Contains($"{reference}-0001", csv, StringComparison.Ordinal);
        await screenshot.SaveAsync();
    }

    /// <summary>
    /// An approved affiliate whose own order (10 % of 120.00 USD = 12.00) the program holds as a self-referral; their id and e-mail.
    /// </summary>
    private static async Task<(Guid Id, string Email)> HeldSelfReferralAsync(BrowserApp app)
    {
        using var api = app.ApiClient();
        Assert.True((await api.PutAsJsonAsync("/api/v1/settings/program", new { payoutThreshold = 5m, defaultCommissionRate = 0.1m, selfReferralPolicy = "Hold" })).IsSuccessStatusCode);
        var email = $"bea.{Guid.NewGuid():N}@example.com";
        var created = await (await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Bea Buyer", email, referralCode = "bea" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var affiliateId = created.GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{affiliateId}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        var workspaceId = await app.WithDbAsync(db => db.Workspaces.Select(w => w.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var shop = new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = "bea-shop.myshopify.com", Currency = "USD", Name = "Bea" };
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        var at = DateTime.UtcNow.AddHours(-1);
        await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ApplyOrderAsync(Scenario.Order(new ShopId(shop.Id), "B-1", at, OrderState.Paid, 120m,
            [new ReferralTouch("bea", null, at.AddMinutes(-5), TouchSource.CartAttribute)], email: email), default);
        return (affiliateId, email);
    }
}
