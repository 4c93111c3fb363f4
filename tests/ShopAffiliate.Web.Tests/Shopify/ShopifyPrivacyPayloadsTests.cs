using System.Text.Json;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyPrivacyPayloadsTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void CustomerDataRequestNamesTheCustomerOrdersAndRequest()
    {
        var request = ShopifyPrivacyPayloads.ParseCustomerDataRequest(Json(PrivacyPayloads.CustomersDataRequest));

        Assert.Equal("954889", request.ShopPlatformId);
        Assert.Equal("janes-shop.myshopify.com", request.ShopDomain);
        Assert.Equal(new ShopifyPrivacyCustomer("191167", "john@example.com", "555-625-1199"), request.Customer);
        Assert.Equal(["299938", "280263", "220458"], request.OrdersRequested);
        Assert.Equal("9999", request.DataRequestId);
    }

    [Fact]
    public void CustomerRedactNamesTheCustomerAndTheOrdersToRedact()
    {
        var redact = ShopifyPrivacyPayloads.ParseCustomerRedact(Json(PrivacyPayloads.CustomersRedact));

        Assert.Equal("janes-shop.myshopify.com", redact.ShopDomain);
        Assert.Equal("191167", redact.Customer.Id);
        Assert.Equal(["299938", "280263", "220458"], redact.OrdersToRedact);
    }

    [Fact]
    public void ShopRedactNamesTheShop() =>
        Assert.Equal(new ShopifyShopRedact("954889", "janes-shop.myshopify.com"),
            ShopifyPrivacyPayloads.ParseShopRedact(Json(PrivacyPayloads.ShopRedact)));

    [Fact]
    public void CustomerKnownOnlyByEmailHasNoIdOrPhone()
    {
        var redact = ShopifyPrivacyPayloads.ParseCustomerRedact(Json("""
            {"shop_id":1,"shop_domain":"Janes-Shop.myshopify.com","customer":{"id":null,"email":"a@example.com","phone":""}}
            """));

        Assert.Equal("janes-shop.myshopify.com", redact.ShopDomain);
        Assert.Equal(new ShopifyPrivacyCustomer(null, "a@example.com", null), redact.Customer);
        Assert.Empty(redact.OrdersToRedact);
    }

    [Fact]
    public void PrivacyBodyWithoutShopDomainIsRefused()
    {
        var error = Assert.Throws<ShopifyPayloadException>(() => ShopifyPrivacyPayloads.ParseShopRedact(Json("""{"shop_id":1}""")));
        Assert.Contains("shop_domain", error.Message);
    }
}
