using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Shops;

/// <summary>
/// A user the store's signed launch link may sign in (ADR 0018): one the store's own launches created, or a staff
/// member of the program whom an owner linked to the store. A launch for anyone else is refused, whatever the e-mail.
/// </summary>
public sealed class StoreAdmin : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid ShopId { get; init; }
    public Guid UserId { get; init; }

    /// <summary>True when the store's launch created the account; false when an owner linked existing staff.</summary>
    public bool CreatedByLaunch { get; init; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
