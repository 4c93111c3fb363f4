using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Email;

/// <summary>The program's mail through a real SMTP server: decisions, templates, escaping and one-click unsubscribe.</summary>
public abstract class EmailTests(OutboxFixture fixture)
{
    private TestApp App => fixture.App;
    private HttpClient Api => App.ApiClient();

    [Fact]
    public async Task ApprovingAnApplicantMailsThemTheWelcomeWithoutAnUnsubscribeHeader()
    {
        var (id, email) = await ApplicantAsync("Ann Approved");

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { })).StatusCode);

        var mail = await MailToAsync(email);
        Assert.Equal("Welcome to Test Program", mail.Subject);
        Assert.Contains("Hi Ann Approved,", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("/portal", mail.TextBody, StringComparison.Ordinal);
        Assert.False(mail.Headers.Contains("List-Unsubscribe")); // a decision about one's application is not optional
    }

    [Fact]
    public async Task ARejectionCarriesTheMerchantsReasonAsTextAndEscapedInHtml()
    {
        var (id, email) = await ApplicantAsync("Rick <Rejected>");

        var reject = await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/reject", new { reason = "<b>Coupon sites</b> & cashback are not accepted" });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);

        var mail = await MailToAsync(email);
        Assert.Contains("The reason: <b>Coupon sites</b> & cashback are not accepted", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Coupon sites&lt;/b&gt; &amp; cashback", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hi Rick &lt;Rejected&gt;,", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProgramsOwnTemplateReplacesTheBuiltInTextUntilItIsDeleted()
    {
        var put = await Api.PutAsJsonAsync("/api/v1/email-templates/ApplicationApproved/en",
            new { subject = "You're in, {{affiliateName}}!", body = "Dear {{affiliateName}},\n\nWelcome aboard {{programName}}." });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        try
        {
            var (id, email) = await ApplicantAsync("Olga Own");
            await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { });
            var mail = await MailToAsync(email);
            Assert.Equal("You're in, Olga Own!", mail.Subject);
            Assert.Contains("Welcome aboard Test Program.", mail.TextBody, StringComparison.Ordinal);
            var shown = await Api.GetFromJsonAsync<JsonElement>("/api/v1/email-templates/ApplicationApproved/en");
            Assert.True(shown.GetProperty("overridden").GetBoolean());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync("/api/v1/email-templates/ApplicationApproved/en")).StatusCode);
        }
        var restored = await Api.GetFromJsonAsync<JsonElement>("/api/v1/email-templates/ApplicationApproved/en");
        Assert.Equal("Welcome to {{programName}}", restored.GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("/api/v1/email-templates/ApplicationApproved/en", "{{password}} here", "body")]
    [InlineData("/api/v1/email-templates/NoSuchKind/en", "Hello", "kind")]
    [InlineData("/api/v1/email-templates/ApplicationApproved/fr", "Hello", "culture")]
    public async Task ABadTemplateIsRefusedWith400NamingTheField(string route, string body, string field)
    {
        var put = await Api.PutAsJsonAsync(route, new { subject = "Subject", body });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var current = await Api.GetFromJsonAsync<JsonElement>("/api/v1/email-templates/ApplicationApproved/en");
        Assert.False(current.GetProperty("overridden").GetBoolean());
    }

    [Fact]
    public async Task AnotherProgramsTemplateChangeLeavesThisProgramsMailAlone()
    {
        var other = App.ApiClient(await OtherProgramKeyAsync());

        var put = await other.PutAsJsonAsync("/api/v1/email-templates/ApplicationApproved/en", new { subject = "Other's", body = "Other's text" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var mine = await Api.GetFromJsonAsync<JsonElement>("/api/v1/email-templates/ApplicationApproved/en");
        Assert.False(mine.GetProperty("overridden").GetBoolean());
        Assert.Equal("Welcome to {{programName}}", mine.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task NonEssentialMailCarriesAOneClickUnsubscribeThatOnlyAPostUses()
    {
        var email = $"news.{Guid.NewGuid():N}@example.com";
        Assert.True(await EnqueueAsync(EmailKind.Announcement, email, "first"));
        var mail = await MailToAsync(email);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var url = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.StartsWith("/u/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains(url.AbsoluteUri, mail.TextBody, StringComparison.Ordinal);

        var browser = App.CreateClient();
        var page = await browser.GetAsync(url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await SuppressionsAsync(email)); // a mail scanner following the link unsubscribes nobody

        var oneClick = await browser.PostAsync(url.AbsolutePath,
            new FormUrlEncodedContent([new KeyValuePair<string, string>("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(url.AbsolutePath, null)).StatusCode); // again: still one row
        Assert.Equal(1, await SuppressionsAsync(email));

        Assert.False(await EnqueueAsync(EmailKind.Announcement, email, "second"));
        Assert.True(await EnqueueAsync(EmailKind.PayoutSent, email, "payout")); // essential mail still goes
    }

    [Fact]
    public async Task AForgedUnsubscribeTokenIsRefusedWith400AndChangesNothing()
    {
        var before = await SuppressionsAsync(email: null);

        var response = await App.CreateClient().PostAsync("/u/not-a-real-token", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await SuppressionsAsync(email: null));
    }

    private async Task<(Guid Id, string Email)> ApplicantAsync(string name)
    {
        var email = $"applicant.{Guid.NewGuid():N}@example.com";
        var created = await Api.PostAsJsonAsync("/api/v1/affiliates", new { name, email });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), email);
    }

    private async Task<MimeMessage> MailToAsync(string email)
    {
        var mails = await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count > 0, $"a mail to {email}");
        return Assert.Single(mails);
    }

    private async Task<bool> EnqueueAsync(EmailKind kind, string email, string key)
    {
        var workspaceId = await new Scenario(App).WorkspaceIdAsync();
        await using var scope = App.Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var added = await scope.ServiceProvider.GetRequiredService<Mailer>().EnqueueAsync(db, new MailRequest(workspaceId, kind, email, "Reader", key,
            new Dictionary<string, string> { ["subject"] = "News", ["body"] = "Autumn sale", ["amount"] = "1.00 USD", ["reference"] = "P-1" }), default);
        await db.SaveChangesAsync();
        return added;
    }

    /// <summary>Unsubscribes of <paramref name="email"/>, or of every address in every program when null.</summary>
    private async Task<int> SuppressionsAsync(string? email)
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().EmailSuppressions.IgnoreQueryFilters()
            .CountAsync(s => email == null || s.Email == email);
    }

    private async Task<string> OtherProgramKeyAsync()
    {
        await using var scope = App.Scope();
        return (await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync("Other Program", "EUR", $"other.{Guid.NewGuid():N}@example.com", "another-password-1")).ApiKey;
    }
}

public sealed class EmailOnSqlite(SqliteOutboxFixture fixture) : EmailTests(fixture), IClassFixture<SqliteOutboxFixture>;

public sealed class EmailOnPostgres(PostgresOutboxFixture fixture) : EmailTests(fixture), IClassFixture<PostgresOutboxFixture>;
