using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Webhooks;
using ShopAffiliate.Web.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Webhooks;

/// <summary>Without the development setting: the outbound guard refuses private addresses at registration and at delivery.</summary>
public sealed class WebhookGuardTests : IAsyncLifetime
{
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.BootstrappedAsync(Db.Sqlite, new Dictionary<string, string?>
    {
        ["Outbound:AllowPrivateNetworks"] = "false",
        ["Outbox:PollSeconds"] = "0.2",
        ["Outbox:RetryBaseSeconds"] = "30",
    });

    public async Task DisposeAsync()
    {
        _receiver.Stop();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://localhost/hook", "loopback")]
    [InlineData("https://10.1.2.3/hook", "private")]
    [InlineData("https://192.168.0.10/hook", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("http://example.com/hook", "https://")]
    public async Task RegistrationRefusesAddressesTheAppMustNotCall(string url, string said)
    {
        var response = await new Scenario(_app).Api.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url, eventTypes = new[] { "affiliate.*" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(said, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ADeliveryToAnAddressThatBecamePrivateIsRefusedBeforeConnecting()
    {
        _receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var s = new Scenario(_app);
        var ws = await s.WorkspaceIdAsync();
        // As if the name had resolved to a public address at registration and to 127.0.0.1 now.
        var id = await s.WithDbAsync(async db =>
        {
            var secrets = _app.Services.GetRequiredService<WebhookSecrets>();
            var endpoint = new WebhookEndpoint
            {
                WorkspaceId = ws, Url = $"http://127.0.0.1:{_receiver.Port}/hook", EventTypes = "affiliate.*",
                EncryptedSecret = secrets.Protect(TestSecrets.Record(WebhookSigning.NewSecret())),
            };
            db.WebhookEndpoints.Add(endpoint);
            await db.SaveChangesAsync();
            return endpoint.Id;
        });

        await s.WithServiceAsync<OutboxMessage, WebhookService>(h => h.SendTestAsync(id, null, default));

        var attempt = await Eventually.HoldsAsync(() => s.WithDbAsync(db => db.OutboxAttempts
            .Where(a => db.OutboxMessages.Any(m => m.Id == a.MessageId && m.Recipient == id.ToString())).FirstOrDefaultAsync()), a => a is not null, "a try");
        Assert.False(attempt!.Succeeded);
        Assert.Contains("https://", attempt.Error);
        Assert.Empty(_receiver.LogEntries);
    }
}
