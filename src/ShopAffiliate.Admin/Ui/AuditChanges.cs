using System.Text.Json;

namespace ShopAffiliate.Admin.Ui;

/// <summary>One changed field of an audit entry, as the page shows it: its value before and after (null = none).</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

public static class AuditChanges
{
    /// <summary>
    /// The fields of the entry's before and after JSON, side by side, in the order they were recorded; a field empty on
    /// both sides (a created row's unset fields and empty lists) says nothing and is left out.
    /// </summary>
    public static IReadOnlyList<AuditChange> Of(string? before, string? after)
    {
        var b = Read(before);
        var a = Read(after);
        return b.Keys.Concat(a.Keys).Distinct(StringComparer.Ordinal)
            .Select(k => new AuditChange(k, b.GetValueOrDefault(k), a.GetValueOrDefault(k)))
            .Where(c => c.Before is not (null or "" or "[]") || c.After is not (null or "" or "[]"))
            .ToList();
    }

    private static Dictionary<string, string?> Read(string? json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return fields;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return fields;
            foreach (var p in doc.RootElement.EnumerateObject())
                fields[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => p.Value.GetString(),
                    _ => p.Value.GetRawText(),
                };
        }
        catch (JsonException)
        {
            fields["value"] = json;
        }
        return fields;
    }
}

/// <summary>The English label (the resource key) of each audited action.</summary>
public static class AuditLabels
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Core.Audit.AuditActions.AffiliateCreated] = "Affiliate created",
        [Core.Audit.AuditActions.AffiliateUpdated] = "Affiliate changed",
        [Core.Audit.AuditActions.AffiliateApproved] = "Affiliate approved",
        [Core.Audit.AuditActions.AffiliateRejected] = "Affiliate rejected",
        [Core.Audit.AuditActions.AffiliateSuspended] = "Affiliate suspended",
        [Core.Audit.AuditActions.AffiliateReinstated] = "Affiliate reinstated",
        [Core.Audit.AuditActions.AffiliateGroupChanged] = "Affiliate moved to a group",
        [Core.Audit.AuditActions.AffiliateInvited] = "Affiliate invited",
        [Core.Audit.AuditActions.AffiliateNoteAdded] = "Internal note added",
        [Core.Audit.AuditActions.SettingsUpdated] = "Program rules changed",
        [Core.Audit.AuditActions.PayoutBatchCreated] = "Payout batch created",
        [Core.Audit.AuditActions.PayoutBatchPaid] = "Payout batch marked paid",
        [Core.Audit.AuditActions.PayoutBatchCancelled] = "Payout batch cancelled",
        [Core.Audit.AuditActions.ApiKeyCreated] = "API key created",
        [Core.Audit.AuditActions.ApiKeyRevoked] = "API key revoked",
        [Core.Audit.AuditActions.StoreAdminLinked] = "Store admin linked",
        [Core.Audit.AuditActions.StoreAdminUnlinked] = "Store admin unlinked",
        [Core.Audit.AuditActions.CommissionApproved] = "Commission approved",
        [Core.Audit.AuditActions.CommissionRejected] = "Commission rejected",
        [Core.Audit.AuditActions.ManualCommission] = "Manual commission",
        [Core.Audit.AuditActions.ManualAdjustment] = "Manual adjustment",
        [Core.Audit.AuditActions.DisputeOpened] = "Claim filed for an affiliate",
        [Core.Audit.AuditActions.DisputeReplied] = "Claim answered",
        [Core.Audit.AuditActions.DisputeAccepted] = "Claim accepted",
        [Core.Audit.AuditActions.DisputeDeclined] = "Claim declined",
        [Core.Audit.AuditActions.MessageSent] = "Message sent to an affiliate",
        [Core.Audit.AuditActions.ShopWebhooksRegistered] = "Shop's webhooks registered again",
        [Core.Audit.AuditActions.ShopDisconnected] = "Shop disconnected",
        [Core.Audit.AuditActions.GroupCreated] = "Commission group created",
        [Core.Audit.AuditActions.GroupUpdated] = "Commission group changed",
        [Core.Audit.AuditActions.GroupDeleted] = "Commission group deleted",
        [Core.Audit.AuditActions.StaffInvited] = "Staff member invited",
        [Core.Audit.AuditActions.StaffInvitationRevoked] = "Staff invitation withdrawn",
        [Core.Audit.AuditActions.StaffJoined] = "Staff member joined",
        [Core.Audit.AuditActions.StaffRoleChanged] = "Staff role changed",
        [Core.Audit.AuditActions.StaffRemoved] = "Staff member removed",
    };

    public static string For(string action) => Labels.GetValueOrDefault(action, action);

    /// <summary>
    /// The English label (the resource key) of each field the trail records, by the name it is stored under
    /// (entities' property names, and the camelCase names of the entries services state themselves).
    /// </summary>
    private static readonly Dictionary<string, string> FieldLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Id"] = "Id",
        ["Name"] = "Name",
        ["Email"] = "Email",
        ["ReferralCode"] = "Referral code",
        ["Status"] = "Status",
        ["StatusReason"] = "Reason for the status",
        ["Website"] = "Website",
        ["ParentAffiliateId"] = "Recruited by",
        ["GroupId"] = "Group",
        ["AcceptedTermsVersion"] = "Accepted terms version",
        ["PayoutDetails"] = "Payout details",
        ["Language"] = "Language",
        ["UserId"] = "User",
        ["ErasedAt"] = "Erased",
        ["CreatedAt"] = "Created",
        ["Hint"] = "Key ends in",
        ["LastUsedAt"] = "Last used",
        ["RevokedAt"] = "Revoked",
        ["ShopId"] = "Shop",
        ["Domain"] = "Domain",
        ["Ok"] = "Worked",
        ["CredentialsRefused"] = "Access refused",
        ["Created"] = "Added",
        ["Problem"] = "Problem",
        ["CreatedByLaunch"] = "Linked by a launch link",
        ["CookieWindowDays"] = "Cookie window (days)",
        ["AttributionModel"] = "Attribution model",
        ["HoldDays"] = "Hold period (days)",
        ["DefaultCommissionRate"] = "Default commission (%)",
        ["AutoApproveAffiliates"] = "Approve new affiliates automatically",
        ["SelfReferralPolicy"] = "Self-referral",
        ["LifetimeCommissions"] = "Lifetime commissions",
        ["CommissionBasis"] = "Commission is paid on",
        ["PayoutThreshold"] = "Payout threshold",
        ["ConsentMode"] = "Cookie consent",
        ["DuplicateClickWindowMinutes"] = "Repeat-click window (minutes)",
        ["AllowedDestinationHosts"] = "Other sites links may point at",
        ["ExcludeTestOrders"] = "Ignore test orders",
        ["CommissionOnGiftCards"] = "Pay commission on gift cards",
        ["TimeZone"] = "Time zone",
        ["DefaultLanguage"] = "Default language",
        ["StoreAdminRole"] = "Store admins' role",
        ["Reference"] = "Reference",
        ["Currency"] = "Currency",
        ["Total"] = "Total",
        ["PaidAt"] = "Paid at",
        ["Affiliates"] = "Affiliates",
        ["AffiliateId"] = "Affiliate",
        ["Amount"] = "Amount",
        ["OrderId"] = "Order",
        ["Kind"] = "Kind",
        ["Note"] = "Note",
        ["HeldForReview"] = "Held for review",
        ["RulesJson"] = "Rules",
        ["IsDefault"] = "Default group",
        ["SecondTierRate"] = "Second tier",
        ["TierPeriod"] = "Tiers count sales per",
        ["Role"] = "Role",
    };

    /// <summary>The English label (the resource key) of a recorded field; a field without one keeps its stored name.</summary>
    public static string Field(string field) => FieldLabels.GetValueOrDefault(field, field);

    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal)
        { "Pending", "Approved", "Paid", "Rejected", "Reversed", "Suspended", "Open", "Held", "Owner", "Manager", "Analyst" };

    /// <summary>
    /// How a recorded value reads: <c>true</c>/<c>false</c> as the admin texts' "Yes"/"No", a status word as the
    /// shared texts' <c>Status.*</c> key (<paramref name="shared"/> true); null when the value is shown as stored.
    /// </summary>
    public static string? Value(string? value, out bool shared)
    {
        shared = value is not null && Statuses.Contains(value);
        return value switch
        {
            null => null,
            "true" => "Yes",
            "false" => "No",
            _ when shared => "Status." + value,
            _ => null,
        };
    }
}
