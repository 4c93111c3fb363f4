using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Creatives;

/// <summary>
/// One view of a creative through its pixel (<c>/i/{creativeId}/{referralCode}</c>). Bots are stored but flagged and
/// not counted. No IP is kept: an impression is only ever counted, never traced to a person.
/// </summary>
public sealed class Impression : ITenantOwned
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public Guid CreativeId { get; init; }
    public Guid AffiliateId { get; init; }
    public DateTime At { get; init; }
    public bool IsBot { get; init; }
}

/// <summary>An impression as the pixel saw it.</summary>
public sealed record PendingImpression(Guid Id, DateTime At, Guid WorkspaceId, Guid CreativeId, Guid AffiliateId, string? UserAgent);

/// <summary>Between the pixel and <see cref="ImpressionWriter"/>: bounded, and full means wait (no view is dropped).</summary>
public sealed class ImpressionChannel(int capacity = 50_000) : BatchQueue<PendingImpression>(capacity);
