using System.Net;
using ShopAffiliate.Core.Inbox;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// A WooCommerce REST call failed. The message names the operation and the store, never a consumer key or secret; the
/// inner exception is at most the transport failure (never Refit's, which carries the signed request).
/// </summary>
public sealed class WooApiException(
    string message,
    HttpStatusCode? statusCode = null,
    string? errorCode = null,
    Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Null when no response arrived (connection failure, or the call was refused before it was sent).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>The WordPress error <c>code</c>, e.g. <c>woocommerce_rest_authentication_error</c>.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>The store refused the key (revoked, wrong secret, or read-only for a write): ask the merchant to reconnect.</summary>
    public bool Unauthorized => StatusCode == HttpStatusCode.Unauthorized;
}

/// <summary>A WooCommerce body that cannot be mapped (not JSON, no id, a money field that is not a number).</summary>
public sealed class WooPayloadException(string message, Exception? inner = null)
    : Exception(message, inner), IPayloadError<WooPayloadException>, IUnreadablePayload
{
    public static WooPayloadException Create(string message) => new(message);
}
