using System.ComponentModel.DataAnnotations;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooStoreTests
{
    [Theory]
    [InlineData("shop.example.com", "https://shop.example.com/", "shop.example.com")]
    [InlineData("  https://Shop.Example.COM/  ", "https://shop.example.com/", "shop.example.com")]
    [InlineData("https://example.com/store/", "https://example.com/store", "example.com/store")]
    [InlineData("https://example.com/Store/?preview=1#top", "https://example.com/Store", "example.com/store")]
    [InlineData("HTTPS://shop.example.com:443", "https://shop.example.com/", "shop.example.com")]
    [InlineData("https://localhost:8443", "https://localhost:8443/", "localhost:8443")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example/", "xn--bcher-kva.example")]
    public void AddressIsNormalised(string input, string url, string domain)
    {
        Assert.True(WooStoreUrl.TryNormalize(input, allowHttp: false, out var normalized, out var error), error);
        Assert.Equal(url, normalized.AbsoluteUri);
        Assert.Equal(domain, WooStoreUrl.DomainOf(normalized));
    }

    [Fact]
    public void HttpIsAllowedOnlyWhenConfigured()
    {
        Assert.False(WooStoreUrl.TryNormalize("http://localhost:8080/", allowHttp: false, out var refused, out var error));
        Assert.Null(refused);
        Assert.Contains("https://", error, StringComparison.Ordinal);
        Assert.Contains("WooCommerce:AllowHttpStores", error, StringComparison.Ordinal);

        Assert.True(WooStoreUrl.TryNormalize("http://localhost:8080/", allowHttp: true, out var allowed, out _));
        Assert.Equal("localhost:8080", WooStoreUrl.DomainOf(allowed));
    }

    [Theory]
    [InlineData(null, "Enter")]
    [InlineData("   ", "Enter")]
    [InlineData("https://admin:hunter2@shop.example.com", "user name or password")]
    [InlineData("ftp://shop.example.com", "https://")]
    [InlineData("https://", "not a valid")]
    [InlineData("https://exa mple.com", "not a valid")]
    public void BadAddressIsRefused(string? input, string message)
    {
        Assert.False(WooStoreUrl.TryNormalize(input, allowHttp: true, out var url, out var error));
        Assert.Null(url);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreToStringLeavesTheSecretOut()
    {
        var text = new WooStore(new Uri("https://shop.example.com"), "ck_1a2b3c4d5e6f7a8b9c0d", "cs_topsecret", WooAuthMode.QueryString, true).ToString();

        Assert.Equal("WooStore { BaseUrl = https://shop.example.com, ConsumerKey = …a8b9c0d, AuthMode = QueryString, PlainPermalinks = True }", text);
    }

    [Theory]
    [InlineData("00:00:09", false)]
    [InlineData("00:00:10", true)]
    [InlineData("00:15:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("1.00:00:01", false)]
    public void ReconcileIntervalIsTenSecondsToOneDay(string interval, bool valid)
    {
        var options = new WooCommerceOptions { ReconcileInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
    }

    [Fact]
    public void DefaultsMatchTheBrief()
    {
        var options = new WooCommerceOptions();
        Assert.False(options.AllowHttpStores);
        Assert.Equal("ShopAffiliate", options.AppName);
        Assert.Equal(TimeSpan.FromMinutes(15), options.ReconcileInterval);
        Assert.Equal("WooCommerce", WooCommerceOptions.SectionName);
    }
}
