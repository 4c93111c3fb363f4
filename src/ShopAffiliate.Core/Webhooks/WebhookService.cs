using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Paging;

namespace ShopAffiliate.Core.Webhooks;

/// <summary>Refuses a URL the app must not call (checked at registration and again at every delivery).</summary>
public interface IWebhookUrlPolicy
{
    /// <summary>Null when <paramref name="url"/> may be called; else why not, for the person who entered it.</summary>
    Task<string?> RefusalAsync(Uri url, CancellationToken ct);
}

public sealed record WebhookEndpointInput(string? Url, string? Description, IReadOnlyList<string>? EventTypes, bool? Enabled);

/// <summary>A delivery as the log shows it: the outbox message and its tries.</summary>
public sealed record WebhookDelivery(OutboxMessage Message, IReadOnlyList<OutboxAttempt> Attempts);

/// <summary>
/// Who may send what where: merchants' endpoints (<c>owner</c> null: staff, through the admin and the API) and each
/// affiliate's one postback URL (<c>owner</c>: the affiliate, through the portal). One code path for both; every read
/// and change is scoped to the program (the tenant filter) and to the owner, so another program's or another
/// affiliate's endpoint is not found.
/// </summary>
public sealed class WebhookService(
    AppDbContext db, AuditTrail audit, WebhookSecrets secrets, WebhookPublisher publisher, IWebhookUrlPolicy urls, TimeProvider clock)
{
    public const int MaxEndpoints = 20;

    private IQueryable<WebhookEndpoint> Owned(Guid? owner) => db.WebhookEndpoints.Where(e => e.AffiliateId == owner);

    public Task<List<WebhookEndpoint>> ListAsync(Guid? owner, CancellationToken ct) =>
        Owned(owner).AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(ct);

    public async Task<WebhookEndpoint> GetAsync(Guid id, Guid? owner, CancellationToken ct) =>
        await Owned(owner).FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("No such webhook endpoint in this program.");

    /// <summary>Registers an endpoint; returns it with its secret, shown this once.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(WebhookEndpointInput input, Guid? owner, Guid workspaceId, CancellationToken ct)
    {
        if (await Owned(owner).CountAsync(ct) >= (owner is null ? MaxEndpoints : 1))
            throw new ConflictException(owner is null ? $"A program has at most {MaxEndpoints} endpoints." : "You have a postback URL already; change it instead.");
        var url = await CheckUrlAsync(input.Url, ct);
        var secret = WebhookSigning.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            WorkspaceId = workspaceId,
            AffiliateId = owner,
            Url = url,
            Description = Description(input.Description),
            EventTypes = Types(input.EventTypes, owner),
            EncryptedSecret = secrets.Protect(secret),
            Enabled = input.Enabled ?? true,
        };
        db.WebhookEndpoints.Add(endpoint);
        audit.Record(AuditActions.WebhookEndpointCreated, endpoint);
        await db.SaveChangesAsync(ct);
        return (endpoint, secret);
    }

    /// <summary>Changes what is given (null: unchanged). Enabling again clears the reason it was disabled.</summary>
    public async Task<WebhookEndpoint> UpdateAsync(Guid id, WebhookEndpointInput input, Guid? owner, CancellationToken ct)
    {
        var endpoint = await GetAsync(id, owner, ct);
        if (input.Url is not null) endpoint.Url = await CheckUrlAsync(input.Url, ct);
        if (input.Description is not null) endpoint.Description = Description(input.Description);
        if (input.EventTypes is not null) endpoint.EventTypes = Types(input.EventTypes, owner);
        if (input.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledReason = enabled ? null : "Disabled by " + audit.Actor.Name;
        }
        audit.Record(AuditActions.WebhookEndpointUpdated, endpoint);
        await db.SaveChangesAsync(ct);
        return endpoint;
    }

    public async Task<string> RotateSecretAsync(Guid id, Guid? owner, CancellationToken ct)
    {
        var endpoint = await GetAsync(id, owner, ct);
        var secret = WebhookSigning.NewSecret();
        endpoint.EncryptedSecret = secrets.Protect(secret);
        audit.Record(AuditActions.WebhookSecretRotated, endpoint);
        await db.SaveChangesAsync(ct);
        return secret;
    }

    /// <summary>Removes the endpoint; its queued deliveries are given up (kept in the log's table, sent nowhere).</summary>
    public async Task DeleteAsync(Guid id, Guid? owner, CancellationToken ct)
    {
        var endpoint = await GetAsync(id, owner, ct);
        audit.Record(AuditActions.WebhookEndpointDeleted, endpoint);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The endpoint's deliveries, newest first, with their tries.</summary>
    public async Task<PagedResult<WebhookDelivery>> DeliveriesAsync(Guid id, Guid? owner, PageRequest page, CancellationToken ct)
    {
        var endpoint = await GetAsync(id, owner, ct);
        var messages = Deliveries(endpoint).OrderByDescending(m => m.Id);
        var total = await messages.CountAsync(ct);
        var rows = await messages.Skip(page.Skip).Take(page.PageSize).AsNoTracking().ToListAsync(ct);
        var ids = rows.Select(m => m.Id).ToList();
        var attempts = (await db.OutboxAttempts.AsNoTracking().Where(a => ids.Contains(a.MessageId)).OrderBy(a => a.Attempt).ToListAsync(ct))
            .ToLookup(a => a.MessageId);
        return new PagedResult<WebhookDelivery>(rows.Select(m => new WebhookDelivery(m, attempts[m.Id].ToList())).ToList(), page.Page, page.PageSize, total);
    }

    /// <summary>Queues the delivery again now (its log keeps the earlier tries); one that is waiting for its next try is sent now.</summary>
    public async Task<OutboxMessage> ReplayAsync(Guid id, long deliveryId, Guid? owner, CancellationToken ct)
    {
        var endpoint = await GetAsync(id, owner, ct);
        var message = await Deliveries(endpoint).FirstOrDefaultAsync(m => m.Id == deliveryId, ct)
                      ?? throw new NotFoundException("No such delivery for this endpoint.");
        message.Status = OutboxStatus.Pending;
        message.NextAttemptAt = clock.GetUtcNow().UtcDateTime;
        message.LockedUntil = null;
        message.LastError = null;
        // Replayed tries count from zero again, so a replay gets the full retry schedule.
        message.Attempts = 0;
        audit.Record(AuditActions.WebhookDeliveryReplayed, endpoint, $"delivery {deliveryId}");
        await db.SaveChangesAsync(ct);
        publisher.Wake();
        return message;
    }

    /// <summary>Queues a <c>webhook.test</c> event for this endpoint alone, whatever it subscribed to.</summary>
    public async Task<OutboxMessage> SendTestAsync(Guid id, Guid? owner, CancellationToken ct)
    {
        var endpoint = await GetAsync(id, owner, ct);
        await publisher.QueueAsync(db, endpoint, WebhookEventTypes.Ping, $"test:{Guid.CreateVersion7():N}", WebhookPayloads.Ping(endpoint.Id), ct);
        audit.Record(AuditActions.WebhookTestSent, endpoint);
        await db.SaveChangesAsync(ct);
        return db.OutboxMessages.Local.OrderByDescending(m => m.Id).First();
    }

    private IQueryable<OutboxMessage> Deliveries(WebhookEndpoint endpoint)
    {
        var recipient = endpoint.Id.ToString();
        return db.OutboxMessages.Where(m => m.WorkspaceId == endpoint.WorkspaceId && m.Kind == OutboxKinds.Delivery && m.Recipient == recipient);
    }

    private async Task<string> CheckUrlAsync(string? raw, CancellationToken ct)
    {
        raw = raw?.Trim();
        if (string.IsNullOrEmpty(raw) || raw.Length > 2000 || !Uri.TryCreate(raw, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || url.UserInfo.Length > 0 || raw.Any(char.IsControl))
            throw ValidationFailedException.For("url", "Give the endpoint's full https:// address (up to 2000 characters, no user name or password in it).");
        if (await urls.RefusalAsync(url, ct) is { } refusal) throw ValidationFailedException.For("url", refusal);
        return url.AbsoluteUri;
    }

    private static string Description(string? text)
    {
        text = text?.Trim() ?? "";
        if (text.Length > 200 || text.Any(char.IsControl)) throw ValidationFailedException.For("description", "A description has at most 200 characters on one line.");
        return text;
    }

    private static string Types(IReadOnlyList<string>? types, Guid? owner)
    {
        if (owner is not null) return string.Join(' ', WebhookEventTypes.Postback);
        var chosen = (types ?? []).Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct().ToList();
        if (chosen.Count == 0 || chosen.Any(t => !WebhookEventTypes.IsKnown(t)))
            throw ValidationFailedException.For("eventTypes", "Choose one or more event types: " + string.Join(", ", WebhookEventTypes.Families.Concat(WebhookEventTypes.All)) + ".");
        return string.Join(' ', chosen);
    }
}
