using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>A staff member's internal note on an affiliate: never shown to the affiliate, never edited (add another).</summary>
public sealed class AffiliateNote : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }
    public required string Text { get; init; }

    /// <summary>Who wrote it, as the audit trail names them.</summary>
    public required string AuthorName { get; init; }

    public DateTime CreatedAt { get; init; }
}
