using System.ComponentModel.DataAnnotations;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyOptionsTests
{
    [Theory]
    [InlineData("janes-shop.myshopify.com", true)]
    [InlineData("Janes-Shop.MYSHOPIFY.com", false)]
    [InlineData("JANES-SHOP.myshopify.com", true)]
    [InlineData("0shop.myshopify.com", true)]
    [InlineData("-shop.myshopify.com", false)]
    [InlineData("shop.myshopify.com.evil.com", false)]
    [InlineData("evil.com/shop.myshopify.com", false)]
    [InlineData("shop.myshopify.com\n", false)]
    [InlineData("sub.shop.myshopify.com", false)]
    [InlineData("shop_1.myshopify.com", false)]
    [InlineData("shop.myshopifyXcom", false)]
    [InlineData("admin.shopify.com", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyMyshopifyDomainsAreValidShops(string? shop, bool valid) =>
        Assert.Equal(valid, ShopifyShopDomain.IsValid(shop));

    [Fact]
    public void ShopDomainIsNormalisedToLowerCase() =>
        Assert.Equal("janes-shop.myshopify.com", ShopifyShopDomain.Normalize(" JANES-Shop.myshopify.com "));

    [Fact]
    public void DefaultsMatchTheProtocol()
    {
        var options = new ShopifyOptions();
        Assert.Equal("read_orders,write_discounts,read_products", options.Scopes);
        Assert.Equal("2026-01", options.ApiVersion);
        Assert.Equal("https://{shop}", options.ShopBaseUrl);
        Assert.False(options.Enabled);
        Assert.Empty(options.Secrets);
    }

    [Fact]
    public void SecretsListTheCurrentThenThePreviousSecret()
    {
        var options = new ShopifyOptions { ApiKey = "k", ApiSecret = "new", PreviousApiSecret = "old" };
        Assert.True(options.Enabled);
        Assert.Equal(["new", "old"], options.Secrets);
        Assert.Equal(["new"], new ShopifyOptions { ApiSecret = "new", PreviousApiSecret = "new" }.Secrets);
    }

    [Fact]
    public void ShopUriPutsTheShopIntoTheTemplate()
    {
        Assert.Equal(new Uri("https://janes-shop.myshopify.com/"), new ShopifyOptions().ShopUri("Janes-Shop.myshopify.com"));
        Assert.Equal(new Uri("http://127.0.0.1:5123/"), new ShopifyOptions { ShopBaseUrl = "http://127.0.0.1:5123" }.ShopUri("janes-shop.myshopify.com"));
        Assert.Equal(new Uri("http://127.0.0.1:5123/janes-shop.myshopify.com/"),
            new ShopifyOptions { ShopBaseUrl = "http://127.0.0.1:5123/{shop}/" }.ShopUri("janes-shop.myshopify.com"));
    }

    [Theory]
    [InlineData("evil.com")]
    [InlineData("evil.com/x?.myshopify.com")]
    [InlineData("janes-shop.myshopify.com@evil.com")]
    public void ShopUriRefusesAnythingButAShopDomain(string shop) =>
        Assert.Throws<ArgumentException>(() => new ShopifyOptions().ShopUri(shop));

    [Fact]
    public void HalfConfiguredOptionsFailValidation()
    {
        Assert.Empty(Validate(new ShopifyOptions()));
        Assert.Empty(Validate(new ShopifyOptions { ApiKey = "k", ApiSecret = "s" }));
        Assert.Contains(Validate(new ShopifyOptions { ApiKey = "k" }), e => e.Contains("both", StringComparison.Ordinal));
        Assert.NotEmpty(Validate(new ShopifyOptions { PreviousApiSecret = "old" }));
        Assert.NotEmpty(Validate(new ShopifyOptions { ApiKey = "k", ApiSecret = "s", ApiVersion = "2026-1" }));
        Assert.NotEmpty(Validate(new ShopifyOptions { ApiKey = "k", ApiSecret = "s", ShopBaseUrl = "ftp://{shop}" }));
        Assert.Empty(Validate(new ShopifyOptions { ApiKey = "k", ApiSecret = "s", ApiVersion = "unstable" }));
    }

    [Theory]
    [InlineData("2026-01", "2025-10", true)]
    [InlineData("2025-10", "2025-10", true)]
    [InlineData("2025-07", "2025-10", false)]
    [InlineData("unstable", "2025-10", true)]
    public void ApiVersionsCompareByDate(string configured, string since, bool atLeast) =>
        Assert.Equal(atLeast, new ShopifyOptions { ApiVersion = configured }.ApiVersionAtLeast(since));

    [Theory]
    [InlineData("orders/create", "ORDERS_CREATE")]
    [InlineData("refunds/create", "REFUNDS_CREATE")]
    [InlineData("app/uninstalled", "APP_UNINSTALLED")]
    [InlineData(" orders/updated ", "ORDERS_UPDATED")]
    public void WebhookTopicsBecomeGraphQlEnums(string topic, string value) =>
        Assert.Equal(value, ShopifyWebhookTopics.ToGraphQlEnum(topic));

    [Theory]
    [InlineData("ORDERS_CREATE")]
    [InlineData("orders")]
    [InlineData("orders/create } mutation {")]
    public void AnythingButATopicIsRefused(string topic) =>
        Assert.Throws<ArgumentException>(() => ShopifyWebhookTopics.ToGraphQlEnum(topic));

    private static List<string> Validate(ShopifyOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "").ToList();
    }
}
