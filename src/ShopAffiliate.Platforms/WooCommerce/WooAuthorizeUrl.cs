namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>WooCommerce's key flow (<c>class-wc-auth.php</c>): the page where the merchant approves our app.</summary>
public static class WooAuthorizeUrl
{
    /// <summary>
    /// Pretty permalinks: <c>{store}/wc-auth/v1/authorize?app_name=..&amp;scope=..&amp;user_id=..&amp;return_url=..&amp;callback_url=..</c>.
    /// Plain permalinks: <c>{store}/?wc-auth-version=1&amp;wc-auth-route=authorize&amp;app_name=..</c> (WC_Auth::handle_auth_requests
    /// copies those two <c>$_GET</c> values into the query vars, so this form works on every store). Values are escaped
    /// with <see cref="Uri.EscapeDataString(string)"/>.
    /// </summary>
    /// <param name="userId">Echoed in the key callback and on the return URL: WooCommerce runs it through <c>wc_clean</c>, so keep it plain.</param>
    /// <param name="returnUrl">
    /// Where the browser goes afterwards (<c>?success=1|0&amp;user_id=..</c> is added). WooCommerce <c>urldecode</c>s this and
    /// <paramref name="callbackUrl"/> once more after PHP did, so neither should contain <c>%</c> escapes or <c>+</c>.
    /// </param>
    /// <param name="callbackUrl">Receives the keys as a JSON POST; must be https (WooCommerce refuses anything else).</param>
    /// <exception cref="ArgumentException">A missing value, an unknown scope, or a URL that is not absolute (callback: not https).</exception>
    public static string Build(
        Uri store, bool plainPermalinks, string appName, string userId, string returnUrl, string callbackUrl, string scope = "read_write")
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(appName);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (scope is not ("read" or "write" or "read_write"))
            throw new ArgumentException($"'{scope}' is not a WooCommerce key scope (read, write or read_write).", nameof(scope));
        if (!Uri.TryCreate(returnUrl, UriKind.Absolute, out var back) || (back.Scheme != Uri.UriSchemeHttps && back.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("The return URL must be an absolute http(s) URL.", nameof(returnUrl));
        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var callback) || callback.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException("The key callback URL must be an absolute https:// URL: WooCommerce refuses to post keys over plain HTTP.", nameof(callbackUrl));

        var query = string.Join('&',
            Pair("app_name", appName.Trim()),
            Pair("scope", scope),
            Pair("user_id", userId.Trim()),
            Pair("return_url", returnUrl),
            Pair("callback_url", callbackUrl));
        var root = WooStoreUrl.Root(store);
        return plainPermalinks
            ? $"{root}/?wc-auth-version=1&wc-auth-route=authorize&{query}"
            : $"{root}/wc-auth/v1/authorize?{query}";

        static string Pair(string key, string value) => key + "=" + Uri.EscapeDataString(value);
    }
}
