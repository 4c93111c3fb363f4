using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

/// <summary>The public program page, the application form, screening and the staff decision.</summary>
public abstract class ApplicationTests(PortalApp fixture)
{
    private TestApp App => fixture.App;

    private static readonly ApplicationQuestion[] Questions =
    [
        new("audience", "How many followers?", QuestionKind.Number, Required: true),
        new("channel", "Where do you promote?", QuestionKind.Choice, Required: true, ["Blog", "Instagram"]),
        new("sample", "A post of yours", QuestionKind.Url, Required: false),
    ];

    private Task AskAsync(AutoApproveRule rule = AutoApproveRule.Never, params string[] domains) => fixture.SetPageAsync(p =>
    {
        p.WriteQuestions(Questions);
        p.AcceptingApplications = true;
        p.AutoApprove = rule;
        p.AutoApproveDomains = [.. domains];
    });

    private static Dictionary<string, string> Answers(string? website = null)
    {
        var answers = new Dictionary<string, string> { ["Input.Answers[audience]"] = "1200", ["Input.Answers[channel]"] = "Blog" };
        if (website is not null) answers["Input.Website"] = website;
        return answers;
    }

    [Fact]
    public async Task TheProgramPageSummarisesTheCommissionFromTheRealRulesAndTheCookieWindow()
    {
        await fixture.SetPageAsync(p => (p.Pitch, p.AcceptingApplications) = ("Knitwear from the islands.", true));
        var slug = (await fixture.WorkspaceAsync()).Slug;
        await new Scenario(App).Api.PutAsync("/api/v1/settings/program",
            new StringContent("""{"defaultCommissionRate":0.125,"cookieWindowDays":45}""", System.Text.Encoding.UTF8, "application/json"));

        var html = await (await App.CreateClient().GetAsync($"/p/{slug}")).Content.ReadAsStringAsync();

        Assert.Contains("Knitwear from the islands.", html);
        Assert.Contains("12.5% on all products", html);
        Assert.Contains("<strong>45 days</strong>", html);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync("/p/no-such-program")).StatusCode);
    }

    [Fact]
    public async Task AnApplicationKeepsItsAnswersTheHashedAddressTheTrustedCountryAndItsSignals()
    {
        await AskAsync();
        var email = PortalApp.NewEmail("ann", "annsknits.example");
        var client = Staff.Client(App, "203.0.113.77");
        client.DefaultRequestHeaders.Add("CF-IPCountry", "DK");

        var response = await fixture.ApplyAsync(client, email, Answers("https://www.annsknits.example/blog"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var affiliate = await fixture.AffiliateAsync(email);
        Assert.Equal(AffiliateStatus.Pending, affiliate.Status);
        var workspace = await fixture.WorkspaceAsync();
        var application = await fixture.WithDbAsync(db => db.AffiliateApplications.AsNoTracking().SingleAsync(a => a.AffiliateId == affiliate.Id));
        using var hasher = new IpHasher(workspace.IpHashSalt);
        Assert.Equal(hasher.Hash("203.0.113.77"), application.IpHash);
        Assert.DoesNotContain("203.0.113.77", application.IpHash);
        Assert.Equal("DK", application.Country);
        Assert.Equal(["1200", "Blog"], application.ReadAnswers().Select(a => a.Value));
        Assert.Equal([ScreeningSignal.EmailMatchesWebsite], application.Signals);
        Assert.StartsWith("Hi Ann Affiliate,", (await Mailbox.SingleAsync(fixture.MailFolder, email, "We received your application")).Body);
    }

    [Fact]
    public async Task ASecondApplicationFromTheSameAddressAndMailboxIsFlaggedAndNeverAutoApproved()
    {
        await AskAsync(AutoApproveRule.All);
        var ip = $"198.51.100.{Random.Shared.Next(1, 255)}";
        var first = PortalApp.NewEmail("bo");
        Assert.Equal(HttpStatusCode.Redirect, (await fixture.ApplyAsync(Staff.Client(App, ip), first, Answers())).StatusCode);
        var plusTag = first.Replace("@", "+again@");

        await fixture.ApplyAsync(Staff.Client(App, ip), plusTag, Answers());

        Assert.Equal(AffiliateStatus.Approved, (await fixture.AffiliateAsync(first)).Status);
        var second = await fixture.AffiliateAsync(plusTag);
        Assert.Equal(AffiliateStatus.Pending, second.Status);
        var signals = await fixture.WithDbAsync(db => db.AffiliateApplications.AsNoTracking().Where(a => a.AffiliateId == second.Id).Select(a => a.Signals).SingleAsync());
        Assert.Contains(ScreeningSignal.DuplicateIp, signals);
        Assert.Contains(ScreeningSignal.DuplicateEmail, signals);
    }

    [Fact]
    public async Task AutoApproveByEmailDomainApprovesAndEmailsTheWelcomeLinkButNotOtherDomains()
    {
        await AskAsync(AutoApproveRule.EmailDomain, "partner.example");
        var partner = PortalApp.NewEmail("cy", "partner.example");
        var stranger = PortalApp.NewEmail("cy", "elsewhere.example");

        await fixture.ApplyAsync(Staff.Client(App), partner, Answers());
        await fixture.ApplyAsync(Staff.Client(App), stranger, Answers());

        Assert.Equal(AffiliateStatus.Approved, (await fixture.AffiliateAsync(partner)).Status);
        Assert.StartsWith("/portal/welcome?user=", Mailbox.Link(await Mailbox.SingleAsync(fixture.MailFolder, partner, "Welcome to"), "/portal/welcome"));
        Assert.Equal(AffiliateStatus.Pending, (await fixture.AffiliateAsync(stranger)).Status);
        Assert.Equal(["ApplicationReceived"], await fixture.QueuedMailAsync(stranger));
        Assert.Equal(["ApplicationApproved"], await fixture.QueuedMailAsync(partner)); // approved at once: no "received" first
    }

    [Fact]
    public async Task AMissingRequiredAnswerOrAWrongKindOfAnswerIsRefusedAtItsFieldAndNothingIsStored()
    {
        await AskAsync();
        var email = PortalApp.NewEmail("dee");

        var response = await fixture.ApplyAsync(Staff.Client(App), email, new Dictionary<string, string>
        {
            ["Input.Answers[audience]"] = "lots", ["Input.Answers[sample]"] = "javascript:alert(1)",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter a number.", html);
        Assert.Contains("Answer &quot;Where do you promote?&quot;.", html);
        Assert.Contains("Enter an http(s) address a person can open.", html);
        Assert.False(await fixture.WithDbAsync(db => db.Affiliates.AnyAsync(a => a.Email == email)));
    }

    [Fact]
    public async Task TheHoneypotGetsTheThankYouPageAndNothingIsStoredOrSent()
    {
        await AskAsync();
        var email = PortalApp.NewEmail("bot");
        var extra = Answers();
        extra["Input.Fax"] = "+45 1234 5678";

        var response = await fixture.ApplyAsync(Staff.Client(App), email, extra);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/applied", response.Headers.Location!.OriginalString);
        Assert.False(await fixture.WithDbAsync(db => db.Affiliates.AnyAsync(a => a.Email == email)));
        Assert.Empty(await fixture.QueuedMailAsync(email));
    }

    [Fact]
    public async Task AClientOverTheApplyLimitGets429BeforeAnythingIsStored()
    {
        await AskAsync();
        var client = Staff.Client(App);
        for (var i = 0; i < PortalApp.ApplyLimit; i++) await fixture.ApplyAsync(client, PortalApp.NewEmail("spam"), Answers());
        var email = PortalApp.NewEmail("spam");

        var limited = await fixture.ApplyAsync(client, email, Answers());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        Assert.False(await fixture.WithDbAsync(db => db.Affiliates.AnyAsync(a => a.Email == email)));
        // Another client still applies.
        Assert.Equal(HttpStatusCode.Redirect, (await fixture.ApplyAsync(Staff.Client(App), PortalApp.NewEmail("real"), Answers())).StatusCode);
    }

    [Fact]
    public async Task ARejectionNeedsAReasonAndTheApplicantReadsItInTheEmail()
    {
        await AskAsync();
        var email = PortalApp.NewEmail("eve");
        await fixture.ApplyAsync(Staff.Client(App), email, Answers());
        var affiliate = await fixture.AffiliateAsync(email);
        var staff = await fixture.StaffAsync();

        var noReason = await fixture.DecideAsync(staff, affiliate.Id, approve: false, reason: " ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Equal(AffiliateStatus.Pending, (await fixture.AffiliateAsync(email)).Status);

        var rejected = await fixture.DecideAsync(staff, affiliate.Id, approve: false, reason: "We only work with Danish knitting blogs.");

        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal(AffiliateStatus.Rejected, (await fixture.AffiliateAsync(email)).Status);
        Assert.Contains("We only work with Danish knitting blogs.", (await Mailbox.SingleAsync(fixture.MailFolder, email, "Your application to")).Body);
    }

    [Fact]
    public async Task TheQueueShowsAnswersAndSignalsAndAnAnalystCannotDecide()
    {
        await AskAsync();
        var email = PortalApp.NewEmail("fay", "mailinator.com");
        await fixture.ApplyAsync(Staff.Client(App), email, Answers());
        var affiliate = await fixture.AffiliateAsync(email);
        var ws = (await fixture.WorkspaceAsync()).Id;

        var queue = await (await fixture.StaffAsync()).GetStringAsync($"/admin/applications?ws={ws}");
        Assert.Contains(email, queue);
        Assert.Contains("How many followers?", queue);
        Assert.Contains("data-signal=\"DisposableEmail\"", queue);

        var analyst = (await Staff.SignedInAsync(App, await Staff.CreateAsync(App, Core.Workspaces.StaffRole.Analyst))).Browser;
        var refused = await fixture.DecideAsync(analyst, affiliate.Id, approve: true);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(AffiliateStatus.Pending, (await fixture.AffiliateAsync(email)).Status);
    }

    [Fact]
    public async Task TheMerchantEditsThePageAndQuestionsAndChangedTermsAreANewVersion()
    {
        var ws = (await fixture.WorkspaceAsync()).Id;
        var staff = await fixture.StaffAsync();
        var before = await fixture.WithDbAsync(db => db.ProgramPages.AsNoTracking().Select(p => (int?)p.TermsVersion).FirstOrDefaultAsync()) ?? 1;
        Dictionary<string, string> Form(string terms) => new()
        {
            ["ws"] = ws.ToString(), ["Input.Pitch"] = "Our pitch", ["Input.Terms"] = terms, ["Input.AcceptingApplications"] = "true",
            ["Input.Questions"] = "choice | required | Where do you promote? | Blog; TikTok\nnumber | optional | Followers",
            ["Input.AutoApprove"] = "Never",
        };

        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(staff, $"/admin/program-page?ws={ws}", Form($"Terms {Guid.NewGuid()}"))).StatusCode);
        var saved = await fixture.WithDbAsync(db => db.ProgramPages.AsNoTracking().SingleAsync());
        Assert.Equal(before + 1, saved.TermsVersion);
        Assert.Equal(["Where do you promote?", "Followers"], saved.ReadQuestions().Select(q => q.Label));
        Assert.Equal(["Blog", "TikTok"], saved.ReadQuestions()[0].Options!);

        // The same terms again are the same version.
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(staff, $"/admin/program-page?ws={ws}", Form(saved.Terms))).StatusCode);
        Assert.Equal(saved.TermsVersion, await fixture.WithDbAsync(db => db.ProgramPages.AsNoTracking().Select(p => p.TermsVersion).SingleAsync()));

        var bad = Form("x");
        bad["Input.Questions"] = "colour | required | Favourite colour";
        var english = await Forms.SubmitAsync(staff, $"/admin/program-page?ws={ws}", bad);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, english.StatusCode);
        Assert.Contains("Line 1: the kind is text, choice, url or number.", WebUtility.HtmlDecode(await english.Content.ReadAsStringAsync()));

        // The editor's messages in the staff member's language (the syntax words stay as they are typed).
        await Forms.SubmitAsync(staff, "/admin", new Dictionary<string, string> { ["culture"] = "da", ["returnUrl"] = "/admin" }, "/ui/culture");
        try
        {
            // The page shows a field's first problem: one bad line at a time.
            foreach (var (line, expected) in new[]
            {
                ("colour | required | Favourite colour", "Linje 1: typen er text, choice, url eller number."),
                ("text | required | Fine\ntext | maybe | Y", "Linje 2: skriv required eller optional."),
                ("choice | required | Z | only-one", "Linje 1: en choice skal have mindst to svarmuligheder, adskilt af ';'."),
            })
            {
                bad["Input.Questions"] = line;
                var danish = WebUtility.HtmlDecode(await (await Forms.SubmitAsync(staff, $"/admin/program-page?ws={ws}", bad)).Content.ReadAsStringAsync());
                Assert.Contains(expected, danish);
                Assert.DoesNotContain("Line ", danish);
            }
        }
        finally
        {
            await Forms.SubmitAsync(staff, "/admin", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/admin" }, "/ui/culture");
        }
    }

    [Fact]
    public async Task AnApplicantWhoReadTheFormInDanishIsMailedInDanish()
    {
        await AskAsync();
        var email = PortalApp.NewEmail("dorte");
        var danish = Staff.Client(App);
        danish.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");

        Assert.Equal(HttpStatusCode.Redirect, (await fixture.ApplyAsync(danish, email, Answers())).StatusCode);

        Assert.Equal("da", (await fixture.AffiliateAsync(email)).Language);
        var mail = await Mailbox.SingleAsync(fixture.MailFolder, email, "Vi har modtaget din ansøgning");
        Assert.StartsWith("Hej Ann Affiliate", mail.Body);
    }

    [Fact]
    public async Task AnAffiliateWithoutALanguageIsMailedInTheProgramsDefaultLanguage()
    {
        await using var scope = App.Scope();
        var other = await scope.ServiceProvider.GetRequiredService<Core.Workspaces.WorkspaceProvisioner>()
            .CreateAsync("Dansk Program", "DKK", PortalApp.NewEmail("owner"), "another-password-1");
        await fixture.WithDbAsync(async db =>
        {
            var settings = await db.WorkspaceSettings.FirstOrDefaultAsync();
            if (settings is null) db.WorkspaceSettings.Add(settings = new Core.Settings.WorkspaceSettings { WorkspaceId = other.Workspace.Id });
            settings.DefaultLanguage = "da";
            return await db.SaveChangesAsync();
        }, other.Workspace.Id);
        var api = App.ApiClient(other.ApiKey);
        var email = PortalApp.NewEmail("bo");
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Bo", email }); // no language of their own
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { })).StatusCode);

        Assert.Null((await fixture.WithDbAsync(db => db.Affiliates.AsNoTracking().SingleAsync(a => a.Id == id), other.Workspace.Id)).Language);
        Assert.StartsWith("Hej Bo", (await Mailbox.SingleAsync(fixture.MailFolder, email, "Velkommen til Dansk Program")).Body);
    }
}

public sealed class ApplicationOnSqlite(PortalAppOnSqlite fixture) : ApplicationTests(fixture), IClassFixture<PortalAppOnSqlite>;

public sealed class ApplicationOnPostgres(PortalAppOnPostgres fixture) : ApplicationTests(fixture), IClassFixture<PortalAppOnPostgres>;
