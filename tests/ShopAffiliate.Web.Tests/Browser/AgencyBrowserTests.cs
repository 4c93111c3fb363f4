using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Issue 14's acceptance: an agency user (staff in two programs) switches programs in the header and sees the other
/// program's data and not the first's; the cross-program overview lists exactly their programs; a hand-made switch to a
/// program they are not staff of is refused. Both languages and widths, axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgencyBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task AnAgencyUserSwitchesProgramsAndSeesOnlyTheChosenOnesData()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        var (first, second, stranger) = await SeedAsync(app);
        await using var context = await chromium.NewContextAsync();
        var tab = await ShellBrowserTests.SignInAsync(context, app);

        await tab.GotoAsync($"{app.BaseUrl}/admin?ws={first}");
        var select = tab.Locator("#switch-ws");
        await Assertions.Expect(select).ToHaveValueAsync(first.ToString());
        var offered = await select.Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        Assert.Equal(new[] { first.ToString(), second.ToString() }.Order(), offered.Order());
        Assert.Equal(2, await select.Locator("option").CountAsync()); // not the program they are not staff of

        await select.SelectOptionAsync(second.ToString());
        await tab.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await tab.WaitForURLAsync(url => url.Contains($"ws={second}", StringComparison.Ordinal));
        await Assertions.Expect(tab.Locator("#switch-ws")).ToHaveValueAsync(second.ToString());
        await Assertions.Expect(tab.Locator(".page-header .subtitle")).ToContainTextAsync("Second Client");

        // The navigation stays in the chosen program: its affiliate, not the first program's.
        await tab.GetByRole(AriaRole.Link, new() { Name = "Affiliates", Exact = true }).ClickAsync();
        await tab.WaitForURLAsync(url => url.Contains("/admin/affiliates", StringComparison.Ordinal) && url.Contains($"ws={second}", StringComparison.Ordinal));
        var secondList = await tab.ContentAsync();
        Assert.Contains("Bo Second", secondList);
        Assert.DoesNotContain("Anna First", secondList);

        // A switch typed by hand to a program they are not staff of: not found, nothing of it shown.
        foreach (var path in new[] { $"/admin?ws={stranger}", $"/admin/affiliates?ws={stranger}" })
        {
            var refused = await tab.GotoAsync(app.BaseUrl + path);
            Assert.Equal((int)HttpStatusCode.NotFound, refused!.Status);
            Assert.DoesNotContain("Stranger Shop", await tab.ContentAsync());
            Assert.DoesNotContain("Cleo Stranger", await tab.ContentAsync());
        }

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/programs", "admin", "programs", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Dine programmer" : "Your programs", await page.Locator("h1").InnerTextAsync());
            await Assertions.Expect(page.Locator("[data-testid=program-card]")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator($"[data-testid=program-card][data-ws='{second}'] [data-testid=open-tasks]"))
                .ToContainTextAsync(language == "da" ? "Opgaver: 1" : "Open tasks: 1"); // Bo's application waits
            Assert.DoesNotContain("Stranger Shop", await page.ContentAsync());
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin?ws={second}", "admin", "overview-agency");
    }

    /// <summary>
    /// A second program of the bootstrapped owner and a stranger's program, each with an affiliate of its own (added
    /// over each program's API, so each waits for approval).
    /// </summary>
    private static async Task<(Guid First, Guid Second, Guid Stranger)> SeedAsync(BrowserApp app)
    {
        Guid firstId;
        Core.Workspaces.ProvisionedWorkspace second, stranger;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
            var provisioner = scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            firstId = (await db.Workspaces.SingleAsync()).Id;
            var owner = await users.FindByEmailAsync(TestApp.OwnerEmail);
            second = await provisioner.CreateAsync("Second Client", "EUR", null, null, existingOwner: owner);
            stranger = await provisioner.CreateAsync("Stranger Shop", "SEK", $"stranger.{Guid.NewGuid():N}@example.com", Staff.Password);
        }
        foreach (var (key, name) in new[] { (TestApp.ApiKey, "Anna First"), (TestSecrets.Record(second.ApiKey), "Bo Second"), (TestSecrets.Record(stranger.ApiKey), "Cleo Stranger") })
        {
            using var api = app.ApiClient(key);
            var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email = $"{name.Replace(' ', '.').ToLowerInvariant()}@partners.example" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        return (firstId, second.Workspace.Id, stranger.Workspace.Id);
    }
}
