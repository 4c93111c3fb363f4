using Microsoft.Extensions.Options;
using Refit;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>An Admin API access token. Expiring offline tokens come with a refresh token; both rotate on every refresh.</summary>
/// <param name="ExpiresAt">UTC; null for a non-expiring token.</param>
/// <param name="RefreshTokenExpiresAt">UTC; null when there is no refresh token.</param>
public sealed record ShopifyToken(
    string AccessToken,
    string Scope,
    DateTime? ExpiresAt,
    string? RefreshToken,
    DateTime? RefreshTokenExpiresAt)
{
    /// <summary>Keeps the token out of logs (records print every property).</summary>
    public override string ToString() => $"ShopifyToken {{ Scope = {Scope}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>Install (authorization code), refresh and token exchange against a shop's <c>/admin/oauth/access_token</c>.</summary>
public sealed class ShopifyAuthClient(IHttpClientFactory httpClientFactory, IOptions<ShopifyOptions> options, TimeProvider timeProvider)
{
    private ShopifyOptions Options => options.Value;

    /// <summary>
    /// Where to send the merchant to approve the app (install step 2). <paramref name="state"/> is the nonce the callback
    /// must echo. Offline token by default (empty <c>grant_options[]</c>); <paramref name="online"/> asks for a per-user one.
    /// </summary>
    public string AuthorizeUrl(string shop, string redirectUri, string state, bool online = false)
    {
        var o = RequireEnabled();
        var query = string.Join('&',
            Pair("client_id", o.ApiKey!),
            Pair("scope", o.Scopes),
            Pair("redirect_uri", redirectUri),
            Pair("state", state),
            Pair("grant_options[]", online ? "per-user" : ""));
        return new Uri(o.ShopUri(shop), "admin/oauth/authorize").AbsoluteUri + "?" + query;

        static string Pair(string key, string value) => ShopifyHmac.FormEncode(key) + "=" + ShopifyHmac.FormEncode(value);
    }

    public async Task<ShopifyToken> ExchangeCodeAsync(string shop, string code, CancellationToken cancellationToken)
    {
        var o = RequireEnabled();
        var api = ShopifyHttp.For<IShopifyAuthApi>(httpClientFactory, o, shop);
        using var response = await api.ExchangeCodeAsync(new(o.ApiKey!, o.ApiSecret!, code), cancellationToken);
        return ToToken(response, "code exchange", shop);
    }

    /// <summary>Store the returned pair atomically: the old refresh token stops working.</summary>
    public async Task<ShopifyToken> RefreshAsync(string shop, string refreshToken, CancellationToken cancellationToken)
    {
        var o = RequireEnabled();
        var api = ShopifyHttp.For<IShopifyAuthApi>(httpClientFactory, o, shop);
        using var response = await api.RefreshAsync(new(o.ApiKey!, o.ApiSecret!, refreshToken), cancellationToken);
        return ToToken(response, "token refresh", shop);
    }

    /// <summary>A bad session token fails with <see cref="ShopifyApiException.InvalidSessionToken"/> set.</summary>
    public async Task<ShopifyToken> TokenExchangeAsync(string shop, string sessionToken, CancellationToken cancellationToken)
    {
        var o = RequireEnabled();
        var api = ShopifyHttp.For<IShopifyAuthApi>(httpClientFactory, o, shop);
        using var response = await api.TokenExchangeAsync(new(o.ApiKey!, o.ApiSecret!, sessionToken), cancellationToken);
        return ToToken(response, "token exchange", shop);
    }

    private ShopifyToken ToToken(IApiResponse<ShopifyAccessTokenResponse> response, string operation, string shop)
    {
        if (!response.IsSuccessful || response.Content is not { } body)
            throw ShopifyHttp.Failure(response, operation, shop);
        if (string.IsNullOrEmpty(body.AccessToken))
            throw new ShopifyApiException($"Shopify {operation} for {shop} returned no access_token.", response.StatusCode);

        var now = timeProvider.GetUtcNow().UtcDateTime;
        return new(
            body.AccessToken,
            body.Scope ?? "",
            body.ExpiresIn is long seconds and > 0 ? now.AddSeconds(seconds) : null,
            string.IsNullOrEmpty(body.RefreshToken) ? null : body.RefreshToken,
            body.RefreshTokenExpiresIn is long refreshSeconds and > 0 && !string.IsNullOrEmpty(body.RefreshToken)
                ? now.AddSeconds(refreshSeconds) : null);
    }

    private ShopifyOptions RequireEnabled()
    {
        var o = Options;
        return o.Enabled ? o : throw new InvalidOperationException("Shopify is not configured: set Shopify:ApiKey and Shopify:ApiSecret.");
    }
}
