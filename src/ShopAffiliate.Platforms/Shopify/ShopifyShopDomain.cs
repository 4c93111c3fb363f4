using System.Text.RegularExpressions;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>The only shop names we ever put into a URL, a header or a CSP: <c>name.myshopify.com</c>.</summary>
public static partial class ShopifyShopDomain
{
    public static bool IsValid(string? shop) => shop is { Length: <= 255 } && Pattern().IsMatch(shop);

    public static string Normalize(string shop) => shop.Trim().ToLowerInvariant();

    // \z, not $: "$" would accept a trailing newline.
    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
