using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Platforms.WooCommerce;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.WooCommerce;

/// <summary>
/// A fake store on 127.0.0.1 (WireMock) behind <c>shop.example.com</c>, and <see cref="WooCommerceClient"/> wired exactly as the
/// host wires it (<see cref="WooCommerceServiceCollectionExtensions.AddWooCommerceClients"/>). Only the socket differs: the
/// innermost handler sends what the client built for <c>https://shop.example.com/…</c> (or http) to the fake, unchanged
/// except for scheme, host and port, and remembers the URI the client meant.
/// </summary>
public sealed class FakeWooCommerce : IDisposable
{
    public const string ConsumerKey = "ck_0123456789abcdef";
    public const string ConsumerSecret = "cs_fedcba9876543210";

    public static readonly Uri HttpsStore = new("https://shop.example.com");
    public static readonly Uri HttpStore = new("http://shop.example.com");

    private readonly ServiceProvider _services;

    public FakeWooCommerce(bool allowHttpStores = false)
    {
        Server = WireMockServer.Start();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddWooCommerceClients().ConfigurePrimaryHttpMessageHandler(() => new ToFakeStore(Server.Port, SentUris));
        services.AddOptions<WooCommerceOptions>().Configure(o => o.AllowHttpStores = allowHttpStores);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public WireMockServer Server { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero));

    public WooCommerceClient Client => _services.GetRequiredService<WooCommerceClient>();

    /// <summary>The URIs as the client sent them (before the fake's scheme/host/port swap), in order.</summary>
    public List<Uri> SentUris { get; } = [];

    public IReadOnlyList<ILogEntry> Requests => Server.LogEntries.ToList();

    public static WooStore Store(WooAuthMode mode = WooAuthMode.Basic, bool plainPermalinks = false, Uri? url = null) =>
        new(url ?? (mode == WooAuthMode.OAuth1 ? HttpStore : HttpsStore), ConsumerKey, ConsumerSecret, mode, plainPermalinks);

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with JSON (and optional headers).</summary>
    public void Stub(string method, string path, string json, int status = 200, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json);
        foreach (var (name, value) in headers)
            response = response.WithHeader(name, value);
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(response);
    }

    public static JsonElement Body(ILogEntry entry) => JsonDocument.Parse(entry.RequestMessage!.Body!).RootElement.Clone();

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage!.Headers!.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.Single();

    public static string? Param(ILogEntry entry, string name) =>
        entry.RequestMessage!.Query is { } query && query.TryGetValue(name, out var values) ? values.Single() : null;

    public void Dispose()
    {
        _services.Dispose();
        Server.Stop();
        Server.Dispose();
    }

    private sealed class ToFakeStore(int port, List<Uri> sent) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            lock (sent)
                sent.Add(uri);
            request.RequestUri = new Uri($"http://127.0.0.1:{port}{uri.PathAndQuery}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
