using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// URLs people click are http(s) only, and tracking links never lead to loopback, private, link-local or
/// metadata addresses: refused on input with a 400 naming the field and the value.
/// </summary>
public abstract class ClickableUrlTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    public static TheoryData<string> RefusedWebsites =>
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://files.example.com/",
        "java\tscript:alert(1)",
        "https://paypal.com@evil.example/",
    ];

    [Theory]
    [MemberData(nameof(RefusedWebsites))]
    public async Task AnAffiliateIsNotCreatedWithAWebsiteThatIsNotHttp(string website)
    {
        var s = new Scenario(App);
        var email = $"web.{Guid.NewGuid():N}@example.com";

        var response = await s.Api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Wendy Web", email, website });

        await AssertRefusedAsync(response, "website", "The website must be an http(s) address");
        Assert.Equal(0, await s.WithDbAsync(db => db.Affiliates.CountAsync(a => a.Email == email)));
    }

    [Theory]
    [MemberData(nameof(RefusedWebsites))]
    public async Task AnAffiliatesWebsiteIsNotChangedToOneThatIsNotHttp(string website)
    {
        var s = new Scenario(App);
        var created = await s.Api.PostAsJsonAsync("/api/v1/affiliates",
            new { name = "Wendy Web", email = $"web.{Guid.NewGuid():N}@example.com", website = "https://wendy.example/" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var response = await s.Api.PatchAsJsonAsync($"/api/v1/affiliates/{id}", new { website });

        await AssertRefusedAsync(response, "website", "The website must be an http(s) address");
        Assert.Equal("https://wendy.example/", await s.WithDbAsync(db => db.Affiliates.Where(a => a.Id == id).Select(a => a.Website).SingleAsync()));
    }

    [Fact]
    public async Task AnHttpWebsiteIsStoredNormalisedAndABlankOneClearsIt()
    {
        var s = new Scenario(App);
        var created = await s.Api.PostAsJsonAsync("/api/v1/affiliates",
            new { name = "Wendy Web", email = $"web.{Guid.NewGuid():N}@example.com", website = " HTTPS://Wendy.Example/blog?a=1&b=\"2\" " });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("https://wendy.example/blog?a=1&b=%222%22", body.GetProperty("website").GetString());

        var cleared = await s.Api.PatchAsJsonAsync($"/api/v1/affiliates/{body.GetProperty("id").GetGuid()}", new { website = "" });
        Assert.Equal(JsonValueKind.Null, (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("website").ValueKind);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("localhost", "loopback")]
    [InlineData("shop.localhost", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("[::1]", "loopback")]
    [InlineData("2130706433", "loopback")] // 127.0.0.1 written as one number
    [InlineData("10.0.0.1", "private-network")]
    [InlineData("172.16.0.1", "private-network")]
    [InlineData("192.168.0.10", "private-network")]
    [InlineData("fc00::1", "private-network")]
    [InlineData("fd12:3456::1", "private-network")]
    [InlineData("169.254.10.10", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("metadata.google.internal", "metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("::ffff:127.0.0.1", "loopback")] // IPv4-mapped
    [InlineData("::ffff:10.0.0.1", "private-network")]
    public async Task AnAllowedDestinationHostOnAnInternalAddressIsRefusedNamingTheHost(string host, string kind)
    {
        var s = new Scenario(App);

        var response = await s.Api.PutAsJsonAsync("/api/v1/settings/program", new { allowedDestinationHosts = new[] { "blog.example.org", host } });

        var message = await AssertRefusedAsync(response, "allowedDestinationHosts", $"'{host.Trim('[', ']')}' is ");
        Assert.Contains(kind, message);
        var settings = await (await s.Api.GetAsync("/api/v1/settings/program")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(settings.GetProperty("allowedDestinationHosts").EnumerateArray(), h => h.GetString() == "blog.example.org");
    }

    [Fact]
    public async Task APublicIpv6HostCanBeAllowedAndLinkedTo()
    {
        var s = new Scenario(App);
        var affiliate = (await s.ApprovedAffiliateAsync("Ivy Six", "ivy" + Random.Shared.Next(1_000_000))).GetProperty("id").GetGuid();

        var settings = await s.Api.PutAsJsonAsync("/api/v1/settings/program", new { allowedDestinationHosts = new[] { "[2606:4700:4700::1111]" } });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var link = await s.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = affiliate, destination = "https://[2606:4700:4700::1111]/shop" });

        Assert.Equal(HttpStatusCode.Created, link.StatusCode);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("localhost")]
    [InlineData("169.254.169.254")]
    public async Task ALinkToAnInternalHostAllowedBeforeTheRuleIsRefused(string host)
    {
        var s = new Scenario(App);
        var affiliate = (await s.ApprovedAffiliateAsync("Ingrid Inner", "ingrid" + Random.Shared.Next(1_000_000))).GetProperty("id").GetGuid();
        var workspaceId = await s.WorkspaceIdAsync();
        await s.WithDbAsync(async db =>
        {
            // As an older version stored it, without the check the settings PUT now makes.
            var stored = await SettingsStore.GetAsync(db, workspaceId, default);
            if (db.Entry(stored).State == EntityState.Detached) db.WorkspaceSettings.Add(stored);
            stored.AllowedDestinationHosts = [host];
            return await db.SaveChangesAsync();
        });

        var response = await s.Api.PostAsJsonAsync("/api/v1/links", new { affiliateId = affiliate, destination = $"http://{host}/latest/meta-data/" });

        await AssertRefusedAsync(response, "destination", $"'{host}' is ");
    }

    /// <summary>A 400 ProblemDetails whose errors name <paramref name="field"/>; returns that field's message.</summary>
    private static async Task<string> AssertRefusedAsync(HttpResponseMessage response, string field, string expected)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = body.RootElement.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains(expected, message);
        return message;
    }
}

public sealed class ClickableUrlOnSqlite(SqliteApp fixture) : ClickableUrlTests(fixture), IClassFixture<SqliteApp>;

public sealed class ClickableUrlOnPostgres(PostgresApp fixture) : ClickableUrlTests(fixture), IClassFixture<PostgresApp>;
