using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// The affiliate's journey of issue 15, in Chromium, in one test: apply with the merchant's questions, staff approve,
/// the welcome mail at a real SMTP server (aiosmtpd), the emailed link, onboarding and terms, a link with a sub-ID and
/// its QR code, a signed Shopify <c>orders/create</c> credited through the link's cart attribute and shown with its
/// explanation, a claim for an order that came without attribution, staff accepting it, and the new commission; the
/// claim and message pages checked in both languages at 1280 and 375 px with axe on each.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ApplyApproveOnboardLinkAndQrAnOrderWithItsExplanationAndAClaimStaffAccept()
    {
        var smtp = new SmtpSink();
        await smtp.InitializeAsync();
        try
        {
            await JourneyAsync(smtp);
        }
        finally
        {
            await smtp.DisposeAsync();
        }
    }

    private async Task JourneyAsync(SmtpSink smtp)
    {
        var settings = new Dictionary<string, string?>(smtp.Settings) { ["Shopify:ApiKey"] = FakeShopify.ApiKey, ["Shopify:ApiSecret"] = FakeShopify.ApiSecret };
        await using var app = BrowserApp.Start(bootstrapped: true, settings);
        var (slug, workspaceId) = await app.WithDbAsync(db => db.Workspaces.Select(w => new { w.Slug, w.Id }).SingleAsync()).ContinueWith(t => (t.Result.Slug, t.Result.Id));
        await app.WithDbAsync(async db =>
        {
            var page = new ProgramPage { WorkspaceId = workspaceId, Pitch = "Knitwear from the islands.", Terms = "Mark every post as an ad (Reklame)." };
            page.WriteQuestions([
                new ApplicationQuestion("channel", "Where do you promote?", QuestionKind.Choice, Required: true, ["Blog", "Instagram"]),
                new ApplicationQuestion("audience", "How many followers do you have?", QuestionKind.Number, Required: false),
            ]);
            db.ProgramPages.Add(page);
            db.Shops.Add(new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = FakeShopify.Shop, Currency = "USD", Name = "Jane's shop" });
            return await db.SaveChangesAsync();
        });
        var email = $"ann.{Guid.NewGuid():N}@example.com";

        // The applicant.
        await using var applicant = await chromium.NewContextAsync();
        // A long journey on a shared two-core machine: each step may wait longer than Playwright's 30 s default.
        applicant.SetDefaultTimeout(60_000);
        var tab = await applicant.NewPageAsync();
        await using (var shot = new Screenshot(tab, "portal-apply"))
        {
            await tab.GotoAsync($"{app.BaseUrl}/p/{slug}");
            await tab.GetByRole(AriaRole.Link, new() { Name = "Apply to join" }).ClickAsync();
            await tab.GetByLabel("Your name").FillAsync("Ann Affiliate");
            await tab.GetByLabel("Email").FillAsync(email);
            await tab.GetByLabel("Where do you promote?").SelectOptionAsync("Instagram");
            await tab.GetByLabel("How many followers do you have?").FillAsync("12000");
            await shot.SaveAsync();
            await tab.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
            await tab.GetByRole(AriaRole.Heading, new() { Name = "Thank you" }).WaitForAsync();
        }

        // Staff approve it in the queue.
        await using var staffContext = await chromium.NewContextAsync();
        staffContext.SetDefaultTimeout(60_000);
        var admin = await staffContext.NewPageAsync();
        await admin.GotoAsync($"{app.BaseUrl}/admin/login");
        await admin.GetByLabel("Email").FillAsync(TestApp.OwnerEmail);
        await admin.GetByLabel("Password").FillAsync(TestApp.OwnerPassword);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await admin.WaitForURLAsync($"{app.BaseUrl}/admin");
        await admin.GotoAsync($"{app.BaseUrl}/admin/applications?ws={workspaceId}");
        var card = admin.Locator($"[data-email='{email}']");
        Assert.Contains("Instagram", await card.InnerTextAsync());
        Assert.Contains("12000", await card.InnerTextAsync());
        await using (var shot = new Screenshot(admin, "admin-applications"))
        {
            await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await admin.GetByRole(AriaRole.Status).WaitForAsync();
        }

        // The welcome mail arrives at the SMTP server; its link confirms the address, sets a password and signs in.
        var welcomeMail = await Eventually.HoldsAsync(() => Task.FromResult(smtp.MessagesTo(email).Where(m => (m.Subject ?? "").StartsWith("Welcome to", StringComparison.Ordinal)).ToList()),
            m => m.Count > 0, $"the welcome mail to {email} at the SMTP server");
        var welcome = new Uri(Regex.Match(Assert.Single(welcomeMail).TextBody ?? "", @"https?://\S+/portal/welcome\S*").Value).PathAndQuery;
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
        await tab.GetByLabel("Page of the shop").FillAsync($"https://{FakeShopify.Shop}/products/hoodie");
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
        await tab.SetViewportSizeAsync(1280, 900);

        // A test order: Shopify's signed orders/create with the storefront script's cart attribute (the affiliate's code),
        // and a second order that came with no referral at all.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await DeliverAsync(app, OrderPayload(5812345678901, 1042, affiliate.ReferralCode))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await DeliverAsync(app, OrderPayload(5812345678902, 1043, referralCode: null))).StatusCode);
        await Eventually.HoldsAsync(() => app.WithDbAsync(db => db.Orders.IgnoreQueryFilters().CountAsync(o => o.WorkspaceId == workspaceId && o.HasOrder)),
            n => n == 2, "both orders stored");
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{slug}/commissions");
        var rows = tab.Locator("[data-testid=commissions] tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("#1042", await rows.First.InnerTextAsync());
        var explanation = (await rows.First.Locator(".explanation").InnerTextAsync()).Trim();
        Assert.True(explanation.Contains("Ann Affiliate", StringComparison.Ordinal) || explanation.Contains(affiliate.ReferralCode, StringComparison.OrdinalIgnoreCase),
            "The commission's explanation names neither the affiliate nor their code: " + explanation);
        await using (var shot = new Screenshot(tab, "portal-commissions-first")) await shot.SaveAsync();

        // The affiliate claims the other order.
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{slug}/disputes");
        await tab.GetByLabel("Order number").FillAsync("1043");
        await tab.GetByLabel("Order date").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        await tab.GetByLabel("What is missing or wrong").FillAsync("My reader bought a hoodie after my post; see https://blog.example.com/hoodies");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Send the claim" }).ClickAsync();
        await tab.WaitForURLAsync(new Regex($"/portal/p/{slug}/disputes/[0-9a-f-]{{36}}$"));
        var claimUrl = tab.Url;
        Assert.Equal("Open", await tab.Locator("[data-testid=claim-status] .badge").InnerTextAsync());
        var dispute = await app.WithDbAsync(db => db.Disputes.IgnoreQueryFilters().SingleAsync(d => d.AffiliateId == affiliate.Id));

        // And writes to the program in the message thread.
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{slug}/messages");
        await tab.GetByLabel("Your message").FillAsync("Hello! Can I get the winter banners before December?");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await tab.GetByText("Can I get the winter banners").WaitForAsync();

        // Staff see both on the overview, open the claim, and accept it with the order it names.
        await admin.GotoAsync($"{app.BaseUrl}/admin?ws={workspaceId}");
        await admin.Locator("[data-testid=task-disputes] a").ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "1043" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex($"/admin/disputes/{dispute.Id}"));
        var match = admin.Locator("[data-testid=match]");
        Assert.Equal(1, await match.CountAsync());
        Assert.Contains("#1043", await match.InnerTextAsync());
        var adminClaimUrl = admin.Url;
        await PageCheck.VisitAsync(staffContext, adminClaimUrl, "admin", "dispute-open");
        await PageCheck.VisitAsync(staffContext, $"{app.BaseUrl}/admin/disputes?ws={workspaceId}", "admin", "disputes");
        await PageCheck.VisitAsync(staffContext, $"{app.BaseUrl}/admin/messages?ws={workspaceId}", "admin", "messages");

        await admin.Locator("[data-testid=accept-form] textarea").FillAsync("The order came from Ann's post; credited by hand.");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Accept and credit the order" }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).WaitForAsync();
        Assert.Equal("Accepted", await admin.Locator("[data-testid=dispute-status] .badge").InnerTextAsync());
        await PageCheck.VisitAsync(staffContext, adminClaimUrl, "admin", "dispute-accepted");

        // Staff answer the message.
        await admin.GotoAsync($"{app.BaseUrl}/admin/messages/{affiliate.Id}?ws={workspaceId}");
        await admin.GetByLabel("Write to Ann Affiliate").FillAsync("Yes: they are in Materials from Monday.");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Status).WaitForAsync();
        await PageCheck.VisitAsync(staffContext, admin.Url, "admin", "message-thread");

        // The affiliate sees the decision, the new commission, and the answer (mailed to them as well).
        await PageCheck.VisitAsync(applicant, claimUrl, "portal", "dispute-accepted");
        await PageCheck.VisitAsync(applicant, $"{app.BaseUrl}/portal/p/{slug}/disputes", "portal", "disputes");
        await PageCheck.VisitAsync(applicant, $"{app.BaseUrl}/portal/p/{slug}/messages", "portal", "messages");
        await tab.GotoAsync($"{app.BaseUrl}/portal/p/{slug}/commissions");
        Assert.Equal(2, await rows.CountAsync());
        var claimed = rows.Filter(new() { HasText = "#1043" });
        Assert.Contains("Assigned by the program", await claimed.InnerTextAsync());
        await using (var shot = new Screenshot(tab, "portal-commissions-after-claim")) await shot.SaveAsync();
        Assert.Equal(DisputeStatus.Accepted, await app.WithDbAsync(db => db.Disputes.IgnoreQueryFilters().Where(d => d.Id == dispute.Id).Select(d => d.Status).SingleAsync()));
        await Eventually.HoldsAsync(() => Task.FromResult(smtp.MessagesTo(email).Select(m => m.Subject ?? "").ToList()),
            s => s.Any(x => x.Contains("1043", StringComparison.Ordinal)) && s.Any(x => x.StartsWith("New message from", StringComparison.Ordinal)),
            "the claim's decision and the staff answer mailed to the affiliate");
    }

    /// <summary>
    /// Shopify's own orders/create body (<see cref="OrdersCreatePayload"/>) as another order of yesterday: with the
    /// storefront script's cart attribute for <paramref name="referralCode"/>, or with no referral of any kind.
    /// </summary>
    private static string OrderPayload(long id, int number, string? referralCode)
    {
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        var json = OrdersCreatePayload.Json
            .Replace("5812345678901", id.ToString(), StringComparison.Ordinal)
            .Replace("\"#1042\"", $"\"#{number}\"", StringComparison.Ordinal)
            .Replace("\"#1042.1\"", $"\"#{number}.1\"", StringComparison.Ordinal)
            .Replace("\"order_number\": 1042", $"\"order_number\": {number}", StringComparison.Ordinal)
            .Replace("2025-03-14T", yesterday + "T", StringComparison.Ordinal)
            .Replace("\"code\": \"JANE10\"", "\"code\": \"WELCOME10\"", StringComparison.Ordinal);
        return referralCode is { } code
            ? json.Replace("\"value\": \"jane\"", $"\"value\": \"{code}\"", StringComparison.Ordinal).Replace("ref=jane", "ref=" + code, StringComparison.Ordinal)
                .Replace("\"landing_site_ref\": \"jane\"", $"\"landing_site_ref\": \"{code}\"", StringComparison.Ordinal)
            : json.Replace("{ \"name\": \"_sa_ref\", \"value\": \"jane\" },", "", StringComparison.Ordinal)
                .Replace("{ \"name\": \"_sa_click\", \"value\": \"0b5f3c2e-8d1a-4a57-9a0e-3f1c2b7d9e41\" },", "", StringComparison.Ordinal)
                .Replace("?ref=jane&sa_click=7c9e6679-7425-40de-944b-e07fc1f90ae7&", "?", StringComparison.Ordinal)
                .Replace("\"landing_site_ref\": \"jane\"", "\"landing_site_ref\": null", StringComparison.Ordinal);
    }

    /// <summary>POSTs a webhook signed with the app's secret, as Shopify does (see <see cref="ShopifyWebhooks"/>).</summary>
    private static async Task<HttpResponseMessage> DeliverAsync(BrowserApp app, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{app.BaseUrl}/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Shopify-Hmac-Sha256", ShopifyHmac.SignWebhook(bytes, FakeShopify.ApiSecret));
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", FakeShopify.Shop);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Triggered-At", DateTimeOffset.UtcNow.ToString("O"));
        using var client = new HttpClient();
        return await client.SendAsync(request);
    }
}
