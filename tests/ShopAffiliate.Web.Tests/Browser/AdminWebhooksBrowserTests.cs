using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Web.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>/admin/settings/webhooks in Chromium: register an endpoint, send a test event to a real receiver, read the log; both languages and widths, axe.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminWebhooksBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task AnOwnerRegistersAnEndpointSendsATestEventAndReadsTheDeliveryLog()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("thanks"));
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?>
        {
            ["Outbound:AllowPrivateNetworks"] = "true", // the receiver listens on 127.0.0.1
            ["Outbox:PollSeconds"] = "0.2",
        });
        await using var context = await chromium.NewContextAsync();
        await ShellBrowserTests.SignInAsync(context, app);
        var tab = await context.NewPageAsync();

        await tab.GotoAsync($"{app.BaseUrl}/admin/settings/webhooks");
        await tab.GetByLabel("Address (https)").FillAsync($"http://127.0.0.1:{receiver.Port}/hook");
        await tab.GetByLabel("Description (optional)").FillAsync("Our ERP");
        await tab.Locator("input[value='affiliate.*']").CheckAsync();
        await tab.Locator("input[value='commission.*']").CheckAsync();
        await tab.GetByRole(AriaRole.Button, new() { Name = "Register endpoint" }).ClickAsync();

        var secret = TestSecrets.Record(await tab.Locator("[data-testid=new-secret] code").InnerTextAsync());
        Assert.StartsWith("whsec_", secret);
        await tab.GotoAsync($"{app.BaseUrl}/admin/settings/webhooks");
        Assert.Equal(0, await tab.Locator("[data-testid=new-secret]").CountAsync()); // shown once

        await tab.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Assertions.Expect(tab.Locator("[role=status]").First).ToContainTextAsync("test event is queued");
        await Eventually.HoldsAsync(() => app.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKinds.Delivery && m.Status == OutboxStatus.Sent)),
            n => n == 1, "the test event to be delivered");
        Assert.Single(receiver.LogEntries);
        var endpoint = await app.WithDbAsync(db => db.WebhookEndpoints.IgnoreQueryFilters().Select(e => e.Id).SingleAsync());

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/settings/webhooks?endpoint={endpoint}", "admin", "webhooks", async (page, language) =>
        {
            Assert.Equal("Webhooks", await page.Locator("h1").InnerTextAsync());
            await Assertions.Expect(page.Locator("[data-testid=endpoint-row]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid=delivery-row][data-status=Sent]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid=delivery-log]")).ToContainTextAsync(language == "da" ? "Leveret" : "Sent");
        });
    }
}
