using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Inbox;

public enum InboxStatus
{
    Pending,
    Processed,

    /// <summary>Gave up after <see cref="InboxMessage.MaxAttempts"/>; kept with the last error for staff to replay.</summary>
    Failed,

    /// <summary>Understood and deliberately not acted on (a topic we don't use, a paused shop).</summary>
    Ignored,
}

/// <summary>
/// A verified webhook delivery, stored before we answer the platform. Unique per platform delivery id, so a retried
/// delivery is stored once. Processed later by the inbox worker; every step after this is idempotent.
/// Not tenant-filtered: deliveries are infrastructure, read only by the worker (privacy topics may outlive a shop).
/// </summary>
public sealed class InboxMessage
{
    public const int MaxAttempts = 8;

    public long Id { get; init; }
    public ShopPlatform Platform { get; init; }
    /// <summary>Settable so the intake writer can fill in a Shopify delivery's shop (looked up per batch, by domain).</summary>
    public Guid? ShopId { get; set; }

    public Guid? WorkspaceId { get; set; }
    public required string ShopDomain { get; init; }
    public required string Topic { get; init; }

    /// <summary>Shopify: X-Shopify-Webhook-Id. WooCommerce: a hash of topic, resource and body (its delivery id is not stable).</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Shopify: X-Shopify-Event-Id (shared by the subscriptions of one event).</summary>
    public string? EventId { get; init; }

    public DateTime? TriggeredAt { get; init; }
    public required string Body { get; init; }
    public DateTime ReceivedAt { get; init; }
    public InboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? ProcessedAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Stores deliveries once: the unique (platform, delivery id) index is the check, so concurrent writers cannot both add one.</summary>
public static class InboxStore
{
    /// <summary>
    /// Adds and saves <paramref name="message"/>; false when a message with its delivery id is stored already (the
    /// message is then detached, and whatever else the context tracks is left as it was).
    /// </summary>
    public static Task<bool> TryAddAsync(AppDbContext db, InboxMessage message, CancellationToken ct) => DbErrors.TryInsertAsync(db, message, ct);
}
