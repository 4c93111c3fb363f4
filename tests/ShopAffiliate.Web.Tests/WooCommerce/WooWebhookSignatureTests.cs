using System.Text;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooWebhookSignatureTests
{
    private const string Secret = "Abc123secretXYZ";

    // A body with a JSON escape and a multi-byte character: the signature is over the raw bytes. Computed with:
    //   body='{"id":727,"status":"processing","note":"caf\u00e9 ☕"}'
    //   printf '%s' "$body" | openssl dgst -sha256 -hmac Abc123secretXYZ -binary | base64
    private const string Body = """{"id":727,"status":"processing","note":"caf\u00e9 ☕"}""";
    private const string Signature = "M+OH4O1EzaoTK5E9/7ryFtiCismgIVM3kE1dxKzsgJg=";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void SignProducesTheOpenSslValue() => Assert.Equal(Signature, WooWebhookSignature.Sign(Bytes(Body), Secret));

    [Fact]
    public void WooCommercesSignatureVerifies() => Assert.True(WooWebhookSignature.Verify(Bytes(Body), Signature, Secret));

    [Fact]
    public void TamperedBodyOrOtherSecretFails()
    {
        Assert.False(WooWebhookSignature.Verify(Bytes(Body.Replace("727", "728", StringComparison.Ordinal)), Signature, Secret));
        Assert.False(WooWebhookSignature.Verify(Bytes(Body), Signature, Secret + "x"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("M+OH4O1EzaoTK5E9/7ryFg==")] // too short
    [InlineData("M+OH4O1EzaoTK5E9/7ryFtiCismgIVM3kE1dxKzsgJgAAAA=")] // too long
    public void MissingOrGarbageSignatureFails(string? header) => Assert.False(WooWebhookSignature.Verify(Bytes(Body), header, Secret));

    [Fact]
    public void EmptySecretNeverVerifies() =>
        Assert.False(WooWebhookSignature.Verify(Bytes(Body), WooWebhookSignature.Sign(Bytes(Body), "x"), ""));

    [Fact]
    public void NewSecretIsFortyLettersOrDigits()
    {
        var secret = WooWebhookSignature.NewSecret();
        Assert.Matches("^[A-Za-z0-9]{40}$", secret);
        Assert.NotEqual(secret, WooWebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData("webhook_id=17", "application/x-www-form-urlencoded", 17)]
    [InlineData("webhook_id=9007199254740993", "application/x-www-form-urlencoded; charset=UTF-8", 9007199254740993)]
    [InlineData("webhook_id=3", null, 3)]
    public void PingIsRecognised(string body, string? contentType, long id)
    {
        Assert.True(WooWebhookSignature.IsPing(Bytes(body), contentType, out var webhookId));
        Assert.Equal(id, webhookId);
    }

    [Theory]
    [InlineData("webhook_id=17", "application/json")]
    [InlineData("""{"webhook_id":17}""", "application/json")]
    [InlineData("webhook_id=", "application/x-www-form-urlencoded")]
    [InlineData("webhook_id=0", "application/x-www-form-urlencoded")]
    [InlineData("webhook_id=17&x=1", "application/x-www-form-urlencoded")]
    [InlineData("webhook_id=-17", "application/x-www-form-urlencoded")]
    [InlineData("webhook_id=99999999999999999999", "application/x-www-form-urlencoded")]
    [InlineData(Body, null)]
    public void AnythingElseIsNotAPing(string body, string? contentType)
    {
        Assert.False(WooWebhookSignature.IsPing(Bytes(body), contentType, out var webhookId));
        Assert.Equal(0, webhookId);
    }
}
