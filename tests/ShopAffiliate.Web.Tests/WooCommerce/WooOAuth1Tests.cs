using ShopAffiliate.Platforms.WooCommerce;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooOAuth1Tests
{
    private const string Secret = FakeWooCommerce.ConsumerSecret;

    // A GET with its own query (a ':' and a value with a space and a '+': PHP decodes them, WooCommerce encodes twice).
    private const string OrdersUri =
        "http://shop.example.com/wp-json/wc/v3/orders?per_page=100&modified_after=2025-03-14T15%3A28%3A02&search=a%20b%2Bc"
        + "&oauth_consumer_key=ck_0123456789abcdef&oauth_nonce=abc123&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1710430082";

    // Sorted by key; each key=value rawurlencoded, then again as a whole; joined with %26.
    private const string OrdersBaseString =
        "GET&http%3A%2F%2Fshop.example.com%2Fwp-json%2Fwc%2Fv3%2Forders&modified_after%3D2025-03-14T15%253A28%253A02"
        + "%26oauth_consumer_key%3Dck_0123456789abcdef%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256"
        + "%26oauth_timestamp%3D1710430082%26per_page%3D100%26search%3Da%2520b%252Bc";

    // Computed outside .NET:
    //   printf '%s' "$OrdersBaseString" | openssl dgst -sha256 -hmac "cs_fedcba9876543210&" -binary | base64
    // and cross-checked by running WooCommerce's own check_oauth_signature / normalize_parameters / join_with_equals_sign
    // (class-wc-rest-authentication.php) in PHP over the same URI, which gives the same base string and signature.
    private const string OrdersSignature = "Kk5Kk9RccAJxp3E0Y6ARcUZPeXHwmzLiocH67jKD2dc=";

    // Plain permalinks in a subdirectory: rest_route is an ordinary signed parameter, and the base URI is the home URL
    // without its trailing '/' (get_home_url(null, '') in check_oauth_signature).
    private const string PlainCouponsUri =
        "http://example.com/store/?rest_route=/wc/v3/coupons&oauth_consumer_key=ck_0123456789abcdef&oauth_nonce=abc123"
        + "&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1710430082";

    //   base='POST&http%3A%2F%2Fexample.com%2Fstore&oauth_consumer_key%3Dck_0123456789abcdef%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1710430082%26rest_route%3D%252Fwc%252Fv3%252Fcoupons'
    //   printf '%s' "$base" | openssl dgst -sha256 -hmac "cs_fedcba9876543210&" -binary | base64
    private const string PlainCouponsBaseString =
        "POST&http%3A%2F%2Fexample.com%2Fstore&oauth_consumer_key%3Dck_0123456789abcdef%26oauth_nonce%3Dabc123"
        + "%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1710430082%26rest_route%3D%252Fwc%252Fv3%252Fcoupons";

    private const string PlainCouponsSignature = "eYM6Q2NYeQtrMo3yFJh163sYVQ0AlDwE3Zph8J6ztAQ=";

    [Fact]
    public void BaseStringAndSignatureMatchWooCommercesComputation()
    {
        Assert.Equal(OrdersBaseString, WooOAuth1.BaseString(HttpMethod.Get, new Uri(OrdersUri)));
        Assert.Equal(OrdersSignature, WooOAuth1.Signature(HttpMethod.Get, new Uri(OrdersUri), Secret));
    }

    [Fact]
    public void PlainPermalinkRouteIsSignedAgainstTheHomeUrl()
    {
        Assert.Equal(PlainCouponsBaseString, WooOAuth1.BaseString(HttpMethod.Post, new Uri(PlainCouponsUri)));
        Assert.Equal(PlainCouponsSignature, WooOAuth1.Signature(HttpMethod.Post, new Uri(PlainCouponsUri), Secret));
    }

    [Fact]
    public void SignAddsTheOAuthParametersAndTheKnownSignature()
    {
        var signed = WooOAuth1.Sign(HttpMethod.Get,
            new Uri("http://shop.example.com/wp-json/wc/v3/orders?per_page=100&modified_after=2025-03-14T15%3A28%3A02&search=a%20b%2Bc"),
            FakeWooCommerce.ConsumerKey, Secret, DateTimeOffset.FromUnixTimeSeconds(1710430082), "abc123");

        Assert.Equal(OrdersUri + "&oauth_signature=" + Uri.EscapeDataString(OrdersSignature), signed.AbsoluteUri);
    }

    [Fact]
    public void QueryParametersAreSignedSortedAndAnOldSignatureIsLeftOut()
    {
        var uri = new Uri("http://shop.example.com/wp-json/wc/v3/webhooks?page=2&per_page=100&oauth_nonce=n&oauth_signature=old&a_first=1");

        var baseString = WooOAuth1.BaseString(HttpMethod.Get, uri);

        Assert.EndsWith("&a_first%3D1%26oauth_nonce%3Dn%26page%3D2%26per_page%3D100", baseString);
        Assert.DoesNotContain("oauth_signature", baseString);
        var other = new Uri(uri.AbsoluteUri.Replace("page=2", "page=3", StringComparison.Ordinal));
        Assert.NotEqual(WooOAuth1.Signature(HttpMethod.Get, uri, Secret), WooOAuth1.Signature(HttpMethod.Get, other, Secret));
        Assert.NotEqual(WooOAuth1.Signature(HttpMethod.Get, uri, Secret), WooOAuth1.Signature(HttpMethod.Put, uri, Secret));
    }

    [Fact]
    public void RepeatedParameterSignsItsLastValueAsPhpReadsIt() =>
        Assert.Equal(
            WooOAuth1.BaseString(HttpMethod.Get, new Uri("http://shop.example.com/wp-json/wc/v3/orders?page=2")),
            WooOAuth1.BaseString(HttpMethod.Get, new Uri("http://shop.example.com/wp-json/wc/v3/orders?page=1&page=2")));

    [Theory]
    [InlineData("filter[status]=any")]
    [InlineData("a.b=1")]
    [InlineData("a+b=1")]
    public void NamesPhpWouldRewriteAreRefused(string query) =>
        Assert.Throws<ArgumentException>(() => WooOAuth1.BaseString(HttpMethod.Get, new Uri("http://shop.example.com/wp-json/wc/v3/orders?" + query)));

    [Fact]
    public void NonceIsThirtyTwoLettersOrDigits()
    {
        var nonce = WooOAuth1.NewNonce();
        Assert.Equal(32, nonce.Length);
        Assert.All(nonce, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.NotEqual(nonce, WooOAuth1.NewNonce());
    }

    [Fact]
    public async Task SignedRequestReachesTheStoreWithOAuthQueryAndNoAuthorizationHeader()
    {
        using var woo = new FakeWooCommerce(allowHttpStores: true);
        woo.Server
            .Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("[]"));
        var modifiedAfter = new DateTime(2025, 3, 14, 15, 28, 2, DateTimeKind.Utc);

        var page = await woo.Client.ListOrdersModifiedAfterAsync(FakeWooCommerce.Store(WooAuthMode.OAuth1), modifiedAfter, 1, CancellationToken.None);

        Assert.Empty(page.Orders);
        var request = Assert.Single(woo.Requests);
        Assert.Null(FakeWooCommerce.Header(request, "Authorization"));
        Assert.Equal(FakeWooCommerce.ConsumerKey, FakeWooCommerce.Param(request, "oauth_consumer_key"));
        Assert.Equal("HMAC-SHA256", FakeWooCommerce.Param(request, "oauth_signature_method"));
        Assert.Equal(woo.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            FakeWooCommerce.Param(request, "oauth_timestamp"));
        Assert.Matches("^[A-Za-z0-9]{32}$", FakeWooCommerce.Param(request, "oauth_nonce"));
        Assert.Null(FakeWooCommerce.Param(request, "consumer_secret"));
        Assert.DoesNotContain(FakeWooCommerce.ConsumerSecret, request.RequestMessage!.Url, StringComparison.Ordinal);
        Assert.Equal("2025-03-14T15:28:02", FakeWooCommerce.Param(request, "modified_after"));

        // What the store received verifies as WooCommerce would check it, against the store's own address.
        var received = new Uri("http://shop.example.com" + request.RequestMessage.AbsolutePath + request.RequestMessage.RawQuery);
        Assert.Equal(FakeWooCommerce.Param(request, "oauth_signature"), WooOAuth1.Signature(HttpMethod.Get, received, FakeWooCommerce.ConsumerSecret));
    }

    [Fact]
    public async Task HttpStoreWithoutAllowHttpStoresIsRefusedBeforeAnythingIsSent()
    {
        using var woo = new FakeWooCommerce(allowHttpStores: false);

        var error = await Assert.ThrowsAsync<WooApiException>(() => woo.Client.VerifyKeysAsync(
            FakeWooCommerce.HttpStore, false, FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, CancellationToken.None));

        Assert.Contains("https://", error.Message, StringComparison.Ordinal);
        Assert.Contains("WooCommerce:AllowHttpStores", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
        Assert.Empty(woo.Requests);
    }

    [Fact]
    public async Task HttpStoreIsVerifiedWithOAuth1WhenAllowed()
    {
        using var woo = new FakeWooCommerce(allowHttpStores: true);
        woo.Stub("GET", "/wp-json/wc/v3/orders", "[]");

        var store = await woo.Client.VerifyKeysAsync(
            FakeWooCommerce.HttpStore, false, FakeWooCommerce.ConsumerKey, FakeWooCommerce.ConsumerSecret, CancellationToken.None);

        Assert.Equal(WooAuthMode.OAuth1, store.AuthMode);
        var request = Assert.Single(woo.Requests);
        Assert.NotNull(FakeWooCommerce.Param(request, "oauth_signature"));
        Assert.Equal("1", FakeWooCommerce.Param(request, "per_page"));
    }

    [Fact]
    public async Task HttpStoreNeverSendsTheSecretInClearText()
    {
        using var woo = new FakeWooCommerce(allowHttpStores: true);

        await Assert.ThrowsAsync<ArgumentException>(() => woo.Client.ListWebhooksAsync(
            FakeWooCommerce.Store(WooAuthMode.Basic, url: FakeWooCommerce.HttpStore), CancellationToken.None));

        Assert.Empty(woo.Requests);
    }
}
