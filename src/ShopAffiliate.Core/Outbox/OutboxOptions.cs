using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Core.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the dispatcher looks for due messages when nothing woke it.</summary>
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 5;

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxDelaySeconds"/>.</summary>
    [Range(0.01, 86400)]
    public double RetryBaseSeconds { get; set; } = 30;

    [Range(0.01, 7 * 86400)]
    public double MaxDelaySeconds { get; set; } = 3600;

    /// <summary>Tries before a message is parked as Failed (with a one-hour cap, 12 tries span about a day).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Tries of a signed delivery (webhooks, postbacks): with the one-hour cap, 30 tries span about a day.</summary>
    [Range(1, 200)]
    public int DeliveryMaxAttempts { get; set; } = 30;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>How long a claim keeps other nodes off a message; longer than any send may take.</summary>
    [Range(10, 86400)]
    public double LeaseSeconds { get; set; } = 300;
}

/// <summary>Exponential backoff with a cap: base, 2×base, 4×base... never more than the cap.</summary>
public static class OutboxBackoff
{
    public static TimeSpan After(int failedAttempts, OutboxOptions options)
    {
        var seconds = options.RetryBaseSeconds * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 60));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.MaxDelaySeconds));
    }

    /// <summary><paramref name="delay"/> plus up to a fifth more, at random (full retries of many messages spread out).</summary>
    public static TimeSpan WithJitter(TimeSpan delay) => delay + delay * (Random.Shared.NextDouble() * 0.2);
}
