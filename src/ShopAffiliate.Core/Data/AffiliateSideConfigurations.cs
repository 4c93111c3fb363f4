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
