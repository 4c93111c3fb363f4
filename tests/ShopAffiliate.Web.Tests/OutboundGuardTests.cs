using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Hosting;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests;

/// <summary>The app's outbound requests, wired as Program wires them, against a real listener on 127.0.0.1.</summary>
public sealed class OutboundGuardTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    private static IHttpClientFactory Clients(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());
        services.AddOutboundGuard();
        services.AddShopifyClients();
        services.AddWooCommerceClients();
        services.AddHttpClient("added-later"); // a client someone adds next year gets the guard too
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    }

    private static async Task<OutboundAddressRefusedException> RefusedAsync(HttpClient client, string url)
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));
        return Assert.IsType<OutboundAddressRefusedException>(failure.InnerException);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/", "loopback")]
    [InlineData("http://localhost:{port}/", "loopback")]
    [InlineData("http://[::1]:{port}/", "loopback")]
    [InlineData("http://10.0.0.1/", "private-network")]
    [InlineData("http://172.16.5.4/", "private-network")]
    [InlineData("http://192.168.1.1/", "private-network")]
    [InlineData("http://[fd00::1]/", "private-network")]
    [InlineData("http://169.254.10.10/", "link-local")]
    [InlineData("http://[fe80::1]/", "link-local")]
    [InlineData("http://100.64.0.1/", "carrier-grade NAT")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud metadata")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata")]
    [InlineData("http://0.0.0.0:{port}/", "unspecified")]
    public async Task EachNonPublicAddressClassIsRefusedByEveryClient(string url, string described)
    {
        var clients = Clients();
        foreach (var name in new[] { ShopifyHttp.ClientName, WooCommerceClient.ClientName, "added-later" })
        {
            var refused = await RefusedAsync(clients.CreateClient(name), url.Replace("{port}", _server.Port.ToString()));
            Assert.Contains(described, refused.Message);
        }
        Assert.Empty(_server.LogEntries); // refused before a connection was made
    }

    [Fact]
    public async Task ARedirectToAPrivateAddressIsRefusedAfterAnAllowedFirstHop()
    {
        _server.Given(Request.Create().WithPath("/hop")).RespondWith(Response.Create()
            .WithStatusCode(302).WithHeader("Location", $"http://[::1]:{_server.Port}/inside"));
        _server.Given(Request.Create().WithPath("/inside")).RespondWith(Response.Create().WithStatusCode(200));
        var client = Clients(("Outbound:AllowedNetworks:0", "127.0.0.1/32")).CreateClient("added-later");

        var refused = await RefusedAsync(client, $"http://127.0.0.1:{_server.Port}/hop");

        Assert.Contains("loopback", refused.Message);
        Assert.Equal(["/hop"], _server.LogEntries.Select(e => e.RequestMessage!.Path));
    }

    [Fact]
    public async Task TheDevelopmentSettingLetsTheTestsFakesBeReached()
    {
        _server.Given(Request.Create().WithPath("/ok")).RespondWith(Response.Create().WithStatusCode(200));
        var client = Clients(("Outbound:AllowPrivateNetworks", "true")).CreateClient(ShopifyHttp.ClientName);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{_server.Port}/ok")).StatusCode);
    }
}
