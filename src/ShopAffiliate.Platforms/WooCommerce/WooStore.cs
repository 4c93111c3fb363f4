using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>How the consumer key reaches WooCommerce (<c>class-wc-rest-authentication.php</c>).</summary>
public enum WooAuthMode
{
    /// <summary>HTTPS, <c>Authorization: Basic base64(key:secret)</c>.</summary>
    Basic,

    /// <summary>HTTPS, <c>consumer_key</c>/<c>consumer_secret</c> query parameters: for hosts that strip the Authorization header.</summary>
    QueryString,

    /// <summary>Plain HTTP: OAuth 1.0a one-legged, HMAC-SHA256 (<see cref="WooOAuth1"/>); the secret is never sent.</summary>
    OAuth1,
}

/// <summary>How to reach one connected store.</summary>
/// <param name="BaseUrl">
/// The WordPress home URL, e.g. <c>https://shop.example.com</c> or <c>https://example.com/store</c>, as
/// <see cref="WooStoreUrl.TryNormalize"/> makes it (a root URL still prints with a <c>/</c>: <see cref="Uri"/> cannot
/// hold an empty path; every helper here trims it).
/// </param>
/// <param name="PlainPermalinks">The store has no pretty permalinks: its REST API is only at <c>/?rest_route=/…</c>.</param>
public sealed record WooStore(Uri BaseUrl, string ConsumerKey, string ConsumerSecret, WooAuthMode AuthMode, bool PlainPermalinks)
{
    /// <summary>Keeps the secret out of logs (records print every property); the key is cut as WooCommerce shows it.</summary>
    public override string ToString() =>
        $"WooStore {{ BaseUrl = {WooStoreUrl.Root(BaseUrl)}, ConsumerKey = {Truncate(ConsumerKey)}, AuthMode = {AuthMode}, PlainPermalinks = {PlainPermalinks} }}";

    /// <summary>The last 7 characters, as WooCommerce's <c>truncated_key</c> column (enough to tell keys apart).</summary>
    internal static string Truncate(string? key) => key is { Length: > 7 } ? "…" + key[^7..] : "…";
}

/// <summary>Store addresses as merchants type them, and as we keep them.</summary>
public static class WooStoreUrl
{
    /// <summary>
    /// Accepts <c>shop.example.com</c> (https is assumed), <c>https://Shop.Example.com/</c>, <c>https://example.com/store/</c>:
    /// lowercases scheme and host, drops a default port, trailing <c>/</c>, query and fragment. Refuses credentials,
    /// other schemes, and <c>http://</c> unless <paramref name="allowHttp"/>. Local hosts are fine. The error is for the
    /// merchant and never repeats the input (it might hold a password).
    /// </summary>
    public static bool TryNormalize(string? input, bool allowHttp, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "Enter the store's address, e.g. https://shop.example.com.";
            return false;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
            text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown || uri.Host.Length == 0)
        {
            error = "The store address is not a valid web address.";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            error = "The store address must start with https://.";
            return false;
        }

        if (uri.UserInfo.Length > 0)
        {
            error = "The store address must not contain a user name or password.";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowHttp)
        {
            error = "The store address must use https://. For a local test shop, set WooCommerce:AllowHttpStores to true.";
            return false;
        }

        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        url = new Uri($"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}{port}{uri.AbsolutePath.TrimEnd('/')}", UriKind.Absolute);
        error = null;
        return true;
    }

    /// <summary><c>shop.example.com</c>, <c>example.com/store</c>, <c>localhost:8080</c>: host[:port] and path, lower case, no scheme.</summary>
    public static string DomainOf(Uri baseUrl)
    {
        var port = baseUrl.IsDefaultPort ? "" : ":" + baseUrl.Port.ToString(CultureInfo.InvariantCulture);
        return (baseUrl.IdnHost + port + baseUrl.AbsolutePath.TrimEnd('/')).ToLowerInvariant();
    }

    /// <summary>The home URL as WordPress writes it: scheme, authority and path, without a trailing <c>/</c>.</summary>
    internal static string Root(Uri baseUrl) => baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
