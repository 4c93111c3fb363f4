using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;

namespace ShopAffiliate.Core.Outbox;

/// <summary>What to send. <paramref name="NotBefore"/> delays the first try (a reminder, a digest).</summary>
public sealed record OutboxItem(
    string Kind, string IdempotencyKey, string Topic, string Recipient, string Payload, Guid? WorkspaceId, DateTime? NotBefore = null);

/// <summary>
/// Adds outgoing work to the caller's unit of work. Call it before your own <c>SaveChangesAsync</c>: the message is
/// written in that transaction, with the state change that causes it, and sent by <see cref="OutboxDispatcher"/>
/// once committed.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Adds <paramref name="item"/> to <paramref name="db"/> (not saved). False, and nothing added, when a message with
    /// its idempotency key is stored or being added already: the same event enqueued twice is sent once. Two
    /// transactions racing with the same key meet the unique index; the later one's SaveChanges fails.
    /// </summary>
    Task<bool> EnqueueAsync(AppDbContext db, OutboxItem item, CancellationToken ct);
}

public sealed class Outbox(OutboxSignal signal, TimeProvider clock) : IOutbox
{
    public async Task<bool> EnqueueAsync(AppDbContext db, OutboxItem item, CancellationToken ct)
    {
        if (db.OutboxMessages.Local.Any(m => m.IdempotencyKey == item.IdempotencyKey)) return false;
        if (await db.OutboxMessages.AnyAsync(m => m.IdempotencyKey == item.IdempotencyKey, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        db.OutboxMessages.Add(new OutboxMessage
        {
            Kind = item.Kind,
            IdempotencyKey = item.IdempotencyKey,
            Topic = item.Topic,
            Recipient = item.Recipient,
            Payload = item.Payload,
            WorkspaceId = item.WorkspaceId,
            CreatedAt = now,
            NextAttemptAt = item.NotBefore is { } later && later > now ? later : now,
        });
        // Wake the dispatcher when the caller's transaction has committed (not before: it would find nothing).
        // Removing first keeps one subscription however many messages this context enqueues.
        db.SavedChanges -= signal.OnSaved;
        db.SavedChanges += signal.OnSaved;
        return true;
    }
}

/// <summary>Wakes the dispatcher when a message is stored, so it goes out in milliseconds, not at the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly InboxSignal _signal = new();

    public void Notify() => _signal.Notify();

    internal void OnSaved(object? sender, SavedChangesEventArgs e) => Notify();

    public Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct) => _signal.WaitAsync(timeout, clock, ct);
}
