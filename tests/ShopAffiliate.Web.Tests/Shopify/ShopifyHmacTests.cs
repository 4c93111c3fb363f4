using System.Text;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyHmacTests
{
    private static readonly string[] Secrets = ["hush"];

    // An OAuth callback query. The expected digest was computed outside .NET:
    //   printf '%s' 'code=0907a61c0c8d55e99db179b68161bc00&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvamFuZXMtc2hvcA%3D%3D&shop=janes-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173' \
    //     | openssl dgst -sha256 -hmac hush
    private const string CallbackHmac = "67bc1ba4fb6e58c81740f1cc3b77d522fa05e109ee600c84c8f80f1cdfe61918";

    private static List<KeyValuePair<string, string>> Callback(string hmac = CallbackHmac) =>
    [
        new("shop", "janes-shop.myshopify.com"),
        new("hmac", hmac),
        new("timestamp", "1337178173"),
        new("state", "0.6784241404160823"),
        new("host", "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvamFuZXMtc2hvcA=="), // base64 of admin.shopify.com/store/janes-shop
        new("code", "0907a61c0c8d55e99db179b68161bc00"),
    ];

    // Values that need form-urlencoding (space, '/', '?', '=', '&', 'é', '!', '~'). Computed with:
    //   printf '%s' 'embedded=1&locale=fr+CA&path=%2Fapps%2Fx%3Fa%3D1%26b%3D%C3%A9%21%7E&shop=janes-shop.myshopify.com&timestamp=1337178173' \
    //     | openssl dgst -sha256 -hmac hush          -> 9e9b72a6...
    //     | openssl dgst -sha256 -hmac old-secret    -> 553d7a7d...
    private const string EncodedQueryHmac = "9e9b72a62671f106ff2cf232d12b37c4f120405c0e0529b0c6c67fb463ffba9d";
    private const string EncodedQueryHmacWithOldSecret = "553d7a7ddab8cf5f777c3421f28adcb2f32eb35f1525a65df9d292cd8109f107";

    private static List<KeyValuePair<string, string>> Launch(string hmac) =>
    [
        new("timestamp", "1337178173"),
        new("shop", "janes-shop.myshopify.com"),
        new("path", "/apps/x?a=1&b=é!~"),
        new("locale", "fr CA"),
        new("embedded", "1"),
        new("hmac", hmac),
    ];

    // A webhook body with a JSON escape and a multi-byte character: the signature is over the raw bytes. Computed with:
    //   printf '%s' '{"id":5812345678901,"note":"caf\u00e9 ☕"}' | openssl dgst -sha256 -hmac hush -binary | base64
    private const string WebhookBody = """{"id":5812345678901,"note":"caf\u00e9 ☕"}""";
    private const string WebhookHmac = "FN4X9aojDrNPAJLkRq0IlqKI3k3C04Rc4LIYcU6vJ0I=";

    [Fact]
    public void OAuthCallbackQueryWithShopifysHmacIsAccepted() =>
        Assert.True(ShopifyHmac.VerifyQuery(Callback(), Secrets));

    [Fact]
    public void QueryIsSortedByKeyAndFormUrlEncodedBeforeSigning()
    {
        Assert.Equal(
            "embedded=1&locale=fr+CA&path=%2Fapps%2Fx%3Fa%3D1%26b%3D%C3%A9%21%7E&shop=janes-shop.myshopify.com&timestamp=1337178173",
            ShopifyHmac.CanonicalQuery(Launch("ignored")));
        Assert.True(ShopifyHmac.VerifyQuery(Launch(EncodedQueryHmac), Secrets));
    }

    [Fact]
    public void SignQueryProducesTheOpenSslDigest() =>
        Assert.Equal(CallbackHmac, ShopifyHmac.SignQuery(Callback("whatever"), "hush"));

    [Fact]
    public void ChangedParameterIsRejected()
    {
        var query = Callback();
        query[0] = new("shop", "evil-shop.myshopify.com");
        Assert.False(ShopifyHmac.VerifyQuery(query, Secrets));
    }

    [Fact]
    public void SignatureParameterIsLeftOutOfTheMessage()
    {
        var query = Callback();
        query.Add(new("signature", "legacy-value"));
        Assert.True(ShopifyHmac.VerifyQuery(query, Secrets));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("67bc1ba4fb6e58c8")]
    [InlineData("67bc1ba4fb6e58c81740f1cc3b77d522fa05e109ee600c84c8f80f1cdfe61919")]
    public void MissingShortOrWrongHmacIsRejected(string hmac) =>
        Assert.False(ShopifyHmac.VerifyQuery(Callback(hmac), Secrets));

    [Fact]
    public void QueryWithoutHmacIsRejected() =>
        Assert.False(ShopifyHmac.VerifyQuery(Callback().Where(p => p.Key != "hmac"), Secrets));

    [Fact]
    public void QueryWithTwoHmacParametersIsRejected()
    {
        var query = Callback();
        query.Add(new("hmac", CallbackHmac));
        Assert.False(ShopifyHmac.VerifyQuery(query, Secrets));
    }

    [Fact]
    public void WrongSecretOrNoSecretRejectsTheQuery()
    {
        Assert.False(ShopifyHmac.VerifyQuery(Callback(), ["other"]));
        Assert.False(ShopifyHmac.VerifyQuery(Callback(), []));
        Assert.False(ShopifyHmac.VerifyQuery(Callback(), [""]));
    }

    [Fact]
    public void PreviousSecretStillVerifiesDuringRotation()
    {
        var options = new ShopifyOptions { ApiKey = "k", ApiSecret = "hush", PreviousApiSecret = "old-secret" };
        Assert.True(ShopifyHmac.VerifyQuery(Launch(EncodedQueryHmacWithOldSecret), options.Secrets));
        Assert.True(ShopifyHmac.VerifyQuery(Launch(EncodedQueryHmac), options.Secrets));
        Assert.False(ShopifyHmac.VerifyQuery(Launch(EncodedQueryHmacWithOldSecret), ["hush"]));
    }

    [Theory]
    [InlineData("1337178173", 0, true)]
    [InlineData("1337178173", 90, true)]
    [InlineData("1337178173", -90, true)]
    [InlineData("1337178173", 91, false)]
    [InlineData("1337178173", -91, false)]
    [InlineData("", 0, false)]
    [InlineData("-5", 0, false)]
    [InlineData("1337178173.5", 0, false)]
    [InlineData("99999999999999999999", 0, false)]
    public void TimestampMustBeWithinNinetySeconds(string timestamp, int secondsLater, bool fresh)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1337178173).AddSeconds(secondsLater);
        Assert.Equal(fresh, ShopifyHmac.IsFresh(timestamp, now, TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void MissingTimestampIsNotFresh() =>
        Assert.False(ShopifyHmac.IsFresh(null, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(90)));

    [Fact]
    public void WebhookSignedOverTheRawBytesIsAccepted()
    {
        var body = Encoding.UTF8.GetBytes(WebhookBody);
        Assert.True(ShopifyHmac.VerifyWebhook(body, WebhookHmac, Secrets));
        Assert.Equal(WebhookHmac, ShopifyHmac.SignWebhook(body, "hush"));
    }

    [Fact]
    public void WebhookWithReserializedBodyIsRejected()
    {
        // The same JSON, re-serialised (the escape decoded): different bytes, so a different signature.
        var body = Encoding.UTF8.GetBytes("""{"id":5812345678901,"note":"café ☕"}""");
        Assert.False(ShopifyHmac.VerifyWebhook(body, WebhookHmac, Secrets));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("%%%not-base64%%%")]
    [InlineData("FN4X9aojDrNPAJLkRq0Ilg==")]
    [InlineData("FN4X9aojDrNPAJLkRq0IlqKI3k3C04Rc4LIYcU6vJ0IFN4X9aojDrNPAJLk=")]
    public void WebhookWithMissingOrGarbageSignatureIsRejected(string? header) =>
        Assert.False(ShopifyHmac.VerifyWebhook(Encoding.UTF8.GetBytes(WebhookBody), header, Secrets));

    [Fact]
    public void WebhookSignedWithThePreviousSecretIsAcceptedDuringRotation()
    {
        var body = Encoding.UTF8.GetBytes(WebhookBody);
        var options = new ShopifyOptions { ApiKey = "k", ApiSecret = "new-secret", PreviousApiSecret = "hush" };
        Assert.True(ShopifyHmac.VerifyWebhook(body, WebhookHmac, options.Secrets));
        Assert.False(ShopifyHmac.VerifyWebhook(body, WebhookHmac, ["new-secret"]));
    }
}
