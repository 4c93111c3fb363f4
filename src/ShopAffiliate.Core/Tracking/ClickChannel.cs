namespace ShopAffiliate.Core.Tracking;

/// <summary>A click as the redirect saw it. The raw IP lives only in memory, until the writer hashes it.</summary>
public sealed record PendingClick(
    Guid Id, DateTime At, Guid WorkspaceId, Guid AffiliateId, Guid? LinkId, string ReferralCode, string? SubId,
    ClickSource Source, string? Ip, string? UserAgent, string? Referrer, string? LandingUrl, Guid? CreativeId = null);

/// <summary>The queue between the redirect and <see cref="ClickWriter"/>.</summary>
public sealed class ClickChannel(int capacity = 50_000) : BatchQueue<PendingClick>(capacity);
