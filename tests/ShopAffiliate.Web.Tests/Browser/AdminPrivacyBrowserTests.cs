using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>/admin/privacy in Chromium: both languages and widths, axe, a request of each kind listed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPrivacyBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ThePrivacyRequestsPageIsAccessibleAndFitsAPhoneInBothLanguages()
    {
        await using var app = BrowserApp.Start(bootstrapped: true);
        await app.WithDbAsync(async db =>
        {
            var workspace = await db.Workspaces.Select(w => w.Id).SingleAsync();
            var at = DateTime.UtcNow.AddDays(-3);
            db.PrivacyRequests.AddRange(
                new PrivacyRequest { WorkspaceId = workspace, ShopDomain = "knits.myshopify.com", Kind = PrivacyRequestKind.DataRequest, CustomerReference = "1044",
                    Outcome = "Exported 2 order(s) and 0 lifetime referral link(s).", ReceivedAt = at, CompletedAt = at },
                new PrivacyRequest { WorkspaceId = workspace, ShopDomain = "knits.myshopify.com", Kind = PrivacyRequestKind.CustomerRedact, CustomerReference = "1044",
                    Outcome = "Removed the customer's identity from 2 order(s) and deleted 0 lifetime referral link(s); commissions are unchanged.", ReceivedAt = at.AddDays(1), CompletedAt = at.AddDays(1) },
                new PrivacyRequest { WorkspaceId = workspace, ShopDomain = "", Kind = PrivacyRequestKind.AffiliateErasure, CustomerReference = "Erased affiliate 0193ab12",
                    Outcome = "Erased the personal data of Erased affiliate 0193ab12 at their request; commissions, payouts and ledger kept pseudonymised; the login is closed.", ReceivedAt = at.AddDays(2), CompletedAt = at.AddDays(2) });
            return await db.SaveChangesAsync();
        });
        await using var context = await chromium.NewContextAsync();
        await ShellBrowserTests.SignInAsync(context, app);

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/privacy", "admin", "privacy", async (tab, language) =>
        {
            Assert.Equal(language == "da" ? "Anmodninger om persondata" : "Privacy requests", await tab.Locator("h1").InnerTextAsync());
            await Assertions.Expect(tab.Locator("[data-testid=privacy-row]")).ToHaveCountAsync(3);
        });
    }
}
