using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The portal's dashboard, commissions, privacy, profile and terms pages and the public program page, form and thank-you page in Chromium: both languages, desktop and phone, axe.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalPagesBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task TheDashboardCommissionsAndPrivacyPagesAreAccessibleAndFitAPhoneInBothLanguages()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        var (_, email) = await PortalAccount.CreateAsync(app, workspace.Id, "Ann Able", "ann");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspace.Id;
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var shop = new Shop { WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = "knits.example", Currency = "DKK", Name = "Knits" };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            var processor = scope.ServiceProvider.GetRequiredService<OrderProcessor>();
            var at = DateTime.UtcNow.AddDays(-2);
            foreach (var (number, amount) in (ValueTuple<string, decimal>[])[("1001", 450m), ("1002", 1299.5m)])
            {
                await processor.ApplyOrderAsync(Scenario.Order(new ShopId(shop.Id), number, at, OrderState.Paid, amount,
                    [new ReferralTouch("ann", null, at.AddHours(-1), TouchSource.CartAttribute)], currency: "DKK"), default);
            }
        }

        await using var context = await PortalAccount.SignedInAsync(chromium, app, email, workspace.Slug);

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}", "portal", "dashboard", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Din saldo" : "Your balance", await page.Locator("#balance-title").InnerTextAsync());
            Assert.Equal(1, await page.Locator("tr[data-currency=DKK]").CountAsync());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}/commissions", "portal", "commissions", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Provision" : "Commissions", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(2, await page.Locator("tr[data-commission]").CountAsync());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}/privacy", "portal", "privacy", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Dine data" : "Your data", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(1, await page.Locator("[data-testid=erase] input[type=password]").CountAsync());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}/profile", "portal", "profile", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Profil og udbetaling" : "Profile and payout", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(language == "da" ? "Udbetalingsoplysninger" : "Payout details", (await page.Locator("label[for='Input_PayoutDetails']").InnerTextAsync()).Trim());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}/terms", "portal", "terms", async (page, language) =>
            Assert.Equal(language == "da" ? "Programmets vilkår" : "Program terms", await page.Locator("h1").InnerTextAsync()));

        // The public program page, its application form and the thank-you page are the affiliate's first pages.
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/p/{workspace.Slug}", "program", "page", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Det tjener du" : "What you earn", await page.Locator("h2").First.InnerTextAsync());
            Assert.Equal(language == "da" ? "Ansøg om at blive optaget" : "Apply to join", (await page.Locator("a.button").InnerTextAsync()).Trim());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/p/{workspace.Slug}/apply", "program", "apply", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Dit navn" : "Your name", (await page.Locator("label[for=name]").InnerTextAsync()).Trim());
            Assert.Equal(language == "da" ? "Send ansøgning" : "Send application", (await page.Locator("form[method=post] button[type=submit]:not([name=culture])").InnerTextAsync()).Trim());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/p/{workspace.Slug}/applied", "program", "applied", async (page, language) =>
            Assert.Equal(language == "da" ? "Tak" : "Thank you", await page.Locator("h1").InnerTextAsync()));

        // The form's own messages follow the page's language.
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "sa_culture", Value = "c=da|uic=da", Url = app.BaseUrl }]);
        var form = await context.NewPageAsync();
        await form.GotoAsync($"{app.BaseUrl}/p/{workspace.Slug}/apply");
        await form.FillAsync("#email", "not an address");
        await form.ClickAsync("form[method=post] button[type=submit]:not([name=culture])");
        Assert.Equal("Skriv dit navn (højst 200 tegn).", (await form.Locator("#name + .field-error").InnerTextAsync()).Trim());
        Assert.Equal("Skriv en e-mailadresse, vi kan skrive til.", (await form.Locator("#email + .field-error").InnerTextAsync()).Trim());
    }
}
