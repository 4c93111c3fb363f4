using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Communication;

/// <summary>A message from the program to a segment of its affiliates, shown in their portal and mailed (non-essential).</summary>
public sealed class Announcement : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public required string Subject { get; set; }

    /// <summary>Plain text with Markdown-lite (<see cref="MarkdownLite"/>): paragraphs, **bold**, *italic*, [links](https://…).</summary>
    public required string Body { get; set; }

    public SegmentKind SegmentKind { get; set; }
    public Guid? SegmentGroupId { get; set; }
    public AffiliateStatus? SegmentStatus { get; set; }
    public int? SegmentTop { get; set; }
    public int? SegmentDays { get; set; }

    public DateTime? SentAt { get; set; }
    public int RecipientCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public Segment Segment => new(SegmentKind, SegmentGroupId, SegmentStatus, SegmentTop, SegmentDays);
}

/// <summary>One affiliate an announcement went to, and when they marked it read in the portal.</summary>
public sealed class AnnouncementRecipient : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AnnouncementId { get; init; }
    public Guid AffiliateId { get; init; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>
/// Which non-essential mail an affiliate wants. No row = all of it. The one-click unsubscribe (an
/// <see cref="Email.EmailSuppression"/> of the address) turns all of them off; saving the portal's form clears it.
/// </summary>
public sealed class NotificationPreferences : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }
    public bool Announcements { get; set; } = true;
    public bool CommissionEarned { get; set; } = true;
    public bool MonthlyStatement { get; set; } = true;
    public DateTime UpdatedAt { get; set; }
}

internal sealed class AnnouncementConfiguration : IEntityTypeConfiguration<Announcement>
{
    public void Configure(EntityTypeBuilder<Announcement> b)
    {
        b.Property(a => a.Subject).HasMaxLength(AnnouncementService.MaxSubject);
        b.Property(a => a.Body).HasMaxLength(AnnouncementService.MaxBody);
        b.Ignore(a => a.Segment);
        b.HasIndex(a => new { a.WorkspaceId, a.CreatedAt });
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AnnouncementRecipientConfiguration : IEntityTypeConfiguration<AnnouncementRecipient>
{
    public void Configure(EntityTypeBuilder<AnnouncementRecipient> b)
    {
        b.HasIndex(r => new { r.AnnouncementId, r.AffiliateId }).IsUnique();
        b.HasIndex(r => new { r.WorkspaceId, r.AffiliateId, r.ReadAt });
        b.HasOne<Announcement>().WithMany().HasForeignKey(r => r.AnnouncementId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliate>().WithMany().HasForeignKey(r => r.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationPreferencesConfiguration : IEntityTypeConfiguration<NotificationPreferences>
{
    public void Configure(EntityTypeBuilder<NotificationPreferences> b)
    {
        b.HasIndex(p => new { p.WorkspaceId, p.AffiliateId }).IsUnique();
        b.HasOne<Affiliate>().WithMany().HasForeignKey(p => p.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}
