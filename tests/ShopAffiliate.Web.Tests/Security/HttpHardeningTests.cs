using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using ShopAffiliate.Web.Hosting;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Security;

/// <summary>
/// The headers every response carries (issue 17, HTTP hardening): the page CSP with a fresh nonce on every script,
/// framing refused, nosniff and the referrer policy, HSTS and Secure cookies only over https, and a body limit that
/// answers 413 on every write route.
/// </summary>
public abstract partial class HttpHardeningTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    private HttpClient Client(bool https) => App.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
    });

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values) : "";

    [Fact]
    public async Task EveryScriptOnAPageCarriesTheNonceOfItsOwnResponseAndNoInlineScriptIsAllowed()
    {
        var client = Client(https: false);
        var first = await client.GetAsync("/admin/login");
        var second = await client.GetAsync("/admin/login");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var csp = Header(first, "Content-Security-Policy");
        var nonce = Assert.Single(NoncePattern().Matches(csp).Select(m => m.Groups[1].Value).Distinct()); // scripts and styles
        Assert.Contains($"script-src 'nonce-{nonce}'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        var html = await first.Content.ReadAsStringAsync();
        var scripts = ScriptPattern().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains($"nonce=\"{nonce}\"", s.Value));
        // A nonce that repeats is one an attacker can learn and copy into an injected script.
        var again = Assert.Single(NoncePattern().Matches(Header(second, "Content-Security-Policy")).Select(m => m.Groups[1].Value).Distinct());
        Assert.NotEqual(nonce, again);
        Assert.Matches("^[0-9a-f]{32,}$", nonce); // 128 bits or more
    }

    [Theory]
    [InlineData("/admin/login")]
    [InlineData("/portal/login")]
    [InlineData("/api/v1/affiliates")]
    [InlineData("/health")]
    [InlineData("/sa.js")]
    [InlineData("/no-such-page")]
    public async Task EveryResponseIsNosniffWithAReferrerPolicyAndMayNotBeFramed(string path)
    {
        var response = await App.ApiClient().GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task TheApiAnswersWithAPolicyThatLoadsNothing()
    {
        var response = await App.ApiClient().GetAsync("/api/v1/affiliates");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.NonPagePolicy, Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task HstsIsSentOverHttpsOnly()
    {
        var secure = await Client(https: true).GetAsync("/admin/login");
        var plain = await Client(https: false).GetAsync("/admin/login");

        Assert.Equal("max-age=31536000", Header(secure, "Strict-Transport-Security"));
        Assert.Equal("", Header(plain, "Strict-Transport-Security"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheStaffAntiforgeryAndLanguageCookiesAreHttpOnlyAndSecureExactlyWhenTheRequestIsHttps(bool https)
    {
        var client = Client(https);
        var login = await client.GetAsync("/admin/login");
        var signedIn = await Forms.SubmitAsync(client, "/admin/login",
            new Dictionary<string, string> { ["Input.Email"] = TestApp.OwnerEmail, ["Input.Password"] = TestApp.OwnerPassword });
        var language = await Forms.SubmitAsync(client, "/admin", new Dictionary<string, string> { ["culture"] = "da", ["returnUrl"] = "/admin" }, "/ui/culture");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        foreach (var (response, name, sameSite) in new[] { (login, "sa_antiforgery", "strict"), (signedIn, "sa_staff", "lax"), (language, "sa_culture", "lax") })
        {
            var cookie = SetCookie(response, name);
            Assert.Contains("httponly", cookie);
            Assert.Contains("samesite=" + sameSite, cookie);
            Assert.Equal(https, cookie.Split(';').Select(a => a.Trim()).Contains("secure"));
        }
    }

    private static string SetCookie(HttpResponseMessage response, string name)
    {
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var cookie = cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));
        Assert.True(cookie is not null, $"No {name} cookie was set; got: {string.Join(" | ", cookies.Select(c => c.Split('=')[0]))}");
        return cookie.ToLowerInvariant();
    }

    /// <summary>Write routes allowed more than 4 MiB, and why (each is still tested for its 413).</summary>
    private static readonly Dictionary<string, string> LargeBodies = new()
    {
        ["/api/v1/creatives/"] = "a creative's upload: its image files (Creatives:* limits per file, checked by content)",
        ["/api/v1/creatives/{id:guid}/files"] = "more images for a creative (the same per-file limits)",
    };

    [Fact]
    public async Task EveryWriteRouteRefusesABodyOverItsLimitWith413BeforeReadingIt()
    {
        var endpoints = AppRoutes.Endpoints(App);
        var routes = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["POST"]).Select(m => (Method: m, Endpoint: e)))
            .Where(r => r.Method is "POST" or "PUT" or "PATCH")
            .DistinctBy(r => (r.Method, r.Endpoint.RoutePattern.RawText))
            .ToList();
        Assert.True(routes.Count > 20, $"Only {routes.Count} write routes found: the route listing is broken.");

        var failures = new List<string>();
        var client = App.ApiClient();
        foreach (var (method, endpoint) in routes)
        {
            var limit = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? BodySizeLimits.Default;
            if (limit > 4 * 1024 * 1024 && !LargeBodies.ContainsKey(endpoint.RoutePattern.RawText ?? ""))
            {
                failures.Add($"{method} {endpoint.RoutePattern.RawText}: limit {limit} (more than 4 MiB needs a reason here)");
                continue;
            }
            var path = AppRoutes.Render(endpoint.RoutePattern, Value);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(new byte[limit + 1]) });
            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge)
                failures.Add($"{method} {path}: {(int)response.StatusCode} for {limit + 1} bytes, expected 413");
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{method} {path}: 413 without a ProblemDetails");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Value(RoutePatternParameterPart p) =>
        p.ParameterPolicies.Any(x => x.Content is "guid") ? Guid.Empty.ToString()
        : p.ParameterPolicies.Any(x => x.Content is "int" or "long") ? "1"
        : "x";

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script\\b[^>]*>")]
    private static partial Regex ScriptPattern();
}

public sealed class HttpHardeningOnSqlite(SqliteApp fixture) : HttpHardeningTests(fixture), IClassFixture<SqliteApp>;

public sealed class HttpHardeningOnPostgres(PostgresApp fixture) : HttpHardeningTests(fixture), IClassFixture<PostgresApp>;
