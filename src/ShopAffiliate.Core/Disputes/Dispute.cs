using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Disputes;

public enum DisputeStatus
{
    Open,
    Accepted,
    Declined,
}

/// <summary>
/// An affiliate's claim for a missing or wrongly rejected commission: the order as they know it (its number and date)
/// and a note. Staff accept it (the order is then assigned to the affiliate by hand, through the engine) or decline it,
/// each with a reason. Its <see cref="DisputeEntry"/> rows are the thread both sides read and the record of every step.
/// </summary>
public sealed class Dispute : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }

    /// <summary>As the affiliate typed it ("1042" or "#1042"); <see cref="DisputeService"/> matches it with or without the '#'.</summary>
    public required string OrderNumber { get; init; }

    public DateOnly OrderDate { get; init; }
    public required string Note { get; init; }
    public DisputeStatus Status { get; set; }

    /// <summary>The order the claim was settled with (set on accept).</summary>
    public Guid? OrderId { get; set; }

    public string? DecisionReason { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum DisputeEntryKind
{
    Opened,
    Message,
    Accepted,
    Declined,
}

public enum DisputeAuthor
{
    Affiliate,
    Staff,
}

/// <summary>One step of a dispute, never changed once written: who (the side and the person), when, what.</summary>
public sealed class DisputeEntry : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid DisputeId { get; init; }
    public DisputeEntryKind Kind { get; init; }
    public DisputeAuthor Author { get; init; }

    /// <summary>The person: the affiliate's name, a staff member's email, or "API key {id}".</summary>
    public required string ActorName { get; init; }

    public required string Text { get; init; }
    public DateTime At { get; init; }
}

internal sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> b)
    {
        b.Property(d => d.OrderNumber).HasMaxLength(DisputeService.MaxOrderNumber);
        b.Property(d => d.Note).HasMaxLength(DisputeService.MaxText);
        b.Property(d => d.DecisionReason).HasMaxLength(DisputeService.MaxText);
        b.Property(d => d.DecidedBy).HasMaxLength(320);
        // The admin's list (by status, newest first) and the portal's (one affiliate's).
        b.HasIndex(d => new { d.WorkspaceId, d.Status, d.CreatedAt });
        b.HasIndex(d => new { d.WorkspaceId, d.AffiliateId, d.CreatedAt });
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliates.Affiliate>().WithMany().HasForeignKey(d => d.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DisputeEntryConfiguration : IEntityTypeConfiguration<DisputeEntry>
{
    public void Configure(EntityTypeBuilder<DisputeEntry> b)
    {
        b.Property(e => e.ActorName).HasMaxLength(320);
        b.Property(e => e.Text).HasMaxLength(DisputeService.MaxText);
        b.HasIndex(e => new { e.DisputeId, e.At });
        b.HasOne<Dispute>().WithMany().HasForeignKey(e => e.DisputeId).OnDelete(DeleteBehavior.Cascade);
    }
}
