using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Web.Features.Tracking;

/// <summary>Bound from <c>Tracking</c>.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>Clicks held in memory before the redirect waits for the writer.</summary>
    [Range(1_000, 5_000_000, ErrorMessage = "Tracking:ClickQueueCapacity must be between 1000 and 5000000.")]
    public int ClickQueueCapacity { get; set; } = 50_000;

    /// <summary>How often links changed on other nodes are picked up.</summary>
    [Range(1, 3600, ErrorMessage = "Tracking:LinkRefreshSeconds must be between 1 and 3600.")]
    public int LinkRefreshSeconds { get; set; } = 30;
}
