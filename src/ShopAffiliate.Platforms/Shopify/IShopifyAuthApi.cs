using System.Text.Json.Serialization;
using Refit;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>Shopify's OAuth token endpoint (one URL, three grants). The base address is the shop.</summary>
[Headers("Accept: application/json")]
public interface IShopifyAuthApi
{
    [Post("/admin/oauth/access_token")]
    Task<IApiResponse<ShopifyAccessTokenResponse>> ExchangeCodeAsync([Body] ShopifyCodeExchangeRequest body, CancellationToken cancellationToken = default);

    [Post("/admin/oauth/access_token")]
    Task<IApiResponse<ShopifyAccessTokenResponse>> RefreshAsync([Body] ShopifyRefreshTokenRequest body, CancellationToken cancellationToken = default);

    [Post("/admin/oauth/access_token")]
    Task<IApiResponse<ShopifyAccessTokenResponse>> TokenExchangeAsync([Body] ShopifyTokenExchangeRequest body, CancellationToken cancellationToken = default);
}

/// <summary>Authorization-code grant; <c>expiring: "1"</c> asks for an expiring offline token with a refresh token.</summary>
public sealed record ShopifyCodeExchangeRequest(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("expiring")] string Expiring = "1");

public sealed record ShopifyRefreshTokenRequest(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("grant_type")] string GrantType = "refresh_token");

/// <summary>Token exchange: an embedded app trades a session token for an offline Admin API token.</summary>
public sealed record ShopifyTokenExchangeRequest(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret,
    [property: JsonPropertyName("subject_token")] string SubjectToken,
    [property: JsonPropertyName("grant_type")] string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange",
    [property: JsonPropertyName("subject_token_type")] string SubjectTokenType = "urn:ietf:params:oauth:token-type:id_token",
    [property: JsonPropertyName("requested_token_type")] string RequestedTokenType = "urn:shopify:params:oauth:token-type:offline-access-token",
    [property: JsonPropertyName("expiring")] string Expiring = "1");

public sealed record ShopifyAccessTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("refresh_token_expires_in")] long? RefreshTokenExpiresIn);
