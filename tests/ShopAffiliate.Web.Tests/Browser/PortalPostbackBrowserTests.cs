using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>/portal/p/{slug}/postback in Chromium: an affiliate registers a postback URL and sees their own commission's postback; both languages and widths, axe.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalPostbackBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task AnAffiliateRegistersAPostbackUrlAndSeesOnlyTheirOwnCommissionsPosted()
    {
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/postback").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?>
        {
            ["Outbound:AllowPrivateNetworks"] = "true", // the receiver listens on 127.0.0.1
            ["Outbox:PollSeconds"] = "0.2",
            ["Webhooks:PollSeconds"] = "0.2",
        });
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        var api = app.ApiClient();
        var ids = new List<Guid>();
        foreach (var (name, code) in new[] { ("Ann Able", "ann"), ("Bob Other", "bob") })
        {
            var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email = $"{code}.{Guid.NewGuid():N}@example.com", referralCode = code });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
            ids.Add(id);
        }
        string email;
        Guid shopId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspace.Id;
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var affiliate = await db.Affiliates.SingleAsync(a => a.Id == ids[0]);
            email = affiliate.Email;
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = affiliate.Name };
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user, "an-affiliate-passphrase")).Succeeded);
            affiliate.UserId = user.Id;
            var shop = new Shop { WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = "knits.example", Currency = "DKK", Name = "Knits" };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            shopId = shop.Id;
        }

        await using var context = await chromium.NewContextAsync();
        var tab = await context.NewPageAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/login");
        await tab.GetByLabel("Email").FillAsync(email);
        await tab.GetByLabel("Password").FillAsync("an-affiliate-passphrase");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.WaitForURLAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}");
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}/postback");
        await tab.GetByLabel("Address (https)").FillAsync($"http://127.0.0.1:{receiver.Port}/postback");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        TestSecrets.Record(await tab.Locator("[data-testid=new-secret] code").InnerTextAsync());
        await tab.CloseAsync();

        // One order for Ann, one for Bob: only Ann's reaches her postback.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspace.Id;
            var processor = scope.ServiceProvider.GetRequiredService<OrderProcessor>();
            var at = DateTime.UtcNow.AddHours(-2);
            foreach (var (number, code) in new[] { ("2001", "ann"), ("2002", "bob") })
                await processor.ApplyOrderAsync(Scenario.Order(new ShopId(shopId), number, at, OrderState.Paid, 450m,
                    [new ReferralTouch(code, null, at.AddHours(-1), TouchSource.CartAttribute)], currency: "DKK"), default);
        }
        await Eventually.HoldsAsync(() => app.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == OutboxKinds.Delivery && m.Status == OutboxStatus.Sent)),
            n => n >= 1, "Ann's commission to be posted");
        var posted = Assert.Single(receiver.LogEntries);
        Assert.Contains(ids[0].ToString(), posted.RequestMessage!.Body);

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/portal/p/{workspace.Slug}/postback", "portal", "postback", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Postback-URL" : "Postback URL", await page.Locator("h1").InnerTextAsync());
            await Assertions.Expect(page.Locator("[data-testid=postback-row][data-status=Sent]")).ToHaveCountAsync(1);
        });
    }
}
