using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Observability;

namespace ShopAffiliate.Web.Hosting;

/// <summary>The <c>OpenTelemetry</c> settings: where metrics and traces go, and when the node is not ready.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>The OTLP collector (e.g. <c>http://otel-collector:4317</c>); unset, nothing is exported or recorded.</summary>
    [Url(ErrorMessage = "OpenTelemetry:OtlpEndpoint must be an absolute http(s) URL.")]
    public string? OtlpEndpoint { get; set; }

    /// <summary>Above this inbox lag <c>/health/ready</c> answers 503: orders are not being credited in time.</summary>
    [Range(1, 86_400, ErrorMessage = "OpenTelemetry:MaxInboxLagSeconds must be between 1 and 86400.")]
    public int MaxInboxLagSeconds { get; set; } = 300;
}

/// <summary>Ready while the inbox's oldest due delivery is younger than <see cref="ObservabilityOptions.MaxInboxLagSeconds"/>.</summary>
internal sealed class InboxLagCheck(AppDbContext db, IOptions<ObservabilityOptions> options, TimeProvider clock) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var figures = await BacklogFigures.ReadAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var data = new Dictionary<string, object> { ["inboxLagSeconds"] = Math.Round(figures.InboxLagSeconds, 1), ["inboxFailed"] = figures.InboxFailed };
        return figures.InboxLagSeconds > options.Value.MaxInboxLagSeconds
            ? HealthCheckResult.Unhealthy($"The oldest due inbox delivery waits {figures.InboxLagSeconds:0} s (limit {options.Value.MaxInboxLagSeconds} s).", data: data)
            : HealthCheckResult.Healthy(data: data);
    }
}

internal static class ObservabilitySetup
{
    /// <summary>
    /// Our meter and the backlog sampler always (they cost nothing unread); the OpenTelemetry SDK with ASP.NET Core's
    /// metrics and traces and the OTLP exporter only when an endpoint is set. Traces skip the tracking redirect, so
    /// its hot path only ever adds to a counter.
    /// </summary>
    public static void AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AppMetrics>();
        builder.Services.AddSingleton<BacklogMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BacklogMonitor>());
        builder.Services.AddHealthChecks().AddCheck<InboxLagCheck>("inbox", tags: [InboxLagCheck.Tag]);

        if (builder.Configuration[$"{ObservabilityOptions.Section}:OtlpEndpoint"] is not { Length: > 0 } endpoint
            || !Uri.TryCreate(endpoint, UriKind.Absolute, out var otlp)) return;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ShopAffiliate"))
            .WithMetrics(m => m.AddMeter(AppMetrics.MeterName).AddAspNetCoreInstrumentation().AddOtlpExporter(o => o.Endpoint = otlp))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/r", StringComparison.OrdinalIgnoreCase))
                .AddOtlpExporter(o => o.Endpoint = otlp));
    }
}
