using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary><c>POST /webhooks/shopify</c>: verify the raw bytes, store, answer 200. The inbox worker does the rest.</summary>
public static class ShopifyWebhookEndpoint
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public static async Task<IResult> ReceiveAsync(
        HttpRequest request, IOptions<ShopifyOptions> options, AppDbContext db, InboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (!options.Value.Enabled)
            return Results.Problem(statusCode: 404, title: "Shopify is not configured.", detail: "Set Shopify:ApiKey and Shopify:ApiSecret.");

        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null)
            return Results.Problem(statusCode: 413, title: "Webhook body too large.", detail: $"Deliveries are limited to {MaxBodyBytes / 1024 / 1024} MiB.");
        // Fail closed: no header, a bad header or a wrong signature are all the same 401, and nothing is stored.
        if (!ShopifyHmac.VerifyWebhook(body, request.Headers["X-Shopify-Hmac-Sha256"], options.Value.Secrets))
            return Results.Problem(statusCode: 401, title: "Invalid webhook signature.", detail: "X-Shopify-Hmac-Sha256 does not match the body.");

        string? topic = request.Headers["X-Shopify-Topic"], domain = request.Headers["X-Shopify-Shop-Domain"], webhookId = request.Headers["X-Shopify-Webhook-Id"];
        if (string.IsNullOrWhiteSpace(topic) || string.IsNullOrWhiteSpace(domain) || string.IsNullOrWhiteSpace(webhookId))
            return Results.Problem(statusCode: 400, title: "Missing webhook headers.", detail: "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are required.");

        var shopDomain = domain.Trim().ToLowerInvariant();
        var shop = await db.Shops.IgnoreQueryFilters().Where(s => s.Platform == ShopPlatform.Shopify && s.Domain == shopDomain)
            .Select(s => new { s.Id, s.WorkspaceId }).FirstOrDefaultAsync(ct);
        DateTime? triggeredAt = DateTimeOffset.TryParse(request.Headers["X-Shopify-Triggered-At"], out var t) ? t.UtcDateTime : null;
        var now = clock.GetUtcNow().UtcDateTime;
        // A retried delivery (same X-Shopify-Webhook-Id) is stored already: a success too.
        if (await InboxStore.TryAddAsync(db, new InboxMessage
            {
                Platform = ShopPlatform.Shopify, ShopId = shop?.Id, WorkspaceId = shop?.WorkspaceId, ShopDomain = shopDomain,
                Topic = topic.Trim().ToLowerInvariant(), DeliveryId = webhookId.Trim(), EventId = request.Headers["X-Shopify-Event-Id"].ToString() is { Length: > 0 } e ? e : null,
                TriggeredAt = triggeredAt, Body = System.Text.Encoding.UTF8.GetString(body), ReceivedAt = now, NextAttemptAt = now,
            }, ct))
        {
            signal.Notify();
        }
        return Results.Ok();
    }
}

internal static class WebhookBody
{
    /// <summary>The raw bytes as sent (signatures are over these, not over parsed JSON); null when over the limit.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
