using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Campaigns;

/// <summary>What a campaign holds: creatives and coupons, each in at most one campaign.</summary>
public interface ICampaignMember
{
    Guid Id { get; }
    Guid? CampaignId { get; set; }
}

/// <summary>Where a campaign is on the program's calendar (its time zone), today.</summary>
public enum CampaignStatus
{
    Scheduled,
    Running,
    Ended,
}

/// <summary>
/// A merchant's campaign (a summer sale): it groups creatives and coupons, runs from <see cref="StartsOn"/> to
/// <see cref="EndsOn"/> (days in the program's time zone, both included; null = open on that side) and is seen by the
/// affiliates of its segment (<see cref="Segment"/>, the announcements' definition).
/// </summary>
public sealed class Campaign : ITenantOwned, IAuditable
{
    public const int MaxName = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>Lowercase, trimmed: names are unique per program regardless of case (the creatives' API finds a campaign by name).</summary>
    public required string NormalizedName { get; set; }

    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }

    public SegmentKind SegmentKind { get; set; }
    public Guid? SegmentGroupId { get; set; }
    public AffiliateStatus? SegmentStatus { get; set; }
    public int? SegmentTop { get; set; }
    public int? SegmentDays { get; set; }

    public DateTime? AnnouncedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public Segment Segment
    {
        get => new(SegmentKind, SegmentGroupId, SegmentStatus, SegmentTop, SegmentDays);
        set => (SegmentKind, SegmentGroupId, SegmentStatus, SegmentTop, SegmentDays) = (value.Kind, value.GroupId, value.Status, value.Top, value.Days);
    }

    public CampaignStatus StatusOn(DateOnly today) =>
        StartsOn is { } start && today < start ? CampaignStatus.Scheduled
        : EndsOn is { } end && today > end ? CampaignStatus.Ended
        : CampaignStatus.Running;

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.Property(c => c.Name).HasMaxLength(Campaign.MaxName);
        b.Property(c => c.NormalizedName).HasMaxLength(Campaign.MaxName);
        b.Ignore(c => c.Segment);
        b.HasIndex(c => new { c.WorkspaceId, c.NormalizedName }).IsUnique();
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<Creative>().WithOne().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany<Coupon>().WithOne().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.SetNull);
    }
}
