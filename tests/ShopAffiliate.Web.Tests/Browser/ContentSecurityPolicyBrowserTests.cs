using Microsoft.Playwright;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// The page CSP as Chromium enforces it, and the page check that relies on it: a script without the response's nonce
/// (as an injection would add) does not run, and the refusal fails <see cref="PageCheck.VisitAsync"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task AnInjectedInlineScriptDoesNotRunAndFailsThePageCheck()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        // The app's real response, headers and all, with an inline script added to its body.
        await context.RouteAsync("**/admin/login", async route =>
        {
            var response = await route.FetchAsync();
            var html = (await response.TextAsync()).Replace("</body>", "<script>document.title = 'injected';</script></body>", StringComparison.Ordinal);
            await route.FulfillAsync(new() { Response = response, Body = html });
        });

        var page = await context.NewPageAsync();
        var refused = PageCheck.CspViolations(page);
        await page.GotoAsync($"{app.BaseUrl}/admin/login");
        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/login", "csp", "injected"));

        Assert.NotEqual("injected", await page.TitleAsync());
        var seen = await Eventually.HoldsAsync(() => { lock (refused) return Task.FromResult(refused.ToList()); }, r => r.Count > 0, "Chromium to report the refused script");
        Assert.Contains("CSP: ", failure.Message);
        // Only the injected script was refused: ours carry the nonce.
        Assert.All(seen, r => Assert.Contains("inline script", r));
    }
}
