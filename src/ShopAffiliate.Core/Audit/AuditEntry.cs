using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Audit;

public enum AuditActorKind
{
    /// <summary>A signed-in staff member (admin cookie, launch link or the embedded admin's session token).</summary>
    Staff,

    /// <summary>A workspace API key.</summary>
    ApiKey,

    /// <summary>The program's own rules (auto-approval) or a background job acting for nobody in particular.</summary>
    System,
}

/// <summary>
/// One staff action, written in the same SaveChanges as the change it records (ADR 0033). Never updated or deleted:
/// <see cref="AuditInterceptor"/> refuses a save that would, and no route offers it.
/// </summary>
public sealed class AuditEntry : ITenantOwned
{
    public long Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public DateTime At { get; init; }
    public AuditActorKind ActorKind { get; init; }

    /// <summary>The staff user's or API key's id; null for <see cref="AuditActorKind.System"/>.</summary>
    public Guid? ActorId { get; init; }

    /// <summary>The staff member's email or the API key's name, as it was then (people and keys get renamed).</summary>
    public required string ActorName { get; init; }

    /// <summary>What was acted on: <c>Affiliate</c>, <c>Commission</c>, <c>PayoutBatch</c>, <c>ApiKey</c>...</summary>
    public required string EntityType { get; init; }

    public required string EntityId { get; init; }

    /// <summary>What was done, a stable word such as <c>affiliate.approved</c> (<see cref="AuditActions"/>).</summary>
    public required string Action { get; init; }

    /// <summary>Compact JSON of the changed fields' values before (null for a creation).</summary>
    public string? Before { get; init; }

    /// <summary>Compact JSON of the changed fields' values after (null for a deletion).</summary>
    public string? After { get; init; }

    /// <summary>The reason staff gave, when the action asks for one.</summary>
    public string? Reason { get; init; }
}

/// <summary>The actions the trail records, one place so the page's filter lists exactly these.</summary>
public static class AuditActions
{
    public const string AffiliateCreated = "affiliate.created";
    public const string AffiliateUpdated = "affiliate.updated";
    public const string AffiliateApproved = "affiliate.approved";
    public const string AffiliateRejected = "affiliate.rejected";
    public const string AffiliateSuspended = "affiliate.suspended";
    public const string AffiliateReinstated = "affiliate.reinstated";
    public const string AffiliateGroupChanged = "affiliate.group-changed";
    public const string AffiliateInvited = "affiliate.invited";
    public const string AffiliateNoteAdded = "affiliate.note-added";
    public const string SettingsUpdated = "settings.updated";
    public const string PayoutBatchCreated = "payout.created";
    public const string PayoutBatchPaid = "payout.paid";
    public const string PayoutBatchCancelled = "payout.cancelled";
    public const string ApiKeyCreated = "api-key.created";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string StoreAdminLinked = "store-admin.linked";
    public const string StoreAdminUnlinked = "store-admin.unlinked";
    public const string CommissionApproved = "commission.approved";
    public const string CommissionRejected = "commission.rejected";
    public const string ManualCommission = "commission.manual";
    public const string ManualAdjustment = "ledger.adjustment";
    public const string DisputeOpened = "dispute.opened";
    public const string DisputeReplied = "dispute.replied";
    public const string DisputeAccepted = "dispute.accepted";
    public const string DisputeDeclined = "dispute.declined";
    public const string MessageSent = "message.sent";
    public const string WebhookEndpointCreated = "webhook-endpoint.created";
    public const string WebhookEndpointUpdated = "webhook-endpoint.updated";
    public const string WebhookEndpointDeleted = "webhook-endpoint.deleted";
    public const string WebhookSecretRotated = "webhook-endpoint.secret-rotated";
    public const string WebhookDeliveryReplayed = "webhook-delivery.replayed";
    public const string WebhookTestSent = "webhook-endpoint.test-sent";
    public const string ShopWebhooksRegistered = "shop.webhooks-registered";
    public const string ShopDisconnected = "shop.disconnected";
    public const string GroupCreated = "group.created";
    public const string GroupUpdated = "group.updated";
    public const string GroupDeleted = "group.deleted";
    public const string StaffInvited = "staff.invited";
    public const string StaffInvitationRevoked = "staff.invitation-revoked";
    public const string StaffJoined = "staff.joined";
    public const string StaffRoleChanged = "staff.role-changed";
    public const string StaffRemoved = "staff.removed";

    /// <summary>The action a status change is: an approval of a suspended affiliate reinstates them.</summary>
    public static string ForStatus(Affiliates.AffiliateStatus from, Affiliates.AffiliateStatus to) => to switch
    {
        Affiliates.AffiliateStatus.Approved when from == Affiliates.AffiliateStatus.Suspended => AffiliateReinstated,
        Affiliates.AffiliateStatus.Approved => AffiliateApproved,
        Affiliates.AffiliateStatus.Rejected => AffiliateRejected,
        Affiliates.AffiliateStatus.Suspended => AffiliateSuspended,
        _ => AffiliateUpdated,
    };

    public static readonly IReadOnlyList<string> All =
    [
        AffiliateCreated, AffiliateUpdated, AffiliateApproved, AffiliateRejected, AffiliateSuspended, AffiliateReinstated,
        AffiliateGroupChanged, AffiliateInvited, AffiliateNoteAdded, SettingsUpdated, PayoutBatchCreated, PayoutBatchPaid,
        PayoutBatchCancelled, ApiKeyCreated, ApiKeyRevoked, StoreAdminLinked, StoreAdminUnlinked, CommissionApproved,
        CommissionRejected, ManualCommission, ManualAdjustment,
        DisputeOpened, DisputeReplied, DisputeAccepted, DisputeDeclined, MessageSent,
        ShopWebhooksRegistered, ShopDisconnected,
        GroupCreated, GroupUpdated, GroupDeleted, StaffInvited, StaffInvitationRevoked, StaffJoined, StaffRoleChanged, StaffRemoved,
    ];
}
