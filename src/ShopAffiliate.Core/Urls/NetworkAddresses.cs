using System.Net;
using System.Net.Sockets;

namespace ShopAffiliate.Core.Urls;

/// <summary>Which network a host or address belongs to. Only <see cref="Public"/> may be linked to or fetched.</summary>
public enum AddressClass
{
    Public,
    Loopback,
    Private,
    LinkLocal,
    Unspecified,
    /// <summary>100.64.0.0/10, carrier-grade NAT (RFC 6598): the provider's network, not the internet.</summary>
    SharedAddressSpace,
    /// <summary>A cloud provider's instance metadata service, which hands out the machine's credentials.</summary>
    Metadata,
    Multicast,
    /// <summary>Documentation, benchmarking, protocol-assignment and other ranges no public host uses.</summary>
    Reserved,
}

/// <summary>
/// Classifies host names and IP literals, and (for outbound requests, after DNS resolution) resolved addresses.
/// A name is classified by what it says (<c>localhost</c>, <c>*.internal</c>, a metadata host); a name that resolves
/// to a private address is the caller's to check with <see cref="Classify(IPAddress)"/> on every resolved address.
/// </summary>
public static class NetworkAddresses
{
    // Checked before the ranges that contain them, so the more telling class is reported.
    private static readonly HashSet<IPAddress> MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, GCP, Azure, OpenStack, DigitalOcean
        IPAddress.Parse("169.254.170.2"),   // AWS ECS task credentials
        IPAddress.Parse("fd00:ec2::254"),   // AWS over IPv6
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("168.63.129.16"),   // Azure's platform endpoint (a public-looking address)
    ];

    private static readonly HashSet<string> MetadataNames =
        new(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"], StringComparer.Ordinal);

    private static readonly (IPNetwork Network, AddressClass Class)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressClass.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressClass.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressClass.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressClass.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressClass.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressClass.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressClass.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressClass.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressClass.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressClass.Reserved),
        (IPNetwork.Parse("198.51.100.0/24"), AddressClass.Reserved),
        (IPNetwork.Parse("203.0.113.0/24"), AddressClass.Reserved),
        (IPNetwork.Parse("224.0.0.0/4"), AddressClass.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressClass.Reserved), // and 255.255.255.255
    ];

    private static readonly (IPNetwork Network, AddressClass Class)[] V6Ranges =
    [
        (IPNetwork.Parse("fc00::/7"), AddressClass.Private),   // unique local
        (IPNetwork.Parse("fe80::/10"), AddressClass.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressClass.Private),  // site-local (deprecated)
        (IPNetwork.Parse("ff00::/8"), AddressClass.Multicast),
        (IPNetwork.Parse("2001:db8::/32"), AddressClass.Reserved),
    ];

    // Prefixes that carry an IPv4 address inside: the IPv4 address decides (::ffff:127.0.0.1 is loopback).
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    public static AddressClass Classify(IPAddress address)
    {
        if (MetadataAddresses.Contains(address)) return AddressClass.Metadata;
        if (address.AddressFamily == AddressFamily.InterNetwork) return ClassifyV4(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return AddressClass.Reserved;

        if (address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes()); // fe80::1%eth0
        if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
        if (address.Equals(IPAddress.IPv6None)) return AddressClass.Unspecified;
        if (address.Equals(IPAddress.IPv6Loopback)) return AddressClass.Loopback;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)) return Classify(new IPAddress(bytes.AsSpan(12, 4)));
        if (SixToFour.Contains(address)) return Classify(new IPAddress(bytes.AsSpan(2, 4)));
        foreach (var (network, kind) in V6Ranges)
        {
            if (network.Contains(address)) return kind;
        }
        // IPv4-compatible (::a.b.c.d), discard-only and every other prefix outside global unicast.
        return GlobalUnicast.Contains(address) ? AddressClass.Public : AddressClass.Reserved;
    }

    /// <summary>
    /// A host as written in a URL or a setting: an IP literal (also in brackets, or in the decimal, hex and short
    /// forms browsers accept, such as <c>2130706433</c> and <c>127.1</c>) or a name.
    /// </summary>
    public static AddressClass ClassifyHost(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        if (h.Length == 0) return AddressClass.Unspecified;
        if (IPAddress.TryParse(h, out var address)) return Classify(address);
        if (h == "localhost" || h.EndsWith(".localhost", StringComparison.Ordinal)) return AddressClass.Loopback;
        if (MetadataNames.Contains(h)) return AddressClass.Metadata;
        if (h.EndsWith(".local", StringComparison.Ordinal)) return AddressClass.LinkLocal; // mDNS
        // A single label ("intranet", "router") or a private-use suffix only resolves inside someone's network.
        if (!h.Contains('.') || h.EndsWith(".internal", StringComparison.Ordinal) || h.EndsWith(".home.arpa", StringComparison.Ordinal))
            return AddressClass.Private;
        return AddressClass.Public;
    }

    /// <summary>For messages: "'10.0.0.1' is a private-network address".</summary>
    public static string Describe(AddressClass kind) => kind switch
    {
        AddressClass.Public => "a public address",
        AddressClass.Loopback => "a loopback address (this machine)",
        AddressClass.Private => "a private-network address",
        AddressClass.LinkLocal => "a link-local address",
        AddressClass.Unspecified => "the unspecified address",
        AddressClass.SharedAddressSpace => "a carrier-grade NAT address (100.64.0.0/10)",
        AddressClass.Metadata => "a cloud metadata endpoint",
        AddressClass.Multicast => "a multicast address",
        _ => "a reserved address no public host uses",
    };

    private static AddressClass ClassifyV4(IPAddress address)
    {
        foreach (var (network, kind) in V4Ranges)
        {
            if (network.Contains(address)) return kind;
        }
        return AddressClass.Public;
    }
}
