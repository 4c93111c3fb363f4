namespace ShopAffiliate.Core.Outbox;

/// <summary>What one try at sending came to. <see cref="Permanent"/>: the receiver refused for good; no retry.</summary>
public sealed record OutboxOutcome(bool Succeeded, int? ResponseCode = null, string? Error = null, bool Permanent = false)
{
    public static OutboxOutcome Sent(int? code = null) => new(true, code);

    public static OutboxOutcome Retry(string error, int? code = null) => new(false, code, error);

    public static OutboxOutcome GiveUp(string error, int? code = null) => new(false, code, error, Permanent: true);
}

/// <summary>Sends the messages of one <see cref="OutboxMessage.Kind"/>. Exceptions count as a failure worth retrying.</summary>
public interface IOutboxHandler
{
    string Kind { get; }

    Task<OutboxOutcome> SendAsync(OutboxMessage message, CancellationToken ct);
}
