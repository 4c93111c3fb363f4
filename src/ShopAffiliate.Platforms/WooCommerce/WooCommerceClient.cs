using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Refit;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// The WooCommerce REST API v3 calls the app makes, through the named HttpClient <see cref="ClientName"/>: key check,
/// webhooks, the orders reconcile, affiliate coupons and the companion plugin's config. Failures throw
/// <see cref="WooApiException"/>; no message ever holds a key or secret.
/// </summary>
public sealed class WooCommerceClient(IHttpClientFactory httpClientFactory, IOptions<WooCommerceOptions> options, TimeProvider clock)
{
    /// <summary>The named HttpClient <see cref="WooCommerceServiceCollectionExtensions.AddWooCommerceClients"/> registers.</summary>
    public const string ClientName = "WooCommerce";

    /// <summary>WooCommerce's largest <c>per_page</c>.</summary>
    public const int PageSize = 100;

    /// <summary>The coupon meta that names the affiliate.</summary>
    public const string AffiliateMetaKey = "_shopaffiliate_affiliate_id";

    private const string CouponCodeTaken = "woocommerce_rest_coupon_code_already_exists";

    // 2,000 webhooks: far more than any store has; stops a server that always reports another page.
    private const int MaxWebhookPages = 20;

    // 2,000 refunds of one order: a list that claims more is not to be trusted, and a partial one would be read as
    // "these refunds are not in the store's list".
    private const int MaxRefundPages = 20;

    private WooCommerceOptions Options => options.Value;

    /// <summary>
    /// Finds the store's REST API without a key: <c>GET {store}/wp-json/</c>, and when that is not a JSON REST index,
    /// <c>GET {store}/?rest_route=/</c> (then <see cref="WooStoreProbe.PlainPermalinks"/>). Neither answering is a
    /// <see cref="WooApiException"/> a merchant can act on.
    /// </summary>
    public async Task<WooStoreProbe> ProbeAsync(Uri store, CancellationToken ct)
    {
        RequireReachable(store);
        var api = WooHttp.For(httpClientFactory, store);
        var now = clock.GetUtcNow();

        using var pretty = await api.IndexAsync(new WooCall(store, false, null, now), ct);
        if (pretty.HasRequestError(out _))
            throw WooHttp.Failure(pretty, "REST API check", store);
        if (Namespaces(pretty) is { } prettyNamespaces)
            return new(false, prettyNamespaces.Contains("wc/v3"));

        using var plain = await api.IndexAsync(new WooCall(store, true, null, now), ct);
        if (Namespaces(plain) is { } plainNamespaces)
            return new(true, plainNamespaces.Contains("wc/v3"));
        throw new WooApiException(
            $"There is no WordPress REST API at {WooStoreUrl.Root(store)}: /wp-json/ answered {Answer(pretty)} and /?rest_route=/ answered {Answer(plain)}. " +
            "Check the store address, and that no security plugin turns the REST API off.",
            plain.StatusCode);
    }

    /// <summary>
    /// Checks a key with <c>GET /wc/v3/orders?per_page=1</c> (read scope is enough) and returns the <see cref="WooStore"/>
    /// that worked. https: Basic first; after a 401 (hosts that strip the Authorization header) the key goes as
    /// <c>consumer_key</c>/<c>consumer_secret</c> query parameters (<see cref="WooAuthMode.QueryString"/>). http: OAuth 1.0a,
    /// only with <see cref="WooCommerceOptions.AllowHttpStores"/>. A refused key is a <see cref="WooApiException"/> with
    /// <see cref="WooApiException.Unauthorized"/>.
    /// </summary>
    public async Task<WooStore> VerifyKeysAsync(Uri store, bool plainPermalinks, string consumerKey, string consumerSecret, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerSecret);
        RequireReachable(store);
        var api = WooHttp.For(httpClientFactory, store);

        if (store.Scheme == Uri.UriSchemeHttp)
        {
            var signed = new WooStore(store, consumerKey, consumerSecret, WooAuthMode.OAuth1, plainPermalinks);
            return await CheckKeyAsync(api, signed, ct) is { } failure ? throw failure : signed;
        }

        var basic = new WooStore(store, consumerKey, consumerSecret, WooAuthMode.Basic, plainPermalinks);
        var basicFailure = await CheckKeyAsync(api, basic, ct);
        if (basicFailure is null)
            return basic;
        if (!basicFailure.Unauthorized)
            throw basicFailure;
        var query = basic with { AuthMode = WooAuthMode.QueryString };
        return await CheckKeyAsync(api, query, ct) is { } queryFailure ? throw queryFailure : query;
    }

    /// <summary>Every webhook of the store (all pages of <c>GET /webhooks?per_page=100</c>, as <c>X-WP-TotalPages</c> says).</summary>
    public async Task<IReadOnlyList<WooWebhook>> ListWebhooksAsync(WooStore store, CancellationToken ct)
    {
        var api = Api(store);
        var webhooks = new List<WooWebhook>();
        for (var page = 1; page <= MaxWebhookPages; page++)
        {
            using var response = await api.WebhooksAsync(Call(store), PageSize, page, ct);
            if (!response.IsSuccessful || response.Content is not { } items)
                throw WooHttp.Failure(response, "webhook list", store.BaseUrl);
            webhooks.AddRange(items.Select(ToWebhook));
            if (page >= TotalPages(response))
                break;
        }

        return webhooks;
    }

    /// <summary>
    /// <c>POST /webhooks</c>, active at once. Always our own <paramref name="secret"/> (<see cref="WooWebhookSignature.NewSecret"/>):
    /// WooCommerce never returns one it generated. It pings <paramref name="deliveryUrl"/> during this call
    /// (<see cref="WooWebhookSignature.IsPing"/>).
    /// </summary>
    /// <param name="topic">E.g. <see cref="WooWebhookTopics.OrderUpdated"/>.</param>
    /// <param name="secret">Letters and digits only: WooCommerce HTML-decodes the secret before signing.</param>
    public async Task<WooWebhook> CreateWebhookAsync(
        WooStore store, string name, string topic, string deliveryUrl, string secret, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (!Uri.TryCreate(deliveryUrl, UriKind.Absolute, out var delivery) || (delivery.Scheme != Uri.UriSchemeHttps && delivery.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("The webhook delivery URL must be an absolute http(s) URL.", nameof(deliveryUrl));
        if (string.IsNullOrEmpty(secret) || !secret.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException("The webhook secret must be letters and digits only (WooCommerce HTML-decodes it before signing).", nameof(secret));

        using var response = await Api(store).CreateWebhookAsync(
            Call(store), new WooWebhookCreate(name.Trim(), topic.Trim(), deliveryUrl, secret, "active"), ct);
        return response.IsSuccessful && response.Content is { } created
            ? ToWebhook(created)
            : throw WooHttp.Failure(response, $"{topic.Trim()} webhook creation", store.BaseUrl);
    }

    /// <summary>
    /// <c>PUT /webhooks/{id}</c> <c>{"status":"active"}</c>: re-enables a paused or disabled webhook; it keeps its secret.
    /// WooCommerce keeps its failure count too, so until a delivery succeeds one more failure disables it again.
    /// </summary>
    public async Task<WooWebhook> ActivateWebhookAsync(WooStore store, long id, CancellationToken ct)
    {
        using var response = await Api(store).UpdateWebhookAsync(Call(store), id, new WooWebhookStatus("active"), ct);
        return response.IsSuccessful && response.Content is { } updated
            ? ToWebhook(updated)
            : throw WooHttp.Failure(response, $"webhook {id} activation", store.BaseUrl);
    }

    /// <summary>
    /// One page of the orders modified after <paramref name="modifiedAfterUtc"/>, oldest change first
    /// (<c>modified_after</c> + <c>dates_are_gmt=true</c>, <c>orderby=modified&amp;order=asc</c>, 100 per page). The time goes
    /// without an offset (<c>2025-03-14T15:28:02</c>): WordPress's date query would turn a <c>Z</c> time into site time and
    /// compare it with the GMT column. "After" is strict and to the second: overlap the previous pass a little.
    /// </summary>
    /// <param name="modifiedAfterUtc">UTC; an unspecified kind is read as UTC.</param>
    /// <param name="page">1-based.</param>
    public async Task<WooOrdersPage> ListOrdersModifiedAfterAsync(WooStore store, DateTime modifiedAfterUtc, int page, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        var after = (modifiedAfterUtc.Kind == DateTimeKind.Local ? modifiedAfterUtc.ToUniversalTime() : modifiedAfterUtc)
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        using var response = await Api(store).OrdersAsync(Call(store), after, "true", "modified", "asc", PageSize, page, ct);
        if (!response.IsSuccessful)
            throw WooHttp.Failure(response, "order list", store.BaseUrl);
        if (response.Content.ValueKind != JsonValueKind.Array)
            throw new WooApiException($"WooCommerce order list for {WooStoreUrl.DomainOf(store.BaseUrl)} returned something other than a list of orders.",
                response.StatusCode);
        return new(response.Content.EnumerateArray().Select(o => o.Clone()).ToList(), page, TotalPages(response));
    }

    /// <summary>
    /// <c>GET /orders/{id}/refunds</c>: every refund of the order with its lines, newest first as WooCommerce lists them,
    /// 100 a page for as many pages as <c>X-WP-TotalPages</c> says (an order refunded line by line can pass 100).
    /// Map each with <see cref="WooOrderMapper.MapRefundDetail"/>.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> ListRefundsAsync(WooStore store, string orderId, CancellationToken ct)
    {
        RequireOrderId(orderId);
        var api = Api(store);
        var refunds = new List<JsonElement>();
        for (var page = 1; page <= MaxRefundPages; page++)
        {
            using var response = await api.RefundsAsync(Call(store), orderId, PageSize, page, ct);
            if (!response.IsSuccessful)
                throw WooHttp.Failure(response, $"refund list of order {orderId}", store.BaseUrl);
            if (response.Content.ValueKind != JsonValueKind.Array)
                throw new WooApiException($"WooCommerce refund list of order {orderId} for {WooStoreUrl.DomainOf(store.BaseUrl)} returned something other than a list.",
                    response.StatusCode);
            refunds.AddRange(response.Content.EnumerateArray().Select(r => r.Clone()));
            if (page >= TotalPages(response) || response.Content.GetArrayLength() == 0)
                break;
            if (page == MaxRefundPages)
                throw new WooApiException(
                    $"WooCommerce refund list of order {orderId} for {WooStoreUrl.DomainOf(store.BaseUrl)} reports more than {MaxRefundPages} pages of {PageSize}.",
                    response.StatusCode);
        }

        return refunds;
    }

    /// <summary><c>GET /orders/{id}</c>: the order as the REST API gives it (the shape of an order webhook body).</summary>
    public async Task<JsonElement> GetOrderAsync(WooStore store, string orderId, CancellationToken ct)
    {
        RequireOrderId(orderId);
        using var response = await Api(store).OrderAsync(Call(store), orderId, ct);
        if (!response.IsSuccessful)
            throw WooHttp.Failure(response, $"order {orderId}", store.BaseUrl);
        if (response.Content.ValueKind != JsonValueKind.Object)
            throw new WooApiException($"WooCommerce order {orderId} for {WooStoreUrl.DomainOf(store.BaseUrl)} is not a JSON object.", response.StatusCode);
        return response.Content.Clone();
    }

    /// <summary>
    /// <c>POST /coupons</c>: a whole-cart coupon that cannot be combined with others (<c>individual_use</c>). Percentage maps
    /// to <c>percent</c>, fixed amount to <c>fixed_cart</c>; the amount goes as an invariant string (<c>"10.00"</c>).
    /// A code the store already has comes back as <see cref="WooCouponOutcome.Taken"/>; other refusals throw.
    /// </summary>
    public async Task<WooCouponResult> CreateCouponAsync(WooStore store, WooCouponRequest coupon, CancellationToken ct)
    {
        var body = CouponBody(coupon);
        using var response = await Api(store).CreateCouponAsync(Call(store), body, ct);
        if (response.IsSuccessful && response.Content is { } created)
            return new(WooCouponOutcome.Created, created.Id);
        if (response.StatusCode == HttpStatusCode.BadRequest && response.HasResponseError(out var error)
            && WooHttp.ReadError(error.Content).Code == CouponCodeTaken)
            return new(WooCouponOutcome.Taken, null);
        throw WooHttp.Failure(response, $"coupon '{body.Code}' creation", store.BaseUrl);
    }

    /// <summary>
    /// Takes a coupon out of use: <c>PUT /coupons/{id}</c> with <c>date_expires</c> set to the day before today (UTC).
    /// WooCommerce reads that date in the store's own time zone, so a whole day back is in the past wherever the store
    /// is; its checkout then refuses the code as expired, and the merchant still sees it in the coupon list.
    /// </summary>
    public async Task ExpireCouponAsync(WooStore store, long couponId, CancellationToken ct)
    {
        var yesterday = clock.GetUtcNow().UtcDateTime.Date.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var response = await Api(store).ExpireCouponAsync(Call(store), couponId, new WooCouponExpiry(yesterday), ct);
        if (!response.IsSuccessful)
            throw WooHttp.Failure(response, $"coupon {couponId} expiry", store.BaseUrl);
    }

    /// <summary>
    /// <c>POST {store}/wp-json/shopaffiliate/v1/config</c> (plain permalinks: <c>?rest_route=/shopaffiliate/v1/config</c>),
    /// authenticated like the <c>/wc/v3</c> calls. False on 404: the companion plugin is not installed (or not active).
    /// </summary>
    public async Task<bool> PushConfigAsync(WooStore store, WooPluginConfig config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(config.ShopId, nameof(config));
        ArgumentException.ThrowIfNullOrWhiteSpace(config.ServerUrl, nameof(config));

        using var response = await Api(store).PushConfigAsync(Call(store), config, ct);
        if (response.IsSuccessStatusCode)
            return true;
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        throw WooHttp.Failure(response, "plugin configuration", store.BaseUrl);
    }

    /// <summary>
    /// The store's currency (<c>GET /settings/general</c>, <c>woocommerce_currency</c>) and, when WordPress lets the key read
    /// its settings, its time zone: <c>timezone_string</c>, else a whole-hour <c>gmt_offset</c> as <c>Etc/GMT∓N</c>.
    /// The time zone is null when WordPress refuses (401/403, the usual answer to a WooCommerce key), the route is missing,
    /// or the store gives only a fractional offset. A store that does not say its currency throws.
    /// </summary>
    public async Task<WooStoreSettings> StoreSettingsAsync(WooStore store, CancellationToken ct)
    {
        using var general = await Api(store).GeneralSettingsAsync(Call(store), ct);
        if (!general.IsSuccessful)
            throw WooHttp.Failure(general, "general settings", store.BaseUrl);
        var currency = general.Content.ValueKind == JsonValueKind.Array
            ? general.Content.EnumerateArray()
                .Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && id.GetString() == "woocommerce_currency")
                .Select(s => s.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim().ToUpperInvariant() : null)
                .FirstOrDefault()
            : null;
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
            throw new WooApiException($"WooCommerce at {WooStoreUrl.DomainOf(store.BaseUrl)} did not give its currency (woocommerce_currency).", general.StatusCode);

        using var wordPress = await Api(store).WordPressSettingsAsync(Call(store), ct);
        string? timeZone = null;
        if (wordPress.IsSuccessful && wordPress.Content.ValueKind == JsonValueKind.Object)
        {
            var content = wordPress.Content;
            timeZone = ProgramTimeZone.Normalize(content.TryGetProperty("timezone_string", out var zone) && zone.ValueKind == JsonValueKind.String ? zone.GetString() : null)
                ?? (content.TryGetProperty("gmt_offset", out var offset) && OffsetHours(offset) is { } hours ? ProgramTimeZone.FromUtcOffsetHours(hours) : null);
        }
        return new(currency, timeZone);

        // WordPress sends gmt_offset as a number or as a string ("5.5").
        static decimal? OffsetHours(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    private IWooRestApi Api(WooStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        RequireReachable(store.BaseUrl);
        if (store.BaseUrl.Scheme == Uri.UriSchemeHttp && store.AuthMode != WooAuthMode.OAuth1)
            throw new ArgumentException("An http:// store must use OAuth1: any other mode would send the consumer secret in clear text.", nameof(store));
        return WooHttp.For(httpClientFactory, store.BaseUrl);
    }

    private WooCall Call(WooStore store) => WooCall.For(store, clock.GetUtcNow());

    private static void RequireOrderId(string orderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        if (!orderId.All(char.IsAsciiDigit))
            throw new ArgumentException($"A WooCommerce order id is digits, not '{orderId}'.", nameof(orderId));
    }

    private void RequireReachable(Uri store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!store.IsAbsoluteUri || (store.Scheme != Uri.UriSchemeHttps && store.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("The store address must be an absolute http(s) URL.", nameof(store));
        if (store.Scheme == Uri.UriSchemeHttp && !Options.AllowHttpStores)
            throw new WooApiException(
                $"{WooStoreUrl.DomainOf(store)} is an http:// store: use https://, or set WooCommerce:AllowHttpStores to true for a local test shop.");
    }

    private async Task<WooApiException?> CheckKeyAsync(IWooRestApi api, WooStore store, CancellationToken ct)
    {
        using var response = await api.OrdersAsync(Call(store), null, null, null, null, 1, null, ct);
        return response.IsSuccessful ? null : WooHttp.Failure(response, "API key check", store.BaseUrl);
    }

    private static WooCouponCreate CouponBody(WooCouponRequest coupon)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        if (string.IsNullOrWhiteSpace(coupon.Code))
            throw new ArgumentException("A coupon code is required.", nameof(coupon));
        if (string.IsNullOrWhiteSpace(coupon.AffiliateId))
            throw new ArgumentException("The coupon's affiliate id is required.", nameof(coupon));
        var type = coupon.Type switch
        {
            DiscountType.Percentage when coupon.Amount is > 0m and <= 100m => "percent",
            DiscountType.FixedAmount when coupon.Amount > 0m => "fixed_cart",
            DiscountType.Percentage => throw new ArgumentException("A percentage discount must be above 0 and at most 100.", nameof(coupon)),
            _ => throw new ArgumentException("A fixed discount must be above 0.", nameof(coupon)),
        };
        return new(
            coupon.Code.Trim().ToLowerInvariant(),
            type,
            coupon.Amount.ToString("0.00##", CultureInfo.InvariantCulture),
            IndividualUse: true,
            coupon.Description ?? "",
            [new WooMeta(AffiliateMetaKey, coupon.AffiliateId.Trim())]);
    }

    private static WooWebhook ToWebhook(WooWebhookJson json) =>
        new(json.Id, json.Name ?? "", json.Status ?? "", json.Topic ?? "", json.DeliveryUrl ?? "");

    /// <summary><c>X-WP-TotalPages</c>; 1 when missing or unreadable.</summary>
    private static int TotalPages(IApiResponse response) =>
        response.Headers is { } headers && headers.TryGetValues("X-WP-TotalPages", out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
            ? pages
            : 1;

    /// <summary>The REST index's namespaces, or null when the answer is not a WordPress REST index.</summary>
    private static HashSet<string>? Namespaces(IApiResponse<string> response)
    {
        if (!response.IsSuccessful || string.IsNullOrWhiteSpace(response.Content))
            return null;
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("namespaces", out var namespaces) && namespaces.ValueKind == JsonValueKind.Array
                ? namespaces.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Answer(IApiResponse<string> response) =>
        response.HasRequestError(out var error) ? $"nothing ({error.InnerException?.Message ?? "the connection failed"})"
        : response.IsSuccessful ? $"HTTP {(int?)response.StatusCode} without a REST index"
        : $"HTTP {(int?)response.StatusCode}";
}
