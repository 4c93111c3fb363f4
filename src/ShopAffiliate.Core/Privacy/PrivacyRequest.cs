using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Privacy;

public enum PrivacyRequestKind
{
    /// <summary>The customer asked what we hold: <see cref="PrivacyRequest.ExportJson"/> is what the merchant sends them.</summary>
    DataRequest,
    CustomerRedact,
    ShopRedact,

    /// <summary>An affiliate erased their own data from the portal (GDPR article 17); no shop is involved.</summary>
    AffiliateErasure,
}

/// <summary>A GDPR request received from a shop platform, and what we did about it (the audit trail).</summary>
public sealed class PrivacyRequest : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid? ShopId { get; init; }
    public required string ShopDomain { get; init; }
    public PrivacyRequestKind Kind { get; init; }

    /// <summary>The platform's request id (Shopify data_request.id), when it gives one.</summary>
    public string? ExternalRequestId { get; init; }

    /// <summary>A reference to the customer that holds no personal data after redaction (a count and the platform id).</summary>
    public string? CustomerReference { get; set; }

    public string? ExportJson { get; set; }

    /// <summary>What was done, in words: "Anonymised 3 orders and removed 1 lifetime link."</summary>
    public string Outcome { get; set; } = "";

    public DateTime ReceivedAt { get; init; }
    public DateTime? CompletedAt { get; set; }
}
