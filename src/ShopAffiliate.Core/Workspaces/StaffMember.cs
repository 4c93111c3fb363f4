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

public static class StaffRoles
{
    /// <summary>The weaker of the two roles (Owner &gt; Manager &gt; Analyst): what a capped session may do.</summary>
    public static StaffRole AtMost(this StaffRole role, StaffRole cap) => (StaffRole)Math.Max((int)role, (int)cap);

    /// <summary>Whether <paramref name="role"/> is <paramref name="needed"/> or above it.</summary>
    public static bool MayDo(this StaffRole role, StaffRole needed) => (int)role <= (int)needed;

    /// <summary>The most a store's launch may grant: the program's setting, never more than Manager.</summary>
    public static StaffRole StoreAdminCap(StaffRole setting) => setting.AtMost(StaffRole.Manager);
}
