using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Orders;
using ShopAffiliate.Web.Tests.Portal;

namespace ShopAffiliate.Web.Tests.Disputes;

/// <summary>
/// The claim pages of the portal and the admin, and the message thread between an affiliate and staff, over HTTP with
/// real forms (antiforgery and all), on a Danish program (15 %, 25 % moms in prices).
/// </summary>
public abstract class DisputeAndMessagePagesTests(PortalApp fixture)
{
    private TestApp App => fixture.App;

    private Task OpenAsync() => fixture.SetPageAsync(p => (p.AcceptingApplications, p.AutoApprove, p.QuestionsJson) = (true, ShopAffiliate.Core.Affiliates.AutoApproveRule.Never, "[]"));

    /// <summary>An order that came without any referral: the kind an affiliate claims.</summary>
    private async Task<(string Number, Guid OrderId)> UnattributedOrderAsync()
    {
        var (s, shop) = await OrderAssignmentTests.DanishProgramAsync(App);
        var id = $"{Guid.NewGuid():N}"[..10];
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(o => o.ApplyOrderAsync(OrderAssignmentTests.DanishOrder(shop, id, DateTime.UtcNow.AddDays(-2), []), default));
        return ("#" + id, await fixture.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == id).Select(o => o.Id).SingleAsync()));
    }

    private async Task<HttpResponseMessage> ClaimAsync(HttpClient portal, string slug, string number, string note = "My reader bought through my link") =>
        await Forms.SubmitAsync(portal, $"/portal/p/{slug}/disputes", new Dictionary<string, string>
        {
            ["OrderNumber"] = number, ["OrderDate"] = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"), ["Note"] = note,
        });

    private static Guid IdFrom(HttpResponseMessage response) => Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());

    private Task<List<EmailPayload>> QueuedAsync(EmailKind kind, string to) => fixture.WithDbAsync(async db =>
        (await db.OutboxMessages.Where(m => m.Topic == kind.ToString() && m.Recipient == to).Select(m => m.Payload).ToListAsync())
        .Select(json => JsonSerializer.Deserialize<EmailPayload>(json, JsonSerializerOptions.Web)!).ToList());

    [Fact]
    public async Task AnAffiliateClaimsAnUnattributedOrderInThePortalAndStaffAcceptItInTheAdminToTheOere()
    {
        await OpenAsync();
        var (number, orderId) = await UnattributedOrderAsync();
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var workspace = await fixture.WorkspaceAsync();

        var claimed = await ClaimAsync(portal, workspace.Slug, number);
        Assert.Equal(HttpStatusCode.Redirect, claimed.StatusCode);
        var id = IdFrom(claimed);
        Assert.Contains(number, await portal.GetStringAsync($"/portal/p/{workspace.Slug}/disputes"), StringComparison.Ordinal);

        var staff = await fixture.StaffAsync();
        var list = await staff.GetStringAsync($"/admin/disputes?ws={workspace.Id}");
        Assert.Contains($"/admin/disputes/{id}", list, StringComparison.Ordinal);
        Assert.Contains($"/admin/disputes?status=Open", await staff.GetStringAsync($"/admin?ws={workspace.Id}"), StringComparison.Ordinal);
        var detailUrl = $"/admin/disputes/{id}?ws={workspace.Id}";
        var detail = await staff.GetStringAsync(detailUrl);
        Assert.Contains($"data-order=\"{orderId}\"", detail, StringComparison.Ordinal);
        Assert.Contains("No affiliate", detail, StringComparison.Ordinal); // the engine's explanation of the order as it stands
        // In Danish for a Danish reader, from the order's stored parts (ADR 0051).
        using (var inDanish = new HttpRequestMessage(HttpMethod.Get, detailUrl))
        {
            inDanish.Headers.AcceptLanguage.ParseAdd("da");
            var danish = WebUtility.HtmlDecode(await (await staff.SendAsync(inDanish)).Content.ReadAsStringAsync());
            Assert.Contains("<p class=\"hint\" data-testid=\"explanation\">Ingen affiliate: ingen rabatkode, henvisning eller livstidskunde passede.</p>",
                danish, StringComparison.Ordinal);
        }

        var accepted = await Forms.SubmitAsync(staff, detailUrl, new Dictionary<string, string>
        {
            ["ws"] = workspace.Id.ToString(), ["orderId"] = orderId.ToString(), ["reason"] = "The reader confirmed it",
        }, $"/admin/disputes/{id}?ws={workspace.Id}&handler=Accept");

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var commission = await fixture.WithDbAsync(db => db.Commissions.SingleAsync(c => c.OrderId == orderId));
        // The same order and rate as DisputeApiTests: 15 % of the order's net, to the øre.
        Assert.Equal((affiliate.Id, 59.99m, "DKK"), (commission.AffiliateId, commission.Amount, commission.Currency));
        var dispute = await fixture.WithDbAsync(db => db.Disputes.AsNoTracking().SingleAsync(d => d.Id == id));
        Assert.Equal((DisputeStatus.Accepted, orderId), (dispute.Status, dispute.OrderId));
        var audit = await fixture.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.EntityId == id.ToString() && e.Action == AuditActions.DisputeAccepted));
        Assert.Equal("The reader confirmed it", audit.Reason);
        Assert.Single(await QueuedAsync(EmailKind.DisputeUpdated, affiliate.Email));

        var mine = await portal.GetStringAsync($"/portal/p/{workspace.Slug}/disputes/{id}");
        Assert.Contains("data-testid=\"accepted-hint\"", mine, StringComparison.Ordinal);
        Assert.Contains("The reader confirmed it", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATooLongNoteAndAnUnknownOrderAreRefusedAtTheirFieldsAndChangeNothing()
    {
        await OpenAsync();
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var workspace = await fixture.WorkspaceAsync();

        var tooLong = await ClaimAsync(portal, workspace.Slug, "#9001", new string('x', DisputeService.MaxText + 1));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("field-error", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.WithDbAsync(db => db.Disputes.CountAsync(d => d.AffiliateId == affiliate.Id)));

        var claimed = await ClaimAsync(portal, workspace.Slug, "#9001");
        var id = IdFrom(claimed);
        var staff = await fixture.StaffAsync();
        var url = $"/admin/disputes/{id}?ws={workspace.Id}";
        var unknown = await Forms.SubmitAsync(staff, url, new Dictionary<string, string>
        {
            ["ws"] = workspace.Id.ToString(), ["orderId"] = Guid.NewGuid().ToString(), ["reason"] = "Looks right",
        }, url + "&handler=Accept");
        var noOrder = await Forms.SubmitAsync(staff, url, new Dictionary<string, string> { ["ws"] = workspace.Id.ToString(), ["reason"] = "Looks right" }, url + "&handler=Accept");
        var noReason = await Forms.SubmitAsync(staff, url, new Dictionary<string, string> { ["ws"] = workspace.Id.ToString(), ["reason"] = " " }, url + "&handler=Decline");
        var withoutToken = await staff.PostAsync(url + "&handler=Decline", new FormUrlEncodedContent(new Dictionary<string, string> { ["ws"] = workspace.Id.ToString(), ["reason"] = "No" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, noOrder.StatusCode); // no order with that number reached the shops: told so, nothing booked
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(DisputeStatus.Open, await fixture.WithDbAsync(db => db.Disputes.Where(d => d.Id == id).Select(d => d.Status).SingleAsync()));
    }

    [Fact]
    public async Task AnotherAffiliatesClaimAndThreadAreNotFoundAndAnAnalystCannotDecide()
    {
        await OpenAsync();
        var (mine, _) = await fixture.SignedInAffiliateAsync();
        var (theirs, _) = await fixture.SignedInAffiliateAsync();
        var workspace = await fixture.WorkspaceAsync();
        var id = IdFrom(await ClaimAsync(mine, workspace.Slug, "#4242"));

        Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync($"/portal/p/{workspace.Slug}/disputes/{id}")).StatusCode);
        var token = await Forms.TokenAsync(theirs, $"/portal/p/{workspace.Slug}/disputes");
        var reply = await Forms.PostAsync(theirs, $"/portal/p/{workspace.Slug}/disputes/{id}", new Dictionary<string, string> { ["message"] = "mine now" }, token);
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.DoesNotContain("#4242", await theirs.GetStringAsync($"/portal/p/{workspace.Slug}/disputes"), StringComparison.Ordinal);

        var (analyst, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Analyst));
        var page = await analyst.GetStringAsync($"/admin/disputes/{id}?ws={workspace.Id}");
        Assert.Contains("#4242", page, StringComparison.Ordinal);
        Assert.DoesNotContain("accept-form", page, StringComparison.Ordinal);
        var analystToken = await Forms.TokenAsync(analyst, "/admin/password");
        var decline = await Forms.PostAsync(analyst, $"/admin/disputes/{id}?ws={workspace.Id}&handler=Decline",
            new Dictionary<string, string> { ["ws"] = workspace.Id.ToString(), ["reason"] = "No" }, analystToken);
        Assert.Equal(HttpStatusCode.Forbidden, decline.StatusCode);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.DisputeEntries.CountAsync(e => e.DisputeId == id))); // only the opening entry
    }

    [Fact]
    public async Task AMessageIsMailedToTheOtherSideShownAsPlainTextAndUnreadUntilMarkedRead()
    {
        await OpenAsync();
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var workspace = await fixture.WorkspaceAsync();
        var staff = await fixture.StaffAsync();
        var owners = await fixture.WithDbAsync(db => (from s in db.StaffMembers join u in db.Users on s.UserId equals u.Id
                                                      where s.Role == StaffRole.Owner select u.Email!).ToListAsync());
        var messagesUrl = $"/portal/p/{workspace.Slug}/messages";

        var text = "Hi! <script>alert(1)</script> see https://blog.example.com/post and javascript:alert(2)";
        var sent = await Forms.SubmitAsync(portal, messagesUrl, new Dictionary<string, string> { ["message"] = text });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        var toOwner = Assert.Single(await QueuedAsync(EmailKind.StaffNewMessage, owners[0].ToLowerInvariant()));
        Assert.Contains("https://blog.example.com/post", toOwner.Text, StringComparison.Ordinal);
        Assert.Contains($"/admin/messages/{affiliate.Id}", toOwner.Text, StringComparison.Ordinal);

        var inbox = await staff.GetStringAsync($"/admin/messages?ws={workspace.Id}");
        Assert.Contains("data-testid=\"unread-count\"", inbox, StringComparison.Ordinal);
        var threadUrl = $"/admin/messages/{affiliate.Id}?ws={workspace.Id}";
        var thread = await staff.GetStringAsync(threadUrl);
        Assert.DoesNotContain("<script>alert(1)", thread, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", thread, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://blog.example.com/post\"", thread, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", thread, StringComparison.Ordinal);
        // Opening the thread is a GET: it marks nothing read.
        Assert.Equal(1, await fixture.WithDbAsync(db => db.AffiliateMessages.CountAsync(m => m.AffiliateId == affiliate.Id && m.ReadAt == null)));

        var tooLong = await Forms.SubmitAsync(staff, threadUrl, new Dictionary<string, string> { ["ws"] = workspace.Id.ToString(), ["message"] = new string('x', 4001) },
            threadUrl + "&handler=Send");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var reply = await Forms.SubmitAsync(staff, threadUrl, new Dictionary<string, string> { ["ws"] = workspace.Id.ToString(), ["message"] = "Thanks, we will look at it." },
            threadUrl + "&handler=Send");
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);

        var toAffiliate = Assert.Single(await QueuedAsync(EmailKind.NewMessage, affiliate.Email));
        Assert.Contains("Thanks, we will look at it.", toAffiliate.Text, StringComparison.Ordinal);
        Assert.Contains($"/portal/p/{workspace.Slug}/messages", toAffiliate.Text, StringComparison.Ordinal);
        var rows = await fixture.WithDbAsync(db => db.AffiliateMessages.AsNoTracking().Where(m => m.AffiliateId == affiliate.Id).OrderBy(m => m.At).ToListAsync());
        Assert.Equal([DisputeAuthor.Affiliate, DisputeAuthor.Staff], rows.Select(m => m.Author));
        Assert.NotNull(rows[0].ReadAt); // answering read it
        Assert.Null(rows[1].ReadAt);
        Assert.True(await fixture.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.MessageSent && e.EntityId == rows[1].Id.ToString())));

        var mineUnread = await portal.GetStringAsync(messagesUrl);
        Assert.Contains("data-testid=\"unread\"", mineUnread, StringComparison.Ordinal);
        var read = await Forms.SubmitAsync(portal, messagesUrl, new Dictionary<string, string>(), messagesUrl + "?handler=read");
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        Assert.DoesNotContain("data-testid=\"unread\"", await portal.GetStringAsync(messagesUrl), StringComparison.Ordinal);

        // Another affiliate has a thread of their own and never sees this one.
        var (other, _) = await fixture.SignedInAffiliateAsync();
        Assert.DoesNotContain("Thanks, we will look at it.", await other.GetStringAsync(messagesUrl), StringComparison.Ordinal);
    }
}

public sealed class DisputeAndMessagePagesOnSqlite(PortalAppOnSqlite fixture) : DisputeAndMessagePagesTests(fixture), IClassFixture<PortalAppOnSqlite>;

public sealed class DisputeAndMessagePagesOnPostgres(PortalAppOnPostgres fixture) : DisputeAndMessagePagesTests(fixture), IClassFixture<PortalAppOnPostgres>;
