using System.Diagnostics.Metrics;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Observability;

/// <summary>
/// The app's own instruments, on the meter <see cref="MeterName"/> (exported over OTLP when
/// <c>OpenTelemetry:OtlpEndpoint</c> is set; any <see cref="MeterListener"/> can read them). Counters are added to
/// where things happen; the gauges read values that are already at hand: the click queue's length, and the database
/// backlog that <see cref="BacklogMonitor"/> samples, so an export never waits on a query.
/// </summary>
public sealed class AppMetrics
{
    public const string MeterName = "ShopAffiliate";

    private BacklogFigures _backlog = new(0, 0, 0, 0);

    public AppMetrics(IMeterFactory meters, ClickChannel clicks)
    {
        Meter = meters.Create(MeterName);
        Redirects = Meter.CreateCounter<long>("shopaffiliate.redirects", "{redirect}", "Tracking redirects answered (/r/...): a rate of it is redirects per second.");
        WebhooksStored = Meter.CreateCounter<long>("shopaffiliate.webhooks.stored", "{delivery}", "New webhook deliveries committed to the inbox (repeats of a stored delivery are not counted).");
        PayoutRuns = Meter.CreateCounter<long>("shopaffiliate.payouts.runs", "{batch}", "Payout batches created.");
        Meter.CreateObservableGauge("shopaffiliate.clicks.queued", () => (long)clicks.Queued, "{click}", "Clicks waiting in memory for the click writer.");
        Meter.CreateObservableGauge("shopaffiliate.inbox.lag", () => _backlog.InboxLagSeconds, "s", "Age of the oldest inbox delivery that is due and not processed yet (0 when none).");
        Meter.CreateObservableGauge("shopaffiliate.inbox.pending", () => _backlog.InboxPending, "{delivery}", "Inbox deliveries waiting to be processed.");
        Meter.CreateObservableGauge("shopaffiliate.inbox.failed", () => _backlog.InboxFailed, "{delivery}", "Inbox deliveries parked as Failed, waiting for staff.");
        Meter.CreateObservableGauge("shopaffiliate.outbox.backlog", () => _backlog.OutboxPending, "{message}", "Outbox messages (mail, deliveries) not sent yet.");
    }

    public Meter Meter { get; }

    /// <summary>The redirect's one addition per request: nothing else runs on the hot path.</summary>
    public Counter<long> Redirects { get; }

    public Counter<long> WebhooksStored { get; }

    public Counter<long> PayoutRuns { get; }

    /// <summary>The last sample of the database backlog (what the gauges report).</summary>
    public BacklogFigures Backlog
    {
        get => Volatile.Read(ref _backlog);
        set => Volatile.Write(ref _backlog, value);
    }
}
