using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>
/// The Shopify app's credentials and API settings (config section <see cref="SectionName"/>). Shopify is off until both
/// <see cref="ApiKey"/> and <see cref="ApiSecret"/> are set; setting only one of them fails validation.
/// </summary>
public sealed class ShopifyOptions : IValidatableObject
{
    public const string SectionName = "Shopify";

    /// <summary>The app's client id (also the <c>aud</c> of session tokens).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The app's client secret: signs OAuth queries, webhooks and session tokens.</summary>
    public string? ApiSecret { get; set; }

    /// <summary>The secret before a rotation, still accepted on incoming signatures until it is removed.</summary>
    public string? PreviousApiSecret { get; set; }

    public string Scopes { get; set; } = "read_orders,write_discounts,read_products";

    /// <summary>Admin API version, <c>YYYY-MM</c> (or <c>unstable</c>).</summary>
    [RegularExpression(@"^(\d{4}-(0[1-9]|1[0-2])|unstable)$")]
    public string ApiVersion { get; set; } = "2026-01";

    /// <summary>
    /// Where a shop's API lives. <c>{shop}</c> is replaced by the shop domain; tests point it at a fake server
    /// (<c>http://127.0.0.1:5123</c>, with or without <c>{shop}</c>).
    /// </summary>
    [Required]
    public string ShopBaseUrl { get; set; } = "https://{shop}";

    /// <summary>
    /// Orders per page of the backfill (Shopify allows <c>first</c> up to 250). Capped at ShopifyGraphQlOrders.MaxPageSize: Shopify refuses a query whose
    /// requested cost (each connection 2 points plus <c>first</c> times its nodes' cost) exceeds 1,000 points, and the
    /// order query asks for line items and refunds (docs/decisions/0048). The benchmark's fake store refuses such a query too.
    /// </summary>
    [Range(1, 250)]
    public int BackfillPageSize { get; set; } = ShopifyGraphQlOrders.PageSize;

    /// <summary>App Bridge, loaded by the admin's pages only when they are shown inside the Shopify admin (tests serve a stand-in).</summary>
    public string AppBridgeUrl { get; set; } = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

    /// <summary>Origins of the Shopify admin that may frame the embedded app, besides the shop itself; unset: Shopify's.</summary>
    public string[]? AdminOrigins { get; set; }

    public IReadOnlyList<string> FrameOrigins => AdminOrigins is { Length: > 0 } origins ? origins : ["https://admin.shopify.com"];

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(ApiSecret);

    /// <summary>The secrets that verify incoming signatures: the current one, then the previous one.</summary>
    public IEnumerable<string> Secrets
    {
        get
        {
            if (!string.IsNullOrEmpty(ApiSecret))
                yield return ApiSecret;
            if (!string.IsNullOrEmpty(PreviousApiSecret) && PreviousApiSecret != ApiSecret)
                yield return PreviousApiSecret;
        }
    }

    /// <summary>The shop's base URI (with a trailing slash). Only a valid <c>*.myshopify.com</c> domain gets in.</summary>
    public Uri ShopUri(string shop)
    {
        if (!ShopifyShopDomain.IsValid(shop))
            throw new ArgumentException($"'{shop}' is not a valid *.myshopify.com shop domain.", nameof(shop));
        var url = ShopBaseUrl.Replace("{shop}", ShopifyShopDomain.Normalize(shop), StringComparison.OrdinalIgnoreCase);
        return new Uri(url.TrimEnd('/') + "/", UriKind.Absolute);
    }

    /// <summary>True when the configured API version is at least <paramref name="version"/> (<c>unstable</c> is newest).</summary>
    public bool ApiVersionAtLeast(string version) =>
        ApiVersion == "unstable" || string.CompareOrdinal(ApiVersion, version) >= 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasKey = !string.IsNullOrWhiteSpace(ApiKey);
        var hasSecret = !string.IsNullOrWhiteSpace(ApiSecret);
        if (hasKey != hasSecret)
            yield return new("Set both Shopify:ApiKey and Shopify:ApiSecret, or neither.", [nameof(ApiKey), nameof(ApiSecret)]);
        if (!hasSecret && !string.IsNullOrWhiteSpace(PreviousApiSecret))
            yield return new("Shopify:PreviousApiSecret needs a current Shopify:ApiSecret.", [nameof(PreviousApiSecret)]);
        var probe = (ShopBaseUrl ?? "").Replace("{shop}", "example.myshopify.com", StringComparison.OrdinalIgnoreCase);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            yield return new("Shopify:ShopBaseUrl must be an absolute http(s) URL, e.g. https://{shop}.", [nameof(ShopBaseUrl)]);
        if (!Uri.TryCreate(AppBridgeUrl, UriKind.Absolute, out var bridge) || (bridge.Scheme != Uri.UriSchemeHttps && bridge.Scheme != Uri.UriSchemeHttp))
            yield return new("Shopify:AppBridgeUrl must be an absolute http(s) URL (Shopify's is https://cdn.shopify.com/shopifycloud/app-bridge.js).", [nameof(AppBridgeUrl)]);
        foreach (var origin in AdminOrigins ?? [])
        {
            // Only an origin: it goes into frame-ancestors as it is.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || (o.Scheme != Uri.UriSchemeHttps && o.Scheme != Uri.UriSchemeHttp) || o.GetLeftPart(UriPartial.Authority) != origin)
                yield return new($"Shopify:AdminOrigins has '{origin}'; each must be an origin such as https://admin.shopify.com (no path, no trailing slash).", [nameof(AdminOrigins)]);
        }
    }
}
