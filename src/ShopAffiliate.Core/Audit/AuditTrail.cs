using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Audit;

/// <summary>Who did something, as the trail names them.</summary>
public sealed record AuditActor(AuditActorKind Kind, Guid? Id, string Name)
{
    public const string ApiKeyNameClaim = "sa:apikey-name";

    public static readonly AuditActor System = new(AuditActorKind.System, null, "System");

    /// <summary>The request's staff member or API key; <see cref="System"/> outside a request.</summary>
    public static AuditActor Of(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return System;
        if (user.FindFirstValue("sa:apikey") is { } key)
        {
            var id = Guid.TryParse(key, out var k) ? k : (Guid?)null;
            return new(AuditActorKind.ApiKey, id, "API key " + (user.FindFirstValue(ApiKeyNameClaim) ?? key));
        }
        if (user.FindFirstValue("sa:shopify-user") is { } shopifyUser)
            return new(AuditActorKind.Staff, null, $"Shopify admin user {shopifyUser}");
        var userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var u) ? u : (Guid?)null;
        var name = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? userId?.ToString() ?? "unknown";
        return new(AuditActorKind.Staff, userId, name);
    }
}

/// <summary>
/// Records staff actions (ADR 0033). A handler makes its change, calls <see cref="Record(string, object, string?)"/>
/// (which reads the changed fields from the change tracker) or the explicit overload, then saves as it always did:
/// the entry is held on the context and added to the next SaveChanges by <see cref="AuditInterceptor"/>, so it is
/// stored in the same transaction as the change, and survives the engine's retries (which clear the change tracker).
/// </summary>
public sealed class AuditTrail(AppDbContext db, TimeProvider clock, IHttpContextAccessor? http = null)
{
    private const int MaxJson = 8000;

    // Never copied into the trail: secrets and hashes, and bookkeeping columns that change on every save.
    private static readonly string[] Unrecorded = ["Hash", "Secret", "Token", "Password", "Salt", "Credential", "StateJson", "Stamp", "Revision", "UpdatedAt", "RollupTx", "WorkspaceId"];

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public AuditActor Actor => AuditActor.Of(http?.HttpContext?.User);

    /// <summary>
    /// <paramref name="entity"/>'s pending change as the tracker sees it: every field after for a new row, every field
    /// before for a deleted one, only the changed fields (before and after) for an update.
    /// </summary>
    public AuditEntry Record(string action, object entity, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var entry = db.Entry(entity);
        Dictionary<string, object?>? before = null, after = null;
        switch (entry.State)
        {
            case EntityState.Added:
                // The interceptor stamps CreatedAt only when the row is saved, after this reads it: stamp it now from
                // the same clock (the interceptor keeps a time already set), or the trail records 0001-01-01.
                if (entity is IAuditable { CreatedAt: var created } auditable && created == default)
                    auditable.CreatedAt = clock.GetUtcNow().UtcDateTime;
                after = Fields(entry, e => true, p => p.CurrentValue);
                break;
            case EntityState.Deleted:
                before = Fields(entry, e => true, p => p.OriginalValue);
                break;
            default:
                before = Fields(entry, Changed, p => p.OriginalValue);
                after = Fields(entry, Changed, p => p.CurrentValue);
                break;
        }
        var key = entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue?.ToString());
        return Record(action, entry.Metadata.ClrType.Name, string.Join("/", key), before, after, reason,
            (entity as ITenantOwned)?.WorkspaceId);
    }

    /// <summary>An action whose before and after the caller states (a decision the engine applies, a batch paid).</summary>
    public AuditEntry Record(string action, string entityType, string entityId, object? before, object? after, string? reason = null, Guid? workspaceId = null)
    {
        var actor = Actor;
        var workspace = workspaceId ?? db.CurrentWorkspaceId
            ?? throw new InvalidOperationException("An audit entry needs the program it belongs to; enter the workspace first.");
        var entry = new AuditEntry
        {
            WorkspaceId = workspace,
            At = clock.GetUtcNow().UtcDateTime,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = Cut(actor.Name, 254)!,
            EntityType = entityType,
            EntityId = Cut(entityId, 200)!,
            Action = action,
            Before = ToJson(before),
            After = ToJson(after),
            Reason = Cut(string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), 2000),
        };
        db.PendingAudit.Add(entry);
        return entry;
    }

    /// <summary>Takes back an entry not saved yet, for an action that turned out to change nothing.</summary>
    public void Withdraw(AuditEntry entry)
    {
        db.PendingAudit.Remove(entry);
        if (db.Entry(entry).State == EntityState.Added) db.Entry(entry).State = EntityState.Detached;
    }

    private static bool Changed(PropertyEntry p) => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue);

    private static Dictionary<string, object?> Fields(EntityEntry entry, Func<PropertyEntry, bool> include, Func<PropertyEntry, object?> value) =>
        entry.Properties
            .Where(p => !p.Metadata.IsShadowProperty() && !Unrecorded.Any(u => p.Metadata.Name.Contains(u, StringComparison.Ordinal)) && include(p))
            .ToDictionary(p => p.Metadata.Name, value);

    private static string? ToJson(object? value)
    {
        if (value is null) return null;
        var json = JsonSerializer.Serialize(value, Json);
        return json.Length <= MaxJson ? json : JsonSerializer.Serialize(new { truncated = json[..MaxJson] }, Json);
    }

    private static string? Cut(string? value, int max) => value is { } v && v.Length > max ? v[..max] : value;
}
