using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooAuthorizeUrlTests
{
    private const string Return = "https://app.example.com/woocommerce/return?connect=7f3a";
    private const string Callback = "https://app.example.com/woocommerce/keys";

    [Fact]
    public void PrettyPermalinksUseTheWcAuthEndpoint() =>
        Assert.Equal(
            "https://shop.example.com/wc-auth/v1/authorize?app_name=ShopAffiliate&scope=read_write&user_id=7f3a"
            + "&return_url=https%3A%2F%2Fapp.example.com%2Fwoocommerce%2Freturn%3Fconnect%3D7f3a"
            + "&callback_url=https%3A%2F%2Fapp.example.com%2Fwoocommerce%2Fkeys",
            WooAuthorizeUrl.Build(new Uri("https://shop.example.com"), false, "ShopAffiliate", "7f3a", Return, Callback));

    [Fact]
    public void PlainPermalinksUseTheQueryVarsInASubdirectory() =>
        Assert.Equal(
            "https://example.com/store/?wc-auth-version=1&wc-auth-route=authorize&app_name=ShopAffiliate&scope=read&user_id=7f3a"
            + "&return_url=https%3A%2F%2Fapp.example.com%2Fwoocommerce%2Freturn%3Fconnect%3D7f3a"
            + "&callback_url=https%3A%2F%2Fapp.example.com%2Fwoocommerce%2Fkeys",
            WooAuthorizeUrl.Build(new Uri("https://example.com/store"), true, "ShopAffiliate", "7f3a", Return, Callback, "read"));

    [Fact]
    public void ValuesAreEscaped()
    {
        var url = WooAuthorizeUrl.Build(new Uri("https://shop.example.com"), false, "Shop Affiliate & Co", "a b", Return, Callback);

        Assert.Contains("app_name=Shop%20Affiliate%20%26%20Co&", url, StringComparison.Ordinal);
        Assert.Contains("user_id=a%20b&", url, StringComparison.Ordinal);
        Assert.Equal(Return, Uri.UnescapeDataString(url.Split("return_url=")[1].Split('&')[0]));
    }

    [Theory]
    [InlineData("http://app.example.com/woocommerce/keys")]
    [InlineData("/woocommerce/keys")]
    [InlineData("app.example.com/woocommerce/keys")]
    public void CallbackMustBeHttps(string callback) =>
        Assert.Throws<ArgumentException>(() =>
            WooAuthorizeUrl.Build(new Uri("https://shop.example.com"), false, "ShopAffiliate", "7f3a", Return, callback));

    [Fact]
    public void UnknownScopeIsRefused() =>
        Assert.Throws<ArgumentException>(() =>
            WooAuthorizeUrl.Build(new Uri("https://shop.example.com"), false, "ShopAffiliate", "7f3a", Return, Callback, "admin"));
}
