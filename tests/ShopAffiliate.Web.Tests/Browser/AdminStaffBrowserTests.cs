using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>/admin/settings/staff in Chromium: an owner invites a manager, the mail reaches the SMTP server, its link signs the new manager in, who is not offered Staff.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminStaffBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public Task AnInvitedManagerAcceptsFromTheMailSignsInAndIsNotOfferedStaff() => SmtpSink.WithAsync(JourneyAsync);

    private async Task JourneyAsync(SmtpSink smtp)
    {
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?>(smtp.Settings)
        {
            ["Outbox:PollSeconds"] = "0.2",
        });
        await using var context = await chromium.NewContextAsync();
        var tab = await ShellBrowserTests.SignInAsync(context, app);
        const string email = "nina@shop.example";

        await tab.GotoAsync($"{app.BaseUrl}/admin/settings/staff");
        await tab.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await tab.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("Manager");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Assertions.Expect(tab.Locator("[role=status]").First).ToContainTextAsync("An invitation is on its way to nina@shop.example");
        await Assertions.Expect(tab.Locator("[data-testid=invitation-row]")).ToHaveCountAsync(1);
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/settings/staff", "admin", "staff", async (page, language) =>
            await Assertions.Expect(page.Locator("[data-testid=staff-row]")).ToHaveCountAsync(1));

        var mail = await Eventually.HoldsAsync(() => Task.FromResult(smtp.MessagesTo(email).ToList()), m => m.Count > 0, $"the invitation to {email} at the SMTP server");
        var link = new Uri(Regex.Match(Assert.Single(mail).TextBody ?? "", @"https?://\S+/admin/invitation/[A-Za-z0-9_-]+").Value).PathAndQuery;
        await using var invitee = await chromium.NewContextAsync();
        await PageCheck.VisitAsync(invitee, app.BaseUrl + link, "admin", "staff-invitation", async (page, language) =>
            await Assertions.Expect(page.Locator("[data-testid=accept]")).ToBeVisibleAsync());
        var accept = await invitee.NewPageAsync();
        await accept.GotoAsync(app.BaseUrl + link);
        await accept.GetByLabel("Choose a password").FillAsync("a-managers-passphrase");
        await accept.GetByLabel("The password again").FillAsync("a-managers-passphrase");
        await accept.GetByRole(AriaRole.Button, new() { Name = "Join the staff" }).ClickAsync();
        await accept.WaitForURLAsync(new Regex("/admin\\?ws="));
        await accept.CloseAsync();

        // Signing in again later, with the password chosen: a manager, who is offered no Staff section and is refused it.
        await using var later = await chromium.NewContextAsync();
        var manager = await ShellBrowserTests.SignInAsync(later, app, email, "a-managers-passphrase");
        await manager.GotoAsync($"{app.BaseUrl}/admin/settings");
        await Assertions.Expect(manager.GetByTestId("settings-nav")).ToContainTextAsync("Commission groups");
        await Assertions.Expect(manager.GetByTestId("settings-nav")).Not.ToContainTextAsync("Staff");
        var refused = await manager.GotoAsync($"{app.BaseUrl}/admin/settings/staff");
        Assert.Equal(403, refused!.Status);
        await tab.GotoAsync($"{app.BaseUrl}/admin/settings/staff");
        await Assertions.Expect(tab.Locator($"[data-testid=staff-row][data-email='{email}']")).ToHaveAttributeAsync("data-role", "Manager");
        await Assertions.Expect(tab.Locator("[data-testid=invitation-row]")).ToHaveCountAsync(0);
    }
}
