using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Workspaces;

/// <summary>
/// An invitation to join a program's staff in a role, mailed as a link with a random token; only the token's SHA-256
/// is stored. It works once, until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class StaffInvitation : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>Lowercase.</summary>
    public required string Email { get; init; }

    public StaffRole Role { get; init; }
    public required string TokenHash { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? AcceptedAt { get; set; }
    public Guid? InvitedBy { get; init; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
