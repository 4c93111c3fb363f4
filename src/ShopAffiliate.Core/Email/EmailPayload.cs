namespace ShopAffiliate.Core.Email;

/// <summary>
/// A rendered email as the outbox stores it: complete when enqueued, so what was decided is what is sent.
/// <paramref name="UnsubscribeUrl"/> is set on non-essential mail (RFC 8058 one-click unsubscribe).
/// </summary>
public sealed record EmailPayload(string To, string? ToName, string Subject, string Text, string Html, string? UnsubscribeUrl);
