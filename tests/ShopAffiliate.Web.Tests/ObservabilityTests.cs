using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Observability;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Reports;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// The app's meter reports what happened (redirects, stored webhooks, payout runs) and what waits (click queue, inbox
/// lag, failed deliveries, outbox backlog), and /health/ready fails while the inbox lags. Each test listens to this
/// app's own meter only (other apps in the test run have meters of the same name).
/// </summary>
public abstract class ObservabilityTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    private AppMetrics Metrics => App.Services.GetRequiredService<AppMetrics>();

    /// <summary>Sums every measurement of this app's instruments by name while listening.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, double> _sums = [];
        private readonly Dictionary<string, double> _last = [];

        public Listener(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); };
            _listener.SetMeasurementEventCallback<long>((i, v, _, _) => Record(i.Name, v));
            _listener.SetMeasurementEventCallback<double>((i, v, _, _) => Record(i.Name, v));
            _listener.Start();
        }

        private void Record(string name, double value)
        {
            lock (_sums)
            {
                _sums[name] = _sums.GetValueOrDefault(name) + value;
                _last[name] = value;
            }
        }

        public double Sum(string name)
        {
            lock (_sums) return _sums.GetValueOrDefault(name);
        }

        /// <summary>Reads the gauges now and returns the value of one.</summary>
        public double Gauge(string name)
        {
            _listener.RecordObservableInstruments();
            lock (_sums) return _last[name];
        }

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task RedirectsStoredWebhooksAndPayoutRunsAreCounted()
    {
        using var listener = new Listener(Metrics.Meter);
        var p = await ReportProgram.CreateAsync(App, "UTC");
        var shop = await p.ShopAsync("metrics", "DKK");
        var (jane, code) = await p.AffiliateAsync("Jane");
        var linkId = await p.LinkAsync(jane, "metrics");
        var linkCode = await p.WithAsync<string, AppDbContext>(db => db.TrackingLinks.Where(l => l.Id == linkId).Select(l => l.Code).SingleAsync());
        using var browser = App.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync($"/r/{linkCode}")).StatusCode);
        Assert.Equal(3, listener.Sum("shopaffiliate.redirects"));

        var intake = App.Services.GetRequiredService<InboxIntake>();
        InboxMessage Delivery(string id) => new()
        {
            Platform = ShopPlatform.Shopify, ShopId = shop.Value, WorkspaceId = p.WorkspaceId, ShopDomain = "metrics.example", Topic = "app/unknown",
            DeliveryId = id, Body = "{}", ReceivedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow,
        };
        var delivery = "metrics-" + Guid.NewGuid().ToString("N");
        Assert.True(await intake.StoreAsync(Delivery(delivery), default));
        Assert.False(await intake.StoreAsync(Delivery(delivery), default)); // a repeat is stored once and counted once
        Assert.True(await intake.StoreAsync(Delivery(delivery + "-2"), default));
        Assert.Equal(2, listener.Sum("shopaffiliate.webhooks.stored"));

        await p.OrderAsync(shop, "m1" + p.Suffix, DateTime.UtcNow.AddHours(-1), 100m, code, "DKK");
        var commission = (await p.GetJsonAsync($"/api/v1/commissions?affiliateId={jane}")).GetProperty("items")[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await p.Api.PostAsJsonAsync($"/api/v1/commissions/{commission}/approve", new { reason = "checked" })).StatusCode);
        Assert.Equal(0, listener.Sum("shopaffiliate.payouts.runs"));
        var batch = await p.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "DKK" });
        Assert.True(batch.StatusCode == HttpStatusCode.Created, await batch.Content.ReadAsStringAsync());
        Assert.Equal(1, listener.Sum("shopaffiliate.payouts.runs"));
    }

    [Fact]
    public async Task TheBacklogGaugesAndReadinessFollowTheInboxAndTheOutbox()
    {
        using var listener = new Listener(Metrics.Meter);
        var monitor = App.Services.GetRequiredService<BacklogMonitor>();
        await monitor.SampleAsync(default);
        var (failedBefore, outboxBefore) = (listener.Gauge("shopaffiliate.inbox.failed"), listener.Gauge("shopaffiliate.outbox.backlog"));
        using var http = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        var now = DateTime.UtcNow;
        var tag = Guid.NewGuid().ToString("N");
        // A delivery due 20 minutes ago and held by a node that stopped (locked for another hour): the inbox lags.
        var late = new InboxMessage
        {
            Platform = ShopPlatform.Shopify, ShopDomain = "late.example", Topic = "orders/create", DeliveryId = "late-" + tag, Body = "{}",
            ReceivedAt = now.AddMinutes(-21), NextAttemptAt = now.AddMinutes(-20), LockedUntil = now.AddHours(1),
        };
        var failed = new InboxMessage
        {
            Platform = ShopPlatform.Shopify, ShopDomain = "late.example", Topic = "orders/create", DeliveryId = "failed-" + tag, Body = "{}",
            ReceivedAt = now, NextAttemptAt = now, Status = InboxStatus.Failed, LastError = "test",
        };
        var unsent = new OutboxMessage
        {
            Kind = OutboxKinds.Email, IdempotencyKey = "metrics:" + tag, Topic = "Announcement", Recipient = "nobody@example.com", Payload = "{}",
            CreatedAt = now, NextAttemptAt = now.AddDays(1),
        };
        await using (var scope = App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Inbox.AddRange(late, failed);
            db.OutboxMessages.Add(unsent);
            await db.SaveChangesAsync();
        }
        try
        {
            await monitor.SampleAsync(default);
            Assert.InRange(listener.Gauge("shopaffiliate.inbox.lag"), 20 * 60 - 5, 24 * 60 * 60);
            Assert.Equal(failedBefore + 1, listener.Gauge("shopaffiliate.inbox.failed"));
            Assert.Equal(outboxBefore + 1, listener.Gauge("shopaffiliate.outbox.backlog"));

            var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("Unhealthy", "Unhealthy", "Healthy"),
                (body.GetProperty("status").GetString(), body.GetProperty("checks").GetProperty("inbox").GetString(), body.GetProperty("checks").GetProperty("database").GetString()));
            // The liveness probe is not about the inbox.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        }
        finally
        {
            await using var scope = App.Scope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Inbox.Where(m => m.Id == late.Id || m.Id == failed.Id).ExecuteDeleteAsync();
            await db.OutboxMessages.Where(m => m.Id == unsent.Id).ExecuteDeleteAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public void TheClickQueueGaugeReportsTheClicksWaitingForTheWriter()
    {
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var channel = new ClickChannel(10);
        var metrics = new AppMetrics(meters.GetRequiredService<IMeterFactory>(), channel);
        using var listener = new Listener(metrics.Meter);
        Assert.Equal(0, listener.Gauge("shopaffiliate.clicks.queued"));
        for (var i = 0; i < 3; i++)
        {
            var now = DateTimeOffset.UtcNow;
            Assert.True(channel.TryEnqueueAsync(new PendingClick(ClickIds.Next(now), now.UtcDateTime, Guid.NewGuid(), Guid.NewGuid(), null, "code", null,
                ClickSource.Redirect, null, null, null, null), default).IsCompletedSuccessfully);
        }
        Assert.Equal(3, listener.Gauge("shopaffiliate.clicks.queued"));
    }
}

public sealed class ObservabilityOnSqlite(SqliteApp fixture) : ObservabilityTests(fixture), IClassFixture<SqliteApp>;

public sealed class ObservabilityOnPostgres(PostgresApp fixture) : ObservabilityTests(fixture), IClassFixture<PostgresApp>;
