using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Data;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.Property(w => w.Name).HasMaxLength(200);
        b.Property(w => w.Slug).HasMaxLength(80);
        b.HasIndex(w => w.Slug).IsUnique();
        b.Property(w => w.Currency).HasMaxLength(3);
    }
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> b)
    {
        b.HasIndex(s => new { s.WorkspaceId, s.UserId }).IsUnique();
        b.HasIndex(s => s.UserId);
        b.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Hash).HasMaxLength(64);
        b.Property(k => k.Hint).HasMaxLength(16);
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasOne<Workspace>().WithMany().HasForeignKey(k => k.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ShopConfiguration : IEntityTypeConfiguration<Shop>
{
    public void Configure(EntityTypeBuilder<Shop> b)
    {
        b.Property(s => s.Domain).HasMaxLength(255);
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Currency).HasMaxLength(3);
        // A store is connected to one workspace at a time.
        b.HasIndex(s => new { s.Platform, s.Domain }).IsUnique();
        b.HasIndex(s => s.WorkspaceId);
        b.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AffiliateConfiguration : IEntityTypeConfiguration<Affiliate>
{
    public void Configure(EntityTypeBuilder<Affiliate> b)
    {
        b.Property(a => a.Name).HasMaxLength(200);
        b.Property(a => a.Email).HasMaxLength(254);
        b.Property(a => a.ReferralCode).HasMaxLength(64);
        b.Property(a => a.StatusReason).HasMaxLength(2000);
        b.Property(a => a.Website).HasMaxLength(500);
        b.Property(a => a.AcceptedTermsVersion).HasMaxLength(32);
        b.HasIndex(a => new { a.WorkspaceId, a.ReferralCode }).IsUnique();
        b.HasIndex(a => new { a.WorkspaceId, a.Email }).IsUnique();
        b.HasIndex(a => new { a.WorkspaceId, a.Status });
        b.HasOne<Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(a => a.ParentAffiliateId).OnDelete(DeleteBehavior.SetNull);
    }
}
