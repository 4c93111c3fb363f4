using System.Net;
using System.Text.Json;
using ShopAffiliate.Platforms.Shopify;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyAuthClientTests : IDisposable
{
    private const string TokenPath = "/admin/oauth/access_token";
    private readonly FakeShopify _shopify = new();

    public void Dispose() => _shopify.Dispose();

    private void TokenEndpointAnswers(int status, string json, string path = TokenPath) =>
        _shopify.Server
            .Given(Request.Create().WithPath(path).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));

    private const string ExpiringToken = """
        {"access_token":"shpat_new","scope":"read_orders,write_discounts","expires_in":86399,
         "refresh_token":"shprt_new","refresh_token_expires_in":7776000}
        """;

    [Fact]
    public async Task CodeExchangePostsClientCredentialsAndCodeAndAsksForAnExpiringToken()
    {
        TokenEndpointAnswers(200, ExpiringToken);

        var token = await _shopify.Auth.ExchangeCodeAsync(FakeShopify.Shop, "0907a61c0c8d55e99db179b68161bc00", CancellationToken.None);

        var request = Assert.Single(_shopify.Requests);
        Assert.Equal("POST", request.RequestMessage!.Method);
        Assert.Equal(TokenPath, request.RequestMessage!.Path);
        Assert.StartsWith("application/json", FakeShopify.Header(request, "Content-Type"));
        AssertJson(request.RequestMessage!.Body!, new()
        {
            ["client_id"] = FakeShopify.ApiKey,
            ["client_secret"] = FakeShopify.ApiSecret,
            ["code"] = "0907a61c0c8d55e99db179b68161bc00",
            ["expiring"] = "1",
        });

        var now = _shopify.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(new ShopifyToken("shpat_new", "read_orders,write_discounts", now.AddSeconds(86399), "shprt_new", now.AddSeconds(7776000)), token);
    }

    [Fact]
    public async Task RefreshPostsTheRefreshTokenGrant()
    {
        TokenEndpointAnswers(200, ExpiringToken);

        var token = await _shopify.Auth.RefreshAsync(FakeShopify.Shop, "shprt_old", CancellationToken.None);

        AssertJson(Assert.Single(_shopify.Requests).RequestMessage!.Body!, new()
        {
            ["client_id"] = FakeShopify.ApiKey,
            ["client_secret"] = FakeShopify.ApiSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "shprt_old",
        });
        Assert.Equal("shprt_new", token.RefreshToken);
    }

    [Fact]
    public async Task TokenExchangeTradesTheSessionTokenForAnExpiringOfflineToken()
    {
        TokenEndpointAnswers(200, ExpiringToken);
        var sessionToken = SessionTokens.Create(SessionTokens.Claims());

        var token = await _shopify.Auth.TokenExchangeAsync(FakeShopify.Shop, sessionToken, CancellationToken.None);

        AssertJson(Assert.Single(_shopify.Requests).RequestMessage!.Body!, new()
        {
            ["client_id"] = FakeShopify.ApiKey,
            ["client_secret"] = FakeShopify.ApiSecret,
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = sessionToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:id_token",
            ["requested_token_type"] = "urn:shopify:params:oauth:token-type:offline-access-token",
            ["expiring"] = "1",
        });
        Assert.Equal("shpat_new", token.AccessToken);
    }

    [Fact]
    public async Task RejectedSessionTokenIsFlaggedSoTheAppCanBounce()
    {
        TokenEndpointAnswers(400, """{"error":"invalid_subject_token","error_description":"Session token is invalid or expired."}""");

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Auth.TokenExchangeAsync(FakeShopify.Shop, "expired.jwt.token", CancellationToken.None));

        Assert.True(error.InvalidSessionToken);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("token exchange", error.Message);
        Assert.Contains(FakeShopify.Shop, error.Message);
        Assert.Contains("Session token is invalid or expired", error.Message);
        Assert.DoesNotContain(FakeShopify.ApiSecret, error.Message);
        Assert.Single(_shopify.Requests); // a 400 is final: no retry
    }

    [Fact]
    public async Task UsedAuthorizationCodeFailsWithShopifysReason()
    {
        TokenEndpointAnswers(400, """{"error":"invalid_request","error_description":"The authorization code was not found or was already used"}""");

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Auth.ExchangeCodeAsync(FakeShopify.Shop, "used", CancellationToken.None));

        Assert.False(error.InvalidSessionToken);
        Assert.Equal("invalid_request", error.ErrorCode);
        Assert.Contains("already used", error.Message);
    }

    [Fact]
    public async Task NonExpiringTokenHasNoExpiryOrRefreshToken()
    {
        TokenEndpointAnswers(200, """{"access_token":"shpat_forever","scope":"read_orders"}""");

        var token = await _shopify.Auth.ExchangeCodeAsync(FakeShopify.Shop, "code", CancellationToken.None);

        Assert.Equal(new ShopifyToken("shpat_forever", "read_orders", null, null, null), token);
        Assert.DoesNotContain("shpat_forever", token.ToString());
    }

    [Fact]
    public async Task ServerErrorsAreRetriedThenReported()
    {
        TokenEndpointAnswers(503, """{"errors":"Service Unavailable"}""");

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Auth.RefreshAsync(FakeShopify.Shop, "shprt_old", CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(ShopifyRetryHandler.MaxAttempts, _shopify.Requests.Count);
        Assert.All(_shopify.Bodies(), b => Assert.Equal("shprt_old", b.GetProperty("refresh_token").GetString()));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _shopify.Delays);
    }

    [Fact]
    public async Task ShopPlaceholderInTheBaseUrlIsFilledIn()
    {
        using var shopify = new FakeShopify(shopPlaceholder: true);
        shopify.Server
            .Given(Request.Create().WithPath($"/{FakeShopify.Shop}{TokenPath}").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ExpiringToken));

        var token = await shopify.Auth.ExchangeCodeAsync("Janes-Shop.myshopify.com", "code", CancellationToken.None);

        Assert.Equal("shpat_new", token.AccessToken);
    }

    [Fact]
    public async Task UnreachableShopFailsWithAShopifyApiExceptionAfterRetries()
    {
        _shopify.Server.Stop();

        var error = await Assert.ThrowsAsync<ShopifyApiException>(() =>
            _shopify.Auth.ExchangeCodeAsync(FakeShopify.Shop, "code", CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.Contains("no response", error.Message);
        Assert.Equal(ShopifyRetryHandler.MaxAttempts - 1, _shopify.Delays.Count);
    }

    [Fact]
    public async Task InvalidShopNeverReachesTheNetwork()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _shopify.Auth.ExchangeCodeAsync("evil.com", "code", CancellationToken.None));
        Assert.Empty(_shopify.Requests);
    }

    [Fact]
    public void AuthorizeUrlAsksForAnOfflineTokenWithOurScopesAndState()
    {
        var url = _shopify.Auth.AuthorizeUrl(FakeShopify.Shop, "https://app.example.com/shopify/callback", "nonce-123");

        Assert.Equal(
            $"http://127.0.0.1:{_shopify.Server.Port}/admin/oauth/authorize?client_id={FakeShopify.ApiKey}"
            + "&scope=read_orders%2Cwrite_discounts%2Cread_products"
            + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fshopify%2Fcallback&state=nonce-123&grant_options%5B%5D=",
            url);
        Assert.EndsWith("grant_options%5B%5D=per-user", _shopify.Auth.AuthorizeUrl(FakeShopify.Shop, "https://a/cb", "n", online: true));
    }

    private static void AssertJson(string body, Dictionary<string, string> expected)
    {
        var actual = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(body)!;
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.Equal(JsonValueKind.String, actual[key].ValueKind);
            Assert.Equal(value, actual[key].GetString());
        }
    }
}
