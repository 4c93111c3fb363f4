using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>Tracking links: the redirect, what is recorded, and what is refused.</summary>
public abstract class RedirectTests(BootstrappedApp fixture)
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

    private TestApp App => fixture.App;

    /// <summary>A link of a new affiliate to <paramref name="destinationPath"/> on a new shop; also returns the shop's domain and the referral code.</summary>
    private async Task<(Scenario S, Guid AffiliateId, string Code, string Domain, string Referral)> LinkAsync(string destinationPath = "/products/hoodie?color=red")
    {
        var s = new Scenario(App);
        var domain = $"shop{Guid.NewGuid():N}"[..16] + ".myshopify.com";
        await s.ShopAsync(domain);
        var referral = "rita" + Random.Shared.Next(1_000_000);
        var affiliate = await s.ApprovedAffiliateAsync("Rita Redirect", referral);
        var link = await s.LinkAsync(affiliate.GetProperty("id").GetGuid(), $"https://{domain}{destinationPath}");
        return (s, affiliate.GetProperty("id").GetGuid(), link.GetProperty("code").GetString()!, domain, referral);
    }

    private HttpClient Browser(string userAgent = Chrome, string ip = "203.0.113.7")
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        client.DefaultRequestHeaders.Add("X-Test-Client-Ip", ip);
        return client;
    }

    private static Guid ClickIdOf(HttpResponseMessage redirect) =>
        Guid.Parse(HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["sa_click"]!);

    private async Task<Click> StoredAsync(Scenario s, Guid clickId) =>
        await Eventually.HoldsAsync(() => s.WithDbAsync(db => db.Clicks.FirstOrDefaultAsync(c => c.Id == clickId)), c => c is not null, $"click {clickId}") ?? throw new InvalidOperationException();

    [Fact]
    public async Task AnUnknownCodeGetsAFriendly404Page()
    {
        var response = await Browser().GetAsync("/r/nosuchcode");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This link is not active", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheRedirectKeepsTheMerchantsParametersAndAMerchantsOwnUtmSource()
    {
        var (_, _, code, domain, referral) = await LinkAsync("/p?utm_source=newsletter&size=m#reviews");

        var response = await Browser().GetAsync($"/r/{code}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(("https", domain, "/p"), (location.Scheme, location.Host, location.AbsolutePath));
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(["ref", "sa_click", "size", "utm_source"], query.AllKeys.Order(StringComparer.Ordinal)); // no second utm_source, nothing else
        Assert.Equal("newsletter", query["utm_source"]);
        Assert.Equal("m", query["size"]);
        Assert.Equal(referral, query["ref"]);
        Assert.True(Guid.TryParse(query["sa_click"], out _), $"sa_click is not a click id: {query["sa_click"]}");
        Assert.Equal("#reviews", location.Fragment);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ASubIdInThePathIsRecordedWithTheClick()
    {
        var (s, affiliateId, code, _, _) = await LinkAsync();

        var response = await Browser().GetAsync($"/r/{code}/spring-sale");

        var click = await StoredAsync(s, ClickIdOf(response));
        Assert.Equal("spring-sale", click.SubId);
        Assert.Equal(affiliateId, click.AffiliateId);
        Assert.Equal(ClickSource.Redirect, click.Source);
    }

    [Fact]
    public async Task BotsAndRepeatClicksAreStoredButFlaggedAndTheIpIsOnlyKeptHashed()
    {
        var (s, _, code, _, _) = await LinkAsync();

        var first = ClickIdOf(await Browser(ip: "198.51.100.23").GetAsync($"/r/{code}"));
        var repeat = ClickIdOf(await Browser(ip: "198.51.100.23").GetAsync($"/r/{code}"));
        var other = ClickIdOf(await Browser(ip: "198.51.100.24").GetAsync($"/r/{code}"));
        var bot = ClickIdOf(await Browser(userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1)", ip: "66.249.66.1").GetAsync($"/r/{code}"));

        var firstClick = await StoredAsync(s, first);
        var repeatClick = await StoredAsync(s, repeat);
        var otherClick = await StoredAsync(s, other);
        var botClick = await StoredAsync(s, bot);
        Assert.True(firstClick.Counts);
        Assert.True(repeatClick.IsDuplicate);
        Assert.True(otherClick.Counts);
        Assert.True(botClick.IsBot);
        Assert.Equal(firstClick.IpHash, repeatClick.IpHash);
        Assert.NotEqual(firstClick.IpHash, otherClick.IpHash);
        Assert.Equal(32, firstClick.IpHash!.Length);
        Assert.DoesNotContain("198.51", firstClick.IpHash);
    }

    [Fact]
    public async Task ALinkToAHostOutsideTheProgramIsRefusedUntilTheHostIsAllowed()
    {
        var s = new Scenario(App);
        var affiliate = (await s.ApprovedAffiliateAsync("Olga Open", "olga" + Random.Shared.Next(1_000_000))).GetProperty("id").GetGuid();

        var refused = await s.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = affiliate, destination = "https://evil.example.net/phish" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("allowedDestinationHosts", await refused.Content.ReadAsStringAsync());

        var settings = await s.Api.PutAsJsonAsync("/api/v1/settings/program", new { allowedDestinationHosts = new[] { "blog.example.org" } });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var allowed = await s.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = affiliate, destination = "https://blog.example.org/review" });
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var stillRefused = await s.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = affiliate, destination = "javascript:alert(1)" });
        Assert.Equal(HttpStatusCode.BadRequest, stillRefused.StatusCode);
    }

    [Fact]
    public async Task BadSettingsAreRefusedWithAnErrorPerField()
    {
        var response = await new Scenario(App).Api.PutAsJsonAsync("/api/v1/settings/program",
            new { cookieWindowDays = 0, defaultCommissionRate = 1.5m, allowedDestinationHosts = new[] { "https://x.com/path" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("cookieWindowDays", out _));
        Assert.True(errors.TryGetProperty("defaultCommissionRate", out _));
        Assert.True(errors.TryGetProperty("allowedDestinationHosts", out _));
    }

    [Fact]
    public async Task TheLandingBeaconRecordsAClickForARefThatDidNotPassTheRedirect()
    {
        var s = new Scenario(App);
        var affiliate = (await s.ApprovedAffiliateAsync("Lena Landing", "lena" + Random.Shared.Next(1_000_000)));
        var slug = await s.WithDbAsync(db => db.Workspaces.Select(w => w.Slug).FirstAsync());
        var clickId = Guid.NewGuid();
        var body = JsonSerializer.Serialize(new { workspace = slug, @ref = affiliate.GetProperty("referralCode").GetString(), clickId, url = "https://shop.example.com/?ref=x" });

        // sendBeacon posts text/plain to avoid a CORS preflight.
        var response = await Browser().PostAsync("/api/track/landing", new StringContent(body, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var click = await StoredAsync(s, clickId);
        Assert.Equal(ClickSource.Landing, click.Source);
        Assert.Equal(affiliate.GetProperty("id").GetGuid(), click.AffiliateId);
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser().PostAsync("/api/track/landing", new StringContent("{nope", Encoding.UTF8, "text/plain"))).StatusCode);
    }
}

public sealed class RedirectOnSqlite(SqliteApp fixture) : RedirectTests(fixture), IClassFixture<SqliteApp>;

public sealed class RedirectOnPostgres(PostgresApp fixture) : RedirectTests(fixture), IClassFixture<PostgresApp>;
