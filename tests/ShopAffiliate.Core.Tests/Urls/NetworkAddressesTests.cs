using System.Net;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Core.Tests.Urls;

public sealed class NetworkAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("127.255.1.2", AddressClass.Loopback)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("10.0.0.1", AddressClass.Private)]
    [InlineData("172.16.5.4", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("192.168.1.1", AddressClass.Private)]
    [InlineData("fc00::1", AddressClass.Private)]
    [InlineData("fd12:3456::1", AddressClass.Private)]
    [InlineData("169.254.1.1", AddressClass.LinkLocal)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("febf::1", AddressClass.LinkLocal)]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("::", AddressClass.Unspecified)]
    [InlineData("100.64.0.1", AddressClass.SharedAddressSpace)]
    [InlineData("100.127.255.254", AddressClass.SharedAddressSpace)]
    [InlineData("169.254.169.254", AddressClass.Metadata)]
    [InlineData("fd00:ec2::254", AddressClass.Metadata)]
    [InlineData("100.100.100.200", AddressClass.Metadata)]
    [InlineData("224.0.0.1", AddressClass.Multicast)]
    [InlineData("ff02::1", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Reserved)]
    [InlineData("192.0.2.10", AddressClass.Reserved)]
    [InlineData("2001:db8::1", AddressClass.Reserved)]
    public void NonPublicAddressesAreClassifiedByTheirRange(string address, AddressClass expected) =>
        Assert.Equal(expected, NetworkAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressClass.Loopback)]
    [InlineData("::ffff:10.0.0.1", AddressClass.Private)]
    [InlineData("::ffff:169.254.169.254", AddressClass.Metadata)]
    [InlineData("64:ff9b::a00:1", AddressClass.Private)]   // NAT64 of 10.0.0.1
    [InlineData("2002:7f00:1::", AddressClass.Loopback)]   // 6to4 of 127.0.0.1
    [InlineData("::ffff:8.8.8.8", AddressClass.Public)]
    public void AnIpv6AddressCarryingAnIpv4AddressIsClassifiedByTheIpv4Address(string address, AddressClass expected) =>
        Assert.Equal(expected, NetworkAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")] // just below CGNAT
    [InlineData("100.128.0.0")]    // just above
    [InlineData("172.32.0.1")]     // just above 172.16/12
    [InlineData("2606:4700:4700::1111")]
    public void PublicAddressesArePublic(string address) =>
        Assert.Equal(AddressClass.Public, NetworkAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("localhost", AddressClass.Loopback)]
    [InlineData("LOCALHOST.", AddressClass.Loopback)]
    [InlineData("app.localhost", AddressClass.Loopback)]
    [InlineData("[::1]", AddressClass.Loopback)]
    [InlineData("2130706433", AddressClass.Loopback)]  // 127.0.0.1 as one decimal number, as browsers read it
    [InlineData("127.1", AddressClass.Loopback)]
    [InlineData("0x7f.1", AddressClass.Loopback)]
    [InlineData("fe80::1%eth0", AddressClass.LinkLocal)]
    [InlineData("printer.local", AddressClass.LinkLocal)]
    [InlineData("metadata.google.internal", AddressClass.Metadata)]
    [InlineData("metadata", AddressClass.Metadata)]
    [InlineData("intranet", AddressClass.Private)]
    [InlineData("db.internal", AddressClass.Private)]
    [InlineData("nas.home.arpa", AddressClass.Private)]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    public void HostNamesAndLiteralsAreClassifiedAsABrowserWouldReachThem(string host, AddressClass expected) =>
        Assert.Equal(expected, NetworkAddresses.ClassifyHost(host));

    [Theory]
    [InlineData("shop.example.com")]
    [InlineData("www.localhost-shop.com")]
    [InlineData("internal.example.org")]
    [InlineData("8.8.8.8")]
    public void OrdinaryPublicHostsArePublic(string host) =>
        Assert.Equal(AddressClass.Public, NetworkAddresses.ClassifyHost(host));
}
