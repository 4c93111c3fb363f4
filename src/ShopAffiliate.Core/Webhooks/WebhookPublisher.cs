using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Payouts;

namespace ShopAffiliate.Core.Webhooks;

/// <summary>
/// Turns one event into one outbox message per endpoint that wants it, added to the caller's unit of work: the event
/// is stored in the same transaction as the change that causes it. The message's id is the delivery id receivers see;
/// its idempotency key (endpoint and event) keeps an event from being queued twice for one endpoint.
/// </summary>
public sealed class WebhookPublisher(IOutbox outbox, OutboxSignal signal, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Wakes the dispatcher (after a replay, which enqueues nothing new).</summary>
    public void Wake() => signal.Notify();

    /// <summary>Queues <paramref name="type"/> for every enabled endpoint of the program that wants it; returns how many.</summary>
    public async Task<int> PublishAsync(
        AppDbContext db, Guid workspaceId, string type, string eventKey, object data, Guid? affiliateId, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.WorkspaceId == workspaceId && e.Enabled && (e.AffiliateId == null || e.AffiliateId == affiliateId))
            .ToListAsync(ct);
        var queued = 0;
        foreach (var endpoint in endpoints.Where(e => e.Wants(type)))
        {
            if (await QueueAsync(db, endpoint, type, $"{type}:{eventKey}", data, ct)) queued++;
        }
        return queued;
    }

    /// <summary>The same event has the same id at every endpoint (and in a replay): receivers can drop a repeat by it.</summary>
    public static string EventId(Guid workspaceId, string eventKey) =>
        "evt_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{workspaceId:N}:{eventKey}")))[..32];

    /// <summary>One event for one endpoint (a test event, or a fan-out's part).</summary>
    public Task<bool> QueueAsync(AppDbContext db, WebhookEndpoint endpoint, string type, string eventKey, object data, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var body = JsonSerializer.Serialize(new WebhookEvent(
            EventId(endpoint.WorkspaceId, eventKey), type, now, endpoint.WorkspaceId, data), Json);
        var key = $"hook:{endpoint.Id:N}:{eventKey}";
        if (key.Length > 200) key = key[..200];
        return outbox.EnqueueAsync(db, new OutboxItem(OutboxKinds.Delivery, key, type, endpoint.Id.ToString(), body, endpoint.WorkspaceId), ct);
    }
}

/// <summary>The JSON body of every delivery (docs/WEBHOOKS.md).</summary>
public sealed record WebhookEvent(string Id, string Type, DateTime CreatedAt, Guid ProgramId, object Data);

/// <summary>Money on the wire: a decimal string with its currency, as the API writes it.</summary>
public sealed record WebhookMoney(string Amount, string Currency)
{
    public static WebhookMoney Of(decimal amount, string currency) => new(Currencies.Format(amount, currency), currency);
}

/// <summary>The payloads: ids and the fields an integration acts on; no IP hashes, no payout details.</summary>
public static class WebhookPayloads
{
    public static object Affiliate(Affiliate a) => new
    {
        id = a.Id, name = a.Name, email = a.Email, status = a.Status, reason = a.StatusReason, referralCode = a.ReferralCode,
        groupId = a.GroupId, parentAffiliateId = a.ParentAffiliateId, createdAt = a.CreatedAt,
    };

    public static object Commission(Commission c, string? orderNumber, LedgerEntryKind? change, decimal changeAmount) => new
    {
        id = c.Id, orderId = c.OrderId, orderNumber, affiliateId = c.AffiliateId, tier = c.Tier, status = c.Status,
        amount = WebhookMoney.Of(c.Amount, c.Currency), reason = c.StatusReason,
        change = change is { } kind ? new { kind, amount = WebhookMoney.Of(changeAmount, c.Currency) } : null,
        createdAt = c.CreatedAt, updatedAt = c.UpdatedAt,
    };

    public static object PayoutBatch(PayoutBatch b, int items) => new
    {
        id = b.Id, reference = b.Reference, status = b.Status, total = WebhookMoney.Of(b.Total, b.Currency), items, paidAt = b.PaidAt, createdAt = b.CreatedAt,
    };

    public static object Dispute(Dispute d) => new
    {
        id = d.Id, affiliateId = d.AffiliateId, orderNumber = d.OrderNumber, orderDate = d.OrderDate, status = d.Status, orderId = d.OrderId,
        reason = d.DecisionReason, createdAt = d.CreatedAt, decidedAt = d.DecidedAt,
    };

    public static object Ping(Guid endpointId) => new { endpointId, message = "A test event sent from ShopAffiliate." };
}
