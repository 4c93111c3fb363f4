using ShopAffiliate.Web.Features.WooCommerce;

namespace ShopAffiliate.Web.Tests;

/// <summary>The server side of the companion plugin's launch link, against the plugin's own test vector.</summary>
public sealed class WooLaunchLinkTests
{
    private const string Secret = "test-launch-secret-0123456789abcdef";

    // integrations/woocommerce/README.md section 3 and tests/LaunchLinkTest.php:
    // printf '%s' "$canonical" | openssl dgst -sha256 -hmac "$secret"
    private const string Signature = "0faf6458b8c219e1446a3ab8b7fbb976aa7117e6cbe29f2f4b3001f1b7d6c247";

    private static List<KeyValuePair<string, string>> Parameters(string sig = Signature) =>
    [
        new("shop", "42"), new("user", "7"), new("email", "ana+shop@example.com"), new("ts", "1710430082"),
        new("nonce", "0123456789abcdef"), new("sig", sig),
    ];

    [Fact]
    public void TheCanonicalStringAndSignatureMatchThePluginsTestVector()
    {
        Assert.Equal("email=ana%2Bshop%40example.com&nonce=0123456789abcdef&shop=42&ts=1710430082&user=7", WooLaunchLink.Canonical(Parameters()));
        Assert.Equal(Signature, WooLaunchLink.Sign(Parameters(), Secret));
        Assert.True(WooLaunchLink.HasValidSignature(Parameters(), Secret));
        Assert.True(WooLaunchLink.HasValidSignature(Parameters(Signature.ToUpperInvariant()), Secret));
    }

    [Fact]
    public void AnAddedOrChangedParameterOrAnotherSecretBreaksTheSignature()
    {
        var added = Parameters();
        added.Add(new("role", "owner"));
        Assert.False(WooLaunchLink.HasValidSignature(added, Secret));
        var changed = Parameters();
        changed[1] = new("user", "8");
        Assert.False(WooLaunchLink.HasValidSignature(changed, Secret));
        Assert.False(WooLaunchLink.HasValidSignature(Parameters(), Secret + "x"));
        Assert.False(WooLaunchLink.HasValidSignature(Parameters("abc"), Secret));
    }

    [Fact]
    public void ReadRefusesMissingRepeatedAndMalformedParameters()
    {
        Assert.NotNull(WooLaunchLink.Read(Parameters(), out _));
        Assert.Null(WooLaunchLink.Read(Parameters().Where(p => p.Key != "nonce").ToList(), out var missing));
        Assert.Contains("nonce", missing);
        var repeated = Parameters();
        repeated.Add(new("user", "8"));
        Assert.Null(WooLaunchLink.Read(repeated, out var twice));
        Assert.Contains("repeats 'user'", twice);
        var badTime = Parameters();
        badTime[3] = new("ts", "yesterday");
        Assert.Null(WooLaunchLink.Read(badTime, out var time));
        Assert.Contains("unix time", time);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(60, true)]
    [InlineData(61, false)]
    [InlineData(-30, true)]
    [InlineData(-31, false)]
    public void ALinkIsFreshForAMinuteWithHalfAMinuteOfClockSkew(int ageSeconds, bool fresh)
    {
        var launch = WooLaunchLink.Read(Parameters(), out _)!;
        var now = launch.IssuedAt.AddSeconds(ageSeconds); // negative: the store's clock is ahead of ours
        Assert.Equal(fresh, WooLaunchLink.IsFresh(launch, now));
    }
}
