using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// What one REST call needs besides its path: which store, whether it only has plain permalinks, the key (null for the
/// anonymous probe) and the time for an OAuth timestamp. Travels in <see cref="HttpRequestMessage.Options"/> to
/// <see cref="WooRequestHandler"/>.
/// </summary>
internal sealed record WooCall(Uri Store, bool PlainPermalinks, WooStore? Credentials, DateTimeOffset Now)
{
    public static WooCall For(WooStore store, DateTimeOffset now) => new(store.BaseUrl, store.PlainPermalinks, store, now);
}

/// <summary>How our Refit client reaches a store: one named HttpClient, its base address per store, errors made readable.</summary>
internal static class WooHttp
{
    public const string CallKey = "ShopAffiliate.WooCommerce.Call";

    public static readonly HttpRequestOptionsKey<WooCall> CallOption = new(CallKey);

    /// <summary>WooCommerce's JSON is snake_case; nulls are left out (the plugin config is a partial update).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Buffered: a Content-Length body, because some PHP hosts cannot read a chunked request body.
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(Json)) { Buffered = true };

    public static IWooRestApi For(IHttpClientFactory factory, Uri store)
    {
        var client = factory.CreateClient(WooCommerceClient.ClientName);
        client.BaseAddress = new Uri(WooStoreUrl.Root(store), UriKind.Absolute);
        return RestService.For<IWooRestApi>(client, Settings);
    }

    /// <summary><c>{home}/wp-json/wc/v3/orders?x=1</c> -> <c>{home}/?rest_route=/wc/v3/orders&amp;x=1</c> (what <c>rest_url()</c> writes without pretty permalinks).</summary>
    public static Uri PlainRoute(Uri request, Uri store)
    {
        var root = WooStoreUrl.Root(store);
        var prefix = new Uri(root + "/", UriKind.Absolute).AbsolutePath + "wp-json";
        var path = request.AbsolutePath;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"'{path}' is not a REST route of {WooStoreUrl.DomainOf(store)}.");
        var route = path[prefix.Length..];
        var query = request.Query.TrimStart('?');
        return new Uri(root + "/?rest_route=" + (route.Length == 0 ? "/" : route) + (query.Length > 0 ? "&" + query : ""), UriKind.Absolute);
    }

    /// <summary>Adds already-escaped <c>key=value</c> pairs to the query, keeping what is there byte for byte.</summary>
    public static Uri AppendQuery(Uri uri, string pairs)
    {
        var query = uri.Query;
        return new Uri(uri.GetLeftPart(UriPartial.Path) + (query.Length > 1 ? query + "&" : "?") + pairs, UriKind.Absolute);
    }

    /// <summary>Turns a failed Refit response into a <see cref="WooApiException"/> that says what went wrong, for a merchant and for us.</summary>
    public static WooApiException Failure(IApiResponse response, string operation, Uri store)
    {
        var where = WooStoreUrl.DomainOf(store);
        if (response.HasRequestError(out var requestError))
            // Only the transport failure goes along: Refit's exception holds the request, key and all.
            return new($"WooCommerce {operation} for {where} failed: no response ({requestError.InnerException?.Message ?? "the connection failed"}).",
                inner: requestError.InnerException);

        var status = response.StatusCode;
        var (code, message) = ReadError(response.HasResponseError(out var apiError) ? apiError.Content : null);
        var what = status switch
        {
            HttpStatusCode.Unauthorized => "the store refused the API key (revoked, wrong secret, or without the permission needed)",
            HttpStatusCode.Forbidden => "the API key's user may not do this (it needs the manage_woocommerce capability)",
            HttpStatusCode.NotFound => "not found (is WooCommerce active and its REST API reachable?)",
            HttpStatusCode.TooManyRequests => "rate limited",
            _ when response.IsSuccessStatusCode => "the response could not be read",
            _ => null,
        };
        var detail = string.Join("; ", new[] { what, code, message }.Where(s => !string.IsNullOrWhiteSpace(s))).TrimEnd('.');
        return new($"WooCommerce {operation} for {where} failed with HTTP {(int?)status}{(detail.Length > 0 ? ": " + detail : "")}.",
            status, code);
    }

    /// <summary>The WordPress error <c>{"code","message","data":{"status","errors":{field: text}}}</c>; other bodies are cut short.</summary>
    public static (string? Code, string? Message) ReadError(string? content) => ErrorBody.Read(content, root =>
    {
        var message = new StringBuilder(ErrorBody.Text(root, "message") ?? "");
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.String))
                message.Append(message.Length > 0 ? " " : "").Append(field.Value.GetString());
        }
        return (ErrorBody.Text(root, "code"), message.ToString());
    });
}

/// <summary>
/// Puts each call in the form its store understands: the plain-permalinks route when needed, then the key as
/// <see cref="WooStore.AuthMode"/> says (Basic header, query parameters, or an OAuth 1.0a signature). Requests without a
/// <see cref="WooCall"/> pass untouched.
/// </summary>
internal sealed class WooRequestHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && request.Options.TryGetValue(WooHttp.CallOption, out var call))
        {
            if (call.PlainPermalinks)
                uri = WooHttp.PlainRoute(uri, call.Store);
            switch (call.Credentials)
            {
                case { AuthMode: WooAuthMode.Basic } store:
                    request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(store.ConsumerKey + ":" + store.ConsumerSecret)));
                    break;
                case { AuthMode: WooAuthMode.QueryString } store:
                    uri = WooHttp.AppendQuery(uri,
                        "consumer_key=" + Uri.EscapeDataString(store.ConsumerKey) + "&consumer_secret=" + Uri.EscapeDataString(store.ConsumerSecret));
                    break;
                case { AuthMode: WooAuthMode.OAuth1 } store:
                    uri = WooOAuth1.Sign(request.Method, uri, store.ConsumerKey, store.ConsumerSecret, call.Now, WooOAuth1.NewNonce());
                    break;
            }

            request.RequestUri = uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
