using System.Text;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Shopify;

/// <summary>Posts a webhook the way Shopify does: the raw body signed with the app secret and Shopify's headers.</summary>
public static class ShopifyWebhooks
{
    /// <param name="signature">"sign" signs the body; any other value is sent as it is; null sends no signature.</param>
    public static async Task<HttpResponseMessage> DeliverAsync(
        TestApp app, string topic, string body, DateTimeOffset triggeredAt, string? webhookId = null, string? signature = "sign")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature == "sign") request.Headers.Add("X-Shopify-Hmac-Sha256", ShopifyHmac.SignWebhook(bytes, FakeShopify.ApiSecret));
        else if (signature is not null) request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", FakeShopify.Shop);
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Triggered-At", triggeredAt.ToString("O"));
        return await app.CreateClient().SendAsync(request);
    }
}
