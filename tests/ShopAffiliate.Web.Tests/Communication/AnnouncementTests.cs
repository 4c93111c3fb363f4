using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Communication;

/// <summary>Segments, announcements through the real SMTP sink, and the affiliates' notification preferences.</summary>
public abstract class AnnouncementTests(OutboxFixture fixture)
{
    private TestApp App => fixture.App;
    private HttpClient Api => App.ApiClient();

    [Fact]
    public async Task AGroupSegmentHoldsItsApprovedAffiliatesOnlyAndTheAnnouncementReachesEachOnceByMail()
    {
        var group = await GroupAsync();
        var ann = await AffiliateAsync("Ann", approve: true, group);
        var bob = await AffiliateAsync("Bob", approve: true, group);
        var pending = await AffiliateAsync("Pat Pending", approve: false, group);
        var outside = await AffiliateAsync("Olga Outside", approve: true, group: null);

        await using (var preview = App.Scope(await new Scenario(App).WorkspaceIdAsync()))
            Assert.Equal(2, await preview.ServiceProvider.GetRequiredService<SegmentService>().CountAsync(new Segment(SegmentKind.Group, group), default));

        var sent = await Api.PostAsJsonAsync("/api/v1/announcements",
            new { subject = "Summer sale", body = "Up to **30 %** off.", segment = new { kind = "Group", groupId = group } });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var json = await sent.Content.ReadFromJsonAsync<JsonElement>();
        var id = json.GetProperty("id").GetGuid();
        Assert.Equal(2, json.GetProperty("recipients").GetInt32());

        foreach (var a in new[] { ann, bob })
        {
            var mails = await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(a.Email).Where(m => m.Subject == "Summer sale").ToList()),
                m => m.Count > 0, $"the announcement to {a.Email}");
            var mail = Assert.Single(mails);
            Assert.Contains("Up to **30 %** off.", mail.TextBody, StringComparison.Ordinal);
            Assert.True(mail.Headers.Contains("List-Unsubscribe")); // non-essential
        }
        await using var scope = App.Scope(await new Scenario(App).WorkspaceIdAsync());
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var recipients = await db.AnnouncementRecipients.Where(r => r.AnnouncementId == id).Select(r => r.AffiliateId).ToListAsync();
        Assert.Equal(new[] { ann.Id, bob.Id }.Order(), recipients.Order());
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "announcement.sent" && e.EntityId == id.ToString()));
        Assert.Equal(2, await db.OutboxMessages.CountAsync(m => m.IdempotencyKey.StartsWith($"email:Announcement:{id:N}")));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(pending.Email), m => m.Subject == "Summer sale");
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(outside.Email), m => m.Subject == "Summer sale");
    }

    [Fact]
    public async Task StatusAndInactiveSegmentsPickTheRightAffiliates()
    {
        var group = await GroupAsync();
        var clicked = await AffiliateAsync("Clicky", approve: true, group);
        var idle = await AffiliateAsync("Idle", approve: true, group);
        var pending = await AffiliateAsync("Pending", approve: false, group);
        var workspace = await new Scenario(App).WorkspaceIdAsync();
        await using (var arrange = App.Scope(workspace))
        {
            var db = arrange.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Clicks.Add(new Click { Id = Guid.CreateVersion7(), WorkspaceId = workspace, AffiliateId = clicked.Id, ReferralCode = "x", At = DateTime.UtcNow.AddDays(-2) });
            await db.SaveChangesAsync();
        }
        await using var scope = App.Scope(workspace);
        var segments = scope.ServiceProvider.GetRequiredService<SegmentService>();
        var inactive = (await segments.MembersAsync(new Segment(SegmentKind.Inactive, Days: 7), default)).Select(m => m.Id).ToList();
        Assert.Contains(idle.Id, inactive);
        Assert.DoesNotContain(clicked.Id, inactive);
        Assert.DoesNotContain(pending.Id, inactive); // only approved affiliates are "inactive"
        var longAgo = (await segments.MembersAsync(new Segment(SegmentKind.Inactive, Days: 1), default)).Select(m => m.Id).ToList();
        Assert.Contains(clicked.Id, longAgo); // the click was two days ago

        var pendingOnes = (await segments.MembersAsync(new Segment(SegmentKind.Status, Status: Core.Affiliates.AffiliateStatus.Pending), default)).Select(m => m.Id).ToList();
        Assert.Contains(pending.Id, pendingOnes);
        Assert.DoesNotContain(idle.Id, pendingOnes);
    }

    [Fact]
    public async Task AnAffiliateWhoTurnedAnnouncementsOffOrUnsubscribedGetsNoMailButStillSeesItInThePortal()
    {
        var group = await GroupAsync();
        var keen = await AffiliateAsync("Keen", approve: true, group);
        var off = await AffiliateAsync("Off", approve: true, group);
        var gone = await AffiliateAsync("Gone", approve: true, group);
        var workspace = await new Scenario(App).WorkspaceIdAsync();
        await using (var arrange = App.Scope(workspace))
        {
            await arrange.ServiceProvider.GetRequiredService<NotificationPreferenceService>()
                .SetAsync(off.Id, off.Email, new NotificationChoice(Announcements: false, CommissionEarned: true, MonthlyStatement: true), default);
        }
        // The one-click unsubscribe of an earlier non-essential mail.
        await using (var arrange = App.Scope(workspace))
        {
            var db = arrange.ServiceProvider.GetRequiredService<AppDbContext>();
            await arrange.ServiceProvider.GetRequiredService<Mailer>().EnqueueAsync(db, new MailRequest(workspace, EmailKind.Announcement, gone.Email, "Gone", "earlier",
                new Dictionary<string, string> { ["subject"] = "Earlier", ["body"] = "x" }), default);
            await db.SaveChangesAsync();
        }
        var earlier = await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(gone.Email).Where(m => m.Subject == "Earlier").ToList()), m => m.Count > 0, "the earlier mail");
        var url = new Uri(earlier[0].Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().PostAsync(url.AbsolutePath, null)).StatusCode);

        var sent = await Api.PostAsJsonAsync("/api/v1/announcements", new { subject = "Autumn news", body = "Hello", segment = new { kind = "Group", groupId = group } });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(keen.Email).Where(m => m.Subject == "Autumn news").ToList()), m => m.Count == 1, "the mail to the keen one");
        await using var scope = App.Scope(workspace);
        var check = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Only the keen affiliate's mail was ever enqueued: the others were decided against before the outbox.
        Assert.Equal(1, await check.OutboxMessages.CountAsync(m => m.IdempotencyKey.StartsWith($"email:Announcement:{id:N}")));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(off.Email), m => m.Subject == "Autumn news");
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(gone.Email), m => m.Subject == "Autumn news");
        Assert.Equal(3, await check.AnnouncementRecipients.CountAsync(r => r.AnnouncementId == id)); // all three see it in the portal

        // The unsubscribe shows as every preference off; choosing again lifts it.
        var prefs = scope.ServiceProvider.GetRequiredService<NotificationPreferenceService>();
        Assert.Equal(new NotificationChoice(false, false, false), await prefs.GetAsync(gone.Id, gone.Email, default));
        await prefs.SetAsync(gone.Id, gone.Email, new NotificationChoice(true, false, true), default);
        Assert.Equal(new NotificationChoice(true, false, true), await prefs.GetAsync(gone.Id, gone.Email, default));
    }

    [Theory]
    [InlineData("""{"subject":"","body":"x"}""", "subject")]
    [InlineData("""{"subject":"x","body":""}""", "body")]
    [InlineData("""{"subject":"x","body":"y","segment":{"kind":"TopPerformers","top":0,"days":30}}""", "segment.top")]
    [InlineData("""{"subject":"x","body":"y","segment":{"kind":"Inactive"}}""", "segment.days")]
    public async Task ABadAnnouncementIsRefusedWith400NamingTheFieldAndNothingIsSent(string body, string field)
    {
        var before = await AnnouncementCountAsync();
        var response = await Api.PostAsync("/api/v1/announcements", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await AnnouncementCountAsync());
    }

    [Fact]
    public void MarkdownLiteEscapesHtmlAndLinksOnlyHttp()
    {
        var html = MarkdownLite.ToHtml("<script>alert(1)</script> **big** [shop](https://shop.example/a?b=1&c=2) [bad](javascript:alert(1))\n\nnext");
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>big</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://shop.example/a?b=1&amp;c=2\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.Ordinal);
        Assert.Contains("</p><p>next</p>", html, StringComparison.Ordinal);
    }

    private async Task<int> AnnouncementCountAsync()
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Announcements.IgnoreQueryFilters().CountAsync();
    }

    private async Task<Guid> GroupAsync()
    {
        var created = await Api.PostAsJsonAsync("/api/v1/groups", new { name = $"Group {Guid.NewGuid():N}", rules = new[] { new { scope = "all", kind = "Percent", value = 0.1 } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(Guid Id, string Email)> AffiliateAsync(string name, bool approve, Guid? group)
    {
        var email = $"seg.{Guid.NewGuid():N}@example.com";
        var created = await Api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, groupId = group });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        if (approve) Assert.Equal(HttpStatusCode.OK, (await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { })).StatusCode);
        return (id, email);
    }
}

public sealed class AnnouncementsOnSqlite(SqliteOutboxFixture fixture) : AnnouncementTests(fixture), IClassFixture<SqliteOutboxFixture>;

public sealed class AnnouncementsOnPostgres(PostgresOutboxFixture fixture) : AnnouncementTests(fixture), IClassFixture<PostgresOutboxFixture>;
