using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Portal;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The affiliate's way in, in Chromium: apply, staff approve, the emailed link, onboarding, a link and its QR code.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ApplyApproveSignInOnboardAndDownloadTheQrCodeOfALinkWithASubId()
    {
        var mail = Path.Combine(Path.GetTempPath(), $"sa-mail-{Guid.NewGuid():N}");
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?> { ["Smtp:PickupFolder"] = mail });
        var (slug, workspaceId) = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Slug, w.Id }).SingleAsync()).ContinueWith(t => (t.Result.Slug, t.Result.Id));
        await app.WithDbAsync(async db =>
        {
            var page = new ProgramPage { WorkspaceId = workspaceId, Pitch = "Knitwear from the islands.", Terms = "Mark every post as an ad (Reklame)." };
            page.WriteQuestions([new ApplicationQuestion("channel", "Where do you promote?", QuestionKind.Choice, Required: true, ["Blog", "Instagram"])]);
            db.ProgramPages.Add(page);
            db.Shops.Add(new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = "knits.example", Currency = "DKK", Name = "Knits" });
            return await db.SaveChangesAsync();
        });
        var email = $"ann.{Guid.NewGuid():N}@example.com";

        // The applicant.
        await using var applicant = await chromium.NewContextAsync();
        var tab = await applicant.NewPageAsync();
        await using (var shot = new Screenshot(tab, "portal-apply"))
        {
            await tab.GotoAsync($"{app.BaseUrl}/p/{slug}");
            await tab.GetByRole(AriaRole.Link, new() { Name = "Apply to join" }).ClickAsync();
            await tab.GetByLabel("Your name").FillAsync("Ann Affiliate");
            await tab.GetByLabel("Email").FillAsync(email);
            await tab.GetByLabel("Where do you promote?").SelectOptionAsync("Instagram");
            await shot.SaveAsync();
            await tab.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
            await tab.GetByRole(AriaRole.Heading, new() { Name = "Thank you" }).WaitForAsync();
        }

        // Staff approve it in the queue.
        await using (var staffContext = await chromium.NewContextAsync())
        {
            var admin = await staffContext.NewPageAsync();
            await admin.GotoAsync($"{app.BaseUrl}/admin/login");
            await admin.GetByLabel("Email").FillAsync(TestApp.OwnerEmail);
            await admin.GetByLabel("Password").FillAsync(TestApp.OwnerPassword);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await admin.WaitForURLAsync($"{app.BaseUrl}/admin");
            await admin.GotoAsync($"{app.BaseUrl}/admin/applications?ws={workspaceId}");
            var card = admin.Locator($"[data-email='{email}']");
            Assert.Contains("Instagram", await card.InnerTextAsync());
            await using var shot = new Screenshot(admin, "admin-applications");
            await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await admin.GetByRole(AriaRole.Status).WaitForAsync();
        }

        // The emailed welcome link: choose a password, and the portal opens with the checklist.
        var welcome = Mailbox.Link(await Mailbox.SingleAsync(mail, email, "Welcome to"), "/portal/welcome");
        await tab.GotoAsync(app.BaseUrl + welcome);
        await tab.GetByLabel("Password").FillAsync("an-affiliate-passphrase");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Save and sign in" }).ClickAsync();
        await tab.WaitForURLAsync($"{app.BaseUrl}/portal/p/{slug}");
        await using (var shot = new Screenshot(tab, "portal-overview-desktop")) await shot.SaveAsync();

        await tab.GetByRole(AriaRole.Link, new() { Name = "Add your profile and payout details" }).ClickAsync();
        await tab.GetByLabel("Payout details").FillAsync("ann@paypal.example");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{slug}");
        await tab.GetByRole(AriaRole.Link, new() { Name = "Accept the program terms" }).ClickAsync();
        await tab.GetByRole(AriaRole.Button, new() { Name = "I accept these terms" }).ClickAsync();
        await tab.GetByText("You accepted version 1.").WaitForAsync();

        // A link with a sub-ID, and its QR code downloaded.
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{slug}/links");
        await tab.GetByLabel("Page of the shop").FillAsync("https://knits.example/products/mittens");
        await tab.GetByLabel("Sub-ID (optional)").FillAsync("instagram-may");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        var url = (await tab.Locator("[data-testid=link-url]").InnerTextAsync()).Trim();
        Assert.Contains("/r/", url);
        var download = await tab.RunAndWaitForDownloadAsync(() => tab.GetByRole(AriaRole.Link, new() { Name = "PNG" }).ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        await download.SaveAsAsync(file);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(file))[..4]);
        File.Delete(file);

        var affiliate = await app.WithDbAsync(db => db.Affiliates.IgnoreQueryFilters().SingleAsync(a => a.Email == email));
        Assert.Equal("ann@paypal.example", affiliate.PayoutDetails);
        Assert.Equal("1", affiliate.AcceptedTermsVersion);
        Assert.Equal(1, await app.WithDbAsync(db => db.TermsAcceptances.IgnoreQueryFilters().CountAsync(t => t.AffiliateId == affiliate.Id && t.Version == 1)));
        Assert.Equal("instagram-may", await app.WithDbAsync(db => db.TrackingLinks.IgnoreQueryFilters().Select(l => l.SubId).SingleAsync()));

        await tab.SetViewportSizeAsync(375, 800);
        await using (var phone = new Screenshot(tab, "portal-links-phone"))
        {
            await phone.SaveAsync();
            Assert.True(await tab.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 375"), "The links page scrolls sideways at 375 px.");
        }
        if (Directory.Exists(mail)) Directory.Delete(mail, recursive: true);
    }
}
