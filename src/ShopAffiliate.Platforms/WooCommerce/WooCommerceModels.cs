using System.Text.Json;
using ShopAffiliate.Core.Coupons;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>What a store's WordPress REST index says (<see cref="WooCommerceClient.ProbeAsync"/>).</summary>
/// <param name="PlainPermalinks">Only <c>/?rest_route=/</c> answered: the store has no pretty permalinks.</param>
/// <param name="HasWooCommerce"><c>wc/v3</c> is among the REST namespaces: WooCommerce is active.</param>
public sealed record WooStoreProbe(bool PlainPermalinks, bool HasWooCommerce);

/// <param name="Status"><c>active</c>, <c>paused</c> (by the merchant) or <c>disabled</c> (by WooCommerce after repeated failed deliveries).</param>
public sealed record WooWebhook(long Id, string Name, string Status, string Topic, string DeliveryUrl);

/// <param name="Orders">REST order objects, cloned: safe to keep after the response is gone.</param>
/// <param name="TotalPages">From <c>X-WP-TotalPages</c> (1 when the header is missing, 0 when nothing matched).</param>
public sealed record WooOrdersPage(IReadOnlyList<JsonElement> Orders, int Page, int TotalPages);

/// <summary>An affiliate coupon to create in the store.</summary>
/// <param name="Code">Sent lower case: WooCommerce matches coupon codes case-insensitively and stores them lower case.</param>
/// <param name="Amount">A percent (10 = 10 %) or an amount in the store currency.</param>
/// <param name="AffiliateId">Kept in the coupon's <c>_shopaffiliate_affiliate_id</c> meta so the merchant can see whose it is.</param>
public sealed record WooCouponRequest(string Code, DiscountType Type, decimal Amount, string Description, string AffiliateId);

public enum WooCouponOutcome
{
    Created,

    /// <summary>The store already has a coupon with this code (ours from an earlier push, or the merchant's).</summary>
    Taken,
}

/// <param name="CouponId">WooCommerce's id when created; null when taken.</param>
public sealed record WooCouponResult(WooCouponOutcome Outcome, long? CouponId);

/// <summary>
/// What <c>POST /wp-json/shopaffiliate/v1/config</c> takes (integrations/woocommerce/README.md section 4), sent as
/// snake_case JSON. Every field is a partial update: nulls are not sent.
/// </summary>
/// <param name="ShopId">Our shop id; the plugin accepts <c>^[A-Za-z0-9_-]{1,64}$</c>.</param>
/// <param name="LaunchSecret">Signs the launch link: 32-256 printable ASCII characters without spaces.</param>
/// <param name="AttributionModel"><c>LastClick</c> or <c>FirstClick</c> (or snake_case).</param>
/// <param name="ConsentCategory">functional, preferences, statistics, statistics-anonymous or marketing.</param>
public sealed record WooPluginConfig(
    string ShopId, string? LaunchSecret, string ServerUrl, string? WorkspaceSlug, int? CookieDays, string? AttributionModel, string? ConsentCategory)
{
    /// <summary>Keeps the launch secret out of logs (records print every property).</summary>
    public override string ToString() =>
        $"WooPluginConfig {{ ShopId = {ShopId}, HasLaunchSecret = {LaunchSecret is not null}, ServerUrl = {ServerUrl}, WorkspaceSlug = {WorkspaceSlug}, " +
        $"CookieDays = {CookieDays}, AttributionModel = {AttributionModel}, ConsentCategory = {ConsentCategory} }}";
}

/// <summary>What a WooCommerce store says about itself: its currency, and its IANA time zone when WordPress shares it.</summary>
public sealed record WooStoreSettings(string Currency, string? TimeZone);
