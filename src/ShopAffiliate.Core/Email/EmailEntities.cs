using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Email;

/// <summary>A program's own text for one kind of mail in one language, used instead of the built-in one.</summary>
public sealed class EmailTemplateOverride : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public EmailKind Kind { get; init; }
    public required string Culture { get; init; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An address that unsubscribed from a program's non-essential mail (RFC 8058 one-click, or the confirm page).</summary>
public sealed class EmailSuppression : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>Lowercase.</summary>
    public required string Email { get; init; }

    public DateTime At { get; init; }
}

internal sealed class EmailTemplateOverrideConfiguration : IEntityTypeConfiguration<EmailTemplateOverride>
{
    public void Configure(EntityTypeBuilder<EmailTemplateOverride> b)
    {
        b.Property(t => t.Culture).HasMaxLength(8);
        b.Property(t => t.Subject).HasMaxLength(300);
        b.Property(t => t.Body).HasMaxLength(20000);
        b.HasIndex(t => new { t.WorkspaceId, t.Kind, t.Culture }).IsUnique();
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailSuppressionConfiguration : IEntityTypeConfiguration<EmailSuppression>
{
    public void Configure(EntityTypeBuilder<EmailSuppression> b)
    {
        b.Property(s => s.Email).HasMaxLength(254);
        b.HasIndex(s => new { s.WorkspaceId, s.Email }).IsUnique();
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// How far a background mail sender has read its source table (one row per sender, across programs and nodes):
/// the (CreatedAt, Id) of the last row it has looked at. Read after, never again.
/// </summary>
public sealed class MailSenderMark
{
    public required string Sender { get; init; }
    public DateTime At { get; set; }
    public Guid LastId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class MailSenderMarkConfiguration : IEntityTypeConfiguration<MailSenderMark>
{
    public void Configure(EntityTypeBuilder<MailSenderMark> b)
    {
        b.HasKey(m => m.Sender);
        b.Property(m => m.Sender).HasMaxLength(64);
    }
}
