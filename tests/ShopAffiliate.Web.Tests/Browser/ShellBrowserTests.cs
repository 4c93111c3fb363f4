using Microsoft.Playwright;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The UI shell in Chromium: the layout, its navigation at phone and desktop width, and the language switcher.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task TheShellsPagesAreAccessibleAndFitAPhoneInBothLanguages()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/login", "admin", "login", async (page, language) =>
            Assert.Equal(language == "da" ? "Log ind" : "Sign in", await page.Locator("h1").InnerTextAsync()));

        await SignInAsync(context, app);
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin", "admin", "overview", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Overblik" : "Overview", await page.Locator("h1").InnerTextAsync());
            await Assertions.Expect(page.Locator("[data-testid=checklist-progress]")).ToHaveTextAsync(language == "da" ? "0 af 4 udført" : "0 of 4 done");
            Assert.Equal(8, await page.Locator("[data-testid=kpi]").CountAsync());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/api-keys", "admin", "api-keys", async (page, language) =>
            Assert.Equal(language == "da" ? "Overblik" : "Overview", await page.Locator("#nav li").First.InnerTextAsync()));
    }

    [Fact]
    public async Task OnAPhoneTheNavigationIsAMenuAndOnADesktopASidebar()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, app);
        await using var screenshot = new Screenshot(page, nameof(OnAPhoneTheNavigationIsAMenuAndOnADesktopASidebar));
        var nav = page.Locator("#nav");
        var menu = page.GetByRole(AriaRole.Link, new() { Name = "Menu" });

        await page.SetViewportSizeAsync(375, 800);
        await page.GotoAsync($"{app.BaseUrl}/admin/api-keys");
        Assert.False(await nav.IsVisibleAsync());
        await menu.ClickAsync();
        await Assertions.Expect(nav).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Commissions" })).ToBeVisibleAsync();
        await PageCheck.SaveAsync(page, "admin", "menu-open-en-375");
        await nav.GetByRole(AriaRole.Link, new() { Name = "Close menu" }).ClickAsync();
        await Assertions.Expect(nav).ToBeHiddenAsync();

        await page.SetViewportSizeAsync(1280, 800);
        await Assertions.Expect(nav).ToBeVisibleAsync();
        Assert.False(await menu.IsVisibleAsync());
    }

    [Fact]
    public async Task TheLanguageSwitcherTurnsThePageDanishAndTheChoiceStays()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(TheLanguageSwitcherTurnsThePageDanishAndTheChoiceStays));

        await page.GotoAsync($"{app.BaseUrl}/admin/login?ReturnUrl=%2Fadmin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dansk" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Log ind");
        Assert.Equal($"{app.BaseUrl}/admin/login?ReturnUrl=%2Fadmin", page.Url); // back where it was
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Dansk" })).ToHaveAttributeAsync("aria-pressed", "true");
        await page.GotoAsync($"{app.BaseUrl}/admin/login");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Log ind");
    }

    internal static Task<IPage> SignInAsync(IBrowserContext context, BrowserApp app) =>
        SignInAsync(context, app, TestApp.OwnerEmail, TestApp.OwnerPassword);

    internal static async Task<IPage> SignInAsync(IBrowserContext context, BrowserApp app, string email, string password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/admin/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{app.BaseUrl}/admin");
        return page;
    }
}
