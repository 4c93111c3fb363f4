namespace ShopAffiliate.Core.Outbox;

public enum OutboxStatus
{
    Pending,
    Sent,

    /// <summary>Gave up (attempts used up, or the receiver refused for good); kept with the reason.</summary>
    Failed,
}

/// <summary>
/// One piece of outgoing work (an email, a signed delivery), written in the same transaction as the state change that
/// causes it, so the change and its notice are stored together or not at all. Unique per <see cref="IdempotencyKey"/>:
/// enqueueing the same event again adds nothing. Rows are kept after sending: with <see cref="OutboxAttempt"/> they
/// are the sent log. Not tenant-filtered (the dispatcher reads every workspace's); routes that show them filter by
/// <see cref="WorkspaceId"/> explicitly.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }
    public Guid? WorkspaceId { get; init; }

    /// <summary>Which <see cref="IOutboxHandler"/> sends it (<see cref="OutboxKinds"/>).</summary>
    public required string Kind { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>What it is about, for the log: an email kind (<c>affiliate.approved</c>) or an event type.</summary>
    public required string Topic { get; init; }

    /// <summary>Who receives it: an email address or an endpoint id.</summary>
    public required string Recipient { get; init; }

    /// <summary>The handler's input as JSON, complete at enqueue time (a template edited later does not change it).</summary>
    public required string Payload { get; init; }

    public DateTime CreatedAt { get; init; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }

    public override string ToString() =>
        $"outbox #{Id} {Kind} {Topic} to {Recipient}: {Status}, {Attempts} tries, next {NextAttemptAt:O}, locked until {LockedUntil:O}, {LastError}";
}

/// <summary>One try at sending a message: the delivery log (outcome, response code, how long it took).</summary>
public sealed class OutboxAttempt
{
    public long Id { get; init; }
    public long MessageId { get; init; }
    public int Attempt { get; init; }
    public DateTime At { get; init; }
    public int DurationMs { get; init; }
    public bool Succeeded { get; init; }

    /// <summary>The SMTP reply code or HTTP status, when the receiver answered.</summary>
    public int? ResponseCode { get; init; }

    public string? Error { get; init; }
}

public static class OutboxKinds
{
    public const string Email = "email";
    public const string Delivery = "delivery";
}
