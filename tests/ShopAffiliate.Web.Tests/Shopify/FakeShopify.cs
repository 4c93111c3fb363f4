using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Platforms.Shopify;
using WireMock.Logging;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.Shopify;

/// <summary>
/// A fake shop on 127.0.0.1 (WireMock) and the Shopify clients wired exactly as the host wires them
/// (<see cref="ShopifyServiceCollectionExtensions.AddShopifyClients"/>), except that retry back-offs are recorded, not slept.
/// </summary>
public sealed class FakeShopify : IDisposable
{
    public const string Shop = "janes-shop.myshopify.com";
    public const string ApiKey = "client-id-123";
    public const string ApiSecret = "shpss_current";

    private readonly ServiceProvider _services;

    public FakeShopify(string apiVersion = "2026-01", bool shopPlaceholder = false)
    {
        Server = WireMockServer.Start();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddTransient(_ => new ShopifyRetryHandler((delay, _) =>
        {
            lock (Delays)
                Delays.Add(delay);
            return Task.CompletedTask;
        }));
        services.AddShopifyClients();
        services.AddOptions<ShopifyOptions>().Configure(o =>
        {
            o.ApiKey = ApiKey;
            o.ApiSecret = ApiSecret;
            o.ApiVersion = apiVersion;
            // With {shop} the host part is the shop itself, so point only the path at it: the fake ignores it.
            o.ShopBaseUrl = shopPlaceholder ? $"http://127.0.0.1:{Server.Port}/{{shop}}" : $"http://127.0.0.1:{Server.Port}";
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public WireMockServer Server { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero));

    public List<TimeSpan> Delays { get; } = [];

    public ShopifyAuthClient Auth => _services.GetRequiredService<ShopifyAuthClient>();

    public ShopifyAdminClient Admin => _services.GetRequiredService<ShopifyAdminClient>();

    public IReadOnlyList<ILogEntry> Requests => Server.LogEntries.ToList();

    /// <summary>The JSON bodies the fake received, in order.</summary>
    public List<JsonElement> Bodies() =>
        Requests.Select(r => JsonDocument.Parse(r.RequestMessage!.Body ?? "null").RootElement.Clone()).ToList();

    /// <summary>The GraphQL calls whose document contains <paramref name="operation"/> (a mutation or field name).</summary>
    public List<JsonElement> GraphQlCalls(string operation) =>
        Bodies().Where(b => b.ValueKind == JsonValueKind.Object && b.GetProperty("query").GetString()!.Contains(operation, StringComparison.Ordinal)).ToList();

    public static string Header(ILogEntry entry, string name) =>
        entry.RequestMessage!.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    public void Dispose()
    {
        _services.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}
