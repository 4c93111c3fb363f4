using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Core.Inbox;

/// <summary>The <c>Inbox</c> settings: how many verified deliveries may wait for the intake writer and for how long, and how long bodies are kept.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>Deliveries held in memory while the writer stores the previous batch; when full, a request waits.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Inbox:IntakeQueueCapacity must be between 1 and 1000000.")]
    public int IntakeQueueCapacity { get; set; } = 10_000;

    /// <summary>How long a request waits for room in a full queue before it is answered 503 (the platform retries).</summary>
    [Range(0.01, 30, ErrorMessage = "Inbox:IntakeQueueWaitSeconds must be between 0.01 and 30.")]
    public double IntakeQueueWaitSeconds { get; set; } = 2;

    /// <summary>Days a processed delivery keeps its body before it is compacted (failed ones keep it until handled).</summary>
    [Range(1, 3650, ErrorMessage = "Inbox:RetentionDays must be between 1 and 3650.")]
    public int RetentionDays { get; set; } = 30;
}
