using System.Net;
using ShopAffiliate.Core.Inbox;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>A Shopify API call failed. The message names the operation and the shop, never a secret or a token.</summary>
public sealed class ShopifyApiException(
    string message,
    HttpStatusCode? statusCode = null,
    string? errorCode = null,
    Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>Null when no response arrived (connection failure).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>OAuth <c>error</c> (e.g. <c>invalid_subject_token</c>) or GraphQL error code (e.g. <c>THROTTLED</c>).</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>Token exchange refused the session token: bounce the embedded app to get a fresh one.</summary>
    public bool InvalidSessionToken => ErrorCode == "invalid_subject_token";

    /// <summary>The access token is invalid or revoked (the app was uninstalled, or the token expired).</summary>
    public bool Unauthorized => StatusCode == HttpStatusCode.Unauthorized;

    /// <summary>Rate limited (HTTP 429 after our retries, or GraphQL <c>THROTTLED</c>): try again later.</summary>
    public bool Throttled => StatusCode == HttpStatusCode.TooManyRequests || ErrorCode == "THROTTLED";
}

/// <summary>A webhook body that cannot be mapped (not JSON, no id, a money field that is not a number).</summary>
public sealed class ShopifyPayloadException(string message, Exception? innerException = null)
    : Exception(message, innerException), IPayloadError<ShopifyPayloadException>, IUnreadablePayload
{
    public static ShopifyPayloadException Create(string message) => new(message);
}
