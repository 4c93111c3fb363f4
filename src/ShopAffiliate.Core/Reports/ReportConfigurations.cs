using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShopAffiliate.Core.Reports;

internal sealed class DailyRollupConfiguration : IEntityTypeConfiguration<DailyRollup>
{
    public void Configure(EntityTypeBuilder<DailyRollup> b)
    {
        // The key leads with workspace and day: every report reads one workspace's range of days.
        b.HasKey(r => new { r.WorkspaceId, r.Day, r.AffiliateId, r.LinkId, r.SubId, r.ShopId, r.Currency, r.CreativeId });
        b.Property(r => r.SubId).HasMaxLength(100);
        b.Property(r => r.Currency).HasMaxLength(3);
        // Per-affiliate summaries and the portal read one affiliate's days.
        b.HasIndex(r => new { r.WorkspaceId, r.AffiliateId, r.Day });
    }
}

internal sealed class MonthlyRollupConfiguration : IEntityTypeConfiguration<MonthlyRollup>
{
    public void Configure(EntityTypeBuilder<MonthlyRollup> b)
    {
        // Affiliate before month: a ranking over months reads the workspace's rows in affiliate order and sums as it goes.
        b.HasKey(r => new { r.WorkspaceId, r.AffiliateId, r.Month, r.ShopId, r.Currency });
        b.Property(r => r.Currency).HasMaxLength(3);
    }
}

internal sealed class OrderContributionConfiguration : IEntityTypeConfiguration<OrderContribution>
{
    public void Configure(EntityTypeBuilder<OrderContribution> b)
    {
        b.HasKey(c => new { c.OrderId, c.AffiliateId });
        b.Property(c => c.Currency).HasMaxLength(3);
        // A day's rebuild reads the contributions of that day.
        b.HasIndex(c => new { c.WorkspaceId, c.Day });
    }
}

internal sealed class RollupWatermarkConfiguration : IEntityTypeConfiguration<RollupWatermark>
{
    public void Configure(EntityTypeBuilder<RollupWatermark> b)
    {
        b.HasKey(w => w.Source);
        b.Property(w => w.Source).HasMaxLength(32);
        b.Property(w => w.LastKey).HasMaxLength(64);
    }
}

internal sealed class ReportGoalConfiguration : IEntityTypeConfiguration<ReportGoal>
{
    public void Configure(EntityTypeBuilder<ReportGoal> b)
    {
        b.HasIndex(g => new { g.WorkspaceId, g.Month, g.Metric, g.Currency }).IsUnique();
        b.Property(g => g.Currency).HasMaxLength(3);
        b.Property(g => g.Target).HasPrecision(18, 4);
    }
}

internal sealed class DailyProductRollupConfiguration : IEntityTypeConfiguration<DailyProductRollup>
{
    public void Configure(EntityTypeBuilder<DailyProductRollup> b)
    {
        // Like DailyRollup: workspace and day first; the totals rows (affiliate Guid.Empty) serve program-wide reports.
        b.HasKey(r => new { r.WorkspaceId, r.Day, r.AffiliateId, r.ShopId, r.ProductId, r.Currency });
        b.Property(r => r.ProductId).HasMaxLength(64);
        b.Property(r => r.Currency).HasMaxLength(3);
        b.HasIndex(r => new { r.WorkspaceId, r.AffiliateId, r.Day });
    }
}

internal sealed class MonthlyProductRollupConfiguration : IEntityTypeConfiguration<MonthlyProductRollup>
{
    public void Configure(EntityTypeBuilder<MonthlyProductRollup> b)
    {
        // Grouped by shop and product in key order within the totals rows (affiliate Guid.Empty) or one affiliate's.
        b.HasKey(r => new { r.WorkspaceId, r.AffiliateId, r.ShopId, r.ProductId, r.Month, r.Currency });
        b.Property(r => r.ProductId).HasMaxLength(64);
        b.Property(r => r.Currency).HasMaxLength(3);
    }
}

internal sealed class OrderProductContributionConfiguration : IEntityTypeConfiguration<OrderProductContribution>
{
    public void Configure(EntityTypeBuilder<OrderProductContribution> b)
    {
        b.HasKey(c => new { c.OrderId, c.ProductId });
        b.Property(c => c.ProductId).HasMaxLength(64);
        b.Property(c => c.Currency).HasMaxLength(3);
        b.Property(c => c.Title).HasMaxLength(200);
        b.HasIndex(c => new { c.WorkspaceId, c.Day });
        // A product's name is looked up by shop and product.
        b.HasIndex(c => new { c.WorkspaceId, c.ShopId, c.ProductId });
    }
}
