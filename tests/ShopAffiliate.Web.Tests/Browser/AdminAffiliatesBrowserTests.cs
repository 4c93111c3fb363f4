using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The admin's affiliates in Chromium: inviting and approving as an owner, and an analyst who is shown nothing to press.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminAffiliatesBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task AnOwnerInvitesAnAffiliateAndApprovesAnApplicantFromTheList()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, app, TestApp.OwnerEmail, TestApp.OwnerPassword);
        await page.GotoAsync($"{app.BaseUrl}/admin/affiliates");
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/affiliates", "admin", "affiliates-empty", async (tab, language) =>
            await Assertions.Expect(tab.Locator("[data-testid=empty-state] h3")).ToHaveTextAsync(language == "da" ? "Ingen affiliates endnu" : "No affiliates yet"));

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ida Invited");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("ida@partners.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        var invited = page.Locator("[data-testid=affiliate-row][data-email='ida@partners.example']");
        await Assertions.Expect(invited.Locator(".badge")).ToHaveTextAsync("Approved", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=status]")).ToContainTextAsync("Ida Invited is invited");

        using (var api = app.ApiClient())
        {
            var created = await api.PostAsync("/api/v1/affiliates", System.Net.Http.Json.JsonContent.Create(new { name = "Anna Applicant", email = "anna@blog.example" }));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        await page.GotoAsync($"{app.BaseUrl}/admin/affiliates?status=Pending");
        var applicant = page.Locator("[data-testid=affiliate-row][data-email='anna@blog.example']");
        await applicant.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByLabel("With the ticked affiliates").SelectOptionAsync("approve");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply to ticked" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=status]")).ToContainTextAsync("Approved 1 of the 1 ticked", new() { Timeout = 15_000 });

        Assert.Equal(AffiliateStatus.Approved, await app.WithDbAsync(db => db.Affiliates.IgnoreQueryFilters().Where(a => a.Email == "anna@blog.example").Select(a => a.Status).SingleAsync()));
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/affiliates?sort=name&dir=asc", "admin", "affiliates", async (tab, _) =>
            Assert.Equal(2, await tab.Locator("[data-testid=affiliate-row]").CountAsync()));
    }

    [Fact]
    public async Task AnAnalystSeesTheAffiliatesButNoButtonThatChangesThem()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        using (var api = app.ApiClient())
            await api.PostAsync("/api/v1/affiliates", System.Net.Http.Json.JsonContent.Create(new { name = "Anna Applicant", email = "anna@blog.example" }));
        const string email = "analyst@shop.example";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, Staff.Password)).Succeeded);
            var db = scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Data.AppDbContext>();
            var ws = await db.Workspaces.Select(w => w.Id).SingleAsync();
            db.StaffMembers.Add(new StaffMember { WorkspaceId = ws, UserId = user.Id, Role = StaffRole.Analyst });
            await db.SaveChangesAsync();
        }
        await using var context = await chromium.NewContextAsync();
        var page = await SignInAsync(context, app, email, Staff.Password);

        await page.GotoAsync($"{app.BaseUrl}/admin/affiliates");
        await Assertions.Expect(page.Locator("[data-testid=affiliate-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=csv]")).ToBeVisibleAsync(); // reading is allowed
        Assert.Equal(0, await page.Locator("main form[method=post]").CountAsync());
        Assert.Equal(0, await page.Locator("main input[type=checkbox]").CountAsync());
        await PageCheck.SaveAsync(page, "admin", "affiliates-analyst-en-1280");
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, BrowserApp app, string email, string password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/admin/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{app.BaseUrl}/admin", new() { Timeout = 30_000 });
        return page;
    }
}
