using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Admin.Portal;

/// <summary>Bound from <c>Screening</c>.</summary>
public sealed class ScreeningOptions
{
    public const string Section = "Screening";

    /// <summary>
    /// A request header a trusted proxy sets to the client's country (<c>CF-IPCountry</c> behind Cloudflare). Unset:
    /// country unknown, since any client can send such a header itself.
    /// </summary>
    public string? TrustedCountryHeader { get; set; }
}

/// <summary>Bound from <c>Portal</c>.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    [Range(1, 60, ErrorMessage = "Portal:MagicLinkMinutes must be between 1 and 60.")]
    public int MagicLinkMinutes { get; set; } = 15;
}
