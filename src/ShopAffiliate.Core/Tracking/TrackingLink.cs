using System.Security.Cryptography;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Tracking;

/// <summary>An affiliate's tracking link: <c>/r/{Code}</c> (optionally <c>/r/{Code}/{subId}</c>) redirects to <see cref="Destination"/>.</summary>
public sealed class TrackingLink : ITenantOwned, IAuditable
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyz23456789"; // no look-alikes (l, 1, 0, o)

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }

    /// <summary>Globally unique (the URL carries no workspace).</summary>
    public required string Code { get; init; }

    public required string Destination { get; set; }

    /// <summary>A default sub-id (campaign) recorded with each click unless the URL names one.</summary>
    public string? SubId { get; set; }

    public bool IsArchived { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string NewCode(int length = 8) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        });
}

/// <summary>
/// A visit through a tracking link or a <c>?ref=</c> landing. Bot and repeat clicks are stored but flagged, and not
/// counted in reports. The id is the click id carried to the shop (<c>sa_click</c>). The IP is kept only as a
/// salted hash.
/// </summary>
public sealed class Click : ITenantOwned
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }
    public Guid? LinkId { get; init; }
    public required string ReferralCode { get; init; }
    public string? SubId { get; init; }
    public DateTime At { get; init; }
    public ClickSource Source { get; init; }

    /// <summary>HMAC-SHA256 of the IP with the workspace's salt (hex, 32 chars); null after the retention period.</summary>
    public string? IpHash { get; set; }

    public string? UserAgent { get; init; }
    public string? Referrer { get; init; }
    public string? LandingUrl { get; init; }
    public bool IsBot { get; init; }
    public bool IsDuplicate { get; init; }

    /// <summary>The creative whose embed code the click came through (<c>/r/{code}?c={creativeId}</c>), if any.</summary>
    public Guid? CreativeId { get; init; }

    public bool Counts => !IsBot && !IsDuplicate;
}

public enum ClickSource
{
    /// <summary>Through our redirect <c>/r/{code}</c>.</summary>
    Redirect,

    /// <summary>Reported by the storefront script for a <c>?ref=</c> landing that did not pass our redirect.</summary>
    Landing,
}
