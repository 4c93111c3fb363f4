using System.Globalization;
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
/// The portal's payouts and statements pages in Chromium, both languages, desktop and phone, axe: an affiliate of a
/// Danish shop (prices with 25 % moms) with one commission paid out in a DKK batch and one still pending.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalMoneyBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ThePayoutsAndStatementsPagesAreAccessibleAndFitAPhoneInBothLanguages()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        var api = app.ApiClient();
        // 10 % on everything, and 5 % to the recruiter (the second tier).
        Assert.True((await api.PostAsJsonAsync("/api/v1/groups", new
        {
            name = "Standard", isDefault = true, secondTierRate = 0.05m, rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } },
        })).IsSuccessStatusCode);
        var (id, email) = await PortalAccount.CreateAsync(app, workspace.Id, "Dorte Dansk", "dorte");
        var recruit = await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Rasmus Rekrut", email = $"rasmus.{Guid.NewGuid():N}@example.com", referralCode = "rasmus", parentAffiliateId = id });
        var recruitId = (await recruit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{recruitId}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        var at = DateTime.UtcNow.AddHours(-2);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspace.Id;
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var shop = new Shop { WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = "strik.example", Currency = "DKK", Name = "Strik" };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            var processor = scope.ServiceProvider.GetRequiredService<OrderProcessor>();
            // 1.249,95 kr. and 123,45 kr. with 25 % moms included: 999,96 kr. and 98,76 kr. of goods.
            // Rasmus's 250,00 kr. with moms (200,00 kr. of goods) earns Dorte 10,00 kr. of second tier.
            foreach (var (number, code, net, tax) in (ValueTuple<string, string, decimal, decimal>[])
                     [("2001", "dorte", 999.96m, 249.99m), ("2002", "dorte", 98.76m, 24.69m), ("2003", "rasmus", 200m, 50m)])
            {
                var order = Scenario.Order(new ShopId(shop.Id), number, at, OrderState.Paid, 0m,
                    [new ReferralTouch(code, null, at.AddHours(-1), TouchSource.CartAttribute)], currency: "DKK")
                    with { Lines = [new OrderLine("L1", "P1", [], 1, net, tax)], TaxTotal = tax, TaxesIncluded = true };
                await processor.ApplyOrderAsync(order, default);
            }
        }
        var first = await app.WithDbAsync(db => db.Commissions.IgnoreQueryFilters().Where(c => c.AffiliateId == id)
            .Join(db.Orders.IgnoreQueryFilters().Where(o => o.ExternalId == "2001"), c => c.OrderId, o => o.Id, (c, o) => c.Id).SingleAsync());
        Assert.True((await api.PostAsJsonAsync($"/api/v1/commissions/{first}/approve", new { reason = "Checked" })).IsSuccessStatusCode);
        var batch = await api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "DKK" });
        Assert.True(batch.IsSuccessStatusCode, await batch.Content.ReadAsStringAsync());
        var batchId = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsync($"/api/v1/payouts/batches/{batchId}/mark-paid", null)).IsSuccessStatusCode);

        await using var context = await PortalAccount.SignedInAsync(chromium, app, email, workspace.Slug);
        var portal = $"{app.BaseUrl}/portal/p/{workspace.Slug}";
        await PageCheck.VisitAsync(context, $"{portal}/payouts", "portal", "payouts", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Udbetalinger" : "Payouts", await page.Locator("h1").InnerTextAsync());
            var row = page.Locator("tr[data-currency=DKK]");
            // 10 % of 999,96 kr. paid; 10 % of 98,76 kr. (9,876) and the 10,00 kr. second tier pending, to the øre.
            Assert.Equal(language == "da" ? "100,00 kr." : "DKK 100.00", await row.Locator("[data-testid=paid]").InnerTextAsync());
            Assert.Equal(language == "da" ? "19,88 kr." : "DKK 19.88", await row.Locator("[data-testid=pending]").InnerTextAsync());
            Assert.Equal(1, await page.Locator($"tr[data-batch='{batchId}']").CountAsync());
        });
        await PageCheck.VisitAsync(context, $"{portal}/payouts/{batchId}", "portal", "payout", async (page, language) =>
        {
            Assert.Equal(1, await page.Locator("[data-testid=parts] tbody tr").CountAsync());
            Assert.Equal(language == "da" ? "100,00 kr." : "DKK 100.00", await page.Locator("[data-testid=payout-amount]").InnerTextAsync());
        });
        var month = at.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await PageCheck.VisitAsync(context, $"{portal}/statements", "portal", "statements", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Opgørelser" : "Statements", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(1, await page.Locator($"tr[data-month='{month}']").CountAsync());
        });
        await PageCheck.VisitAsync(context, $"{portal}/statements/{month}", "portal", "statement", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Provisionsopgørelse" : "Commission statement", await page.Locator("h1").InnerTextAsync());
            Assert.Contains(language == "da" ? "119,88 kr." : "119.88 DKK", await page.Locator("main").InnerTextAsync());
            // Printed, the portal's links are left off the paper.
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            Assert.False(await page.Locator("nav.actions").IsVisibleAsync());
            await page.EmulateMediaAsync(new() { Media = Media.Screen });
        });
        await PageCheck.VisitAsync(context, $"{portal}/team", "portal", "team", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Dit team" : "Your team", await page.Locator("h1").InnerTextAsync());
            var row = page.Locator($"tr[data-recruit='{recruitId}']");
            Assert.Equal("Rasmus Rekrut", await row.Locator("th").InnerTextAsync());
            Assert.Equal(language == "da" ? "10,00 kr." : "DKK 10.00", await row.Locator("[data-testid=overall]").InnerTextAsync());
            Assert.EndsWith("/apply?by=dorte", await page.Locator("[data-testid=recruit-link]").InnerTextAsync());
        });
    }
}
