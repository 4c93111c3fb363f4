using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Webhooks;

/// <summary>
/// Where signed deliveries go: a merchant's integrator endpoint (<see cref="AffiliateId"/> null, the event types it
/// chose) or an affiliate's postback URL (their own <c>commission.created</c> and <c>commission.changed</c> only).
/// The signing secret is stored protected (Data Protection) and shown once, when the endpoint is made or rotated.
/// </summary>
public sealed class WebhookEndpoint : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>Set for an affiliate's postback URL: it receives that affiliate's own commissions only.</summary>
    public Guid? AffiliateId { get; init; }

    public required string Url { get; set; }
    public string Description { get; set; } = "";

    /// <summary>Space-separated event types (<see cref="WebhookEventTypes"/>); a trailing <c>.*</c> takes a whole family.</summary>
    public required string EventTypes { get; set; }

    public required string EncryptedSecret { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Why it was disabled: by staff, or by the receiver answering 410 Gone.</summary>
    public string? DisabledReason { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> Types => EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string type) => Types.Any(t => t == type || (t.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(t[..^1], StringComparison.Ordinal)));

    public override string ToString() => $"webhook endpoint {Id} {Url} ({EventTypes}), enabled: {Enabled}";
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.Property(e => e.Url).HasMaxLength(2000);
        b.Property(e => e.Description).HasMaxLength(200);
        b.Property(e => e.EventTypes).HasMaxLength(1000);
        b.Property(e => e.EncryptedSecret).HasMaxLength(2000);
        b.Property(e => e.DisabledReason).HasMaxLength(500);
        b.HasIndex(e => new { e.WorkspaceId, e.AffiliateId });
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Affiliates.Affiliate>().WithMany().HasForeignKey(e => e.AffiliateId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The event types (documented in docs/WEBHOOKS.md).</summary>
public static class WebhookEventTypes
{
    public const string AffiliateCreated = "affiliate.created";
    public const string AffiliateApproved = "affiliate.approved";
    public const string AffiliateRejected = "affiliate.rejected";
    public const string AffiliateSuspended = "affiliate.suspended";
    public const string CommissionCreated = "commission.created";
    public const string CommissionChanged = "commission.changed";
    public const string PayoutBatchCreated = "payout.batch_created";
    public const string PayoutBatchPaid = "payout.batch_paid";
    public const string DisputeOpened = "dispute.opened";
    public const string DisputeAccepted = "dispute.accepted";
    public const string DisputeDeclined = "dispute.declined";

    /// <summary>"Send test event": goes to the one endpoint asked, whatever it subscribed to.</summary>
    public const string Ping = "webhook.test";

    public static readonly IReadOnlyList<string> All =
    [
        AffiliateCreated, AffiliateApproved, AffiliateRejected, AffiliateSuspended, CommissionCreated, CommissionChanged,
        PayoutBatchCreated, PayoutBatchPaid, DisputeOpened, DisputeAccepted, DisputeDeclined,
    ];

    public static readonly IReadOnlyList<string> Families = ["affiliate.*", "commission.*", "payout.*", "dispute.*"];

    /// <summary>What an affiliate's postback URL receives.</summary>
    public static readonly IReadOnlyList<string> Postback = [CommissionCreated, CommissionChanged];

    public static bool IsKnown(string type) => All.Contains(type) || Families.Contains(type);
}
