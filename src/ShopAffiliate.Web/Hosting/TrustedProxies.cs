using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ShopAffiliate.Web.Hosting;

/// <summary>Bound from <c>ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.</summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>). Empty: headers ignored.</summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>
/// The client address every part of the app uses (rate limits, click and impression IP hashes, repeat-click detection)
/// is <c>Connection.RemoteIpAddress</c>; behind a trusted proxy this rewrites it from <c>X-Forwarded-For</c> (and the
/// scheme from <c>X-Forwarded-Proto</c>), walking back through trusted hops only. A header from anyone else is ignored,
/// since any client can send one. With no proxy configured nothing is added to the pipeline, so the redirect pays nothing.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.Section)
            .Validate(o => o.TrustedProxies.All(p => TryParse(p, out _)),
                "ForwardedHeaders:TrustedProxies must list IP addresses or networks in CIDR form (10.0.0.5, 10.0.0.0/8, fd00::/8).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((o, trusted) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = null; // every trusted hop, and it stops at the first untrusted one
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var entry in trusted.Value.TrustedProxies)
            {
                if (TryParse(entry, out var network)) o.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        return trusted.TrustedProxies.Length == 0 ? app : app.UseForwardedHeaders();
    }

    private static bool TryParse(string entry, out System.Net.IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var address))
        {
            network = new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }
        return System.Net.IPNetwork.TryParse(entry, out network);
    }
}
