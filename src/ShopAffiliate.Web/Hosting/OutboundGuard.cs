using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Web.Hosting;

/// <summary>Bound from <c>Outbound</c>: which addresses the app's own HTTP requests may reach.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>
    /// Development and tests only: also reach loopback, private, link-local, CGNAT and metadata addresses (a store on
    /// <c>http://127.0.0.1</c>). Never in production: a store URL or postback URL could then read internal services.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Networks reachable although not public (<c>10.1.2.3/32</c>: an internal service the operator means to call).</summary>
    public string[] AllowedNetworks { get; set; } = [];
}

/// <summary>Refused by <see cref="OutboundGuard"/>; the message names the host and the kind of address.</summary>
public sealed class OutboundAddressRefusedException(string message) : IOException(message);

/// <summary>
/// Every HttpClient the app makes (the Shopify and WooCommerce clients, store probes, deliveries, and any client added
/// later, through <c>ConfigureHttpClientDefaults</c>) connects through this check: the host is resolved here and only
/// public addresses are dialled, on the first request and on every redirect (each new host is a new connection).
/// Checking the URL before sending is not enough: a public name can resolve to 127.0.0.1 or change its answer between
/// the check and the connect (DNS rebinding); the address dialled is the one checked.
/// </summary>
public static class OutboundGuard
{
    public static IServiceCollection AddOutboundGuard(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section)
            .Validate(o => o.AllowedNetworks.All(n => IPNetwork.TryParse(n, out _)), "Outbound:AllowedNetworks must list networks in CIDR form (10.1.2.3/32).")
            .ValidateOnStart();
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(sp =>
            CreateHandler(sp.GetRequiredService<IOptions<OutboundOptions>>().Value)));
        return services;
    }

    public static SocketsHttpHandler CreateHandler(OutboundOptions options)
    {
        var allowed = options.AllowedNetworks.Select(IPNetwork.Parse).ToArray();
        return new SocketsHttpHandler
        {
            // A proxy would be dialled instead of the host, and the check would see the proxy's address.
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, allowed, ct),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, IPNetwork[] allowed, CancellationToken ct)
    {
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        if (!allowPrivate && NetworkAddresses.ClassifyHost(host) is not AddressClass.Public and var named && !IPAddress.TryParse(host, out _))
            throw new OutboundAddressRefusedException($"Refused to connect to '{host}': it is {NetworkAddresses.Describe(named)}.");
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var usable = allowPrivate
            ? addresses
            : addresses.Where(a => NetworkAddresses.Classify(a) == AddressClass.Public || allowed.Any(n => n.Contains(a))).ToArray();
        if (usable.Length == 0)
        {
            var kind = addresses.Length == 0 ? "no address" : NetworkAddresses.Describe(NetworkAddresses.Classify(addresses[0]));
            throw new OutboundAddressRefusedException($"Refused to connect to '{host}': it resolves to {kind}, not a public address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, endPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
