using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// OAuth 1.0a one-legged signing, exactly as WooCommerce checks it for plain-HTTP stores
/// (<c>WC_REST_Authentication::check_oauth_signature</c>): the parameters are <c>$_GET</c> (PHP-decoded, the last of a
/// repeated key wins) without <c>oauth_signature</c>, sorted by key with <c>strcmp</c>; each key and value is
/// <c>rawurlencode</c>d, then every <c>key=value</c> is <c>rawurlencode</c>d again and they are joined with <c>%26</c>.
/// Base string = <c>METHOD&amp;rawurlencode(base URI)&amp;params</c>; key = <c>consumer_secret&amp;</c>; HMAC-SHA256, base64.
/// The parameters travel in the query string, never in an Authorization header.
/// </summary>
public static class WooOAuth1
{
    public const string SignatureMethod = "HMAC-SHA256";

    private const int NonceLength = 32;

    /// <summary>
    /// The request URI with <c>oauth_consumer_key</c>, <c>oauth_nonce</c>, <c>oauth_signature_method</c>,
    /// <c>oauth_timestamp</c> and <c>oauth_signature</c> added to its query. The query it already has is signed too.
    /// WooCommerce accepts a timestamp within 15 minutes of its clock and each nonce once.
    /// </summary>
    public static Uri Sign(HttpMethod method, Uri requestUri, string consumerKey, string consumerSecret, DateTimeOffset now, string nonce)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentException.ThrowIfNullOrEmpty(consumerKey);
        ArgumentException.ThrowIfNullOrEmpty(consumerSecret);
        ArgumentException.ThrowIfNullOrEmpty(nonce);

        var unsigned = WooHttp.AppendQuery(requestUri, string.Join('&',
            "oauth_consumer_key=" + Uri.EscapeDataString(consumerKey),
            "oauth_nonce=" + Uri.EscapeDataString(nonce),
            "oauth_signature_method=" + SignatureMethod,
            "oauth_timestamp=" + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return WooHttp.AppendQuery(unsigned, "oauth_signature=" + Uri.EscapeDataString(Signature(method, unsigned, consumerSecret)));
    }

    /// <summary>A fresh nonce: 32 letters and digits, as WooCommerce's docs ask for.</summary>
    public static string NewNonce() => WooRandom.Alphanumeric(NonceLength);

    /// <summary>
    /// <c>base64(HMAC-SHA256(consumer_secret + "&amp;", <see cref="BaseString"/>))</c> for a URI whose query holds every
    /// parameter, the <c>oauth_*</c> ones included (an <c>oauth_signature</c> there is left out).
    /// </summary>
    public static string Signature(HttpMethod method, Uri requestUri, string consumerSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumerSecret);
        return Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(consumerSecret + "&"), Encoding.UTF8.GetBytes(BaseString(method, requestUri))));
    }

    /// <summary>
    /// The signed string. The base URI is the request URI without query, as <c>get_home_url(null, $path)</c> rebuilds it:
    /// for the plain-permalinks form <c>{home}/?rest_route=…</c> that is the home URL without its trailing <c>/</c>
    /// (WooCommerce routes never end in <c>/</c>, so a trailing one is always dropped).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter name PHP would rename or nest (space, <c>.</c> or <c>[</c>): it could never verify.</exception>
    public static string BaseString(HttpMethod method, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestUri);

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in requestUri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = PhpDecode(eq < 0 ? part : part[..eq]);
            if (key.Length == 0)
                continue; // parse_str drops it
            if (key.AsSpan().IndexOfAny(" .[") >= 0)
                throw new ArgumentException($"The query parameter '{key}' cannot be signed: PHP renames or nests such names.", nameof(requestUri));
            parameters[key] = eq < 0 ? "" : PhpDecode(part[(eq + 1)..]);
        }

        parameters.Remove("oauth_signature");
        var normalized = parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var baseUri = requestUri.GetLeftPart(UriPartial.Path);
        if (baseUri.EndsWith('/'))
            baseUri = baseUri[..^1];
        return method.Method.ToUpperInvariant() + "&" + Uri.EscapeDataString(baseUri) + "&" + string.Join("%26", normalized);
    }

    /// <summary>What PHP's <c>$_GET</c> holds for a raw query piece: <c>+</c> is a space, <c>%XX</c> a byte.</summary>
    private static string PhpDecode(string raw) => Uri.UnescapeDataString(raw.Replace('+', ' '));
}
