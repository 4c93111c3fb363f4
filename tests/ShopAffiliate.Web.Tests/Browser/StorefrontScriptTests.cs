using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>sa.js in Chromium on a shop of its own origin, reporting to the app cross-site, as in production.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StorefrontScriptTests(ChromiumFixture chromium, StorefrontFixture store) : IClassFixture<StorefrontFixture>
{
    private const string LandingPath = "/api/track/landing";

    [Fact]
    public async Task SaJsCapturesTheReferralIntoAFirstPartyCookieAndReportsTheLanding()
    {
        await using var context = await chromium.NewContextAsync();
        var beacons = RecordLandingRequests(context);
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(SaJsCapturesTheReferralIntoAFirstPartyCookieAndReportsTheLanding));

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await page.GotoAsync($"{store.Shop.BaseUrl}/?ref=jane");
        var cookie = await ReferralCookieAsync(context);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (code, clickId, at) = Parse(cookie);
        Assert.Equal("jane", code);
        Assert.InRange(at, before, after);
        Assert.Null(await CookieOnAsync(context, store.App.BaseUrl)); // first-party to the shop, not set on the app's site

        var click = await Eventually.HoldsAsync(() => ClickAsync(clickId), c => c is not null, $"the landing click {clickId}");
        Assert.Equal(ClickSource.Landing, click!.Source);
        Assert.Equal(store.JaneId, click.AffiliateId);
        Assert.Equal("jane", click.ReferralCode);
        Assert.Null(click.LinkId);
        Assert.Equal($"{store.Shop.BaseUrl}/?ref=jane", click.LandingUrl);
        Assert.Single(beacons); // one report per landing
    }

    [Fact]
    public async Task SaJsKeepsTheClickIdFromTheRedirect()
    {
        var fromRedirect = Guid.NewGuid();
        await using var context = await chromium.NewContextAsync();
        var beacons = RecordLandingRequests(context);
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(SaJsKeepsTheClickIdFromTheRedirect));

        await page.GotoAsync($"{store.Shop.BaseUrl}/?ref=jane&sa_click={fromRedirect}");
        var (code, clickId, _) = Parse(await ReferralCookieAsync(context));
        Assert.Equal("jane", code);
        Assert.Equal(fromRedirect, clickId);

        // A later direct landing in the same tab is reported and stored. The browser sends, and the click writer stores,
        // in order: once its report is seen and stored, a report of the redirected landing (sent before) would be too.
        await page.GotoAsync($"{store.Shop.BaseUrl}/?ref=jane");
        var sentinel = (await Eventually.HoldsAsync(() => ClickIdInCookieOtherThanAsync(context, fromRedirect), id => id is not null, "the second landing's cookie"))!.Value;
        await Eventually.HoldsAsync(() => Task.FromResult(beacons.Count), n => n > 0, "the second landing's report");
        await Eventually.HoldsAsync(() => ClickAsync(sentinel), c => c is not null, $"the sentinel landing click {sentinel}");

        Assert.Single(beacons); // only the direct landing was reported (Chromium does not show a beacon's blob body)
        Assert.Null(await ClickAsync(fromRedirect));
    }

    [Fact]
    public async Task SaJsWaitsForConsentInOptInMode()
    {
        await using var context = await chromium.NewContextAsync();
        var beacons = RecordLandingRequests(context);
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(SaJsWaitsForConsentInOptInMode));

        await page.GotoAsync($"{store.Shop.BaseUrl}/optin?ref=jane");
        await page.WaitForFunctionAsync("() => !!window.ShopAffiliate"); // the async script has run
        Assert.Null(await CookieOnAsync(context, store.Shop.BaseUrl));
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));
        Assert.Empty(beacons);

        await page.EvaluateAsync("() => window.ShopAffiliate.consent()");

        var (code, clickId, _) = Parse(await ReferralCookieAsync(context));
        Assert.Equal("jane", code);
        Assert.Equal(clickId.ToString(), await page.EvaluateAsync<string>("() => window.ShopAffiliate.referral().click"));
        var click = await Eventually.HoldsAsync(() => ClickAsync(clickId), c => c is not null, $"the landing click {clickId} after consent");
        Assert.Equal(ClickSource.Landing, click!.Source);
        // The report after consent has been seen; one sent before it (without consent) would have been seen first.
        await Eventually.HoldsAsync(() => Task.FromResult(beacons.Count), n => n > 0, "the report after consent");
        Assert.Single(beacons);
    }

    [Fact]
    public async Task SaJsWritesShopifyCartAttributes()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await using var screenshot = new Screenshot(page, nameof(SaJsWritesShopifyCartAttributes));

        await page.GotoAsync($"{store.Shop.BaseUrl}/shopify?ref=jane");
        var (_, clickId, _) = Parse(await ReferralCookieAsync(context));

        var update = await Eventually.HoldsAsync(
            () => Task.FromResult(store.Shop.CartUpdates.FirstOrDefault(u =>
                u.Body.TryGetProperty("attributes", out var a) && a.TryGetProperty("_sa_click", out var c) && c.GetString() == clickId.ToString())),
            u => u is not null, $"a POST /cart/update.js with _sa_click={clickId}");
        Assert.StartsWith("application/json", update!.ContentType);
        Assert.Equal("jane", update.Body.GetProperty("attributes").GetProperty("_sa_ref").GetString());
    }

    private static ConcurrentQueue<string> RecordLandingRequests(IBrowserContext context)
    {
        var seen = new ConcurrentQueue<string>();
        context.Request += (_, request) =>
        {
            if (request.Url.Contains(LandingPath, StringComparison.Ordinal)) seen.Enqueue(request.PostData ?? "");
        };
        return seen;
    }

    private static async Task<string?> CookieOnAsync(IBrowserContext context, string url) =>
        (await context.CookiesAsync([url])).SingleOrDefault(c => c.Name == "_sa_ref")?.Value;

    private async Task<Guid?> ClickIdInCookieOtherThanAsync(IBrowserContext context, Guid old) =>
        await CookieOnAsync(context, store.Shop.BaseUrl) is { } cookie && Parse(cookie).ClickId is var id && id != old ? id : null;

    /// <summary>The async script sets the cookie some time after the page loads.</summary>
    private async Task<string> ReferralCookieAsync(IBrowserContext context) =>
        (await Eventually.HoldsAsync(() => CookieOnAsync(context, store.Shop.BaseUrl), v => v is not null, "the _sa_ref cookie on the shop"))!;

    private static (string Code, Guid ClickId, long At) Parse(string cookie)
    {
        var m = CookiePattern().Match(cookie);
        Assert.True(m.Success, $"_sa_ref is not code|uuid|unixSeconds: '{cookie}'");
        return (m.Groups[1].Value, Guid.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value));
    }

    private Task<Click?> ClickAsync(Guid id) =>
        store.App.WithDbAsync(db => db.Clicks.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id));

    [GeneratedRegex("^([a-z0-9][a-z0-9_-]{1,63})\\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\|([0-9]{10})$")]
    private static partial Regex CookiePattern();
}
