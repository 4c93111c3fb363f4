using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Issue 14's acceptance: the set-up checklist in Chromium. A new program's overview lists four steps; each ticks as the
/// merchant does it (the shop as an install stores it, the rest through the admin's own forms), and the checklist goes
/// away when all four are done.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminChecklistBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task TheChecklistTicksEachStepAsItIsDoneAndGoesAwayWhenAllAre()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        var tab = await ShellBrowserTests.SignInAsync(context, app);
        var checklist = tab.Locator("[data-testid=checklist]");

        await tab.GotoAsync($"{app.BaseUrl}/admin");
        await Assertions.Expect(tab.Locator("[data-testid=checklist-progress]")).ToHaveTextAsync("0 of 4 done");
        await Assertions.Expect(checklist.Locator("li.done")).ToHaveCountAsync(0);

        // 1. A shop, stored as the Shopify install stores it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
            var workspace = await db.Workspaces.SingleAsync();
            db.Shops.Add(new Shop { WorkspaceId = workspace.Id, Platform = ShopPlatform.Shopify, Domain = "checklist-knits.myshopify.com", Name = "Checklist Knits", Currency = "DKK" });
            await db.SaveChangesAsync();
        }
        await tab.ReloadAsync();
        await Assertions.Expect(tab.Locator("[data-testid=step-shop]")).ToHaveClassAsync("done");
        await Assertions.Expect(tab.Locator("[data-testid=checklist-progress]")).ToHaveTextAsync("1 of 4 done");

        // 2. The commission: the checklist's link opens the program rules, saving them is the decision.
        await tab.Locator("[data-testid=step-commission] a").ClickAsync();
        await tab.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/settings");
        await tab.Locator("#Input_CookieWindowDays").FillAsync("30");
        await tab.Locator("[data-testid=settings-form] button[type=submit]").First.ClickAsync();
        await Assertions.Expect(tab.Locator("[data-testid=status]")).ToBeVisibleAsync();
        await tab.GotoAsync($"{app.BaseUrl}/admin");
        await Assertions.Expect(tab.Locator("[data-testid=step-commission]")).ToHaveClassAsync("done");
        await Assertions.Expect(tab.Locator("[data-testid=checklist-progress]")).ToHaveTextAsync("2 of 4 done");
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin", "admin", "overview-checklist", async (page, language) =>
            await Assertions.Expect(page.Locator("[data-testid=checklist-progress]")).ToHaveTextAsync(language == "da" ? "2 af 4 udført" : "2 of 4 done"));

        // 3. The program page, saved with applications open.
        await tab.GotoAsync($"{app.BaseUrl}/admin");
        await tab.Locator("[data-testid=step-program-page] a").ClickAsync();
        await tab.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/program-page");
        await tab.Locator("textarea").First.FillAsync("Earn 10% on every sweater you send our way.");
        await tab.Locator("form.card button[type=submit]").ClickAsync();
        await tab.GotoAsync($"{app.BaseUrl}/admin");
        await Assertions.Expect(tab.Locator("[data-testid=step-program-page]")).ToHaveClassAsync("done");
        await Assertions.Expect(tab.Locator("[data-testid=checklist-progress]")).ToHaveTextAsync("3 of 4 done");

        // 4. The first affiliate, invited from the affiliates page: every step is done and the checklist goes away.
        await tab.Locator("[data-testid=step-affiliate] a").ClickAsync();
        await tab.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/admin/affiliates");
        await tab.GetByLabel("Name", new() { Exact = true }).FillAsync("Ida Invited");
        await tab.GetByLabel("Email", new() { Exact = true }).FillAsync("ida@partners.example");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Assertions.Expect(tab.Locator("[data-testid=status]")).ToBeVisibleAsync();
        await tab.GotoAsync($"{app.BaseUrl}/admin");
        await Assertions.Expect(tab.Locator("[data-testid=tasks]")).ToBeVisibleAsync();
        await Assertions.Expect(checklist).ToHaveCountAsync(0);
    }
}
