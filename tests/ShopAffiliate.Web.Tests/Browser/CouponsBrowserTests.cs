using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The admin's coupons page and the portal's in Chromium: a group's codes previewed and created, a leaked code replaced, both languages and widths.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CouponsBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task TheMerchantPreviewsAndCreatesAGroupsCodesAndTheAffiliateSeesTheirOwnInThePortal()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        using var api = app.ApiClient();
        var ann = await ApprovedAsync(api, "Ann Able", "ann");
        var bo = await ApprovedAsync(api, "Bo Berg", "bo");
        // A Shopify shop whose token is missing: every push to it fails with a reason the page shows.
        await app.WithDbAsync(async db =>
        {
            db.Shops.Add(new Shop { WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = "knits.myshopify.com", Currency = "USD", Name = "Knits" });
            return await db.SaveChangesAsync();
        });
        var email = await PortalAccountAsync(app, workspace.Id, ann);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/coupons", new { affiliateId = bo, code = "BO10", discountType = "Percentage", amount = 10 })).StatusCode);

        await using var context = await chromium.NewContextAsync();
        var page = await ShellBrowserTests.SignInAsync(context, app);
        await using var screenshot = new Screenshot(page, nameof(TheMerchantPreviewsAndCreatesAGroupsCodesAndTheAffiliateSeesTheirOwnInThePortal));
        await page.GotoAsync($"{app.BaseUrl}/admin/coupons");
        await page.GetByLabel("Amount (percent or amount)").Nth(1).FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview the codes" }).ClickAsync();
        var preview = page.Locator("[data-testid=preview-row]");
        await Assertions.Expect(preview).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=preview-row][data-code='BO10-2']")).ToContainTextAsync("BO10 is taken in the program");
        Assert.Equal(1, await app.WithDbAsync(db => db.Coupons.IgnoreQueryFilters().CountAsync())); // a preview creates nothing

        await page.GetByRole(AriaRole.Button, new() { Name = "Create 2 coupons and send them to the shops" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Created 2 coupons" }).WaitForAsync(new() { Timeout = 30_000 });
        var row = page.Locator("[data-testid=coupon-row][data-code='ANN10']");
        await Assertions.Expect(row.Locator("[data-shop='knits.myshopify.com']")).ToHaveAttributeAsync("data-status", "Failed");

        // As if the shop had taken ANN10: the portal then shows its share link.
        await app.WithDbAsync(db => db.CouponSyncs.IgnoreQueryFilters().Where(s => db.Coupons.IgnoreQueryFilters().Any(c => c.Id == s.CouponId && c.Code == "ANN10"))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, CouponSyncStatus.Synced).SetProperty(x => x.Error, (string?)null)));
        var leakedId = await app.WithDbAsync(db => db.Coupons.IgnoreQueryFilters().Where(c => c.Code == "BO10").Select(c => c.Id).SingleAsync());
        Assert.True((await api.PostAsJsonAsync($"/api/v1/coupons/{leakedId}/leaked", new { reason = "Published on a coupon site" })).IsSuccessStatusCode);

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/coupons", "admin", "coupons", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Rabatkoder" : "Coupons", await tab.Locator("h1").InnerTextAsync());
            await Assertions.Expect(tab.Locator("[data-testid=coupon-row]")).ToHaveCountAsync(4);
        });
        await screenshot.SaveAsync();

        var portal = await context.NewPageAsync();
        await portal.GotoAsync($"{app.BaseUrl}/portal/login");
        await portal.GetByLabel("Email").FillAsync(email);
        await portal.GetByLabel("Password").FillAsync("an-affiliate-passphrase");
        await portal.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await portal.WaitForURLAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}");
        await portal.CloseAsync();
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}/coupons", "portal", "coupons", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Dine rabatkoder" : "Your coupon codes", await tab.Locator("h1").InnerTextAsync());
            // Ann's own code only, with the link that applies it in the shop; Bo's codes are not hers to see.
            await Assertions.Expect(tab.Locator("[data-testid=coupon-row]")).ToHaveCountAsync(1);
            await Assertions.Expect(tab.Locator("[data-testid=share-link]")).ToHaveTextAsync("https://knits.myshopify.com/discount/ANN10?redirect=%2F");
        });
    }

    private static async Task<Guid> ApprovedAsync(HttpClient api, string name, string code)
    {
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email = $"{code}.{Guid.NewGuid():N}@example.com", referralCode = code });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        return id;
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
        await db.SaveChangesAsync();
        return affiliate.Email;
    }
}
