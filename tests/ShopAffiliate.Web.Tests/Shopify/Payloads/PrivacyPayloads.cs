namespace ShopAffiliate.Web.Tests.Shopify.Payloads;

/// <summary>The mandatory privacy webhooks, as shopify.dev documents their bodies.</summary>
public static class PrivacyPayloads
{
    public const string CustomersDataRequest = """
    {
      "shop_id": 954889,
      "shop_domain": "janes-shop.myshopify.com",
      "orders_requested": [299938, 280263, 220458],
      "customer": { "id": 191167, "email": "john@example.com", "phone": "555-625-1199" },
      "data_request": { "id": 9999 }
    }
    """;

    public const string CustomersRedact = """
    {
      "shop_id": 954889,
      "shop_domain": "janes-shop.myshopify.com",
      "customer": { "id": 191167, "email": "john@example.com", "phone": "555-625-1199" },
      "orders_to_redact": [299938, 280263, 220458]
    }
    """;

    public const string ShopRedact = """
    {
      "shop_id": 954889,
      "shop_domain": "janes-shop.myshopify.com"
    }
    """;
}
