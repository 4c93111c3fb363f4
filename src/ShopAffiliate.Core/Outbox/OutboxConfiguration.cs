using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShopAffiliate.Core.Outbox;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(m => m.Kind).HasMaxLength(32);
        b.Property(m => m.IdempotencyKey).HasMaxLength(200);
        b.HasIndex(m => m.IdempotencyKey).IsUnique();
        b.Property(m => m.Topic).HasMaxLength(100);
        b.Property(m => m.Recipient).HasMaxLength(500);
        b.Property(m => m.LastError).HasMaxLength(2000);
        // The claim's filter; the sent log is read per workspace, newest first.
        b.HasIndex(m => new { m.Status, m.NextAttemptAt });
        b.HasIndex(m => new { m.WorkspaceId, m.Id });
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxAttemptConfiguration : IEntityTypeConfiguration<OutboxAttempt>
{
    public void Configure(EntityTypeBuilder<OutboxAttempt> b)
    {
        b.Property(a => a.Error).HasMaxLength(2000);
        b.HasIndex(a => new { a.MessageId, a.Attempt });
        b.HasOne<OutboxMessage>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
