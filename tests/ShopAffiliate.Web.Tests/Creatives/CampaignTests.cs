using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Isolation;

namespace ShopAffiliate.Web.Tests.Creatives;

/// <summary>
/// Campaigns through <c>/api/v1/campaigns</c> and <c>/admin/campaigns</c> (A's key and owner), and what A's affiliate
/// sees of them in <c>/portal/p/{slug}/materials</c>; B is the other program, whose ids must change nothing.
/// </summary>
public abstract class CampaignTests(TwoPrograms fixture)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..6];

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private HttpClient Api => fixture.App.ApiClient(fixture.A.ApiKey);

    private async Task<Guid> CreativeAsync(string name, bool publish, string kind = "TextLink")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(kind), "kind" }, { new StringContent(name), "name" }, { new StringContent(name + " headline"), "headline" },
        };
        if (kind == "Banner") form.Add(new ByteArrayContent(TestImages.Png(300, 100)), "file", "banner.png");
        var created = await Api.PostAsync("/api/v1/creatives", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        if (publish) Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/api/v1/creatives/{id}/publish", null)).StatusCode);
        return id;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string says)
    {
        var problem = await JsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACampaignIsCreatedFilledAndChangedThroughTheApiAndBadInputIsAProblem()
    {
        var name = "Summer sale " + Unique();
        await ProblemAsync(await Api.PostAsJsonAsync("/api/v1/campaigns", new { name, startsOn = Today.AddDays(5), endsOn = Today }), HttpStatusCode.BadRequest, "ends before it starts");
        await ProblemAsync(await Api.PostAsJsonAsync("/api/v1/campaigns", new { name, segment = new { kind = "Group", groupId = fixture.B.Group } }), HttpStatusCode.BadRequest, "No commission group");
        await ProblemAsync(await Api.PostAsJsonAsync("/api/v1/campaigns", new { name, segment = new { kind = "All", top = 5 } }), HttpStatusCode.BadRequest, "top belongs");
        await ProblemAsync(await Api.PostAsJsonAsync("/api/v1/campaigns", new { name = " " }), HttpStatusCode.BadRequest, "Give the campaign a name");

        var created = await JsonAsync(await Api.PostAsJsonAsync("/api/v1/campaigns",
            new { name, startsOn = Today.AddDays(3), endsOn = Today.AddDays(30), segment = new { kind = "Group", groupId = fixture.A.Group } }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("Scheduled", created.GetProperty("status").GetString());
        await ProblemAsync(await Api.PostAsJsonAsync("/api/v1/campaigns", new { name = name.ToUpperInvariant() }), HttpStatusCode.Conflict, "already has a campaign");

        // Another program's creative, coupon and campaign are not found, and nothing of theirs changes.
        await ProblemAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{id}/creatives", new { creativeIds = new[] { fixture.B.Creative } }), HttpStatusCode.NotFound, "No creative");
        await ProblemAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{id}/coupons", new { couponIds = new[] { fixture.B.Coupon } }), HttpStatusCode.NotFound, "No coupon");
        var theirs = fixture.B.Campaign;
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/v1/campaigns/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PutAsJsonAsync($"/api/v1/campaigns/{theirs}", new { name = "Taken over" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsJsonAsync($"/api/v1/campaigns/{theirs}/announce", new { subject = "x", body = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.DeleteAsync($"/api/v1/campaigns/{theirs}/creatives/{fixture.B.Creative}")).StatusCode);
        Assert.Equal(fixture.B.Campaign, await fixture.WithDbAsync(fixture.B.Workspace, db => db.Creatives.Where(c => c.Id == fixture.B.Creative).Select(c => c.CampaignId).SingleAsync()));
        Assert.Equal(fixture.B.Campaign, await fixture.WithDbAsync(fixture.B.Workspace, db => db.Coupons.Where(c => c.Id == fixture.B.Coupon).Select(c => c.CampaignId).SingleAsync()));

        var creative = await CreativeAsync("Campaign text " + Unique(), publish: false);
        var filled = await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{id}/creatives", new { creativeIds = new[] { creative } }), HttpStatusCode.OK);
        Assert.Equal([creative], filled.GetProperty("creativeIds").EnumerateArray().Select(e => e.GetGuid()));
        filled = await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{id}/coupons", new { couponIds = new[] { fixture.A.Coupon } }), HttpStatusCode.OK);
        Assert.Equal([fixture.A.Coupon], filled.GetProperty("couponIds").EnumerateArray().Select(e => e.GetGuid()));

        // The creatives' API names the campaign, and a name given there finds (any case) or starts a campaign.
        var read = await JsonAsync(await Api.GetAsync($"/api/v1/creatives/{creative}"), HttpStatusCode.OK);
        Assert.Equal(name, read.GetProperty("campaign").GetString());
        Assert.Equal(id, read.GetProperty("campaignId").GetGuid());
        var listed = await JsonAsync(await Api.GetAsync($"/api/v1/creatives?campaign={Uri.EscapeDataString(name.ToUpperInvariant())}"), HttpStatusCode.OK);
        Assert.Equal([creative], listed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        var autumn = "Autumn " + Unique();
        var moved = await JsonAsync(await Api.PatchAsJsonAsync($"/api/v1/creatives/{creative}", new { campaign = autumn }), HttpStatusCode.OK);
        var autumnId = moved.GetProperty("campaignId").GetGuid();
        Assert.NotEqual(id, autumnId);
        var again = await JsonAsync(await Api.PatchAsJsonAsync($"/api/v1/creatives/{creative}", new { campaign = autumn.ToLowerInvariant() }), HttpStatusCode.OK);
        Assert.Equal(autumnId, again.GetProperty("campaignId").GetGuid());
        var cleared = await JsonAsync(await Api.PatchAsJsonAsync($"/api/v1/creatives/{creative}", new { campaign = "" }), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("campaignId").ValueKind);

        var updated = await JsonAsync(await Api.PutAsJsonAsync($"/api/v1/campaigns/{id}", new { name, startsOn = Today.AddDays(-40), endsOn = Today.AddDays(-10) }), HttpStatusCode.OK);
        Assert.Equal("Ended", updated.GetProperty("status").GetString());
        Assert.Equal("All", updated.GetProperty("segment").GetProperty("kind").GetString());
        await ProblemAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{id}/announce", new { subject = "Too late", body = "It is over." }), HttpStatusCode.Conflict, "has ended");
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/campaigns/{id}/coupons/{fixture.A.Coupon}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.DeleteAsync($"/api/v1/campaigns/{id}/coupons/{fixture.A.Coupon}")).StatusCode);

        var actions = await fixture.WithDbAsync(fixture.A.Workspace, db => db.AuditEntries
            .Where(e => e.EntityId == id.ToString() || e.EntityId == creative.ToString() || e.EntityId == fixture.A.Coupon.ToString())
            .Select(e => e.Action).ToListAsync());
        foreach (var action in new[] { "campaign.created", "campaign.updated", "campaign.creative-attached", "campaign.coupon-attached", "campaign.coupon-detached" })
            Assert.Contains(action, actions);
        Assert.Equal(1, await fixture.WithDbAsync(fixture.A.Workspace, db => db.AuditEntries.CountAsync(e => e.Action == "campaign.created" && e.EntityId == autumnId.ToString())));
        // Put the fixture's coupon back where the seed put it.
        await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{fixture.A.Campaign}/coupons", new { couponIds = new[] { fixture.A.Coupon } }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheOwnerCreatesACampaignInTheAdminSeesItsStatusAndAttachesMaterialsAndCoupons()
    {
        var a = fixture.A;
        var url = $"/admin/campaigns?ws={a.Workspace}";
        var name = "Black Friday " + Unique();
        var refused = await Forms.SubmitAsync(fixture.AStaff, url, new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.StartsOn"] = Today.AddDays(2).ToString("yyyy-MM-dd"), ["Form.EndsOn"] = Today.ToString("yyyy-MM-dd"), ["Form.Visibility"] = "all",
        }, url + "&handler=Create");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("ends before it starts", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var created = await Forms.SubmitAsync(fixture.AStaff, url, new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.StartsOn"] = Today.AddDays(-1).ToString("yyyy-MM-dd"), ["Form.EndsOn"] = Today.AddDays(20).ToString("yyyy-MM-dd"),
            ["Form.Visibility"] = $"group:{a.Group}",
        }, url + "&handler=Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = await fixture.WithDbAsync(a.Workspace, db => db.Campaigns.Where(c => c.Name == name).Select(c => c.Id).SingleAsync());
        Assert.EndsWith($"/admin/campaigns/{id}?ws={a.Workspace}", created.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);

        var list = await (await fixture.AStaff.GetAsync(url)).Content.ReadAsStringAsync();
        var row = list[list.IndexOf($"data-name=\"{name}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("<span class=\"badge success\">Running</span>", row, StringComparison.Ordinal);

        var detail = $"/admin/campaigns/{id}?ws={a.Workspace}";
        var creative = await CreativeAsync("Admin campaign text " + Unique(), publish: true);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(fixture.AStaff, detail, new Dictionary<string, string> { ["creativeIds"] = creative.ToString() }, detail + "&handler=AttachCreatives")).StatusCode);
        Assert.Equal(id, await fixture.WithDbAsync(a.Workspace, db => db.Creatives.Where(c => c.Id == creative).Select(c => c.CampaignId).SingleAsync()));
        // B's creative in A's form is not found and stays where it was.
        Assert.Equal(HttpStatusCode.NotFound, (await Forms.SubmitAsync(fixture.AStaff, detail, new Dictionary<string, string> { ["creativeIds"] = fixture.B.Creative.ToString() }, detail + "&handler=AttachCreatives")).StatusCode);
        Assert.Equal(fixture.B.Campaign, await fixture.WithDbAsync(fixture.B.Workspace, db => db.Creatives.Where(c => c.Id == fixture.B.Creative).Select(c => c.CampaignId).SingleAsync()));
        var code = await fixture.WithDbAsync(a.Workspace, db => db.Coupons.Where(c => c.Id == a.Coupon).Select(c => c.Code).SingleAsync());
        var bCode = await fixture.WithDbAsync(fixture.B.Workspace, db => db.Coupons.Where(c => c.Id == fixture.B.Coupon).Select(c => c.Code).SingleAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Forms.SubmitAsync(fixture.AStaff, detail, new Dictionary<string, string> { ["couponCodes"] = bCode }, detail + "&handler=AttachCoupons")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(fixture.AStaff, detail, new Dictionary<string, string> { ["couponCodes"] = code.ToLowerInvariant() }, detail + "&handler=AttachCoupons")).StatusCode);

        var page = await (await fixture.AStaff.GetAsync(detail)).Content.ReadAsStringAsync();
        Assert.Contains($"data-testid=\"campaign-coupon\" data-code=\"{code}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"campaign-creative\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.AStaff.GetAsync($"/admin/campaigns/{fixture.B.Campaign}?ws={a.Workspace}")).StatusCode);
        await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{a.Campaign}/coupons", new { couponIds = new[] { a.Coupon } }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLibraryOffersCreativesOfRunningCampaignsTheAffiliateSeesListsTheirCouponsAndHidesTheRest()
    {
        var a = fixture.A;
        var u = Unique();
        var otherGroup = (await JsonAsync(await Api.PostAsJsonAsync("/api/v1/groups",
            new { name = $"VIP {u}", rules = new[] { new { scope = "all", kind = "Percent", value = 0.2 } } }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        async Task<Guid> CampaignAsync(string name, DateOnly? starts, DateOnly? ends, object segment) =>
            (await JsonAsync(await Api.PostAsJsonAsync("/api/v1/campaigns", new { name, startsOn = starts, endsOn = ends, segment }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var mine = await CampaignAsync($"Theirs to see {u}", Today.AddDays(-2), Today.AddDays(10), new { kind = "Group", groupId = Guid.Empty });
        var vip = await CampaignAsync($"VIP only {u}", Today.AddDays(-2), Today.AddDays(10), new { kind = "Group", groupId = otherGroup });
        var ended = await CampaignAsync($"Ended {u}", Today.AddDays(-30), Today.AddDays(-3), new { kind = "All" });
        var later = await CampaignAsync($"Later {u}", Today.AddDays(7), null, new { kind = "All" });

        var inMine = await CreativeAsync($"In mine {u}", publish: true);
        var draftInMine = await CreativeAsync($"Draft in mine {u}", publish: false);
        var inVip = await CreativeAsync($"In VIP {u}", publish: true, kind: "Banner");
        var inEnded = await CreativeAsync($"In ended {u}", publish: true);
        var inLater = await CreativeAsync($"In later {u}", publish: true);
        var free = await CreativeAsync($"No campaign {u}", publish: true);
        foreach (var (campaign, creatives) in new[] { (mine, new[] { inMine, draftInMine }), (vip, [inVip]), (ended, [inEnded]), (later, [inLater]) })
            await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/creatives", new { creativeIds = creatives }), HttpStatusCode.OK);
        await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{mine}/coupons", new { couponIds = new[] { a.Coupon } }), HttpStatusCode.OK);
        var code = await fixture.WithDbAsync(a.Workspace, db => db.Coupons.Where(c => c.Id == a.Coupon).Select(c => c.Code).SingleAsync());
        try
        {
            var page = $"/portal/p/{a.Slug}/materials";
            var html = WebUtility.HtmlDecode(await (await fixture.AAffiliate.GetAsync(page)).Content.ReadAsStringAsync());
            Assert.Contains($"id=\"creative-{inMine}\"", html, StringComparison.Ordinal);
            Assert.Contains($"id=\"creative-{free}\"", html, StringComparison.Ordinal);
            foreach (var hidden in new[] { draftInMine, inVip, inEnded, inLater })
                Assert.DoesNotContain(hidden.ToString(), html, StringComparison.Ordinal);
            var campaigns = html[html.IndexOf("data-testid=\"campaigns\"", StringComparison.Ordinal)..];
            campaigns = campaigns[..campaigns.IndexOf("</section>", StringComparison.Ordinal)];
            Assert.Contains($"data-name=\"Theirs to see {u}\"", campaigns, StringComparison.Ordinal);
            Assert.Contains($"<code>{code}</code>", campaigns, StringComparison.Ordinal);
            Assert.DoesNotContain($"VIP only {u}", html, StringComparison.Ordinal);
            Assert.DoesNotContain($"Ended {u}", html, StringComparison.Ordinal);

            // The campaign filter keeps that campaign's creatives only; a campaign the affiliate does not see shows nothing.
            var filtered = await (await fixture.AAffiliate.GetAsync($"{page}?campaign={mine}")).Content.ReadAsStringAsync();
            Assert.Contains($"id=\"creative-{inMine}\"", filtered, StringComparison.Ordinal);
            Assert.DoesNotContain($"id=\"creative-{free}\"", filtered, StringComparison.Ordinal);
            Assert.DoesNotContain($"id=\"creative-", await (await fixture.AAffiliate.GetAsync($"{page}?campaign={vip}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Hidden creatives are not reachable by id either: no link, no download.
            var vipFile = await fixture.WithDbAsync(a.Workspace, db => db.CreativeFiles.Where(f => f.CreativeId == inVip).Select(f => f.Id).SingleAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.AAffiliate.GetAsync($"{page}?handler=download&file={vipFile}")).StatusCode);
            foreach (var hidden in new[] { inVip, inEnded, draftInMine })
                Assert.Equal(HttpStatusCode.NotFound, (await Forms.SubmitAsync(fixture.AAffiliate, page, new Dictionary<string, string>(), $"{page}?handler=link&creative={hidden}")).StatusCode);

            // Moved into the VIP group, the affiliate sees the VIP campaign and no longer the default group's.
            await JsonAsync(await Api.PatchAsJsonAsync($"/api/v1/affiliates/{a.Affiliate}", new { groupId = otherGroup }), HttpStatusCode.OK);
            var moved = await (await fixture.AAffiliate.GetAsync(page)).Content.ReadAsStringAsync();
            Assert.Contains($"id=\"creative-{inVip}\"", moved, StringComparison.Ordinal);
            Assert.DoesNotContain($"id=\"creative-{inMine}\"", moved, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await fixture.AAffiliate.GetAsync($"{page}?handler=download&file={vipFile}")).StatusCode);
        }
        finally
        {
            await JsonAsync(await Api.PatchAsJsonAsync($"/api/v1/affiliates/{a.Affiliate}", new { groupId = a.Group }), HttpStatusCode.OK);
            await JsonAsync(await Api.PostAsJsonAsync($"/api/v1/campaigns/{a.Campaign}/coupons", new { couponIds = new[] { a.Coupon } }), HttpStatusCode.OK);
            // Out of the way of the other tests of the class: the campaigns end.
            foreach (var (id, name) in new[] { (mine, $"Theirs to see {u}"), (vip, $"VIP only {u}"), (later, $"Later {u}") })
                await JsonAsync(await Api.PutAsJsonAsync($"/api/v1/campaigns/{id}", new { name, startsOn = Today.AddDays(-30), endsOn = Today.AddDays(-3) }), HttpStatusCode.OK);
        }
    }
}

public sealed class CampaignOnSqlite(TwoProgramsOnSqlite fixture) : CampaignTests(fixture), IClassFixture<TwoProgramsOnSqlite>;

public sealed class CampaignOnPostgres(TwoProgramsOnPostgres fixture) : CampaignTests(fixture), IClassFixture<TwoProgramsOnPostgres>;
