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

internal sealed class StaffInvitationConfiguration : IEntityTypeConfiguration<StaffInvitation>
{
    public void Configure(EntityTypeBuilder<StaffInvitation> b)
    {
        b.Property(i => i.Email).HasMaxLength(256);
        b.Property(i => i.TokenHash).HasMaxLength(64);
        b.Property(i => i.Role).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.HasIndex(i => new { i.WorkspaceId, i.Email });
        b.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
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
        b.Property(s => s.TimeZone).HasMaxLength(64);
        b.Property(s => s.BaseUrl).HasMaxLength(500);
        b.Property(s => s.ApiAuth).HasMaxLength(20);
        b.Property(s => s.SyncError).HasMaxLength(1000);
        b.Property(s => s.ImportCursor).HasMaxLength(1000);
        b.Property(s => s.ImportError).HasMaxLength(1000);
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
        b.Property(a => a.PayoutDetails).HasMaxLength(500);
        b.Property(a => a.Language).HasMaxLength(8);
        b.HasIndex(a => new { a.WorkspaceId, a.ReferralCode }).IsUnique();
        b.HasIndex(a => new { a.WorkspaceId, a.Email }).IsUnique();
        b.HasIndex(a => new { a.WorkspaceId, a.Status });
        b.HasOne<Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(a => a.ParentAffiliateId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Commissions.CommissionGroup>().WithMany().HasForeignKey(a => a.GroupId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class WorkspaceSettingsConfiguration : IEntityTypeConfiguration<Settings.WorkspaceSettings>
{
    public void Configure(EntityTypeBuilder<Settings.WorkspaceSettings> b)
    {
        b.HasKey(s => s.WorkspaceId);
        b.Property(s => s.DefaultCommissionRate).HasPrecision(9, 6);
        b.Property(s => s.PayoutThreshold).HasPrecision(18, 4);
        b.Property(s => s.TimeZone).HasMaxLength(64);
        b.Property(s => s.DefaultLanguage).HasMaxLength(8);
        b.PrimitiveCollection(s => s.AllowedDestinationHosts);
        b.HasOne<Workspace>().WithOne().HasForeignKey<Settings.WorkspaceSettings>(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TrackingLinkConfiguration : IEntityTypeConfiguration<Tracking.TrackingLink>
{
    public void Configure(EntityTypeBuilder<Tracking.TrackingLink> b)
    {
        b.Property(l => l.Code).HasMaxLength(32);
        b.HasIndex(l => l.Code).IsUnique();
        b.Property(l => l.Destination).HasMaxLength(2000);
        b.Property(l => l.SubId).HasMaxLength(100);
        b.HasIndex(l => new { l.WorkspaceId, l.AffiliateId });
        b.HasIndex(l => l.UpdatedAt);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(l => l.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ClickConfiguration : IEntityTypeConfiguration<Tracking.Click>
{
    public void Configure(EntityTypeBuilder<Tracking.Click> b)
    {
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.ReferralCode).HasMaxLength(64);
        b.Property(c => c.SubId).HasMaxLength(100);
        b.Property(c => c.IpHash).HasMaxLength(32);
        b.Property(c => c.UserAgent).HasMaxLength(512);
        b.Property(c => c.Referrer).HasMaxLength(1000);
        b.Property(c => c.LandingUrl).HasMaxLength(2000);
        // One secondary index only: every index costs each click about 2 µs of SQLite time on the redirect's
        // behalf (ADR 0011). Attribution reads clicks by id; rollups and retention read a workspace's time range.
        b.HasIndex(c => new { c.WorkspaceId, c.At });
        // No foreign keys: clicks are written in bulk on the hot path's behalf and must never fail on a race
        // with a link being archived; they are cleaned up with their workspace.
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Orders.Order>
{
    public void Configure(EntityTypeBuilder<Orders.Order> b)
    {
        b.Property(o => o.ExternalId).HasMaxLength(64);
        b.HasIndex(o => new { o.ShopId, o.ExternalId }).IsUnique();
        b.HasIndex(o => new { o.WorkspaceId, o.PlacedAt });
        b.HasIndex(o => new { o.WorkspaceId, o.AffiliateId });
        b.HasIndex(o => new { o.ShopId, o.RefundsFromTotals });
        b.Property(o => o.Number).HasMaxLength(64);
        b.Property(o => o.Currency).HasMaxLength(3);
        b.Property(o => o.CustomerEmail).HasMaxLength(254);
        b.Property(o => o.AttributionExplanation).HasMaxLength(2000);
        b.Property(o => o.CouponCode).HasMaxLength(64);
        b.HasIndex(o => new { o.WorkspaceId, o.CouponCode });
        b.Property(o => o.SubId).HasMaxLength(100);
        b.Property(o => o.NetRevenue).HasPrecision(18, 4);
        b.Property(o => o.RefundedAmount).HasPrecision(18, 4);
        b.Property(o => o.Revision).IsConcurrencyToken();
        b.HasOne<Shop>().WithMany().HasForeignKey(o => o.ShopId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LifetimeCustomerConfiguration : IEntityTypeConfiguration<Orders.LifetimeCustomer>
{
    public void Configure(EntityTypeBuilder<Orders.LifetimeCustomer> b)
    {
        b.Property(l => l.CustomerKey).HasMaxLength(300);
        b.HasIndex(l => new { l.WorkspaceId, l.CustomerKey }).IsUnique();
        b.HasOne<Affiliate>().WithMany().HasForeignKey(l => l.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommissionConfiguration : IEntityTypeConfiguration<Commissions.Commission>
{
    public void Configure(EntityTypeBuilder<Commissions.Commission> b)
    {
        b.HasIndex(c => new { c.OrderId, c.AffiliateId, c.Tier }).IsUnique();
        b.HasIndex(c => new { c.WorkspaceId, c.Status, c.EligibleAt });
        // The admin's commissions list reads newest first (created, id) within each of its filters: all, held for
        // review, a status, an affiliate; so a page and its count are an index range, not a sort of every row.
        b.HasIndex(c => new { c.WorkspaceId, c.AffiliateId, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.HeldForReview, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.Status, c.CreatedAt, c.Id });
        // The commission-earned sender reads forward from its mark, across programs (CommissionEarnedMails).
        b.HasIndex(c => new { c.CreatedAt, c.Id });
        b.Property(c => c.Amount).HasPrecision(18, 4);
        b.Property(c => c.Currency).HasMaxLength(3);
        b.Property(c => c.Explanation).HasMaxLength(4000);
        b.Property(c => c.StatusReason).HasMaxLength(2000);
        b.HasOne<Orders.Order>().WithMany().HasForeignKey(c => c.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(c => c.AffiliateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LedgerRecordConfiguration : IEntityTypeConfiguration<Commissions.LedgerRecord>
{
    public void Configure(EntityTypeBuilder<Commissions.LedgerRecord> b)
    {
        b.Property(e => e.Key).HasMaxLength(200);
        b.HasIndex(e => new { e.WorkspaceId, e.Key }).IsUnique();
        b.HasIndex(e => new { e.WorkspaceId, e.AffiliateId, e.Currency });
        // The payouts page's balances due: one grouped read of the Approved and Carried entries, covered by this index.
        b.HasIndex(e => new { e.WorkspaceId, e.Bucket, e.AffiliateId, e.Currency, e.Amount });
        // The rollup worker re-reads an order's entries when one of them is new (ADR 0019).
        b.HasIndex(e => e.OrderId);
        b.Property(e => e.Amount).HasPrecision(18, 4);
        b.Property(e => e.Currency).HasMaxLength(3);
        b.Property(e => e.Description).HasMaxLength(1000);
        b.Property(e => e.Reference).HasMaxLength(200);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(e => e.AffiliateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CommissionGroupConfiguration : IEntityTypeConfiguration<Commissions.CommissionGroup>
{
    public void Configure(EntityTypeBuilder<Commissions.CommissionGroup> b)
    {
        b.Property(g => g.Name).HasMaxLength(200);
        b.Property(g => g.SecondTierRate).HasPrecision(9, 6);
        b.HasIndex(g => new { g.WorkspaceId, g.Name }).IsUnique();
        b.HasOne<Workspace>().WithMany().HasForeignKey(g => g.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CouponConfiguration : IEntityTypeConfiguration<Coupons.Coupon>
{
    public void Configure(EntityTypeBuilder<Coupons.Coupon> b)
    {
        b.Property(c => c.Code).HasMaxLength(64);
        b.Property(c => c.NormalizedCode).HasMaxLength(64);
        b.HasIndex(c => new { c.WorkspaceId, c.NormalizedCode }).IsUnique();
        b.Property(c => c.Amount).HasPrecision(18, 4);
        b.Property(c => c.DeactivationReason).HasMaxLength(500);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(c => c.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PayoutBatchConfiguration : IEntityTypeConfiguration<Payouts.PayoutBatch>
{
    public void Configure(EntityTypeBuilder<Payouts.PayoutBatch> b)
    {
        b.Property(p => p.Reference).HasMaxLength(25);
        b.HasIndex(p => new { p.WorkspaceId, p.Reference }).IsUnique();
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.Total).HasPrecision(18, 4);
        b.HasMany(p => p.Items).WithOne().HasForeignKey(i => i.PayoutBatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PayoutItemConfiguration : IEntityTypeConfiguration<Payouts.PayoutItem>
{
    public void Configure(EntityTypeBuilder<Payouts.PayoutItem> b)
    {
        b.Property(i => i.Name).HasMaxLength(200);
        b.Property(i => i.Email).HasMaxLength(254);
        b.Property(i => i.Reference).HasMaxLength(100);
        b.Property(i => i.Amount).HasPrecision(18, 4);
        b.Property(i => i.Approved).HasPrecision(18, 4);
        b.Property(i => i.Carried).HasPrecision(18, 4);
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<Inbox.InboxMessage>
{
    public void Configure(EntityTypeBuilder<Inbox.InboxMessage> b)
    {
        b.ToTable("Inbox");
        b.Property(m => m.ShopDomain).HasMaxLength(255);
        b.Property(m => m.Topic).HasMaxLength(100);
        b.Property(m => m.DeliveryId).HasMaxLength(100);
        b.Property(m => m.EventId).HasMaxLength(100);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.HasIndex(m => new { m.Platform, m.DeliveryId }).IsUnique();
        b.HasIndex(m => new { m.Status, m.NextAttemptAt });
    }
}

internal sealed class PrivacyRequestConfiguration : IEntityTypeConfiguration<Privacy.PrivacyRequest>
{
    public void Configure(EntityTypeBuilder<Privacy.PrivacyRequest> b)
    {
        b.Property(p => p.ShopDomain).HasMaxLength(255);
        b.Property(p => p.ExternalRequestId).HasMaxLength(100);
        b.Property(p => p.CustomerReference).HasMaxLength(200);
        b.Property(p => p.Outcome).HasMaxLength(2000);
        b.HasIndex(p => new { p.WorkspaceId, p.ReceivedAt });
        b.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CouponSyncConfiguration : IEntityTypeConfiguration<Coupons.CouponSync>
{
    public void Configure(EntityTypeBuilder<Coupons.CouponSync> b)
    {
        b.HasIndex(s => new { s.CouponId, s.ShopId }).IsUnique();
        b.Property(s => s.ExternalId).HasMaxLength(200);
        b.Property(s => s.Error).HasMaxLength(1000);
        b.HasOne<Coupons.Coupon>().WithMany().HasForeignKey(s => s.CouponId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Shop>().WithMany().HasForeignKey(s => s.ShopId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OneTimeValueConfiguration : IEntityTypeConfiguration<Security.OneTimeValue>
{
    public void Configure(EntityTypeBuilder<Security.OneTimeValue> b)
    {
        b.HasKey(v => v.Key);
        b.Property(v => v.Key).HasMaxLength(100);
        b.HasIndex(v => v.ExpiresAt);
    }
}

internal sealed class ConnectCodeConfiguration : IEntityTypeConfiguration<ConnectCode>
{
    public void Configure(EntityTypeBuilder<ConnectCode> b)
    {
        b.Property(c => c.Hash).HasMaxLength(64);
        b.HasIndex(c => c.Hash).IsUnique();
        b.HasIndex(c => c.ExpiresAt);
        b.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoreAdminConfiguration : IEntityTypeConfiguration<StoreAdmin>
{
    public void Configure(EntityTypeBuilder<StoreAdmin> b)
    {
        b.HasIndex(a => new { a.ShopId, a.UserId }).IsUnique();
        b.HasIndex(a => a.WorkspaceId);
        b.HasOne<Shop>().WithMany().HasForeignKey(a => a.ShopId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
