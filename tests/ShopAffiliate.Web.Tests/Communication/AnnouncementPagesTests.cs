using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Portal;

namespace ShopAffiliate.Web.Tests.Communication;

/// <summary>
/// The admin's announcements page over HTTP with real forms (antiforgery, the roles filter): the preview that changes
/// nothing, sending to a segment (recipients, mail, audit), the Analyst held to reading, and bad input at its field.
/// </summary>
public abstract class AnnouncementPagesTests(PortalApp fixture)
{
    private TestApp App => fixture.App;

    private async Task<Guid> GroupAsync()
    {
        var created = await App.ApiClient().PostAsJsonAsync("/api/v1/groups", new { name = $"Group {Guid.NewGuid():N}"[..14], rules = new[] { new { scope = "all", kind = "Percent", value = 0.1 } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(Guid Id, string Email)> ApprovedAsync(string name, Guid? group)
    {
        var api = App.ApiClient();
        var email = PortalApp.NewEmail(name.ToLowerInvariant());
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, groupId = group });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { })).StatusCode);
        return (id, email);
    }

    private static Dictionary<string, string> Form(Guid ws, Guid group, string subject, string body) => new()
    {
        ["ws"] = ws.ToString(), ["Subject"] = subject, ["Body"] = body, ["Kind"] = "Group", ["GroupId"] = group.ToString(),
        ["Status"] = "Approved", ["Top"] = "10", ["TopDays"] = "30", ["InactiveDays"] = "30",
    };

    private async Task<List<string>> AnnouncementMailAsync(string to) => [.. (await fixture.QueuedMailAsync(to)).Where(k => k == "Announcement")];

    private Task<int> AnnouncementsAsync() => fixture.WithDbAsync(db => db.Announcements.CountAsync());

    [Fact]
    public async Task AnOwnerPreviewsWithoutChangingAnythingThenSendsToAGroupWhichIsMailedAndAudited()
    {
        var ws = (await fixture.WorkspaceAsync()).Id;
        var group = await GroupAsync();
        var member = await ApprovedAsync("Mona", group);
        var outsider = await ApprovedAsync("Otto", null);
        var staff = await fixture.StaffAsync();
        var url = $"/admin/announcements?ws={ws}";
        var token = await Forms.TokenAsync(staff, url);
        var before = await AnnouncementsAsync();

        var preview = await Forms.PostAsync(staff, url + "&handler=Preview", Form(ws, group, "Spring sale", "Up to **30 %** off <script>x</script>"), token);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"recipient-count\"><strong>1 affiliate is", html, StringComparison.Ordinal);
        Assert.Contains("<strong>30 %</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>x</script>", html, StringComparison.Ordinal);
        Assert.Equal(before, await AnnouncementsAsync());
        Assert.Empty(await AnnouncementMailAsync(member.Email));

        var sent = await Forms.PostAsync(staff, url + "&handler=Send", Form(ws, group, "Spring sale", "Up to **30 %** off"), token);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var announcement = await fixture.WithDbAsync(db => db.Announcements.AsNoTracking().SingleAsync(a => a.Subject == "Spring sale"));
        Assert.Equal((1, ShopAffiliate.Core.Communication.SegmentKind.Group, (Guid?)group), (announcement.RecipientCount, announcement.SegmentKind, announcement.SegmentGroupId));
        Assert.Equal([member.Id], await fixture.WithDbAsync(db => db.AnnouncementRecipients.Where(r => r.AnnouncementId == announcement.Id).Select(r => r.AffiliateId).ToListAsync()));
        var audit = await fixture.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "announcement.sent" && e.EntityId == announcement.Id.ToString()));
        Assert.Contains("@", audit.ActorName, StringComparison.Ordinal); // the staff member, not the API or System
        Assert.Equal(["Announcement"], await AnnouncementMailAsync(member.Email));
        Assert.Empty(await AnnouncementMailAsync(outsider.Email));
        var mail = await Mailbox.SingleAsync(fixture.MailFolder, member.Email, "Spring sale");
        Assert.Contains("Up to **30 %** off", mail.Body, StringComparison.Ordinal);

        var list = await staff.GetStringAsync(url);
        Assert.Contains($"data-announcement=\"{announcement.Id}\"", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/announcements?ws=", list, StringComparison.Ordinal); // the navigation entry
    }

    [Fact]
    public async Task AnAnalystReadsTheListButHasNoFormAndAHandPostedSendIsRefusedAndSendsNothing()
    {
        var ws = (await fixture.WorkspaceAsync()).Id;
        var group = await GroupAsync();
        var member = await ApprovedAsync("Anna", group);
        var (analyst, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Analyst));
        var url = $"/admin/announcements?ws={ws}";

        var page = await analyst.GetStringAsync(url);
        Assert.Contains("data-testid=\"sent\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"compose\"", page, StringComparison.Ordinal);
        var token = await Forms.TokenAsync(analyst, "/admin/password");
        var before = await AnnouncementsAsync();
        foreach (var handler in new[] { "Send", "Preview" })
        {
            var posted = await Forms.PostAsync(analyst, $"{url}&handler={handler}", Form(ws, group, "Not allowed", "No"), token);
            Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        }
        Assert.Equal(before, await AnnouncementsAsync());
        Assert.Empty(await AnnouncementMailAsync(member.Email));
    }

    [Fact]
    public async Task BadInputIsShownAtItsFieldInThePagesLanguageWith422AndNothingIsSent()
    {
        var ws = (await fixture.WorkspaceAsync()).Id;
        var group = await GroupAsync();
        await ApprovedAsync("Bea", group);
        var staff = await fixture.StaffAsync();
        var url = $"/admin/announcements?ws={ws}";
        var token = await Forms.TokenAsync(staff, url);
        var before = await AnnouncementsAsync();
        var other = await fixture.OtherProgramAsync($"Other {Guid.NewGuid():N}"[..12]);
        var otherGroup = await fixture.WithDbAsync(async db =>
        {
            var g = new ShopAffiliate.Core.Commissions.CommissionGroup { WorkspaceId = other.Id, Name = "Theirs", RulesJson = "[]" };
            db.CommissionGroups.Add(g);
            await db.SaveChangesAsync();
            return g.Id;
        }, other.Id);

        var cases = new (Dictionary<string, string> Fields, string Message)[]
        {
            (Form(ws, group, " ", "Body"), "Write a subject of 1 to 200 characters."),
            (Form(ws, group, "Subject", new string('x', 10001)), "Write a message of 1 to 10000 characters."),
            (new(Form(ws, group, "Subject", "Body")) { ["Kind"] = "TopPerformers", ["Top"] = "0" }, "The number of top performers must be 1 to 1000."),
            (new(Form(ws, group, "Subject", "Body")) { ["Kind"] = "Inactive", ["InactiveDays"] = "" }, "The number of days must be 1 to 3650."),
            (new(Form(ws, group, "Subject", "Body")) { ["Kind"] = "Group", ["GroupId"] = otherGroup.ToString() }, "Choose a commission group of this program."),
            (new(Form(ws, group, "Subject", "Body")) { ["Kind"] = "Status", ["Status"] = "Rejected" }, "No affiliate is in this segment now: nothing would be sent."),
        };
        foreach (var (fields, message) in cases)
        {
            var response = await Forms.PostAsync(staff, url + "&handler=Send", fields, token);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(message), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await AnnouncementsAsync());

        staff.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var danish = await Forms.PostAsync(staff, url + "&handler=Send", Form(ws, group, "", "Body"), token);
        Assert.Contains("Skriv et emne på 1 til 200 tegn.", System.Net.WebUtility.HtmlDecode(await danish.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAffiliateSeesOnlyWhatWasSentToThemOpeningChangesNothingAndAPostMarksItRead()
    {
        var workspace = await fixture.WorkspaceAsync();
        var group = await GroupAsync();
        var (portal, reader) = await fixture.SignedInAffiliateAsync();
        var (otherPortal, _) = await fixture.SignedInAffiliateAsync();
        await fixture.WithDbAsync(db => db.Affiliates.Where(a => a.Id == reader.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.GroupId, group)));
        var staff = await fixture.StaffAsync();
        var url = $"/admin/announcements?ws={workspace.Id}";
        var subject = $"Autumn collection {Guid.NewGuid():N}"[..26];
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(staff, url, Form(workspace.Id, group, subject, "New **wool** banners"), url + "&handler=Send")).StatusCode);
        var id = await fixture.WithDbAsync(db => db.Announcements.Where(a => a.Subject == subject).Select(a => a.Id).SingleAsync());
        var page = $"/portal/p/{workspace.Slug}/announcements";
        Task<DateTime?> ReadAtAsync() => fixture.WithDbAsync(db => db.AnnouncementRecipients.Where(r => r.AnnouncementId == id && r.AffiliateId == reader.Id).Select(r => r.ReadAt).SingleAsync());

        for (var i = 0; i < 2; i++)
        {
            var html = await portal.GetStringAsync(page);
            Assert.Contains($"data-announcement=\"{id}\" data-read=\"false\"", html, StringComparison.Ordinal);
            Assert.Contains("<strong>wool</strong>", html, StringComparison.Ordinal);
        }
        Assert.Null(await ReadAtAsync()); // two GETs later: still unread
        var dashboard = await portal.GetStringAsync($"/portal/p/{workspace.Slug}");
        Assert.Contains("data-testid=\"unread-announcements\"", dashboard, StringComparison.Ordinal);
        Assert.Contains(subject, dashboard, StringComparison.Ordinal);

        // Not in the segment: not shown, and the id of another's announcement is not found and marks nothing.
        var others = await otherPortal.GetStringAsync(page);
        Assert.DoesNotContain(subject, others, StringComparison.Ordinal);
        Assert.DoesNotContain(subject, await otherPortal.GetStringAsync($"/portal/p/{workspace.Slug}"), StringComparison.Ordinal);
        var foreign = await Forms.SubmitAsync(otherPortal, page, new Dictionary<string, string> { ["announcementId"] = id.ToString() }, page + "?handler=read");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null(await ReadAtAsync());

        var read = await Forms.SubmitAsync(portal, page, new Dictionary<string, string> { ["announcementId"] = id.ToString() }, page + "?handler=read");
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        Assert.NotNull(await ReadAtAsync());
        Assert.Contains($"data-announcement=\"{id}\" data-read=\"true\"", await portal.GetStringAsync(page), StringComparison.Ordinal);
        Assert.DoesNotContain(subject, await portal.GetStringAsync($"/portal/p/{workspace.Slug}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreferencesPageAndTheUnsubscribeLinkFlipTheSameChoiceAndTheMailerHonoursIt()
    {
        var workspace = await fixture.WorkspaceAsync();
        var (portal, me) = await fixture.SignedInAffiliateAsync();
        var page = $"/portal/p/{workspace.Slug}/notifications";
        async Task<bool> MailableAsync(ShopAffiliate.Core.Email.EmailKind kind, string key)
        {
            await using var scope = App.Scope(workspace.Id);
            var db = scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Data.AppDbContext>();
            var queued = await scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Email.Mailer>().EnqueueAsync(db, new ShopAffiliate.Core.Email.MailRequest(
                workspace.Id, kind, me.Email, me.Name, key, new Dictionary<string, string> { ["month"] = "November 2026", ["amount"] = "10,00 kr.", ["portalUrl"] = "x", ["orderNumber"] = "#1" }), default);
            await db.SaveChangesAsync();
            return queued;
        }
        int Checked(string html) => System.Text.RegularExpressions.Regex.Matches(html, "type=\"checkbox\" name=\"(\\w+)\" value=\"true\" checked").Count;

        Assert.Equal(3, Checked(await portal.GetStringAsync(page))); // no choice yet: everything on
        var saved = await Forms.SubmitAsync(portal, page, new Dictionary<string, string> { ["MonthlyStatement"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var prefs = await fixture.WithDbAsync(db => db.NotificationPreferences.AsNoTracking().SingleAsync(p => p.AffiliateId == me.Id));
        Assert.Equal((false, false, true), (prefs.Announcements, prefs.CommissionEarned, prefs.MonthlyStatement));
        Assert.Equal(1, Checked(await portal.GetStringAsync(page)));
        Assert.False(await MailableAsync(ShopAffiliate.Core.Email.EmailKind.CommissionEarned, $"c-{Guid.NewGuid():N}"));
        Assert.False(await MailableAsync(ShopAffiliate.Core.Email.EmailKind.Announcement, $"a-{Guid.NewGuid():N}"));
        Assert.True(await MailableAsync(ShopAffiliate.Core.Email.EmailKind.MonthlyStatement, "2026-11"));

        // The statement's one-click unsubscribe: the page then shows everything off, and the mailer sends none of it.
        var statement = await Mailbox.SingleAsync(fixture.MailFolder, me.Email, "November 2026");
        var unsubscribe = new Uri(statement.Message.Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().PostAsync(unsubscribe.AbsolutePath, null)).StatusCode);
        var off = await portal.GetStringAsync(page);
        Assert.Contains("data-testid=\"unsubscribed\"", off, StringComparison.Ordinal);
        Assert.Equal(0, Checked(off));
        Assert.False(await MailableAsync(ShopAffiliate.Core.Email.EmailKind.MonthlyStatement, "2026-12"));

        // Choosing again lifts the unsubscribe.
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(portal, page, new Dictionary<string, string> { ["Announcements"] = "true" })).StatusCode);
        var on = await portal.GetStringAsync(page);
        Assert.DoesNotContain("data-testid=\"unsubscribed\"", on, StringComparison.Ordinal);
        Assert.Equal(1, Checked(on));
        Assert.True(await MailableAsync(ShopAffiliate.Core.Email.EmailKind.Announcement, $"a-{Guid.NewGuid():N}"));
        Assert.False(await MailableAsync(ShopAffiliate.Core.Email.EmailKind.MonthlyStatement, "2027-01"));
    }
}

public sealed class AnnouncementPagesOnSqlite(PortalAppOnSqlite fixture) : AnnouncementPagesTests(fixture), IClassFixture<PortalAppOnSqlite>;

public sealed class AnnouncementPagesOnPostgres(PortalAppOnPostgres fixture) : AnnouncementPagesTests(fixture), IClassFixture<PortalAppOnPostgres>;
