using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

/// <summary>Affiliate accounts (their own cookie, magic links, resets, limits), onboarding, the link builder, isolation.</summary>
public abstract class PortalTests(PortalApp fixture)
{
    private TestApp App => fixture.App;

    private async Task<string> SlugAsync() => (await fixture.WorkspaceAsync()).Slug;

    private static void AssertSentToPortalSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/portal/login", new Uri(new Uri("http://app.invalid"), response.Headers.Location!).AbsolutePath);
    }

    private Task OpenAsync() => fixture.SetPageAsync(p => (p.AcceptingApplications, p.AutoApprove, p.QuestionsJson) = (true, AutoApproveRule.Never, "[]"));

    [Fact]
    public async Task ApprovalsWelcomeLinkSetsThePasswordAndOpensThePortalWithItsChecklist()
    {
        await OpenAsync();
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();

        var home = await portal.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal($"/portal/p/{await SlugAsync()}", home.Headers.Location!.OriginalString);
        var dashboard = await portal.GetStringAsync(home.Headers.Location!.OriginalString);
        Assert.Contains(affiliate.ReferralCode, dashboard);
        Assert.Contains("data-step=\"FirstLink\" data-done=\"false\"", dashboard);
        Assert.NotNull(affiliate.UserId);

        // The password works from another browser too.
        var signIn = await Forms.SubmitAsync(Staff.Client(App), "/portal/login",
            new Dictionary<string, string> { ["Input.Email"] = affiliate.Email, ["Input.Password"] = PortalApp.AffiliatePassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/portal", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task APortalCookieOpensNoAdminPageAndAStaffCookieOpensNoPortalPage()
    {
        await OpenAsync();
        var (portal, _) = await fixture.SignedInAffiliateAsync();
        var staff = await fixture.StaffAsync();
        var slug = await SlugAsync();

        Staff.AssertSentToSignIn(await portal.GetAsync($"/admin/applications"));
        AssertSentToPortalSignIn(await staff.GetAsync($"/portal/p/{slug}"));
    }

    [Fact]
    public async Task AMagicLinkSignsInOnceAndOpeningItChangesNothing()
    {
        await OpenAsync();
        var (_, affiliate) = await fixture.SignedInAffiliateAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(Staff.Client(App), "/portal/magic",
            new Dictionary<string, string> { ["Email"] = affiliate.Email })).StatusCode);
        var link = Mailbox.Link(await Mailbox.SingleAsync(fixture.MailFolder, affiliate.Email, "sign-in link"), "/portal/magic/");

        var browser = Staff.Client(App);
        var opened = await browser.GetAsync(link);          // what a mail scanner does
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var used = await Forms.SubmitAsync(browser, link, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/portal")).StatusCode); // signed in: on to the program

        var again = Staff.Client(App);
        var replay = await Forms.SubmitAsync(again, link, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        AssertSentToPortalSignIn(await again.GetAsync($"/portal/p/{await SlugAsync()}"));
    }

    [Fact]
    public async Task ATamperedMagicLinkIsRefused()
    {
        var browser = Staff.Client(App);
        var page = await browser.GetAsync("/portal/magic/CfDJ8-not-a-real-token");

        Assert.Contains("does not work any more", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PasswordResetSendsALinkOnlyToAffiliatesAndTheLinkSetsANewPassword()
    {
        await OpenAsync();
        var (_, affiliate) = await fixture.SignedInAffiliateAsync();
        var nobody = PortalApp.NewEmail("nobody");
        var answers = new List<string>();
        foreach (var email in new[] { affiliate.Email, nobody })
        {
            var sent = await Forms.SubmitAsync(Staff.Client(App), "/portal/forgot", new Dictionary<string, string> { ["Email"] = email });
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
            answers.Add(sent.Headers.Location!.OriginalString);
        }
        Assert.Equal(answers[0], answers[1]); // the same answer: it tells nobody who has an account
        Assert.Empty(await fixture.QueuedMailAsync(nobody));
        Assert.DoesNotContain("PasswordReset", await fixture.QueuedMailAsync(TestApp.OwnerEmail));

        var reset = Mailbox.Link(await Mailbox.SingleAsync(fixture.MailFolder, affiliate.Email, "Reset your password"), "/portal/reset");
        var browser = Staff.Client(App);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(browser, reset, new Dictionary<string, string> { ["Password"] = "a-brand-new-passphrase" }, reset)).StatusCode);

        var old = await Forms.SubmitAsync(Staff.Client(App), "/portal/login",
            new Dictionary<string, string> { ["Input.Email"] = affiliate.Email, ["Input.Password"] = PortalApp.AffiliatePassword });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains(Admin.Pages.Portal.LoginModel.Refused, await old.Content.ReadAsStringAsync());
        // A reset link works once: the new password renewed the security stamp it was made with.
        var replay = await Forms.SubmitAsync(Staff.Client(App), reset, new Dictionary<string, string> { ["Password"] = "yet-another-passphrase" }, reset);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
    }

    [Fact]
    public async Task SignInAndEmailedLinksAreLimitedPerClientWith429()
    {
        var client = Staff.Client(App);
        for (var i = 0; i < PortalApp.SignInLimit; i++)
        {
            var refused = await Forms.SubmitAsync(client, "/portal/login",
                new Dictionary<string, string> { ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "wrong-password-" + i });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }
        var limited = await Forms.SubmitAsync(client, "/portal/login",
            new Dictionary<string, string> { ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "x" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);

        var mailer = Staff.Client(App);
        var email = PortalApp.NewEmail("flood");
        for (var i = 0; i < PortalApp.EmailLimit; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(mailer, "/portal/forgot", new Dictionary<string, string> { ["Email"] = email })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Forms.SubmitAsync(mailer, "/portal/forgot", new Dictionary<string, string> { ["Email"] = email })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Forms.SubmitAsync(mailer, "/portal/magic", new Dictionary<string, string> { ["Email"] = email })).StatusCode);
    }

    [Fact]
    public async Task OnboardingRecordsTermsAcceptanceAndANewVersionAsksAgain()
    {
        await fixture.SetPageAsync(p => { p.AcceptingApplications = true; p.ChangeTerms($"Disclose every post as an ad. {Guid.NewGuid()}"); });
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var slug = await SlugAsync();
        var version = await fixture.WithDbAsync(db => db.ProgramPages.AsNoTracking().Select(p => p.TermsVersion).SingleAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(portal, $"/portal/p/{slug}/terms",
            new Dictionary<string, string> { ["version"] = version.ToString() })).StatusCode);
        var stale = await Forms.SubmitAsync(portal, $"/portal/p/{slug}/terms", new Dictionary<string, string> { ["version"] = (version - 1).ToString() });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var acceptance = await fixture.WithDbAsync(db => db.TermsAcceptances.AsNoTracking().SingleAsync(t => t.AffiliateId == affiliate.Id));
        Assert.Equal(version, acceptance.Version);
        Assert.Equal(affiliate.UserId, acceptance.UserId);
        Assert.Equal(version.ToString(), (await fixture.AffiliateAsync(affiliate.Email)).AcceptedTermsVersion);
        Assert.Contains("data-step=\"TermsAccepted\" data-done=\"true\"", await portal.GetStringAsync($"/portal/p/{slug}"));

        await fixture.SetPageAsync(p => p.ChangeTerms(p.Terms + " Also on TikTok."));
        Assert.Contains("data-step=\"TermsAccepted\" data-done=\"false\"", await portal.GetStringAsync($"/portal/p/{slug}"));
    }

    [Fact]
    public async Task TheLinkBuilderMakesALinkWithASubIdAndItsQrCodeAsPngAndSvg()
    {
        await OpenAsync();
        await new Scenario(App).ShopAsync($"shop-{Guid.NewGuid():N}.example.com");
        var shop = await fixture.WithDbAsync(db => db.Shops.AsNoTracking().OrderBy(s => s.CreatedAt).Select(s => s.Domain).FirstAsync());
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var slug = await SlugAsync();

        var created = await Forms.SubmitAsync(portal, $"/portal/p/{slug}/links",
            new Dictionary<string, string> { ["Destination"] = $"https://{shop}/products/mittens", ["SubId"] = "instagram-may" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var link = await fixture.WithDbAsync(db => db.TrackingLinks.AsNoTracking().SingleAsync(l => l.AffiliateId == affiliate.Id));
        Assert.Equal("instagram-may", link.SubId);
        Assert.Equal($"https://{shop}/products/mittens", link.Destination);

        var png = await portal.GetAsync($"/portal/p/{slug}/links?handler=qr&link={link.Id}&format=png");
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync())[..4]);
        var svg = await portal.GetAsync($"/portal/p/{slug}/links?handler=qr&link={link.Id}&format=svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync());

        var offSite = await Forms.SubmitAsync(portal, $"/portal/p/{slug}/links", new Dictionary<string, string> { ["Destination"] = "https://evil.example/" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, offSite.StatusCode);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.TrackingLinks.CountAsync(l => l.AffiliateId == affiliate.Id)));
    }

    [Fact]
    public async Task EveryPortalRouteAndDownloadAnswers404ForAnotherAffiliatesOrProgramsIds()
    {
        await OpenAsync();
        await new Scenario(App).ShopAsync($"iso-{Guid.NewGuid():N}.example.com");
        var (mine, me) = await fixture.SignedInAffiliateAsync();
        var (theirs, them) = await fixture.SignedInAffiliateAsync();
        var slug = await SlugAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(theirs, $"/portal/p/{slug}/links", new Dictionary<string, string>())).StatusCode);
        var theirLink = await fixture.WithDbAsync(db => db.TrackingLinks.AsNoTracking().SingleAsync(l => l.AffiliateId == them.Id));

        // Another program, with an approved affiliate of its own whose account is not mine.
        var other = await fixture.OtherProgramAsync("Other Program");
        var pages = new[] { "", "/links", "/profile", "/terms", "/disclosure" };
        foreach (var page in pages)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"/portal/p/{other.Slug}{page}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/portal/p/{slug}{page}")).StatusCode); // so the 404 is isolation
        }
        foreach (var format in new[] { "png", "svg" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"/portal/p/{slug}/links?handler=qr&link={theirLink.Id}&format={format}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"/portal/p/{other.Slug}/links?handler=qr&link={theirLink.Id}&format={format}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync($"/portal/p/{slug}/links?handler=qr&link={theirLink.Id}&format={format}")).StatusCode);
        }

        // Changes aimed at the other program are refused and change nothing.
        var token = await Forms.TokenAsync(mine, $"/portal/p/{slug}/profile");
        var fields = new Dictionary<string, string> { ["Input.Name"] = "Hijack", ["Input.PayoutDetails"] = "attacker@example.com" };
        foreach (var page in pages[1..^1])
            Assert.Equal(HttpStatusCode.NotFound, (await Forms.PostAsync(mine, $"/portal/p/{other.Slug}{page}", fields, token)).StatusCode);
        Assert.Equal(them.Name, (await fixture.AffiliateAsync(them.Email)).Name);
        Assert.Null((await fixture.AffiliateAsync(me.Email)).PayoutDetails);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.TrackingLinks.CountAsync(l => l.AffiliateId == them.Id)));
        Assert.Equal(0, await fixture.WithDbAsync(db => db.TrackingLinks.CountAsync(l => l.AffiliateId == me.Id)));
    }

    [Fact]
    public async Task TheAdDisclosureGuidanceReadsInDanishAndInEnglish()
    {
        await OpenAsync();
        var (portal, _) = await fixture.SignedInAffiliateAsync();
        var slug = await SlugAsync();

        var danish = await portal.GetStringAsync($"/portal/p/{slug}/disclosure?lang=da");
        var english = await portal.GetStringAsync($"/portal/p/{slug}/disclosure?lang=en");

        Assert.Contains("lang=\"da\"", danish);
        Assert.Contains("Sådan markerer du reklame", danish);
        Assert.Contains("markedsføringsloven § 6, stk. 4", danish);
        Assert.Contains("lang=\"en\"", english);
        Assert.Contains("Danish Consumer Ombudsman", english);
        Assert.DoesNotContain("Sådan markerer du reklame", english);
    }

    [Fact]
    public async Task OneAccountServesEveryProgramItIsApprovedInWithASwitcher()
    {
        await OpenAsync();
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var other = await fixture.OtherProgramAsync("Second Program");
        // The same person applies to the second program and is approved there.
        await using (var scope = App.Scope(other.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var second = new Affiliate { WorkspaceId = other.Id, Name = affiliate.Name, Email = affiliate.Email, ReferralCode = "second" };
            db.Affiliates.Add(second);
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<Applications>()
                .DecideAsync(second, null, approve: true, reason: null, decidedBy: null, "https://affiliates.example.com", default);
            Assert.Equal(affiliate.UserId, second.UserId);
        }

        var list = await portal.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains($"/portal/p/{await SlugAsync()}", html);
        Assert.Contains($"/portal/p/{other.Slug}", html);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"/portal/p/{other.Slug}")).StatusCode);
        // The account exists already: the welcome mail sends the person to sign in, not to choose a password again.
        var welcome = await Mailbox.SingleAsync(fixture.MailFolder, affiliate.Email, "Second Program");
        Assert.Equal("/portal/login", Mailbox.Link(welcome, "/portal/"));
    }

    [Fact]
    public async Task TheLanguageAnAffiliatePicksInThePortalIsTheLanguageOfTheirMail()
    {
        await OpenAsync();
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var slug = await SlugAsync();

        var switched = await Forms.SubmitAsync(portal, $"/portal/p/{slug}",
            new Dictionary<string, string> { ["culture"] = "da", ["returnUrl"] = $"/portal/p/{slug}" }, "/ui/culture");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("da", (await fixture.AffiliateAsync(affiliate.Email)).Language);

        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(Staff.Client(App), "/portal/magic",
            new Dictionary<string, string> { ["Email"] = affiliate.Email })).StatusCode);
        var mail = await Mailbox.SingleAsync(fixture.MailFolder, affiliate.Email, "Dit login-link");
        Assert.Contains("/portal/magic/", mail.Body);
    }
}

public sealed class PortalOnSqlite(PortalAppOnSqlite fixture) : PortalTests(fixture), IClassFixture<PortalAppOnSqlite>;

public sealed class PortalOnPostgres(PortalAppOnPostgres fixture) : PortalTests(fixture), IClassFixture<PortalAppOnPostgres>;
