using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Data;

/// <summary>
/// The one database context. Each provider has a sealed subclass (<see cref="SqliteAppDbContext"/>,
/// <see cref="PostgresAppDbContext"/>) only so that each keeps its own migrations; the model is shared.
/// </summary>
public abstract class AppDbContext(DbContextOptions options, ITenantContext? tenant)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The workspace every tenant-owned query is filtered by; null matches nothing (fail closed).</summary>
    public Guid? CurrentWorkspaceId => tenant?.WorkspaceId;

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();
    public DbSet<StaffInvitation> StaffInvitations => Set<StaffInvitation>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Shop> Shops => Set<Shop>();
    public DbSet<Affiliate> Affiliates => Set<Affiliate>();
    public DbSet<ProgramPage> ProgramPages => Set<ProgramPage>();
    public DbSet<AffiliateApplication> AffiliateApplications => Set<AffiliateApplication>();
    public DbSet<TermsAcceptance> TermsAcceptances => Set<TermsAcceptance>();
    public DbSet<Settings.WorkspaceSettings> WorkspaceSettings => Set<Settings.WorkspaceSettings>();
    public DbSet<Tracking.TrackingLink> TrackingLinks => Set<Tracking.TrackingLink>();
    public DbSet<Tracking.Click> Clicks => Set<Tracking.Click>();
    public DbSet<Orders.Order> Orders => Set<Orders.Order>();
    public DbSet<Orders.LifetimeCustomer> LifetimeCustomers => Set<Orders.LifetimeCustomer>();
    public DbSet<Commissions.Commission> Commissions => Set<Commissions.Commission>();
    public DbSet<Commissions.LedgerRecord> Ledger => Set<Commissions.LedgerRecord>();
    public DbSet<Commissions.CommissionGroup> CommissionGroups => Set<Commissions.CommissionGroup>();
    public DbSet<Coupons.Coupon> Coupons => Set<Coupons.Coupon>();
    public DbSet<Coupons.CouponSync> CouponSyncs => Set<Coupons.CouponSync>();
    public DbSet<Payouts.PayoutBatch> PayoutBatches => Set<Payouts.PayoutBatch>();
    public DbSet<Payouts.PayoutItem> PayoutItems => Set<Payouts.PayoutItem>();
    public DbSet<Inbox.InboxMessage> Inbox => Set<Inbox.InboxMessage>();
    public DbSet<Outbox.OutboxMessage> OutboxMessages => Set<Outbox.OutboxMessage>();
    public DbSet<Outbox.OutboxAttempt> OutboxAttempts => Set<Outbox.OutboxAttempt>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Email.EmailTemplateOverride> EmailTemplateOverrides => Set<Email.EmailTemplateOverride>();
    public DbSet<Email.EmailSuppression> EmailSuppressions => Set<Email.EmailSuppression>();
    public DbSet<Email.MailSenderMark> MailSenderMarks => Set<Email.MailSenderMark>();
    public DbSet<Privacy.PrivacyRequest> PrivacyRequests => Set<Privacy.PrivacyRequest>();
    public DbSet<Security.OneTimeValue> OneTimeValues => Set<Security.OneTimeValue>();
    public DbSet<ConnectCode> ConnectCodes => Set<ConnectCode>();
    public DbSet<StoreAdmin> StoreAdmins => Set<StoreAdmin>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Reports.DailyRollup> DailyRollups => Set<Reports.DailyRollup>();
    public DbSet<Reports.MonthlyRollup> MonthlyRollups => Set<Reports.MonthlyRollup>();
    public DbSet<Reports.OrderContribution> OrderContributions => Set<Reports.OrderContribution>();
    public DbSet<Reports.DailyProductRollup> DailyProductRollups => Set<Reports.DailyProductRollup>();
    public DbSet<Reports.MonthlyProductRollup> MonthlyProductRollups => Set<Reports.MonthlyProductRollup>();
    public DbSet<Reports.OrderProductContribution> OrderProductContributions => Set<Reports.OrderProductContribution>();
    public DbSet<Reports.RollupWatermark> RollupWatermarks => Set<Reports.RollupWatermark>();
    public DbSet<Reports.ReportGoal> ReportGoals => Set<Reports.ReportGoal>();
    public DbSet<Disputes.Dispute> Disputes => Set<Disputes.Dispute>();
    public DbSet<Disputes.DisputeEntry> DisputeEntries => Set<Disputes.DisputeEntry>();
    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();
    public DbSet<AffiliateNote> AffiliateNotes => Set<AffiliateNote>();
    public DbSet<Messages.AffiliateMessage> AffiliateMessages => Set<Messages.AffiliateMessage>();

    /// <summary>Audit entries recorded but not yet saved; the next SaveChanges stores them (<see cref="AuditInterceptor"/>).</summary>
    internal List<Audit.AuditEntry> PendingAudit { get; } = [];
    public DbSet<Creatives.Creative> Creatives => Set<Creatives.Creative>();
    public DbSet<Creatives.CreativeFile> CreativeFiles => Set<Creatives.CreativeFile>();
    public DbSet<Creatives.CreativeBlob> CreativeBlobs => Set<Creatives.CreativeBlob>();
    public DbSet<Creatives.Impression> Impressions => Set<Creatives.Impression>();
    public DbSet<Communication.Announcement> Announcements => Set<Communication.Announcement>();
    public DbSet<Communication.AnnouncementRecipient> AnnouncementRecipients => Set<Communication.AnnouncementRecipient>();
    public DbSet<Communication.NotificationPreferences> NotificationPreferences => Set<Communication.NotificationPreferences>();
    public DbSet<Campaigns.Campaign> Campaigns => Set<Campaigns.Campaign>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(TenantFilterFor(entity.ClrType));
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // All times are UTC. SQLite hands DateTimes back as Unspecified; stamp them so JSON says "Z".
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    private LambdaExpression TenantFilterFor(Type clrType)
    {
        var entity = Expression.Parameter(clrType, "e");
        var workspaceId = Expression.Convert(Expression.Property(entity, nameof(ITenantOwned.WorkspaceId)), typeof(Guid?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId));
        return Expression.Lambda(Expression.Equal(workspaceId, current), entity);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options, ITenantContext? tenant = null)
    : AppDbContext(options, tenant);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, ITenantContext? tenant = null)
    : AppDbContext(options, tenant);
