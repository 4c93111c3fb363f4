using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;

namespace ShopAffiliate.Core.Messages;

/// <summary>
/// One message of the single thread between an affiliate and the program's staff: plain text, written once and never
/// edited. <see cref="ReadAt"/> is when the other side first opened the thread after it (the unread markers).
/// </summary>
public sealed class AffiliateMessage : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }

    /// <summary>Who wrote it: the affiliate or staff (the same two sides as a dispute's thread).</summary>
    public DisputeAuthor Author { get; init; }

    /// <summary>The person: the affiliate's name, or the staff member's email.</summary>
    public required string ActorName { get; init; }

    public required string Text { get; set; }
    public DateTime At { get; init; }
    public DateTime? ReadAt { get; set; }
}

internal sealed class AffiliateMessageConfiguration : IEntityTypeConfiguration<AffiliateMessage>
{
    public void Configure(EntityTypeBuilder<AffiliateMessage> b)
    {
        b.Property(m => m.ActorName).HasMaxLength(320);
        b.Property(m => m.Text).HasMaxLength(MessageService.MaxText);
        // One affiliate's thread in order, and the inbox's unread counts.
        b.HasIndex(m => new { m.WorkspaceId, m.AffiliateId, m.At });
        b.HasIndex(m => new { m.WorkspaceId, m.Author, m.ReadAt });
        // The inbox's "has unread" filter and the page's unread counts, per affiliate.
        b.HasIndex(m => new { m.WorkspaceId, m.AffiliateId, m.Author, m.ReadAt });
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliates.Affiliate>().WithMany().HasForeignKey(m => m.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}
