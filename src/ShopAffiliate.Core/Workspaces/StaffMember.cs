using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Workspaces;

public enum StaffRole
{
    Owner,
    Manager,
    Analyst,
}

/// <summary>A user's role in one workspace. An agency user is staff of many workspaces.</summary>
public sealed class StaffMember : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid UserId { get; init; }
    public StaffRole Role { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
