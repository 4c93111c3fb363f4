using Microsoft.Playwright;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium) for all browser tests; no Playwright browser download.
/// <c>shop.test</c> resolves to 127.0.0.1, so the fake shop is a different site from the app (127.0.0.1),
/// as a storefront and the app are in production.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ShopHost = "shop.test";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. Install Debian's package (apt-get install chromium); " +
                "the browser tests do not download Playwright's browsers.");
        }
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--host-resolver-rules=MAP {ShopHost} 127.0.0.1",
            ],
        });
    }

    /// <summary>A fresh context (own cookies and storage) per test; dispose it when done.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        return context;
    }

    /// <summary>
    /// Playwright's 30 s default is too short in CI, where the browser tests share two cores with the test apps, their
    /// first requests (JIT, Razor view compilation) and PostgreSQL; a page that needs longer than a minute still fails.
    /// </summary>
    public const float ActionTimeoutMs = 60_000;

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Browser";
}
