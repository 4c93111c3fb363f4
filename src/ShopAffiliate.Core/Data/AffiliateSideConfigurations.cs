using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Data;

internal sealed class ProgramPageConfiguration : IEntityTypeConfiguration<ProgramPage>
{
    public void Configure(EntityTypeBuilder<ProgramPage> b)
    {
        b.HasKey(p => p.WorkspaceId);
        b.Property(p => p.Pitch).HasMaxLength(8000);
        b.Property(p => p.Terms).HasMaxLength(40000);
        b.Property(p => p.QuestionsJson).HasMaxLength(20000);
        b.PrimitiveCollection(p => p.AutoApproveDomains);
        b.HasOne<Workspace>().WithOne().HasForeignKey<ProgramPage>(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AffiliateApplicationConfiguration : IEntityTypeConfiguration<AffiliateApplication>
{
    public void Configure(EntityTypeBuilder<AffiliateApplication> b)
    {
        b.Property(a => a.AnswersJson).HasMaxLength(60000);
        b.Property(a => a.IpHash).HasMaxLength(64);
        b.Property(a => a.Country).HasMaxLength(2);
        b.PrimitiveCollection(a => a.Signals);
        b.HasIndex(a => a.AffiliateId).IsUnique();
        b.HasIndex(a => new { a.WorkspaceId, a.IpHash });
        b.HasOne<Affiliate>().WithMany().HasForeignKey(a => a.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TermsAcceptanceConfiguration : IEntityTypeConfiguration<TermsAcceptance>
{
    public void Configure(EntityTypeBuilder<TermsAcceptance> b)
    {
        b.HasIndex(t => new { t.AffiliateId, t.Version }).IsUnique();
        b.HasOne<Affiliate>().WithMany().HasForeignKey(t => t.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AffiliateNoteConfiguration : IEntityTypeConfiguration<AffiliateNote>
{
    public void Configure(EntityTypeBuilder<AffiliateNote> b)
    {
        b.Property(n => n.Text).HasMaxLength(4000);
        b.Property(n => n.AuthorName).HasMaxLength(254);
        b.HasIndex(n => new { n.WorkspaceId, n.AffiliateId, n.CreatedAt });
        b.HasOne<Affiliate>().WithMany().HasForeignKey(n => n.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<Audit.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Audit.AuditEntry> b)
    {
        b.Property(e => e.ActorName).HasMaxLength(254);
        b.Property(e => e.EntityType).HasMaxLength(64);
        b.Property(e => e.EntityId).HasMaxLength(200);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.Reason).HasMaxLength(2000);
        // The page lists newest first and filters by entity, action or person within a program.
        b.HasIndex(e => new { e.WorkspaceId, e.Id });
        b.HasIndex(e => new { e.WorkspaceId, e.EntityType, e.EntityId });
        b.HasIndex(e => new { e.WorkspaceId, e.Action, e.Id });
        b.HasIndex(e => new { e.WorkspaceId, e.ActorName, e.Id });
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
