using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Announcements end to end in Chromium: staff compose one to a commission group (the live preview counting the
/// segment), the affiliate in the group gets it at a real SMTP server (aiosmtpd) and in the portal, marks it read by
/// its button; an affiliate outside the group gets neither. Both pages in both languages at 1280 and 375 px, with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnnouncementsBrowserTests(ChromiumFixture chromium)
{
    private const string Password = "an-affiliate-passphrase";

    [Fact]
    public async Task StaffAnnounceToAGroupAndOnlyItsAffiliateSeesItInThePortalAndGetsTheMail()
    {
        var smtp = new SmtpSink();
        await smtp.InitializeAsync();
        try
        {
            await RunAsync(smtp);
        }
        finally
        {
            await smtp.DisposeAsync();
        }
    }

    private async Task RunAsync(SmtpSink smtp)
    {
        await using var app = BrowserApp.Start(bootstrapped: true, smtp.Settings);
        var workspace = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Id, w.Slug }).SingleAsync());
        var api = app.ApiClient();
        var group = await api.PostAsJsonAsync("/api/v1/groups", new { name = "Knitters", rules = new[] { new { scope = "all", kind = "Percent", value = 0.1 } } });
        var groupId = (await group.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var member = await AffiliateAsync(app, workspace.Id, "Mette Member", groupId);
        var outsider = await AffiliateAsync(app, workspace.Id, "Olaf Outside", null);

        await using var staff = await chromium.NewContextAsync();
        staff.SetDefaultTimeout(60_000);
        var admin = await staff.NewPageAsync();
        await admin.GotoAsync($"{app.BaseUrl}/admin/login");
        await admin.GetByLabel("Email").FillAsync(TestApp.OwnerEmail);
        await admin.GetByLabel("Password").FillAsync(TestApp.OwnerPassword);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await admin.WaitForURLAsync($"{app.BaseUrl}/admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Announcements" }).First.ClickAsync();
        await admin.GetByRole(AriaRole.Heading, new() { Name = "Announcements", Level = 1 }).WaitForAsync();

        await using (var shot = new Screenshot(admin, "admin-announcements-compose"))
        {
            await admin.GetByLabel("Subject", new() { Exact = true }).FillAsync("New wool banners");
            await admin.GetByLabel("The approved affiliates of a commission group").CheckAsync();
            await admin.GetByLabel("Commission group", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Knitters" });
            // The script posts the preview as the form changes: the segment's count and the body as affiliates see it.
            await admin.GetByLabel("Message", new() { Exact = true }).FillAsync("Our **autumn** banners are ready: [see them](https://shop.example/banners).");
            await admin.Locator("[data-testid=preview-body] strong", new() { HasText = "autumn" }).WaitForAsync();
            Assert.Equal("1 affiliate is in this segment now.", (await admin.Locator("[data-testid=recipient-count]").InnerTextAsync()).Trim());
            Assert.Equal("https://shop.example/banners", await admin.Locator("[data-testid=preview-body] a").GetAttributeAsync("href"));
            await PageCheck.SaveAsync(admin, "admin", "announcements-preview");
            await admin.SetViewportSizeAsync(375, 900);
            await PageCheck.SaveAsync(admin, "admin", "announcements-preview-375");
            await admin.SetViewportSizeAsync(1280, 900);
            Assert.Equal(0, await app.WithDbAsync(db => db.Announcements.IgnoreQueryFilters().CountAsync())); // previews change nothing
            await admin.GetByRole(AriaRole.Button, new() { Name = "Send now" }).ClickAsync();
            await admin.GetByRole(AriaRole.Status).GetByText("Sent to 1 affiliate.").WaitForAsync();
        }
        await PageCheck.VisitAsync(staff, $"{app.BaseUrl}/admin/announcements?ws={workspace.Id}", "admin", "announcements", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Meddelelser" : "Announcements", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("1", (await page.Locator("[data-testid=recipients]").InnerTextAsync()).Trim());
        });

        // The mail at the SMTP server, to the member only.
        var mail = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(smtp.MessagesTo(member.Email).Where(m => m.Subject == "New wool banners").ToList()),
            m => m.Count > 0, "the announcement at the SMTP server"));
        Assert.Contains("Our **autumn** banners are ready", mail.TextBody, StringComparison.Ordinal);
        Assert.True(mail.Headers.Contains("List-Unsubscribe"));
        Assert.Equal(0, await app.WithDbAsync(db => db.OutboxMessages.IgnoreQueryFilters().CountAsync(m => m.Recipient == outsider.Email && m.Topic == "Announcement")));
        Assert.DoesNotContain(smtp.MessagesTo(outsider.Email), m => m.Subject == "New wool banners");

        // The member's portal: the dashboard card, the page, the read button.
        await using var memberContext = await chromium.NewContextAsync();
        memberContext.SetDefaultTimeout(60_000);
        var tab = await SignInAsync(memberContext, app, member.Email, workspace.Slug);
        await tab.Locator("[data-testid=unread-announcements]").GetByRole(AriaRole.Link, new() { Name = "New wool banners" }).ClickAsync();
        await tab.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/announcements"));
        await PageCheck.VisitAsync(memberContext, $"{app.BaseUrl}/portal/p/{workspace.Slug}/announcements", "portal", "announcements", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "Meddelelser" : "Announcements", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("autumn", await page.Locator("[data-testid=announcement] .announcement-body strong").InnerTextAsync());
            Assert.Equal("false", await page.Locator("[data-testid=announcement]").GetAttributeAsync("data-read")); // looking is not reading
        });
        await PageCheck.VisitAsync(memberContext, $"{app.BaseUrl}/portal/p/{workspace.Slug}", "portal", "dashboard-announcements", async (page, _) =>
            Assert.Equal(1, await page.Locator("[data-testid=unread-announcements] li").CountAsync()));
        await PageCheck.VisitAsync(memberContext, $"{app.BaseUrl}/portal/p/{workspace.Slug}/notifications", "portal", "notifications", async (page, language) =>
        {
            Assert.Equal(language == "da" ? "E-mailnotifikationer" : "Email notifications", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(3, await page.Locator("[data-testid=notifications-form] input[type=checkbox]:checked").CountAsync());
        });
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}/announcements");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Mark as read" }).ClickAsync();
        await tab.Locator("[data-testid=announcement][data-read=true]").WaitForAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}");
        Assert.Equal(0, await tab.Locator("[data-testid=unread-announcements]").CountAsync());

        // The outsider sees none of it.
        await using var outsiderContext = await chromium.NewContextAsync();
        outsiderContext.SetDefaultTimeout(60_000);
        var other = await SignInAsync(outsiderContext, app, outsider.Email, workspace.Slug);
        Assert.Equal(0, await other.Locator("[data-testid=unread-announcements]").CountAsync());
        await other.GotoAsync($"{app.BaseUrl}/portal/p/{workspace.Slug}/announcements");
        Assert.Equal(0, await other.Locator("[data-testid=announcement]").CountAsync());
        await using (var empty = new Screenshot(other, "portal/announcements-empty")) await empty.SaveAsync();
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, BrowserApp app, string email, string slug)
    {
        var tab = await context.NewPageAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/login");
        await tab.GetByLabel("Email").FillAsync(email);
        await tab.GetByLabel("Password").FillAsync(Password);
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.WaitForURLAsync($"{app.BaseUrl}/portal/p/{slug}");
        return tab;
    }

    /// <summary>An approved affiliate with a portal account (what the welcome link makes).</summary>
    private static async Task<(Guid Id, string Email)> AffiliateAsync(BrowserApp app, Guid workspaceId, string name, Guid? group)
    {
        var api = app.ApiClient();
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}.{Guid.NewGuid():N}@example.com";
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, groupId = group });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var affiliate = await db.Affiliates.SingleAsync(a => a.Id == id);
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user, Password)).Succeeded);
        affiliate.UserId = user.Id;
        await db.SaveChangesAsync();
        return (id, email);
    }
}
