using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Webhooks;
using ShopAffiliate.Web.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Webhooks;

/// <summary>One receiver (WireMock over real HTTP on 127.0.0.1) and one app per class; retries are fast (0.3 s doubling to 1 s).</summary>
public abstract class WebhookFixture(Db provider) : IAsyncLifetime
{
    public WireMockServer Receiver { get; } = WireMockServer.Start();
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
    {
        ["Outbox:PollSeconds"] = "0.2",
        ["Outbox:RetryBaseSeconds"] = "0.3",
        ["Outbox:MaxDelaySeconds"] = "1",
        ["Outbox:MaxAttempts"] = "5",
        ["Webhooks:PollSeconds"] = "0.2",
        ["Webhooks:TimeoutSeconds"] = "3",
    });

    public async Task RestartAsync() => App = await App.RestartAsync();

    public async Task DisposeAsync()
    {
        Receiver.Stop();
        await App.DisposeAsync();
    }
}

public sealed class SqliteWebhookFixture() : WebhookFixture(Db.Sqlite);

public sealed class PostgresWebhookFixture() : WebhookFixture(Db.Postgres);

public abstract class WebhookDeliveryTests(WebhookFixture fixture)
{
    private WireMockServer Receiver => fixture.Receiver;
    private Scenario S => new(fixture.App);

    private string Url(string path) => $"http://127.0.0.1:{Receiver.Port}{path}";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Registers an endpoint over the API; returns its id and (recorded for the log scan) its secret.</summary>
    private async Task<(Guid Id, string Secret)> EndpointAsync(string path, params string[] types)
    {
        var created = await JsonAsync(await S.Api.PostAsJsonAsync("/api/v1/webhook-endpoints",
            new { url = Url(path), description = "Test receiver", eventTypes = types }), HttpStatusCode.Created);
        var secret = TestSecrets.Record(created.GetProperty("secret").GetString()!);
        return (created.GetProperty("endpoint").GetProperty("id").GetGuid(), secret);
    }

    private Task<JsonElement> DeliveriesAsync(Guid endpoint, Func<JsonElement, bool> until, string what) => Eventually.HoldsAsync(
        async () => await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-endpoints/{endpoint}/deliveries"), until, what);

    private IReadOnlyList<WireMock.Logging.ILogEntry> Received(string path) =>
        Receiver.LogEntries.Where(e => e.RequestMessage!.Path == path).ToList();

    /// <summary>The receiver's check, written from docs/WEBHOOKS.md and not from the app's code.</summary>
    private static bool Verifies(string secret, string timestamp, string signature, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return signature == "v1=" + Convert.ToHexStringLower(mac);
    }

    [Fact]
    public async Task ATestEventIsSignedWithTheDocumentedSchemeAndLoggedAsDelivered()
    {
        var path = $"/ok-{Guid.NewGuid():N}";
        Receiver.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(new string('x', 20_000)));
        var (id, secret) = await EndpointAsync(path, "affiliate.*");

        var queued = await JsonAsync(await S.Api.PostAsync($"/api/v1/webhook-endpoints/{id}/test", null), HttpStatusCode.Accepted);
        var log = await DeliveriesAsync(id, d => d.GetProperty("items")[0].GetProperty("status").GetString() == "Sent", "the test event to be delivered");

        var request = Assert.Single(Received(path)).RequestMessage!;
        var body = request.BodyAsBytes!;
        var timestamp = request.Headers!["X-ShopAffiliate-Timestamp"].Single();
        Assert.True(Verifies(secret, timestamp, request.Headers["X-ShopAffiliate-Signature"].Single(), body));
        Assert.False(Verifies(secret, timestamp, request.Headers["X-ShopAffiliate-Signature"].Single(), [.. body, (byte)' ']));
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("webhook.test", request.Headers["X-ShopAffiliate-Event"].Single());
        Assert.Equal(queued.GetProperty("id").GetInt64().ToString(), request.Headers["X-ShopAffiliate-Delivery"].Single());
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("webhook.test", json.GetProperty("type").GetString());
        Assert.StartsWith("evt_", json.GetProperty("id").GetString());
        Assert.Equal(id, json.GetProperty("data").GetProperty("endpointId").GetGuid());
        // The app's own verifier agrees, and refuses an old timestamp (replay protection).
        Assert.True(WebhookSigning.Verify(secret, timestamp, request.Headers["X-ShopAffiliate-Signature"].Single(), body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSigning.Verify(secret, timestamp, request.Headers["X-ShopAffiliate-Signature"].Single(), body, DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(5)));

        var attempt = Assert.Single(log.GetProperty("items")[0].GetProperty("tries").EnumerateArray());
        Assert.Equal(200, attempt.GetProperty("responseCode").GetInt32());
        // The secret is never stored in the clear, nor shown again.
        var stored = await S.WithDbAsync(db => db.WebhookEndpoints.SingleAsync(e => e.Id == id));
        Assert.DoesNotContain(secret, stored.EncryptedSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await S.Api.GetStringAsync($"/api/v1/webhook-endpoints/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A500IsRetriedWithBackoffThenDeliveredOnce()
    {
        var path = $"/flaky-{Guid.NewGuid():N}";
        var scenario = $"flaky-{path}";
        Receiver.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(10).RespondWith(Response.Create().WithStatusCode(200));
        IRequestBuilder Approval() => Request.Create().WithPath(path).UsingPost().WithHeader("X-ShopAffiliate-Event", "affiliate.approved");
        Receiver.Given(Approval()).InScenario(scenario).WillSetStateTo("one")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("try later"));
        Receiver.Given(Approval()).InScenario(scenario).WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(Response.Create().WithStatusCode(503));
        Receiver.Given(Approval()).InScenario(scenario).WhenStateIs("two")
            .RespondWith(Response.Create().WithStatusCode(204));
        var (id, _) = await EndpointAsync(path, "affiliate.*");

        await S.ApprovedAffiliateAsync("Retry Rita");
        var log = await DeliveriesAsync(id, d => d.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("eventType").GetString() == "affiliate.approved"
            && i.GetProperty("status").GetString() == "Sent"), "the approval to be delivered after two failures");

        var approved = log.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("eventType").GetString() == "affiliate.approved");
        var tries = approved.GetProperty("tries").EnumerateArray().ToList();
        Assert.Equal([500, 503, 204], tries.Select(t => t.GetProperty("responseCode").GetInt32()));
        Assert.Contains("try later", tries[0].GetProperty("error").GetString());
        // The same delivery each time (one id), and the waits grew.
        var sent = Received(path).Where(e => e.RequestMessage!.Headers!["X-ShopAffiliate-Event"].Single() == "affiliate.approved").ToList();
        Assert.Single(sent.Select(e => e.RequestMessage!.Headers!["X-ShopAffiliate-Delivery"].Single()).Distinct());
        Assert.True(tries[2].GetProperty("at").GetDateTime() - tries[1].GetProperty("at").GetDateTime()
                    >= tries[1].GetProperty("at").GetDateTime() - tries[0].GetProperty("at").GetDateTime() - TimeSpan.FromMilliseconds(100));
        // affiliate.created came first, for the same affiliate.
        Assert.Contains(log.GetProperty("items").EnumerateArray(), i => i.GetProperty("eventType").GetString() == "affiliate.created");
    }

    [Fact]
    public async Task A410DisablesTheEndpointAndNothingMoreIsSent()
    {
        var path = $"/gone-{Guid.NewGuid():N}";
        Receiver.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(410));
        var (id, _) = await EndpointAsync(path, "dispute.*", "affiliate.approved");

        await S.Api.PostAsync($"/api/v1/webhook-endpoints/{id}/test", null);
        await DeliveriesAsync(id, d => d.GetProperty("items")[0].GetProperty("status").GetString() == "Failed", "the 410 to park the delivery");

        var endpoint = await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-endpoints/{id}");
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", endpoint.GetProperty("disabledReason").GetString());
        await S.ApprovedAffiliateAsync("Ignored Ivy");
        var log = await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-endpoints/{id}/deliveries");
        Assert.Equal(1, log.GetProperty("total").GetInt32()); // nothing queued for a disabled endpoint
        Assert.Single(Received(path));
    }

    [Fact]
    public async Task ReplayQueuesADeliveryAgain()
    {
        var path = $"/replay-{Guid.NewGuid():N}";
        Receiver.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var (id, _) = await EndpointAsync(path, "payout.*");
        var queued = await JsonAsync(await S.Api.PostAsync($"/api/v1/webhook-endpoints/{id}/test", null), HttpStatusCode.Accepted);
        var delivery = queued.GetProperty("id").GetInt64();
        await DeliveriesAsync(id, d => d.GetProperty("items")[0].GetProperty("status").GetString() == "Sent", "the first send");

        await JsonAsync(await S.Api.PostAsync($"/api/v1/webhook-endpoints/{id}/deliveries/{delivery}/replay", null), HttpStatusCode.Accepted);

        await Eventually.HoldsAsync(() => Task.FromResult(Received(path).Count), n => n == 2, "the replay to arrive");
        Assert.Single(Received(path).Select(e => e.RequestMessage!.Headers!["X-ShopAffiliate-Delivery"].Single()).Distinct());
        Assert.Equal(HttpStatusCode.NotFound, (await S.Api.PostAsync($"/api/v1/webhook-endpoints/{id}/deliveries/{delivery + 100000}/replay", null)).StatusCode);
    }

    [Fact]
    public async Task CommissionsReachTheProgramsEndpointAndOnlyTheirOwnAffiliatesPostbackOnceAcrossARestart()
    {
        var merchantPath = $"/merchant-{Guid.NewGuid():N}";
        var annPath = $"/ann-{Guid.NewGuid():N}";
        var bobPath = $"/bob-{Guid.NewGuid():N}";
        foreach (var p in new[] { merchantPath, annPath, bobPath })
            Receiver.Given(Request.Create().WithPath(p).UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var (merchant, _) = await EndpointAsync(merchantPath, "commission.*");
        var shop = await S.ShopAsync($"hooks-{Guid.NewGuid():N}.myshopify.com");
        var annCode = "ann" + Guid.NewGuid().ToString("N")[..6];
        var ann = (await S.ApprovedAffiliateAsync("Ann Postback", annCode)).GetProperty("id").GetGuid();
        var bob = (await S.ApprovedAffiliateAsync("Bob Postback")).GetProperty("id").GetGuid();
        var ws = await S.WorkspaceIdAsync();
        foreach (var (who, p) in new[] { (ann, annPath), (bob, bobPath) })
        {
            var (endpoint, secret) = await S.WithServiceAsync<(WebhookEndpoint, string), WebhookService>(h =>
                h.CreateAsync(new WebhookEndpointInput(Url(p), null, ["affiliate.*"], null), who, ws, default));
            TestSecrets.Record(secret);
            Assert.Equal(WebhookEventTypes.Postback, endpoint.Types); // an affiliate gets commissions only, whatever they ask
        }

        var number = Guid.NewGuid().ToString("N")[..10];
        var order = Scenario.Order(shop, number, DateTime.UtcNow.AddMinutes(-5), OrderState.Paid, 100m,
            touches: [new ReferralTouch(annCode, null, DateTime.UtcNow.AddMinutes(-10), TouchSource.CartAttribute)]);
        await S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));

        await Eventually.HoldsAsync(() => Task.FromResult(Received(annPath).Count + Received(merchantPath).Count), n => n >= 2, "the commission at both endpoints");
        var delivered = JsonDocument.Parse(Received(annPath).Single().RequestMessage!.BodyAsBytes!).RootElement;
        Assert.Equal("commission.created", delivered.GetProperty("type").GetString());
        var data = delivered.GetProperty("data");
        Assert.Equal(ann, data.GetProperty("affiliateId").GetGuid());
        Assert.Equal("10.00", data.GetProperty("amount").GetProperty("amount").GetString()); // 10 % of 2 × 50 to the øre... cent
        Assert.Equal("USD", data.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("#" + number, data.GetProperty("orderNumber").GetString());
        Assert.DoesNotContain("ipHash", delivered.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Received(bobPath));

        // A restart does not emit it again; the refund after it is one commission.changed.
        await fixture.RestartAsync();
        var refund = order with { State = OrderState.Cancelled, UpdatedAt = order.UpdatedAt.AddMinutes(1) };
        await S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(refund, default));
        await Eventually.HoldsAsync(() => Task.FromResult(Received(annPath).Count), n => n >= 2, "the change at Ann's postback");
        var topics = await S.WithDbAsync(db => db.OutboxMessages.Where(m => m.Kind == OutboxKinds.Delivery && m.Recipient == merchant.ToString())
            .Select(m => m.Topic).ToListAsync());
        Assert.Equal(["commission.changed", "commission.created"], topics.Order());
        var changed = JsonDocument.Parse(Received(annPath).Last().RequestMessage!.BodyAsBytes!).RootElement.GetProperty("data");
        Assert.Equal("commission.changed", JsonDocument.Parse(Received(annPath).Last().RequestMessage!.BodyAsBytes!).RootElement.GetProperty("type").GetString());
        Assert.Equal("-10.00", changed.GetProperty("change").GetProperty("amount").GetProperty("amount").GetString());
        Assert.Empty(Received(bobPath));
    }

    [Fact]
    public async Task DisputesAreEmittedWhenOpenedAndDecidedOnly()
    {
        var path = $"/disputes-{Guid.NewGuid():N}";
        Receiver.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var (id, _) = await EndpointAsync(path, "dispute.*");
        var affiliate = (await S.ApprovedAffiliateAsync("Dana Dispute")).GetProperty("id").GetGuid();

        var opened = await JsonAsync(await S.Api.PostAsJsonAsync("/api/v1/disputes",
            new { affiliateId = affiliate, orderNumber = "#missing-1", orderDate = DateOnly.FromDateTime(DateTime.UtcNow), note = "A reader bought it" }), HttpStatusCode.Created);
        var dispute = opened.GetProperty("dispute").GetProperty("id").GetGuid();
        await JsonAsync(await S.Api.PostAsJsonAsync($"/api/v1/disputes/{dispute}/messages", new { text = "Looking into it" }), HttpStatusCode.OK);
        await JsonAsync(await S.Api.PostAsJsonAsync($"/api/v1/disputes/{dispute}/decline", new { reason = "No such order" }), HttpStatusCode.OK);

        var log = await DeliveriesAsync(id, d => d.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("status").GetString() == "Sent") == 2, "opened and declined");
        Assert.Equal(["dispute.declined", "dispute.opened"], log.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventType").GetString()));
        var declined = JsonDocument.Parse(Received(path).Single(e => e.RequestMessage!.Headers!["X-ShopAffiliate-Event"].Single() == "dispute.declined").RequestMessage!.BodyAsBytes!).RootElement;
        Assert.Equal(dispute, declined.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal("Declined", declined.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("No such order", declined.GetProperty("data").GetProperty("reason").GetString());
        // Affiliate events were not asked for, so none were queued.
        Assert.Equal(2, log.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task PayoutBatchesAreEmittedWhenCreatedAndPaidWithTheirTotalToTheCent()
    {
        var path = $"/payouts-{Guid.NewGuid():N}";
        Receiver.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var (id, _) = await EndpointAsync(path, "payout.*");
        var shop = await S.ShopAsync($"payouts-{Guid.NewGuid():N}.myshopify.com");
        var code = "pay" + Guid.NewGuid().ToString("N")[..6];
        var affiliate = (await S.ApprovedAffiliateAsync("Paula Payout", code)).GetProperty("id").GetGuid();
        var order = Scenario.Order(shop, Guid.NewGuid().ToString("N")[..10], DateTime.UtcNow.AddMinutes(-5), OrderState.Paid, 1234.5m,
            touches: [new ReferralTouch(code, null, DateTime.UtcNow.AddMinutes(-10), TouchSource.CartAttribute)]);
        await S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));
        var commission = (await S.Api.GetFromJsonAsync<JsonElement>($"/api/v1/commissions?affiliateId={affiliate}")).GetProperty("items")[0].GetProperty("id").GetGuid();
        await JsonAsync(await S.Api.PostAsJsonAsync($"/api/v1/commissions/{commission}/approve", new { reason = "Checked" }), HttpStatusCode.OK);

        var batch = (await JsonAsync(await S.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "USD" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await JsonAsync(await S.Api.PostAsync($"/api/v1/payouts/batches/{batch}/mark-paid", null), HttpStatusCode.OK);

        await DeliveriesAsync(id, d => d.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("status").GetString() == "Sent") == 2, "created and paid");
        var bodies = Received(path).ToDictionary(e => e.RequestMessage!.Headers!["X-ShopAffiliate-Event"].Single(), e => JsonDocument.Parse(e.RequestMessage!.BodyAsBytes!).RootElement.GetProperty("data"));
        Assert.Equal(["payout.batch_created", "payout.batch_paid"], bodies.Keys.Order());
        foreach (var data in bodies.Values)
        {
            Assert.Equal(batch, data.GetProperty("id").GetGuid());
            Assert.Equal("123.45", data.GetProperty("total").GetProperty("amount").GetString()); // 10 % of 1234.50, to the cent
            Assert.Equal(1, data.GetProperty("items").GetInt32());
        }
        Assert.Equal("Paid", bodies["payout.batch_paid"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task BadInputIsRefusedWithAProblem()
    {
        foreach (var body in new object[]
                 {
                     new { url = "ftp://example.com/x", eventTypes = new[] { "affiliate.*" } },
                     new { url = "https://user:pw@example.com/x", eventTypes = new[] { "affiliate.*" } },
                     new { url = "https://example.com/x", eventTypes = new[] { "order.created" } },
                     new { url = "https://example.com/x", eventTypes = Array.Empty<string>() },
                     new { url = "https://example.com/x", eventTypes = new[] { "affiliate.*" }, description = new string('d', 300) },
                 })
        {
            var response = await S.Api.PostAsJsonAsync("/api/v1/webhook-endpoints", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await S.Api.GetAsync($"/api/v1/webhook-endpoints/{Guid.NewGuid()}")).StatusCode);
    }
}


public sealed class WebhookDeliveryTestsOnSqlite(SqliteWebhookFixture fixture) : WebhookDeliveryTests(fixture), IClassFixture<SqliteWebhookFixture>;

public sealed class WebhookDeliveryTestsOnPostgres(PostgresWebhookFixture fixture) : WebhookDeliveryTests(fixture), IClassFixture<PostgresWebhookFixture>;
