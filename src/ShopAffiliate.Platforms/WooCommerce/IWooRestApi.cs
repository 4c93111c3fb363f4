using System.Text.Json;
using Refit;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// The REST calls we make, written for pretty permalinks (<c>{home}/wp-json/…</c>); <see cref="WooRequestHandler"/> moves
/// them to <c>{home}/?rest_route=/…</c> for plain-permalink stores and adds the key. The base address is the store's home URL.
/// </summary>
[Headers("Accept: application/json")]
internal interface IWooRestApi
{
    /// <summary>The WordPress REST index (<c>namespaces</c> tells whether WooCommerce is there); anonymous.</summary>
    [Get("/wp-json/")]
    Task<IApiResponse<string>> IndexAsync([Property(WooHttp.CallKey)] WooCall call, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/orders")]
    Task<IApiResponse<JsonElement>> OrdersAsync(
        [Property(WooHttp.CallKey)] WooCall call,
        [AliasAs("modified_after")] string? modifiedAfter,
        [AliasAs("dates_are_gmt")] string? datesAreGmt,
        [AliasAs("orderby")] string? orderBy,
        [AliasAs("order")] string? order,
        [AliasAs("per_page")] int perPage,
        [AliasAs("page")] int? page,
        CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/orders/{orderId}/refunds")]
    Task<IApiResponse<JsonElement>> RefundsAsync(
        [Property(WooHttp.CallKey)] WooCall call,
        string orderId,
        [AliasAs("per_page")] int perPage,
        [AliasAs("page")] int page,
        CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/orders/{orderId}")]
    Task<IApiResponse<JsonElement>> OrderAsync(
        [Property(WooHttp.CallKey)] WooCall call, string orderId, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/webhooks")]
    Task<IApiResponse<List<WooWebhookJson>>> WebhooksAsync(
        [Property(WooHttp.CallKey)] WooCall call,
        [AliasAs("per_page")] int perPage,
        [AliasAs("page")] int page,
        CancellationToken cancellationToken = default);

    [Post("/wp-json/wc/v3/webhooks")]
    Task<IApiResponse<WooWebhookJson>> CreateWebhookAsync(
        [Property(WooHttp.CallKey)] WooCall call, [Body] WooWebhookCreate body, CancellationToken cancellationToken = default);

    [Put("/wp-json/wc/v3/webhooks/{id}")]
    Task<IApiResponse<WooWebhookJson>> UpdateWebhookAsync(
        [Property(WooHttp.CallKey)] WooCall call, long id, [Body] WooWebhookStatus body, CancellationToken cancellationToken = default);

    [Post("/wp-json/wc/v3/coupons")]
    Task<IApiResponse<WooCouponJson>> CreateCouponAsync(
        [Property(WooHttp.CallKey)] WooCall call, [Body] WooCouponCreate body, CancellationToken cancellationToken = default);

    [Put("/wp-json/wc/v3/coupons/{id}")]
    Task<IApiResponse<WooCouponJson>> ExpireCouponAsync(
        [Property(WooHttp.CallKey)] WooCall call, long id, [Body] WooCouponExpiry body, CancellationToken cancellationToken = default);

    /// <summary>The store's general settings: a list of <c>{id, value, …}</c>, <c>woocommerce_currency</c> among them.</summary>
    [Get("/wp-json/wc/v3/settings/general")]
    Task<IApiResponse<JsonElement>> GeneralSettingsAsync([Property(WooHttp.CallKey)] WooCall call, CancellationToken cancellationToken = default);

    /// <summary>WordPress's own settings (<c>timezone_string</c>, <c>gmt_offset</c>); needs manage_options, which a
    /// WooCommerce key usually does not carry outside <c>/wc/</c>.</summary>
    [Get("/wp-json/wp/v2/settings")]
    Task<IApiResponse<JsonElement>> WordPressSettingsAsync([Property(WooHttp.CallKey)] WooCall call, CancellationToken cancellationToken = default);

    /// <summary>The companion plugin's route (integrations/woocommerce/README.md section 4).</summary>
    [Post("/wp-json/shopaffiliate/v1/config")]
    Task<IApiResponse<JsonElement>> PushConfigAsync(
        [Property(WooHttp.CallKey)] WooCall call, [Body] WooPluginConfig body, CancellationToken cancellationToken = default);
}

// Bodies and answers, snake_case through WooHttp.Json.

internal sealed record WooWebhookJson(long Id, string? Name, string? Status, string? Topic, string? DeliveryUrl);

internal sealed record WooWebhookCreate(string Name, string Topic, string DeliveryUrl, string Secret, string Status);

internal sealed record WooWebhookStatus(string Status);

internal sealed record WooCouponCreate(
    string Code, string DiscountType, string Amount, bool IndividualUse, string Description, IReadOnlyList<WooMeta> MetaData);

internal sealed record WooMeta(string Key, string Value);

/// <summary><c>date_expires</c> as a date (<c>yyyy-MM-dd</c>), read by WooCommerce in the store's time zone.</summary>
internal sealed record WooCouponExpiry(string DateExpires);

internal sealed record WooCouponJson(long Id);
