using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Reports;

namespace ShopAffiliate.Web.Tests.Creatives;

/// <summary>Creatives over <c>/api/v1/creatives</c>, their files, the impression pixel and the reports, on each database.</summary>
public abstract class CreativeTests(BootstrappedApp fixture)
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    private TestApp App => fixture.App;

    private sealed record Program(ReportProgram P, ShopId Shop, Guid Affiliate, string Code)
    {
        public HttpClient Api => P.Api;
    }

    private async Task<Program> ProgramAsync()
    {
        var p = await ReportProgram.CreateAsync(App, "UTC");
        var shop = await p.ShopAsync("knits", "DKK");
        var (affiliate, code) = await p.AffiliateAsync("Jane");
        return new Program(p, shop, affiliate, code);
    }

    private static MultipartFormDataContent Form(string kind, string name, params (string FileName, string ContentType, byte[] Bytes)[] files) =>
        Form(new Dictionary<string, string> { ["kind"] = kind, ["name"] = name }, files);

    private static MultipartFormDataContent Form(Dictionary<string, string> fields, params (string FileName, string ContentType, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (key, value) in fields) form.Add(new StringContent(value), key);
        foreach (var (fileName, contentType, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "file", fileName);
        }
        return form;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> BannerAsync(Program p, string name = "Summer banner", byte[]? png = null, bool publish = true)
    {
        var created = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives",
            Form("Banner", name, ("summer.png", "image/png", png ?? TestImages.Png(300, 250)))), HttpStatusCode.Created);
        if (!publish) return created;
        return await JsonAsync(await p.Api.PostAsync($"/api/v1/creatives/{created.GetProperty("id").GetGuid()}/publish", null), HttpStatusCode.OK);
    }

    private HttpClient Visitor(string userAgent = Browser)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    private Task<int> StoredCountAsync(Guid workspaceId) => WithDbAsync(workspaceId, async db =>
        await db.Creatives.CountAsync() + await db.CreativeFiles.CountAsync());

    private async Task<T> WithDbAsync<T>(Guid workspaceId, Func<ShopAffiliate.Core.Data.AppDbContext, Task<T>> use)
    {
        await using var scope = App.Scope(workspaceId);
        return await use(scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Data.AppDbContext>());
    }

    [Fact]
    public async Task PngJpegGifAndWebpAreAcceptedWithTheFormatAndSizeReadFromTheBytesNotTheName()
    {
        var p = await ProgramAsync();
        // Misleading names and declared types: what counts is what the bytes are.
        var created = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives", Form("ProductImages", "Autumn knits",
            ("a.gif", "image/gif", TestImages.Png(300, 250)),
            ("b.txt", "text/plain", TestImages.Jpeg(728, 90)),
            ("c.png", "image/png", TestImages.Gif(120, 60, 3)),
            ("d", "application/octet-stream", TestImages.Webp(160, 600)))), HttpStatusCode.Created);

        var files = created.GetProperty("files").EnumerateArray()
            .Select(f => (f.GetProperty("format").GetString(), f.GetProperty("contentType").GetString(), f.GetProperty("width").GetInt32(),
                f.GetProperty("height").GetInt32(), f.GetProperty("frames").GetInt32(), f.GetProperty("fileName").GetString()))
            .ToList();
        Assert.Equal(
            [("Png", "image/png", 300, 250, 1, "a.png"), ("Jpeg", "image/jpeg", 728, 90, 1, "b.jpg"), ("Gif", "image/gif", 120, 60, 3, "c.gif"), ("Webp", "image/webp", 160, 600, 1, "d.webp")],
            files);
        Assert.Equal("Draft", created.GetProperty("status").GetString());
        Assert.Equal($"https://knits-{p.P.Suffix}.myshopify.com/", created.GetProperty("destination").GetString());
    }

    public static TheoryData<string, string, string, string> Refused() => new()
    {
        { "svg", "banner.svg", "image/svg+xml", "an SVG drawing" },
        { "html", "banner.png", "image/png", "an HTML page" },
        { "truncated", "banner.png", "image/png", "cut short" },
        { "bomb", "banner.png", "image/png", "is 60000 x 60000 pixels" },
        { "frames", "banner.gif", "image/gif", "has 101 frames" },
        { "empty", "banner.png", "image/png", "The file is empty" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task AnUploadThatIsNotACleanImageIsRefusedWithAClearMessageAndNothingIsStored(string kind, string fileName, string contentType, string message)
    {
        var p = await ProgramAsync();
        var bytes = kind switch
        {
            "svg" => TestImages.SvgWithScript(),
            "html" => TestImages.Html(),
            "truncated" => TestImages.TruncatedPng(),
            "bomb" => TestImages.PngBomb(60_000),
            "frames" => TestImages.Gif(2, 2, 101),
            _ => [],
        };
        var folder = App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CreativeOptions>>().Value.Folder;
        var filesBefore = Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0;

        var problem = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives", Form("Banner", "Hostile", (fileName, contentType, bytes))), HttpStatusCode.BadRequest);

        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(0, await StoredCountAsync(p.P.WorkspaceId));
        Assert.Equal(filesBefore, Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0);
    }

    [Fact]
    public async Task ADestinationOffTheProgramsShopsIsRefusedLikeATrackingLinks()
    {
        var p = await ProgramAsync();
        var problem = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives", Form(
            new Dictionary<string, string> { ["kind"] = "TextLink", ["name"] = "Elsewhere", ["destination"] = "https://evil.example/", ["headline"] = "Shop now" })),
            HttpStatusCode.BadRequest);
        Assert.Contains("'evil.example' is neither", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredCountAsync(p.P.WorkspaceId));
    }

    [Fact]
    public async Task APublishedBannersImageIsServedAtItsContentAddressWithNosniffAndImmutableCachingAndADraftsIsNot()
    {
        var p = await ProgramAsync();
        // Of a size no other test uses: equal bytes published by another test would be served (they are public already).
        var png = TestImages.Png(333, 222);
        var draft = await BannerAsync(p, png: png, publish: false);
        var url = new Uri(draft.GetProperty("files")[0].GetProperty("url").GetString()!).AbsolutePath;
        Assert.Equal(HttpStatusCode.NotFound, (await Visitor().GetAsync(url)).StatusCode);

        await JsonAsync(await p.Api.PostAsync($"/api/v1/creatives/{draft.GetProperty("id").GetGuid()}/publish", null), HttpStatusCode.OK);
        var served = await Visitor().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(served.Headers.CacheControl is { Public: true, MaxAge.TotalDays: 365 }, served.Headers.CacheControl?.ToString());
        Assert.Contains("immutable", served.Headers.CacheControl!.Extensions.Select(e => e.Name));
        // The address names the bytes' real type: another extension is not the file.
        Assert.Equal(HttpStatusCode.NotFound, (await Visitor().GetAsync(url.Replace(".png", ".gif"))).StatusCode);
    }

    [Fact]
    public async Task ThePixelCountsEachViewWithoutCachingAndSendsTheBrowserToTheCachedImage()
    {
        var p = await ProgramAsync();
        var banner = await BannerAsync(p);
        var id = banner.GetProperty("id").GetGuid();

        var first = await Visitor().GetAsync($"/i/{id}/{p.Code}");
        var second = await Visitor().GetAsync($"/i/{id}/{p.Code}");
        await Visitor("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").GetAsync($"/i/{id}/{p.Code}");

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal(new Uri(banner.GetProperty("files")[0].GetProperty("url").GetString()!).AbsolutePath, first.Headers.Location?.OriginalString);
        Assert.True(first.Headers.CacheControl?.NoStore, "The pixel's own answer must never be cached, or views go uncounted.");
        Assert.Equal(HttpStatusCode.Found, second.StatusCode);
        var stored = await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Impressions.Where(i => i.CreativeId == id).ToListAsync()),
            rows => rows.Count == 3, "three impressions");
        Assert.All(stored, i => Assert.Equal(p.Affiliate, i.AffiliateId));
        Assert.Equal(1, stored.Count(i => i.IsBot));
    }

    [Fact]
    public async Task ATextLinksPixelIsATransparentGifAndAnArchivedCreativeShowsOneAndCountsNothing()
    {
        var p = await ProgramAsync();
        var text = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives", Form(
            new Dictionary<string, string> { ["kind"] = "TextLink", ["name"] = "Sale text", ["headline"] = "The knit sale", ["tags"] = "Sale, autumn" })),
            HttpStatusCode.Created);
        var id = text.GetProperty("id").GetGuid();
        Assert.Equal(["sale", "autumn"], text.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        await JsonAsync(await p.Api.PostAsync($"/api/v1/creatives/{id}/publish", null), HttpStatusCode.OK);

        var pixel = await Visitor().GetAsync($"/i/{id}/{p.Code}");
        Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        Assert.Equal("image/gif", pixel.Content.Headers.ContentType?.MediaType);
        var bytes = await pixel.Content.ReadAsByteArrayAsync();
        Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
        await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Impressions.CountAsync(i => i.CreativeId == id)), n => n == 1, "one impression");

        await JsonAsync(await p.Api.PostAsync($"/api/v1/creatives/{id}/archive", null), HttpStatusCode.OK);
        var archived = await Visitor().GetAsync($"/i/{id}/{p.Code}");
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        // A later view that is counted proves the writer has passed the archived one: it must not have been stored.
        var other = await BannerAsync(p, "Other");
        await Visitor().GetAsync($"/i/{other.GetProperty("id").GetGuid()}/{p.Code}");
        await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Impressions.CountAsync(i => i.CreativeId == other.GetProperty("id").GetGuid())), n => n == 1, "the later view");
        Assert.Equal(1, await WithDbAsync(p.P.WorkspaceId, db => db.Impressions.CountAsync(i => i.CreativeId == id)));
    }

    [Fact]
    public async Task GuessedIdsShowNothingOfADraftOrOfAnotherProgramsCreative()
    {
        var mine = await ProgramAsync();
        var theirs = await ProgramAsync();
        var theirBanner = await BannerAsync(theirs, "Their banner");
        var theirDraft = await BannerAsync(theirs, "Their draft", TestImages.Png(200, 200), publish: false);
        var myDraft = await BannerAsync(mine, "My draft", TestImages.Png(100, 100), publish: false);

        // My affiliate's code on their creative, and anyone's code on a draft: the same 404 as an id that does not exist.
        foreach (var path in (string[])[
                     $"/i/{theirBanner.GetProperty("id").GetGuid()}/{mine.Code}", $"/i/{myDraft.GetProperty("id").GetGuid()}/{mine.Code}",
                     $"/i/{theirDraft.GetProperty("id").GetGuid()}/{theirs.Code}", $"/i/{Guid.NewGuid()}/{mine.Code}"])
        {
            var response = await Visitor().GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Visitor().GetAsync(new Uri(myDraft.GetProperty("files")[0].GetProperty("url").GetString()!).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.Api.GetAsync($"/api/v1/creatives/{theirBanner.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.Api.PostAsync($"/api/v1/creatives/{theirDraft.GetProperty("id").GetGuid()}/publish", null)).StatusCode);
        Assert.Equal(0, await WithDbAsync(theirs.P.WorkspaceId, db => db.Impressions.CountAsync()));
        Assert.Equal("Draft", (await WithDbAsync(theirs.P.WorkspaceId, db => db.Creatives.SingleAsync(c => c.Name == "Their draft"))).Status.ToString());
    }

    [Fact]
    public async Task AClickThroughAnEmbedCodeRecordsItsCreativeAndTheReportRanksCreativesByImpressionsAndCtr()
    {
        var p = await ProgramAsync();
        var banner = await BannerAsync(p);
        var id = banner.GetProperty("id").GetGuid();
        var stranger = await ProgramAsync();
        var theirs = (await BannerAsync(stranger, "Not yours")).GetProperty("id").GetGuid();
        var link = await JsonAsync(await p.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = p.Affiliate }), HttpStatusCode.Created);
        var code = link.GetProperty("code").GetString();

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Found, (await Visitor().GetAsync($"/i/{id}/{p.Code}")).StatusCode);
        var click = await Visitor().GetAsync($"/r/{code}?c={id}");
        var stray = await Visitor().GetAsync($"/r/{code}?c={theirs}");
        Assert.Equal(HttpStatusCode.Found, click.StatusCode);
        Assert.StartsWith($"https://knits-{p.P.Suffix}.myshopify.com/", click.Headers.Location!.AbsoluteUri);
        Assert.Contains($"ref={p.Code}", click.Headers.Location.Query);

        var clicks = await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Clicks.OrderBy(c => c.At).ToListAsync()), c => c.Count == 2, "two clicks");
        Assert.Equal(id, clicks[0].CreativeId);
        Assert.Null(clicks[1].CreativeId); // another program's creative is not put on this click
        await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Impressions.CountAsync()), n => n == 4, "four impressions");
        await p.P.CaughtUpAsync();

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var top = await p.P.GetJsonAsync($"/api/v1/reports/top?by=creative&metric=ctr&from={today}&to={today}");
        var row = Assert.Single(top.GetProperty("rows").EnumerateArray());
        Assert.Equal(id.ToString(), row.GetProperty("key").GetString());
        Assert.Equal("Summer banner", row.GetProperty("name").GetString());
        Assert.Equal(0.25m, row.GetProperty("value").GetDecimal());
        var impressions = await p.P.GetJsonAsync($"/api/v1/reports/top?by=creative&metric=impressions&from={today}&to={today}");
        Assert.Equal(4m, impressions.GetProperty("rows")[0].GetProperty("value").GetDecimal());
        var summary = await p.P.GetJsonAsync($"/api/v1/reports/summary?from={today}&to={today}");
        Assert.Equal(4, summary.GetProperty("impressions").GetInt64());
        var noOrders = await p.P.GetJsonAsync($"/api/v1/reports/top?by=creative&metric=revenue&from={today}&to={today}");
        var figures = noOrders.GetProperty("rows")[0].GetProperty("figures");
        Assert.Equal(0, figures.GetProperty("orders").GetInt64());
        Assert.Equal("0.00", figures.GetProperty("revenue").GetString());
        Assert.Equal("0.00", figures.GetProperty("epc").GetString());
    }

    /// <summary>
    /// Danish prices with 25 % moms included, 10 % commission. An order through the banner's click: 2 sweaters at 500
    /// incl. moms (net 800, commission 80.00), then one returned (net 400 back). A second order of the same affiliate by
    /// a cart attribute (net 120, commission 12.00) stays the affiliate's but is no creative's.
    /// </summary>
    [Fact]
    public async Task AnOrderThroughABannerClickCreditsItsRevenueAndCommissionToTheCreativeAfterARefundAndARebuildToTheOere()
    {
        var p = await ProgramAsync();
        var id = (await BannerAsync(p)).GetProperty("id").GetGuid();
        var link = await JsonAsync(await p.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = p.Affiliate }), HttpStatusCode.Created);
        var code = link.GetProperty("code").GetString();
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Found, (await Visitor().GetAsync($"/i/{id}/{p.Code}")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await Visitor().GetAsync($"/r/{code}?c={id}")).StatusCode);
        var click = Assert.Single(await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Clicks.ToListAsync()), c => c.Count == 1, "the click"));
        await Eventually.HoldsAsync(() => WithDbAsync(p.P.WorkspaceId, db => db.Impressions.CountAsync()), n => n == 2, "two impressions");

        var at = DateTime.UtcNow;
        var banner = "b" + p.P.Suffix;
        await p.P.OrderAsync(p.Shop, banner, at, p.Code, "DKK", [new("L1", "701", [], 2, 800.00m, 200.00m, Title: "Uldsweater")], taxesIncluded: true,
            touches: [new ReferralTouch(p.Code, click.Id, null, TouchSource.Click)]);
        await p.P.OrderAsync(p.Shop, "c" + p.P.Suffix, at, p.Code, "DKK", [new("L1", "702", [], 1, 120.00m, 30.00m, Title: "Hue")], taxesIncluded: true);
        var order = await WithDbAsync(p.P.WorkspaceId, db => db.Orders.SingleAsync(o => o.ExternalId == banner));
        Assert.Equal((click.Id, click.LinkId, (Guid?)id), (order.ClickId!.Value, order.LinkId, order.CreativeId));
        await p.P.RefundAsync(p.Shop, banner, at, new RefundLine("L1", 1, 500.00m, 100.00m));
        await p.P.CaughtUpAsync();

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        async Task AssertFiguresAsync(string query)
        {
            var top = await p.P.GetJsonAsync($"/api/v1/reports/top?by=creative&metric=revenue&from={today}&to={today}{query}");
            var row = Assert.Single(top.GetProperty("rows").EnumerateArray());
            Assert.Equal(id.ToString(), row.GetProperty("key").GetString());
            Assert.Equal("400.00", row.GetProperty("value").GetString());
            var f = row.GetProperty("figures");
            Assert.Equal((2L, 1L, 1L, 0.5m, 1L, "DKK", "400.00", "40.00", "40.00"), (
                f.GetProperty("impressions").GetInt64(), f.GetProperty("clicks").GetInt64(), f.GetProperty("uniqueClicks").GetInt64(),
                f.GetProperty("ctr").GetDecimal(), f.GetProperty("orders").GetInt64(), f.GetProperty("currency").GetString(),
                f.GetProperty("revenue").GetString(), f.GetProperty("commission").GetString(), f.GetProperty("epc").GetString()));
        }
        await AssertFiguresAsync("");
        await AssertFiguresAsync($"&affiliateId={p.Affiliate}");
        var summary = await p.P.GetJsonAsync($"/api/v1/reports/summary?from={today}&to={today}");
        var dkk = Assert.Single(summary.GetProperty("currencies").EnumerateArray());
        Assert.Equal(("520.00", "52.00", 2L), (dkk.GetProperty("revenue").GetString(), dkk.GetProperty("commission").GetString(), summary.GetProperty("orders").GetInt64()));
        var csv = await p.P.GetCsvAsync($"/api/v1/reports/top?by=creative&metric=commission&from={today}&to={today}&format=csv");
        Assert.Equal([["rank", "creative", "name", "impressions", "clicks", "uniqueClicks", "ctr", "orders", "currency", "revenue", "commission", "epc"],
            ["1", id.ToString(), "Summer banner", "2", "1", "1", "0.5", "1", "DKK", "400.00", "40.00", "40.00"]], csv);

        // A rebuild of the day recomputes the same figures from the orders, their ledger and the raw clicks.
        var rebuilt = await p.Api.PostAsync($"/api/v1/reports/rebuild?day={today}", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        await AssertFiguresAsync("");

        // Another affiliate of the program has no creative rows; another program's affiliate is a 404.
        var (bob, _) = await p.P.AffiliateAsync("Bob");
        Assert.Empty((await p.P.GetJsonAsync($"/api/v1/reports/top?by=creative&metric=revenue&from={today}&to={today}&affiliateId={bob}")).GetProperty("rows").EnumerateArray());
        var stranger = await ProgramAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await p.Api.GetAsync($"/api/v1/reports/top?by=creative&from={today}&to={today}&affiliateId={stranger.Affiliate}")).StatusCode);
    }

    [Fact]
    public async Task ListingFiltersByKindStatusTagAndCampaignAndOnlyDraftsCanBeDeleted()
    {
        var p = await ProgramAsync();
        var banner = await BannerAsync(p);
        var swipe = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives", Form(new Dictionary<string, string>
        {
            ["kind"] = "EmailSwipe", ["name"] = "Newsletter", ["headline"] = "Knits for winter", ["body"] = "Warm up: {link}", ["tags"] = "winter", ["campaign"] = "Winter 2026",
        })), HttpStatusCode.Created);

        async Task<List<string?>> NamesAsync(string query) =>
            (await p.P.GetJsonAsync("/api/v1/creatives?" + query)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Summer banner"], await NamesAsync("kind=Banner"));
        Assert.Equal(["Newsletter"], await NamesAsync("status=Draft"));
        Assert.Equal(["Newsletter"], await NamesAsync("tag=WINTER"));
        Assert.Equal(["Newsletter"], await NamesAsync("campaign=Winter%202026"));
        Assert.Equal(["Summer banner"], await NamesAsync("q=summer"));

        var patched = await JsonAsync(await p.Api.PatchAsJsonAsync($"/api/v1/creatives/{swipe.GetProperty("id").GetGuid()}", new { disclosureText = "Annonce for Knits", campaign = "" }), HttpStatusCode.OK);
        Assert.Equal("Annonce for Knits", patched.GetProperty("disclosureText").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("campaign").ValueKind);

        var published = await p.Api.DeleteAsync($"/api/v1/creatives/{banner.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.Conflict, published.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await p.Api.DeleteAsync($"/api/v1/creatives/{swipe.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(["Summer banner"], await NamesAsync(""));
    }

    [Fact]
    public async Task PublishingNeedsWhatTheKindNeeds()
    {
        var p = await ProgramAsync();
        var empty = await JsonAsync(await p.Api.PostAsync("/api/v1/creatives", Form("Banner", "No image yet")), HttpStatusCode.Created);
        var refused = await JsonAsync(await p.Api.PostAsync($"/api/v1/creatives/{empty.GetProperty("id").GetGuid()}/publish", null), HttpStatusCode.Conflict);
        Assert.Contains("needs an image", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var second = await p.Api.PostAsync($"/api/v1/creatives/{(await BannerAsync(p)).GetProperty("id").GetGuid()}/files",
            Form(new Dictionary<string, string>(), ("b.png", "image/png", TestImages.Png(10, 10))));
        Assert.Contains("one image", (await JsonAsync(second, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothStoresKeepBytesByHashAndForgetThemOnDelete()
    {
        var bytes = TestImages.Png(3, 3);
        var hash = CreativeHashes.Of(bytes);
        foreach (var store in (ICreativeStore[])[App.Services.GetRequiredService<FileSystemCreativeStore>(), App.Services.GetRequiredService<DatabaseCreativeStore>()])
        {
            Assert.Null(await store.ReadAsync(hash, default));
            await store.SaveAsync(hash, bytes, default);
            await store.SaveAsync(hash, bytes, default); // a second equal upload is no error
            Assert.Equal(bytes, await store.ReadAsync(hash, default));
            await store.DeleteAsync(hash, default);
            Assert.Null(await store.ReadAsync(hash, default));
        }
    }
}

public sealed class CreativesOnSqlite(SqliteApp fixture) : CreativeTests(fixture), IClassFixture<SqliteApp>;

public sealed class CreativesOnPostgres(PostgresApp fixture) : CreativeTests(fixture), IClassFixture<PostgresApp>;
