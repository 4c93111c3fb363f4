using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The admin panel in Chromium: pages render with their stylesheet and forms work end to end.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task AdminSetupPageWorksInABrowser()
    {
        await using var app = BrowserApp.Start(bootstrapped: false);
        await using var context = await chromium.NewContextAsync();
        var stylesheets = new ConcurrentQueue<(string Url, int Status)>();
        context.Response += (_, response) =>
        {
            if (response.Url.Contains("/_content/ShopAffiliate.Admin/ui.css", StringComparison.Ordinal))
                stylesheets.Enqueue((response.Url, response.Status));
        };
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(AdminSetupPageWorksInABrowser));

        await page.GotoAsync($"{app.BaseUrl}/admin");
        Assert.Equal($"{app.BaseUrl}/admin/setup", page.Url);
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/setup", "admin", "setup", async (tab, language) =>
            Assert.Equal(language == "da" ? "Velkommen til ShopAffiliate" : "Welcome to ShopAffiliate", await tab.Locator("h1").InnerTextAsync()));

        await page.GetByLabel("Program name", new() { Exact = true }).FillAsync("Nordic Knitwear Partners");
        await page.GetByLabel("Currency", new() { Exact = true }).FillAsync("DKK");
        await page.GetByLabel("Your email", new() { Exact = true }).FillAsync("owner@knitwear.example");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a-long-passphrase");
        await page.GetByLabel("Repeat password", new() { Exact = true }).FillAsync("a-long-passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create program" }).ClickAsync();

        var key = page.Locator("[data-testid=api-key]");
        await key.WaitForAsync(new() { Timeout = 15_000 });
        var apiKey = (await key.InnerTextAsync()).Trim();
        Assert.StartsWith("sa_", apiKey);
        Assert.Contains("Nordic Knitwear Partners is ready", await page.Locator("h1").InnerTextAsync());
        await screenshot.SaveAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, (await File.ReadAllBytesAsync(screenshot.File))[..4]); // kept for CI under artifacts/

        // Styled: the Razor Class Library's stylesheet was served and applied (tokens.css paints the body #f6f7f9).
        Assert.NotEmpty(stylesheets);
        Assert.All(stylesheets, s => Assert.Equal(200, s.Status));
        Assert.Equal("rgb(246, 247, 249)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));

        // The key shown works on the API.
        using var api = app.ApiClient(apiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/affiliates")).StatusCode);
    }

    [Fact]
    public async Task SignOutFromTheLayoutEndsTheSessionAndACookieCapturedBeforeStopsWorking()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(SignOutFromTheLayoutEndsTheSessionAndACookieCapturedBeforeStopsWorking));

        await page.GotoAsync($"{app.BaseUrl}/admin");
        Assert.StartsWith($"{app.BaseUrl}/admin/login", page.Url);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(TestApp.OwnerEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestApp.OwnerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{app.BaseUrl}/admin");
        var captured = (await context.CookiesAsync([app.BaseUrl])).Single(c => c.Name == "sa_staff");
        using var thief = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        thief.DefaultRequestHeaders.Add("Cookie", $"sa_staff={captured.Value}");
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/admin/api-keys")).StatusCode); // the copy works while signed in

        // Commit, not load: the URL is what this test is about, and a loaded machine can hold the load event past the timeout.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync($"{app.BaseUrl}/admin/login", new() { WaitUntil = WaitUntilState.Commit });

        Assert.DoesNotContain(await context.CookiesAsync([app.BaseUrl]), c => c.Name == "sa_staff");
        await page.GotoAsync($"{app.BaseUrl}/admin/api-keys");
        Assert.StartsWith($"{app.BaseUrl}/admin/login", page.Url);
        Staff.AssertSentToSignIn(await thief.GetAsync("/admin/api-keys"));
    }
}
