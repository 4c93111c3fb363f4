using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// /admin/settings/shops in Chromium: two Shopify shops played by WireMock (one accepts our token, one answers 401),
/// webhook health read from real inbox rows, "register webhooks again" against the fake and "disconnect" with its
/// confirm step, both audited; both languages and widths, axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminShopsBrowserTests(ChromiumFixture chromium)
{
    private const string GoodShop = "good-knits.myshopify.com";
    private const string RefusingShop = "revoked-knits.myshopify.com";
    private static readonly string GoodToken = TestSecrets.Record("shpat_" + Guid.NewGuid().ToString("N"));
    private static readonly string RevokedToken = TestSecrets.Record("shpat_" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AnOwnerSeesEachShopsHealthRegistersWebhooksAgainAndDisconnectsAShop()
    {
        using var shopify = WireMockServer.Start();
        const string graphQl = "/admin/api/2026-01/graphql.json";
        shopify.Given(Request.Create().WithPath(graphQl).UsingPost().WithHeader("X-Shopify-Access-Token", RevokedToken))
            .AtPriority(0) // WireMock tries the lowest number first; the stubs below are 5
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody("""{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"""));
        shopify.Given(Request.Create().WithPath(graphQl).UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptions(")))
            .AtPriority(5)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"data":{"webhookSubscriptions":{"edges":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}"""));
        shopify.Given(Request.Create().WithPath(graphQl).UsingPost().WithBody((string? b) => b is not null && b.Contains("webhookSubscriptionCreate")))
            .AtPriority(5)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"data":{"webhookSubscriptionCreate":{"webhookSubscription":{"id":"gid://shopify/WebhookSubscription/1"},"userErrors":[]}}}"""));
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?>
        {
            ["Shopify:ApiKey"] = "shops-page-client",
            ["Shopify:ApiSecret"] = TestSecrets.Record("shpss_" + Guid.NewGuid().ToString("N")),
            ["Shopify:ShopBaseUrl"] = $"http://127.0.0.1:{shopify.Port}",
            ["App:PublicBaseUrl"] = "https://affiliates.example.com",
            ["Outbound:AllowPrivateNetworks"] = "true", // the fake shop listens on 127.0.0.1
        });
        var (good, refusing) = await SeedAsync(app);
        await using var context = await chromium.NewContextAsync();
        var tab = await ShellBrowserTests.SignInAsync(context, app);

        // The overview's task about shops leads here.
        await tab.GotoAsync($"{app.BaseUrl}/admin");
        await tab.Locator("[data-testid=task-shops] a").ClickAsync();
        await tab.WaitForURLAsync(new Regex("/admin/settings/shops"));
        var goodRow = tab.Locator($"[data-testid=shop-row][data-id='{good}']");
        await Assertions.Expect(goodRow).ToHaveAttributeAsync("data-state", "Connected");
        await Assertions.Expect(goodRow.Locator("[data-testid=webhook-retrying]")).ToHaveTextAsync("1 failed, being retried");
        await Assertions.Expect(goodRow.Locator("[data-testid=webhook-parked]")).ToHaveTextAsync("1 given up"); // not the one of two days ago
        await Assertions.Expect(goodRow.Locator("[data-testid=import]")).ToContainTextAsync("Importing");
        await Assertions.Expect(goodRow.Locator("[data-testid=import]")).ToContainTextAsync("1 batch(es) imported, 1 waiting");

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/settings/shops", "admin", "shops", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Forbundne webshops" : "Connected shops", await page.Locator("h1").InnerTextAsync());
            await Assertions.Expect(page.Locator("[data-testid=shop-row]")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator($"[data-testid=shop-row][data-id='{good}'] [data-testid=webhook-health]"))
                .ToContainTextAsync(language == "da" ? "Senest modtaget" : "Last received");
        });

        // Register again: the shop that accepts our token gets every topic it lacked.
        await goodRow.GetByRole(AriaRole.Button, new() { Name = "Register webhooks again" }).ClickAsync();
        await Assertions.Expect(tab.Locator("[data-testid=status]")).ToHaveTextAsync($"{GoodShop} now sends us its orders again: 6 webhook(s) added.");
        var creates = shopify.LogEntries.Where(e => e.RequestMessage!.Body!.Contains("webhookSubscriptionCreate")).ToList();
        Assert.Equal(6, creates.Count);
        Assert.All(creates, e => Assert.Contains("https://affiliates.example.com/webhooks/shopify", e.RequestMessage!.Body));

        // The shop that answers 401 is shown as refusing our access, and the overview counts it.
        var refusingRow = tab.Locator($"[data-testid=shop-row][data-id='{refusing}']");
        await refusingRow.GetByRole(AriaRole.Button, new() { Name = "Register webhooks again" }).ClickAsync();
        await Assertions.Expect(tab.Locator("[data-testid=status]")).ToHaveAttributeAsync("data-kind", "critical");
        await Assertions.Expect(tab.Locator("[data-testid=status]")).ToContainTextAsync($"{RefusingShop} refused our access");
        await Assertions.Expect(refusingRow).ToHaveAttributeAsync("data-state", "TokenFailing");
        Assert.NotNull(await app.WithDbAsync(db => db.Shops.IgnoreQueryFilters().Where(s => s.Id == refusing).Select(s => s.CredentialsFailedAt).SingleAsync()));

        // Disconnect asks first; only the confirm's own POST changes anything.
        await goodRow.Locator("summary", new() { HasText = "Disconnect…" }).ClickAsync();
        await Assertions.Expect(goodRow.Locator(".confirm-panel")).ToContainTextAsync($"Disconnect {GoodShop}?");
        Assert.Equal(ShopStatus.Active, await app.WithDbAsync(db => db.Shops.IgnoreQueryFilters().Where(s => s.Id == good).Select(s => s.Status).SingleAsync()));
        await goodRow.GetByRole(AriaRole.Button, new() { Name = "Disconnect", Exact = true }).ClickAsync();
        await Assertions.Expect(tab.Locator("[data-testid=status]")).ToContainTextAsync($"{GoodShop} is disconnected");
        await Assertions.Expect(goodRow).ToHaveAttributeAsync("data-state", "Disconnected");
        await Assertions.Expect(goodRow.GetByRole(AriaRole.Button, new() { Name = "Register webhooks again" })).ToHaveCountAsync(0);
        var stored = await app.WithDbAsync(db => db.Shops.IgnoreQueryFilters().SingleAsync(s => s.Id == good));
        Assert.Equal(ShopStatus.Paused, stored.Status);
        Assert.Null(stored.EncryptedCredentials);

        var trail = await app.WithDbAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.EntityType == nameof(Shop)).OrderBy(e => e.At).ToListAsync());
        Assert.Equal([AuditActions.ShopWebhooksRegistered, AuditActions.ShopWebhooksRegistered, AuditActions.ShopDisconnected], trail.Select(e => e.Action));
        Assert.Equal(TestApp.OwnerEmail, trail[^1].ActorName);
        Assert.Contains("\"Paused\"", trail[^1].After);
    }

    /// <summary>
    /// Two Shopify shops of the bootstrapped program, and inbox rows for the first: a delivery processed an hour ago,
    /// one retrying and one given up within the last 24 hours, one given up two days ago (outside the window), and an
    /// import batch done with one waiting.
    /// </summary>
    private static async Task<(Guid Good, Guid Refusing)> SeedAsync(BrowserApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<ShopSecrets>();
        var workspace = await db.Workspaces.SingleAsync();
        Shop NewShop(string domain, string token) => new()
        {
            WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = domain, Name = domain.Split('.')[0], Currency = "DKK",
            EncryptedCredentials = secrets.Protect(new ShopCredentials(token, "read_orders", null, null, null)),
        };
        var good = NewShop(GoodShop, GoodToken);
        var refusing = NewShop(RefusingShop, RevokedToken);
        db.Shops.AddRange(good, refusing);
        var now = DateTime.UtcNow;
        var n = 0;
        InboxMessage Delivery(string topic, InboxStatus status, DateTime at, int attempts = 1) => new()
        {
            Platform = ShopPlatform.Shopify, ShopId = good.Id, WorkspaceId = workspace.Id, ShopDomain = GoodShop, Topic = topic,
            DeliveryId = $"seed-{++n}", Body = "{}", ReceivedAt = at, Status = status, Attempts = attempts, NextAttemptAt = now.AddHours(1),
            ProcessedAt = status == InboxStatus.Processed ? at : null, LastError = status == InboxStatus.Processed ? null : "The order could not be stored",
        };
        db.Inbox.AddRange(
            Delivery("orders/create", InboxStatus.Processed, now.AddHours(-1)),
            Delivery("orders/updated", InboxStatus.Pending, now.AddHours(-2), attempts: 3),
            Delivery("orders/paid", InboxStatus.Failed, now.AddHours(-3), attempts: 8),
            Delivery("orders/paid", InboxStatus.Failed, now.AddDays(-2), attempts: 8),
            Delivery("app/backfill", InboxStatus.Processed, now.AddHours(-5)),
            Delivery("app/backfill", InboxStatus.Pending, now.AddHours(-4), attempts: 0));
        await db.SaveChangesAsync();
        return (good.Id, refusing.Id);
    }
}
