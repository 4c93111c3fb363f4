using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Issue 14's acceptance: the admin loaded the way the Shopify admin loads it. A stand-in Shopify admin on another
/// site (127.0.0.1, its own port) frames the app (localhost) through its signed App URL, in a Chromium that blocks
/// third-party cookies; its stand-in App Bridge hands out session tokens signed with the test app's secret, inside a
/// frame only, as the real one does. No request reaches Shopify's CDN.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbeddedAdminBrowserTests
{
    private const string Shop = "embedded-knits.myshopify.com";
    private const string ApiKey = "embedded-client-id";
    private static readonly string Secret = TestSecrets.Record("shpss_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    [Fact]
    public async Task TheAdminWorksPageToPageInsideTheShopifyAdminWithThirdPartyCookiesBlockedAndIsRefusedOutsideIt()
    {
        await using var shopifyAdmin = await StandInShopifyAdmin.StartAsync();
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?>
        {
            ["Shopify:ApiKey"] = ApiKey,
            ["Shopify:ApiSecret"] = Secret,
            ["Shopify:AppBridgeUrl"] = shopifyAdmin.Origin + "/app-bridge.js",
            ["Shopify:AdminOrigins:0"] = shopifyAdmin.Origin,
        });
        await InstallShopAsync(app);
        // The same server under another site's name than the stand-in admin's 127.0.0.1: the app is a third party there.
        var appOrigin = app.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        shopifyAdmin.AppOrigin = appOrigin;

        await using var chromium = await BlockingThirdPartyCookiesAsync();
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(ChromiumFixture.ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ChromiumFixture.ActionTimeoutMs);
        var page = await context.NewPageAsync();
        var refused = PageCheck.CspViolations(page);

        await page.GotoAsync(shopifyAdmin.Origin + "/store/embedded-knits/apps/shopaffiliate");
        var frame = await AppFrameAsync(page, appOrigin);
        await frame.WaitForURLAsync(new Regex("/admin\\?"));
        await frame.Locator("[data-testid=current-program]").WaitForAsync();
        Assert.Equal("Test Program", await frame.Locator("[data-testid=current-program]").InnerTextAsync());
        // Third-party cookies really are blocked here: the frame cannot keep one, and none of ours reached the browser.
        Assert.DoesNotContain("probe=1", await frame.EvaluateAsync<string>("() => { document.cookie = 'probe=1; SameSite=None; Secure; Path=/'; return document.cookie; }"));
        Assert.Empty(await context.CookiesAsync([appOrigin]));
        await PageCheck.SaveAsync(page, "embedded", "overview-en-1280");

        // Page to page through the navigation: each load signed in by a fresh token from App Bridge.
        await frame.GetByRole(AriaRole.Link, new() { Name = "Affiliates", Exact = true }).ClickAsync();
        await frame.WaitForURLAsync(new Regex("/admin/affiliates\\?.*id_token="));
        await frame.Locator("h1").WaitForAsync();
        await PageCheck.SaveAsync(page, "embedded", "affiliates-en-1280");
        await frame.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await frame.WaitForURLAsync(new Regex("/admin/settings\\?.*id_token="));
        // The store admin (a manager here) is not offered the program's API keys inside the Shopify admin.
        await frame.Locator("[data-testid=settings-nav]").WaitForAsync();
        Assert.Equal(0, await frame.Locator("[data-testid=settings-nav] a[href*='/admin/api-keys']").CountAsync());

        // A form: posted by ui.js with the token in its header (no antiforgery cookie can exist here), then shown again.
        await frame.Locator("#Input_CookieWindowDays").FillAsync("45");
        // Marks this document, so the waits below see the page the redirect loads, not this one before it navigates.
        await frame.EvaluateAsync("() => document.documentElement.dataset.stale = '1'");
        await frame.Locator("[data-testid=settings-form] button[type=submit]").First.ClickAsync();
        await Eventually.HoldsAsync(() => app.WithDbAsync(db => db.WorkspaceSettings.IgnoreQueryFilters().AnyAsync(s => s.CookieWindowDays == 45)),
            saved => saved, "the settings form to be saved");
        await frame.Locator("html:not([data-stale]) #Input_CookieWindowDays").WaitForAsync();
        await frame.WaitForURLAsync(new Regex("/admin/settings\\?.*id_token="));
        await frame.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal("45", await frame.Locator("#Input_CookieWindowDays").InputValueAsync());
        // The one-time status message came without a cookie (signed, in the redirect's query) and is then off the address.
        Assert.Equal("The program's rules are saved. New orders and clicks follow them from now on.",
            await frame.Locator("[data-testid=status]").InnerTextAsync());
        Assert.DoesNotContain("sa_status=", frame.Url);
        await frame.EvaluateAsync("() => window.scrollTo(0, 0)");
        await PageCheck.SaveAsync(page, "embedded", "settings-en-1280");
        await page.SetViewportSizeAsync(375, 900);
        await PageCheck.SaveAsync(page, "embedded", "settings-en-375");
        Assert.Empty(await context.CookiesAsync([appOrigin]));

        await page.SetViewportSizeAsync(1280, 900);
        // A forged or altered status parameter shows nothing (it is signed), whatever it says.
        await frame.EvaluateAsync("() => document.documentElement.dataset.stale = '1'");
        await frame.EvaluateAsync("() => { var u = new URL(location.href); u.searchParams.set('sa_status', 'CfDJ8forged'); location.assign(u.toString()); }");
        await frame.Locator("html:not([data-stale]) [data-testid=settings-form]").WaitForAsync();
        Assert.Equal(0, await frame.Locator("[data-testid=status]").CountAsync());

        // A WooCommerce connect code, made by the store admin inside the Shopify admin (no account of ours there).
        await frame.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await frame.WaitForURLAsync(new Regex("/admin\\?.*id_token="));
        await frame.GetByRole(AriaRole.Button, new() { Name = "Create a connect code" }).ClickAsync();
        await frame.Locator("[data-testid=connect-code]").WaitForAsync();
        Assert.StartsWith(ConnectCode.Prefix, await frame.Locator("[data-testid=connect-code]").InnerTextAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.ConnectCodes.IgnoreQueryFilters().CountAsync(c => c.CreatedByUserId == null)));
        await PageCheck.SaveAsync(page, "embedded", "connect-code-en-1280");
        await frame.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await frame.WaitForURLAsync(new Regex("/admin/settings\\?.*id_token="));
        await frame.Locator("[data-testid=settings-form]").WaitForAsync();

        // The language switch without a cookie: ?lang= in the frame's links, kept page to page.
        await frame.Locator("[data-testid=embedded-language] a[lang=da]").ClickAsync();
        await frame.Locator("html[lang=da] [data-testid=settings-form]").WaitForAsync();
        Assert.Contains("lang=da", frame.Url);
        await frame.GetByRole(AriaRole.Link, new() { Name = "Overblik", Exact = true }).ClickAsync();
        await frame.Locator("html[lang=da] h1").WaitForAsync();
        Assert.Equal("Overblik", await frame.Locator("h1").InnerTextAsync());
        Assert.Empty(await context.CookiesAsync([appOrigin]));
        lock (refused) Assert.Empty(refused);

        // The same page opened top-level, outside the Shopify admin and without a session: no admin, only the bounce
        // page, where App Bridge (outside a frame) hands out no token.
        var outside = await context.NewPageAsync();
        var answer = await outside.GotoAsync($"{appOrigin}/admin/settings?shop={Shop}&embedded=1");
        Assert.NotNull(answer);
        Assert.StartsWith($"{appOrigin}/shopify/session-token?", outside.Url);
        Assert.DoesNotContain("Test Program", await outside.ContentAsync());
        Assert.Equal(0, await outside.Locator("[data-testid=settings-form]").CountAsync());
        var plain = await outside.GotoAsync($"{appOrigin}/admin/settings");
        Assert.StartsWith($"{appOrigin}/admin/login", outside.Url);
        Assert.NotNull(plain);
    }

    /// <summary>The app's iframe in the stand-in admin, once it has loaded something from the app.</summary>
    private static async Task<IFrame> AppFrameAsync(IPage page, string appOrigin)
    {
        await page.Locator("iframe#app").WaitForAsync();
        return (await Eventually.HoldsAsync(() => Task.FromResult(page.Frames.FirstOrDefault(f => f.Url.StartsWith(appOrigin, StringComparison.Ordinal))),
            frame => frame is not null, "the app to load in the iframe"))!;
    }

    /// <summary>The shop, installed for the bootstrapped program with an offline token (as after a real install).</summary>
    private static async Task InstallShopAsync(BrowserApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
        var workspace = await db.Workspaces.SingleAsync();
        db.Shops.Add(new Shop
        {
            WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = Shop, Name = "Embedded Knits", Currency = "DKK",
            EncryptedCredentials = scope.ServiceProvider.GetRequiredService<ShopSecrets>().Protect(new ShopCredentials(TestSecrets.Record("shpat_" + Guid.NewGuid().ToString("N")), "read_orders", null, null, null)),
        });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A Chromium of its own with third-party cookies blocked (<c>--test-third-party-cookie-phaseout</c>, what Chrome
    /// ships as its default for third-party cookies; the test above checks that it holds).
    /// </summary>
    private static async Task<OwnBrowser> BlockingThirdPartyCookiesAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--test-third-party-cookie-phaseout"],
        });
        return new OwnBrowser(playwright, browser);
    }

    private sealed class OwnBrowser(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
    {
        public IBrowser Browser { get; } = browser;

        public async ValueTask DisposeAsync()
        {
            await Browser.CloseAsync();
            playwright.Dispose();
        }
    }

    /// <summary>
    /// The Shopify admin as far as the app sees it: a page that frames the signed App URL, and App Bridge, whose
    /// <c>shopify.idToken()</c> gives a fresh session token (only inside a frame) and which reloads the bounce page's
    /// <c>shopify-reload</c> with one.
    /// </summary>
    private sealed class StandInShopifyAdmin(WebApplication server, string origin) : IAsyncDisposable
    {
        public string Origin { get; } = origin;

        public string AppOrigin { get; set; } = "";

        public static async Task<StandInShopifyAdmin> StartAsync()
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "StandInShopifyAdmin" });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var server = builder.Build();
            StandInShopifyAdmin? admin = null;
            server.MapGet("/store/embedded-knits/apps/shopaffiliate", () =>
            {
                var query = new Dictionary<string, string>
                {
                    ["embedded"] = "1", ["host"] = "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZW1iZWRkZWQta25pdHM", ["id_token"] = Token(), ["locale"] = "en",
                    ["shop"] = Shop, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
                };
                var signed = string.Join("&", query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")) + "&hmac=" + ShopifyHmac.SignQuery(query, Secret);
                return Results.Content($"""
                    <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shopify admin (stand-in)</title></head>
                    <body style="margin:0;background:#f1f1f1"><iframe id="app" title="ShopAffiliate" src="{admin!.AppOrigin}/shopify?{signed}"
                    style="border:0;width:100vw;height:100vh;display:block"></iframe></body></html>
                    """, "text/html; charset=utf-8");
            });
            server.MapGet("/app-bridge.js", () => Results.Content($$"""
                (function () {
                  "use strict";
                  if (window.top === window) return; // outside the Shopify admin App Bridge gives no token
                  var token = "{{Token()}}";
                  window.shopify = { idToken: function () { return Promise.resolve(token); } };
                  var reload = new URLSearchParams(location.search).get("shopify-reload");
                  if (reload) {
                    var target = new URL(reload, location.origin);
                    target.searchParams.set("id_token", token);
                    location.replace(target.toString());
                  }
                })();
                """, "text/javascript"));
            await server.StartAsync();
            var address = new Uri(server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
            admin = new StandInShopifyAdmin(server, $"http://127.0.0.1:{address.Port}");
            return admin;
        }

        /// <summary>A session token as Shopify signs it: for the shop, this app, valid for a minute from now.</summary>
        private static string Token()
        {
            var claims = SessionTokens.Claims(Shop, ApiKey);
            var now = DateTimeOffset.UtcNow;
            (claims["exp"], claims["nbf"], claims["iat"], claims["jti"]) =
                (now.AddMinutes(1).ToUnixTimeSeconds(), now.AddSeconds(-1).ToUnixTimeSeconds(), now.AddSeconds(-1).ToUnixTimeSeconds(), Guid.NewGuid().ToString());
            return SessionTokens.Create(claims, Secret);
        }

        public async ValueTask DisposeAsync()
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }
}
