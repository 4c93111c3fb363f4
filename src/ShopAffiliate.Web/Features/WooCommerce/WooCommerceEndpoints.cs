using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.Shopify;

using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// Connecting a WooCommerce store (<c>/woocommerce/connect</c>, confirmed by a POST: <see cref="WooConnectEndpoints"/> ->
/// the store's key approval -> <c>/woocommerce/keys</c>), its webhooks, and the companion plugin's signed admin launch
/// (<see cref="WooLaunchEndpoint"/>).
/// </summary>
public static class WooCommerceEndpoints
{
    /// <summary>WooCommerce's POST to our callback holds a few hundred bytes.</summary>
    private const int MaxKeysBody = 16 * 1024;

    private const int MaxWebhookBody = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapWooCommerce(this IEndpointRouteBuilder app)
    {
        app.MapWooConnect();
        app.MapPost("/woocommerce/keys", KeysAsync).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Connect);
        app.MapGet("/woocommerce/return", Return).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Connect);
        app.MapGet("/woocommerce/launch", WooLaunchEndpoint.LaunchAsync).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Launch);
        app.MapPost("/webhooks/woocommerce/{shopId}", ReceiveWebhookAsync).WithTags("Webhooks").AllowAnonymous().WithBodyLimit(MaxWebhookBody).RequireRateLimiting(RateLimits.Webhooks)
            .WithSummary("WooCommerce order webhooks of one connected store (base64 HMAC-SHA256 of the raw body), and its unsigned ping.");
        return app;
    }

    /// <summary>
    /// WooCommerce posts the new keys here. Anything but exactly 200 makes WooCommerce delete the key and show the
    /// merchant an error, so every refusal is a 4xx with a reason, and 200 means the keys work and are stored.
    /// </summary>
    private static async Task<IResult> KeysAsync(
        HttpRequest request, WooConnector connector, WooCommerceClient client, IOptions<WooCommerceOptions> options,
        IDataProtectionProvider protection, ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await WebhookBody.ReadAsync(request, MaxKeysBody, ct);
        if (body is null) return Results.Problem(statusCode: 413, title: "Body too large.", detail: "The key callback is a small JSON object.");
        if (!WooKeyCallback.TryParse(body, out var keys, out var error))
            return Results.Problem(statusCode: 400, title: "Not a WooCommerce key callback.", detail: error);

        if (WooConnectEndpoints.ReadConnectToken(protection, keys!.UserId) is not var (workspaceId, store, plain))
            return Results.Problem(statusCode: 400, title: "Unknown or expired connection.",
                detail: "The connection was started more than an hour ago or not by ShopAffiliate. Press Connect again.");
        if (keys.KeyPermissions != "read_write")
            return Results.Problem(statusCode: 400, title: "Read and write access is needed.",
                detail: $"The key has '{keys.KeyPermissions}' access; ShopAffiliate creates webhooks and coupons, so it needs read_write.");

        WooStore verified;
        try
        {
            verified = await client.VerifyKeysAsync(store, plain, keys.ConsumerKey, keys.ConsumerSecret, ct);
        }
        catch (Exception e) when (e is WooApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(WooCommerceEndpoints)).LogWarning(e, "WooCommerce keys for {Store} did not work", store);
            return Results.Problem(statusCode: 400, title: "The keys did not work.", detail: $"A test call to {store} failed: {e.Message}");
        }

        try
        {
            var connection = await connector.ConnectAsync(workspaceId, verified, ct);
            return Results.Ok(new { status = "connected", shopId = connection.Shop.Id, problem = connection.Problem });
        }
        catch (StoreOwnedElsewhereException e)
        {
            return Results.Problem(statusCode: 409, title: "Connected to another program.", detail: e.Message + " Disconnect it there first.");
        }
    }

    /// <summary>Where WooCommerce sends the merchant's browser afterwards (<c>success=1|0</c>, our token as <c>user_id</c>).</summary>
    private static IResult Return(string? success, [FromQuery(Name = "user_id")] string? userId, IDataProtectionProvider protection)
    {
        if (success != "1") return Results.Redirect("/admin?woocommerce=denied");
        var store = userId is null ? null : WooConnectEndpoints.ReadConnectToken(protection, userId)?.Store;
        return Results.Redirect(store is null ? "/admin" : "/admin?connected=" + Uri.EscapeDataString(WooStoreUrl.DomainOf(store)));
    }

    /// <summary>
    /// Verify the raw bytes with the store's own secret, store, answer 200. The unsigned ping WooCommerce sends while we
    /// create a webhook is answered 200 and stored nowhere. WooCommerce's delivery id is not stable, so the inbox
    /// dedupes on a hash of topic, resource and body: the same content delivered twice is stored once.
    /// </summary>
    private static async Task<IResult> ReceiveWebhookAsync(
        string shopId, HttpRequest request, AppDbContext db, ShopSecrets secrets, InboxIntake intake, FailedRequestLimit failures, TimeProvider clock,
        CancellationToken ct)
    {
        // Every refusal below counts against the sender's budget of failures (RateLimits.Webhooks); a verified delivery never does.
        IResult Refuse(IResult failure) => failures.Refuse(RateLimits.Webhooks, request.HttpContext, failure);
        var shop = Guid.TryParse(shopId, out var id)
            ? await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == id && s.Platform == ShopPlatform.WooCommerce, ct)
            : null;
        // 404 for an unknown store: WooCommerce disables a webhook that keeps failing, which is right for a stale one.
        if (shop is null) return Refuse(Results.Problem(statusCode: 404, title: "Unknown store.", detail: "No WooCommerce store is connected under this address."));

        var body = await WebhookBody.ReadAsync(request, MaxWebhookBody, ct);
        if (body is null)
            return Refuse(Results.Problem(statusCode: 413, title: "Webhook body too large.", detail: $"Deliveries are limited to {MaxWebhookBody / 1024 / 1024} MiB."));
        string? signature = request.Headers["X-WC-Webhook-Signature"];
        if (string.IsNullOrEmpty(signature) && WooWebhookSignature.IsPing(body, request.ContentType, out _))
            return Results.Ok();

        var secret = secrets.WebhookSecret(shop);
        if (secret is null || !WooWebhookSignature.Verify(body, signature, secret))
            return Refuse(Results.Problem(statusCode: 401, title: "Invalid webhook signature.", detail: "X-WC-Webhook-Signature does not match the body."));

        string? topic = request.Headers["X-WC-Webhook-Topic"], resource = request.Headers["X-WC-Webhook-Resource"];
        if (string.IsNullOrWhiteSpace(topic))
            return Refuse(Results.Problem(statusCode: 400, title: "Missing webhook headers.", detail: "X-WC-Webhook-Topic is required."));
        topic = topic.Trim().ToLowerInvariant();

        return await WebhookBody.StoreAsync(intake, WooInbox.Message(shop, topic, resource, body, clock.GetUtcNow().UtcDateTime), ct);
    }
}

/// <summary>Stores WooCommerce order payloads in the inbox, from webhooks and from reconciliation alike.</summary>
public static class WooInbox
{
    /// <summary>Returns false when the same content was stored before.</summary>
    public static Task<bool> StoreAsync(AppDbContext db, Shop shop, string topic, string? resource, byte[] body, DateTime now, CancellationToken ct) =>
        InboxStore.TryAddAsync(db, Message(shop, topic, resource, body, now), ct);

    public static InboxMessage Message(Shop shop, string topic, string? resource, byte[] body, DateTime now) => new()
    {
        Platform = ShopPlatform.WooCommerce, ShopId = shop.Id, WorkspaceId = shop.WorkspaceId, ShopDomain = shop.Domain,
        Topic = topic, DeliveryId = DeliveryId(topic, resource, body), Body = Encoding.UTF8.GetString(body),
        ReceivedAt = now, NextAttemptAt = now,
    };

    public static string DeliveryId(string topic, string? resource, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{topic}\n{resource?.Trim().ToLowerInvariant()}\n"));
        hash.AppendData(body);
        return "wc:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
