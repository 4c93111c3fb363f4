using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary><c>POST /webhooks/shopify</c>: verify the raw bytes, store (group commit), answer 200 once stored. The inbox worker does the rest.</summary>
public static class ShopifyWebhookEndpoint
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public static async Task<IResult> ReceiveAsync(
        HttpRequest request, IOptions<ShopifyOptions> options, InboxIntake intake, FailedRequestLimit failures, TimeProvider clock, CancellationToken ct)
    {
        if (!options.Value.Enabled)
            return Results.Problem(statusCode: 404, title: "Shopify is not configured.", detail: "Set Shopify:ApiKey and Shopify:ApiSecret.");

        // Every refusal below counts against the sender's budget of failures (RateLimits.Webhooks); a verified delivery never does.
        IResult Refuse(IResult failure) => failures.Refuse(RateLimits.Webhooks, request.HttpContext, failure);
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null)
            return Refuse(Results.Problem(statusCode: 413, title: "Webhook body too large.", detail: $"Deliveries are limited to {MaxBodyBytes / 1024 / 1024} MiB."));
        // Fail closed: no header, a bad header or a wrong signature are all the same 401, and nothing is stored.
        if (!ShopifyHmac.VerifyWebhook(body, request.Headers["X-Shopify-Hmac-Sha256"], options.Value.Secrets))
            return Refuse(Results.Problem(statusCode: 401, title: "Invalid webhook signature.", detail: "X-Shopify-Hmac-Sha256 does not match the body."));

        string? topic = request.Headers["X-Shopify-Topic"], domain = request.Headers["X-Shopify-Shop-Domain"], webhookId = request.Headers["X-Shopify-Webhook-Id"];
        if (string.IsNullOrWhiteSpace(topic) || string.IsNullOrWhiteSpace(domain) || string.IsNullOrWhiteSpace(webhookId))
            return Refuse(Results.Problem(statusCode: 400, title: "Missing webhook headers.", detail: "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are required."));

        DateTime? triggeredAt = DateTimeOffset.TryParse(request.Headers["X-Shopify-Triggered-At"], out var t) ? t.UtcDateTime : null;
        var now = clock.GetUtcNow().UtcDateTime;
        // The shop is looked up by domain in the intake writer, once per batch. A retried delivery (same
        // X-Shopify-Webhook-Id) is stored already: a success too.
        return await WebhookBody.StoreAsync(intake, new InboxMessage
        {
            Platform = ShopPlatform.Shopify, ShopDomain = domain.Trim().ToLowerInvariant(),
            Topic = topic.Trim().ToLowerInvariant(), DeliveryId = webhookId.Trim(), EventId = request.Headers["X-Shopify-Event-Id"].ToString() is { Length: > 0 } e ? e : null,
            TriggeredAt = triggeredAt, Body = System.Text.Encoding.UTF8.GetString(body), ReceivedAt = now, NextAttemptAt = now,
        }, ct);
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

    /// <summary>200 once the delivery is committed (new or a repeat); 503 with Retry-After when it could not be stored.</summary>
    public static async Task<IResult> StoreAsync(InboxIntake intake, InboxMessage message, CancellationToken ct)
    {
        try
        {
            await intake.StoreAsync(message, ct);
            return Results.Ok();
        }
        catch (InboxUnavailableException e)
        {
            return new RetryLater(Results.Problem(statusCode: 503, title: "The delivery could not be stored.", detail: e.Message + " Send it again."));
        }
    }

    private sealed class RetryLater(IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.RetryAfter = "5";
            return problem.ExecuteAsync(http);
        }
    }
}
