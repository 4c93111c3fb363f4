using Microsoft.AspNetCore.Identity;

namespace ShopAffiliate.Core.Identity;

/// <summary>A person who signs in: staff of one or more workspaces, or an affiliate.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public AppUser() => Id = Guid.CreateVersion7();

    public string? DisplayName { get; set; }

    /// <summary>The last time this person was signed in to the admin, by any method (<see cref="StaffSignIn"/>; the staff list shows it).</summary>
    public DateTime? LastSignInAt { get; set; }
}
