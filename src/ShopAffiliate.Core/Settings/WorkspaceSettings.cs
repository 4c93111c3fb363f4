using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Settings;

/// <summary>When the storefront may set the referral cookie.</summary>
public enum ConsentMode
{
    /// <summary>Capture on landing (the shop's own banner handles consent, or none is required).</summary>
    None,

    /// <summary>Capture only after the visitor consents (sa.js waits for the shop's consent signal).</summary>
    OptIn,
}

/// <summary>The program's rules: one row per workspace, created with defaults on first read.</summary>
public sealed class WorkspaceSettings : ITenantOwned, IAuditable
{
    public Guid WorkspaceId { get; init; }

    /// <summary>How long a referral counts after the click (cookie lifetime).</summary>
    public int CookieWindowDays { get; set; } = 30;

    public AttributionModel AttributionModel { get; set; } = AttributionModel.LastClick;

    /// <summary>Days a commission stays Pending (refund window) before it is approved.</summary>
    public int HoldDays { get; set; } = 30;

    /// <summary>Rate of the built-in default group, as a fraction (0.10 = 10%).</summary>
    public decimal DefaultCommissionRate { get; set; } = 0.10m;

    /// <summary>Approve new applications without review.</summary>
    public bool AutoApproveAffiliates { get; set; }

    public SelfReferralPolicy SelfReferralPolicy { get; set; } = SelfReferralPolicy.Reject;

    /// <summary>A referred customer stays the affiliate's for later orders.</summary>
    public bool LifetimeCommissions { get; set; }

    public CommissionBasis CommissionBasis { get; set; } = CommissionBasis.NetRevenue;

    /// <summary>Minimum approved balance for a payout, in each currency.</summary>
    public decimal PayoutThreshold { get; set; } = 50m;

    public ConsentMode ConsentMode { get; set; } = ConsentMode.None;

    /// <summary>Repeat clicks from the same visitor on the same link within this many minutes are flagged, not counted.</summary>
    public int DuplicateClickWindowMinutes { get; set; } = 30;

    /// <summary>Hosts that links may point at besides the shops' own (e.g. a blog). Lowercase, no scheme.</summary>
    public List<string> AllowedDestinationHosts { get; set; } = [];

    public bool ExcludeTestOrders { get; set; } = true;

    /// <summary>Gift-card lines earn commission. Off by default: a gift card is paid for again when it is spent.</summary>
    public bool CommissionOnGiftCards { get; set; }

    /// <summary>The program's IANA time zone (report days, statements); null = the first shop's, else UTC
    /// (<see cref="SettingsStore.TimeZoneAsync"/>).</summary>
    public string? TimeZone { get; set; }

    /// <summary>The language the admin and the portal open in for someone who has not picked one (<c>en</c>,
    /// <c>da</c>); null = the browser's. A person's own choice wins over it.</summary>
    public string? DefaultLanguage { get; set; }

    /// <summary>
    /// The most a store's launch link grants (ADR 0018): Manager or Analyst. Never Owner: whoever holds a store's launch
    /// secret could otherwise mint owners.
    /// </summary>
    public Workspaces.StaffRole StoreAdminRole { get; set; } = Workspaces.StaffRole.Manager;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public ProgramSettings ToEngineSettings() => new()
    {
        CookieWindowDays = CookieWindowDays,
        AttributionModel = AttributionModel,
        SelfReferralPolicy = SelfReferralPolicy,
        LifetimeCommissions = LifetimeCommissions,
    };
}
