using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Creatives;

internal sealed class CreativeConfiguration : IEntityTypeConfiguration<Creative>
{
    public void Configure(EntityTypeBuilder<Creative> b)
    {
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Destination).HasMaxLength(2000);
        b.Property(c => c.DisclosureText).HasMaxLength(200);
        b.Property(c => c.Headline).HasMaxLength(200);
        b.Property(c => c.Body).HasMaxLength(10_000);
        b.HasIndex(c => new { c.WorkspaceId, c.Status });
        b.HasIndex(c => c.UpdatedAt); // the pixel's cache refresh reads changes since a time
        b.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CreativeFileConfiguration : IEntityTypeConfiguration<CreativeFile>
{
    public void Configure(EntityTypeBuilder<CreativeFile> b)
    {
        b.Property(f => f.Hash).HasMaxLength(64);
        b.Property(f => f.FileName).HasMaxLength(100);
        b.HasIndex(f => new { f.CreativeId, f.CreatedAt });
        b.HasIndex(f => f.Hash);
        b.HasOne<Creative>().WithMany().HasForeignKey(f => f.CreativeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CreativeBlobConfiguration : IEntityTypeConfiguration<CreativeBlob>
{
    public void Configure(EntityTypeBuilder<CreativeBlob> b)
    {
        b.HasKey(x => x.Hash);
        b.Property(x => x.Hash).HasMaxLength(64);
    }
}

internal sealed class ImpressionConfiguration : IEntityTypeConfiguration<Impression>
{
    public void Configure(EntityTypeBuilder<Impression> b)
    {
        b.Property(i => i.Id).ValueGeneratedNever();
        // As for clicks: one index (a workspace's time range), no foreign keys on the bulk path.
        b.HasIndex(i => new { i.WorkspaceId, i.At });
    }
}
