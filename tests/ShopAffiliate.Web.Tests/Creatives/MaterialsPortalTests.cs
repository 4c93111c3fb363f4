using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Isolation;

namespace ShopAffiliate.Web.Tests.Creatives;

/// <summary>
/// The admin's <c>/admin/creatives</c> (as A's owner) and the affiliate's library <c>/portal/p/{slug}/materials</c> (as A's
/// affiliate), over HTTP; B is the other program.
/// </summary>
public abstract class MaterialsPortalTests(TwoPrograms fixture)
{
    private async Task<(Guid Id, Guid File)> CreativeAsync(ProgramIds program, string name, bool publish, int size)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Banner"), "kind" }, { new StringContent(name), "name" }, { new StringContent("Knits on sale"), "headline" },
            { new ByteArrayContent(TestImages.Png(size, size / 2)), "file", "knits.png" },
        };
        var api = fixture.App.ApiClient(program.ApiKey);
        var created = await api.PostAsync("/api/v1/creatives", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = json.GetProperty("id").GetGuid();
        if (publish) Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/creatives/{id}/publish", null)).StatusCode);
        return (id, json.GetProperty("files")[0].GetProperty("id").GetGuid());
    }

    private async Task<HttpResponseMessage> UploadAsync(string url, string name, string fileName, byte[] bytes)
    {
        var token = await Forms.TokenAsync(fixture.AStaff, url);
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("Banner"), "NewKind" }, { new StringContent(name), "NewName" },
            { new ByteArrayContent(bytes), "NewFiles", fileName },
        };
        return await fixture.AStaff.PostAsync(url + "&handler=Create", form);
    }

    [Fact]
    public async Task TheOwnerUploadsAndPublishesABannerAndSeesItsImpressionsClicksAndCtr()
    {
        var a = fixture.A;
        var url = $"/admin/creatives?ws={a.Workspace}";
        var name = "Admin banner " + Guid.NewGuid().ToString("N")[..6];

        var refused = await UploadAsync(url, name, "banner.png", TestImages.SvgWithScript());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("an SVG drawing", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await fixture.WithDbAsync(a.Workspace, db => db.Creatives.AnyAsync(c => c.Name == name)));

        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(url, name, "banner.png", TestImages.Png(418, 209))).StatusCode);
        var id = await fixture.WithDbAsync(a.Workspace, db => db.Creatives.Where(c => c.Name == name).Select(c => c.Id).SingleAsync());
        var draft = await (await fixture.AStaff.GetAsync(url)).Content.ReadAsStringAsync();
        Assert.Contains($"data-testid=\"creative-row\" data-name=\"{name}\"", draft, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(fixture.AStaff, url, new Dictionary<string, string> { ["id"] = id.ToString() }, url + "&handler=Publish")).StatusCode);
        Assert.Equal("Published", (await fixture.WithDbAsync(a.Workspace, db => db.Creatives.SingleAsync(c => c.Id == id))).Status.ToString());

        // Two views and one click through the embed code: CTR 50 %.
        var referral = await fixture.WithDbAsync(a.Workspace, db => db.Affiliates.Where(x => x.Id == a.Affiliate).Select(x => x.ReferralCode).SingleAsync());
        var link = await fixture.WithDbAsync(a.Workspace, db => db.TrackingLinks.Where(l => l.Id == a.Link).Select(l => l.Code).SingleAsync());
        var visitor = fixture.Bare();
        visitor.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36");
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Found, (await visitor.GetAsync($"/i/{id}/{referral}")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await visitor.GetAsync($"/r/{link}?c={id}")).StatusCode);
        await Eventually.HoldsAsync(() => fixture.WithDbAsync(a.Workspace, async db => (await db.Impressions.CountAsync(x => x.CreativeId == id), await db.Clicks.CountAsync(x => x.CreativeId == id))),
            n => n == (2, 1), "two views and a click");
        await fixture.App.Services.GetRequiredService<ShopAffiliate.Core.Reports.RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(120));

        var page = await (await fixture.AStaff.GetAsync(url)).Content.ReadAsStringAsync();
        var row = page[page.IndexOf($"data-name=\"{name}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("data-testid=\"impressions\">2<", row, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"ctr\">50.0", row, StringComparison.Ordinal);

        // The affiliate sees their own results per creative in the library.
        var portal = WebUtility.HtmlDecode(await (await fixture.AAffiliate.GetAsync($"/portal/p/{a.Slug}/materials")).Content.ReadAsStringAsync());
        var results = portal[portal.IndexOf("data-testid=\"creative-results\"", StringComparison.Ordinal)..];
        results = results[..results.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains($"<td data-label=\"Material\">{name}</td>", results, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\" data-label=\"CTR\">50.0", results, StringComparison.Ordinal);
        var preview = await fixture.AStaff.GetAsync($"{url}&handler=File&file={await fixture.WithDbAsync(a.Workspace, db => db.CreativeFiles.Where(f => f.CreativeId == id).Select(f => f.Id).SingleAsync())}");
        Assert.Equal(TestImages.Png(418, 209), await preview.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.AStaff.GetAsync($"{url}&handler=File&file={fixture.B.CreativeFile}")).StatusCode);
    }

    [Fact]
    public async Task TheAffiliateGetsEmbedCodeWithTheirLinkThePixelAndTheDisclosureAndDownloadsTheOriginal()
    {
        var a = fixture.A;
        var (id, file) = await CreativeAsync(a, "Portal banner " + Guid.NewGuid().ToString("N")[..6], publish: true, size: 412);
        var page = $"/portal/p/{a.Slug}/materials";

        var before = await (await fixture.AAffiliate.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains($"id=\"creative-{id}\"", before, StringComparison.Ordinal);
        var linksBefore = await fixture.WithDbAsync(a.Workspace, db => db.TrackingLinks.CountAsync());

        var got = await Forms.SubmitAsync(fixture.AAffiliate, page, new Dictionary<string, string>(), $"{page}?handler=link&creative={id}");
        Assert.Equal(HttpStatusCode.Redirect, got.StatusCode);
        Assert.Equal(linksBefore + 1, await fixture.WithDbAsync(a.Workspace, db => db.TrackingLinks.CountAsync()));
        var code = await fixture.WithDbAsync(a.Workspace, db => db.TrackingLinks.OrderByDescending(l => l.CreatedAt).Select(l => l.Code).FirstAsync());
        var referral = await fixture.WithDbAsync(a.Workspace, db => db.Affiliates.Where(x => x.Id == a.Affiliate).Select(x => x.ReferralCode).SingleAsync());

        var html = WebUtility.HtmlDecode(await (await fixture.AAffiliate.GetAsync(page)).Content.ReadAsStringAsync());
        Assert.Contains($"<a href=\"https://affiliates.example.com/r/{code}?c={id}\" rel=\"sponsored noopener\"><img src=\"https://affiliates.example.com/i/{id}/{referral}\" width=\"412\" height=\"206\" alt=\"Knits on sale\"></a> <small>Ad</small>", html, StringComparison.Ordinal);
        Assert.Contains($"[![Knits on sale](https://affiliates.example.com/i/{id}/{referral})](https://affiliates.example.com/r/{code}?c={id}) *Ad*", html, StringComparison.Ordinal);

        var download = await fixture.AAffiliate.GetAsync($"{page}?handler=download&file={file}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(TestImages.Png(412, 206), await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("knits.png", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task GuessedIdsDownloadNothingOfADraftOrOfAnotherProgramsCreativeAndShowNeither()
    {
        var a = fixture.A;
        var (draft, draftFile) = await CreativeAsync(a, "A draft " + Guid.NewGuid().ToString("N")[..6], publish: false, size: 414);
        var (theirs, theirFile) = await CreativeAsync(fixture.B, "B published " + Guid.NewGuid().ToString("N")[..6], publish: true, size: 416);
        var page = $"/portal/p/{a.Slug}/materials";

        foreach (var file in (Guid[])[draftFile, theirFile, fixture.B.CreativeFile, Guid.NewGuid()])
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.AAffiliate.GetAsync($"{page}?handler=download&file={file}")).StatusCode);
        var html = await (await fixture.AAffiliate.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(draft.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.ToString(), html, StringComparison.Ordinal);
        // Nor can the affiliate make a link to them.
        foreach (var creative in (Guid[])[draft, theirs])
            Assert.Equal(HttpStatusCode.NotFound, (await Forms.SubmitAsync(fixture.AAffiliate, page, new Dictionary<string, string>(), $"{page}?handler=link&creative={creative}")).StatusCode);
        // B's program page itself is not A's affiliate's.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.AAffiliate.GetAsync($"/portal/p/{fixture.B.Slug}/materials?handler=download&file={theirFile}")).StatusCode);
    }
}

public sealed class MaterialsPortalOnSqlite(TwoProgramsOnSqlite fixture) : MaterialsPortalTests(fixture), IClassFixture<TwoProgramsOnSqlite>;

public sealed class MaterialsPortalOnPostgres(TwoProgramsOnPostgres fixture) : MaterialsPortalTests(fixture), IClassFixture<TwoProgramsOnPostgres>;
