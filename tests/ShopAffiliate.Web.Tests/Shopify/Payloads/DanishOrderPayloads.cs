using System.Globalization;
using System.Text.Json.Nodes;

namespace ShopAffiliate.Web.Tests.Shopify.Payloads;

/// <summary>
/// A Danish shop whose prices include 25 % moms (<c>taxes_included: true</c>, DKK), in the shape Shopify sends
/// (API 2026-01, no "order" wrapper), and the life of one order: placed with the 150.00 DKK order-level code HYGGE150
/// allocated over both lines, one mug refunded, an edit that removes a mug, a second mug refunded. Each step is the
/// orders/updated body Shopify sends then (current quantities lowered by edits and refunds alike, refunds listed) and,
/// for a refund, its refunds/create body.
/// <para>Expected (DKK): blanket 749.95 - 88.59 = 661.36 incl. 132.27 moms = 529.09 net; mugs 4 x 129.95 - 61.41 =
/// 458.39 incl. 91.68 moms = 366.71 net; shipping 49.00 incl. 9.80 moms stays out. At 10 %: placed 89.58; after the
/// first refund 80.41; after the edit 71.24; after the second refund 62.08. On the gross basis (tax included) placed
/// 111.98.</para>
/// </summary>
public static class DanishOrderPayloads
{
    public const long OrderId = 6203451234567;
    public const long BlanketLineId = 15203451234561;
    public const long MugLineId = 15203451234562;
    public const long FirstRefundId = 983451200001;
    public const long SecondRefundId = 983451200002;

    public const string PlacedAt = "2026-11-20T14:05:11+01:00";
    public const string FirstRefundAt = "2026-11-23T10:12:40+01:00";
    public const string EditedAt = "2026-11-24T09:30:05+01:00";
    public const string SecondRefundAt = "2026-11-25T16:44:19+01:00";

    /// <summary>The orders/create body: paid, four mugs, no refunds.</summary>
    public static string Placed => Version(PlacedAt, "paid", mugsNow: 4).ToJsonString();

    /// <summary>orders/updated after the first refund: three mugs now, one refunded.</summary>
    public static string AfterFirstRefund => Version(FirstRefundAt, "partially_refunded", mugsNow: 3, Refund(FirstRefundId, FirstRefundAt)).ToJsonString();

    /// <summary>orders/updated after the edit that removed a mug: two now, one refunded, one removed (no refund line).</summary>
    public static string AfterEdit => Version(EditedAt, "partially_refunded", mugsNow: 2, Refund(FirstRefundId, FirstRefundAt)).ToJsonString();

    /// <summary>orders/updated after the second refund: one mug now, two refunded, one removed.</summary>
    public static string AfterSecondRefund => Version(SecondRefundAt, "partially_refunded", mugsNow: 1,
        Refund(FirstRefundId, FirstRefundAt), Refund(SecondRefundId, SecondRefundAt)).ToJsonString();

    public static string FirstRefund => Refund(FirstRefundId, FirstRefundAt).ToJsonString();

    public static string SecondRefund => Refund(SecondRefundId, SecondRefundAt).ToJsonString();

    /// <summary>The placed order with some fields changed (for variants such as gift cards).</summary>
    public static string PlacedWith(Action<JsonObject> change)
    {
        var order = Version(PlacedAt, "paid", mugsNow: 4);
        change(order);
        return order.ToJsonString();
    }

    /// <summary>The order as Shopify shows it with <paramref name="mugsNow"/> mugs left and these refunds.</summary>
    private static JsonObject Version(string updatedAt, string financialStatus, int mugsNow, params JsonObject[] refunds)
    {
        var order = JsonNode.Parse(OrderJson)!.AsObject();
        order["updated_at"] = updatedAt;
        order["financial_status"] = financialStatus;
        var mugs = order["line_items"]![1]!;
        mugs["current_quantity"] = mugsNow;
        mugs["fulfillable_quantity"] = mugsNow;
        order["refunds"] = new JsonArray(refunds.Select(r => (JsonNode)r).ToArray());

        // current_* follow what the customer now keeps (Shopify rounds each to the øre).
        var mugsGross = Math.Round(458.39m * mugsNow / 4, 2, MidpointRounding.AwayFromZero);
        var mugsTax = Math.Round(91.68m * mugsNow / 4, 2, MidpointRounding.AwayFromZero);
        var mugsDiscount = Math.Round(61.41m * mugsNow / 4, 2, MidpointRounding.AwayFromZero);
        var subtotal = 661.36m + mugsGross;
        var tax = 132.27m + mugsTax + 9.80m;
        SetMoney(order, "current_subtotal_price", subtotal);
        SetMoney(order, "current_total_tax", tax);
        SetMoney(order, "current_total_discounts", 88.59m + mugsDiscount);
        SetMoney(order, "current_total_price", subtotal + 49.00m);
        var refunded = refunds.Length * 114.60m;
        order["total_outstanding"] = "0.00";
        order["total_refunded"] = Text(refunded);
        return order;
    }

    /// <summary>One mug back; its <c>line_item</c> is the order's mug line as placed, as Shopify embeds it.</summary>
    private static JsonObject Refund(long id, string createdAt)
    {
        var refund = JsonNode.Parse(RefundJson
            .Replace("\"__ID__\"", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__ID__", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__TRANSACTION__", (id + 8_400_000_000_000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__CREATED__", createdAt, StringComparison.Ordinal))!.AsObject();
        refund["refund_line_items"]![0]!["line_item"] = JsonNode.Parse(OrderJson)!["line_items"]![1]!.DeepClone();
        return refund;
    }

    private static void SetMoney(JsonObject order, string field, decimal amount)
    {
        order[field] = Text(amount);
        order[field + "_set"] = new JsonObject
        {
            ["shop_money"] = new JsonObject { ["amount"] = Text(amount), ["currency_code"] = "DKK" },
            ["presentment_money"] = new JsonObject { ["amount"] = Text(amount), ["currency_code"] = "DKK" },
        };
    }

    private static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private const string RefundJson = """
    {
      "id": "__ID__",
      "admin_graphql_api_id": "gid://shopify/Refund/__ID__",
      "created_at": "__CREATED__",
      "note": "Returneret: skår i kanten",
      "order_id": 6203451234567,
      "processed_at": "__CREATED__",
      "restock": true,
      "total_duties_set": {
        "shop_money": { "amount": "0.00", "currency_code": "DKK" },
        "presentment_money": { "amount": "0.00", "currency_code": "DKK" }
      },
      "user_id": 118812345678,
      "order_adjustments": [],
      "transactions": [
        {
          "id": __TRANSACTION__,
          "admin_graphql_api_id": "gid://shopify/OrderTransaction/__TRANSACTION__",
          "amount": "114.60",
          "authorization": null,
          "created_at": "__CREATED__",
          "currency": "DKK",
          "device_id": null,
          "error_code": null,
          "gateway": "shopify_payments",
          "kind": "refund",
          "location_id": null,
          "message": "Transaction approved",
          "order_id": 6203451234567,
          "parent_id": 9412345678800,
          "payment_id": "c73456789012.2",
          "processed_at": "__CREATED__",
          "receipt": {},
          "source_name": "1830279",
          "status": "success",
          "test": false,
          "user_id": 118812345678
        }
      ],
      "refund_line_items": [
        {
          "id": 71234567890,
          "line_item_id": 15203451234562,
          "location_id": 71234567890,
          "quantity": 1,
          "restock_type": "return",
          "subtotal": 114.6,
          "subtotal_set": {
            "shop_money": { "amount": "114.60", "currency_code": "DKK" },
            "presentment_money": { "amount": "114.60", "currency_code": "DKK" }
          },
          "total_tax": 22.92,
          "total_tax_set": {
            "shop_money": { "amount": "22.92", "currency_code": "DKK" },
            "presentment_money": { "amount": "22.92", "currency_code": "DKK" }
          },
          "line_item": null
        }
      ],
      "duties": [],
      "additional_fees": [],
      "return": null
    }
    """;

    private const string OrderJson = """
    {
      "id": 6203451234567,
      "admin_graphql_api_id": "gid://shopify/Order/6203451234567",
      "app_id": 580111,
      "browser_ip": "198.51.100.23",
      "buyer_accepts_marketing": false,
      "cancel_reason": null,
      "cancelled_at": null,
      "cart_token": "Z2NwLWV1cm9wZS13ZXN0MTowMUpEWDRGNlRaQjZQRkRQWUM4RjdKQTdQRg",
      "checkout_id": 39571926356268,
      "checkout_token": "8ef6264faff82e3bdf73d0ba225dd00f",
      "client_details": {
        "accept_language": "da-DK,da;q=0.9,en;q=0.8",
        "browser_height": 844,
        "browser_ip": "198.51.100.23",
        "browser_width": 390,
        "session_hash": null,
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
      },
      "closed_at": null,
      "company": null,
      "confirmation_number": "K4TQWX72M",
      "confirmed": true,
      "contact_email": "mette@example.dk",
      "created_at": "2026-11-20T14:05:09+01:00",
      "currency": "DKK",
      "current_shipping_price_set": {
        "shop_money": { "amount": "49.00", "currency_code": "DKK" },
        "presentment_money": { "amount": "49.00", "currency_code": "DKK" }
      },
      "current_subtotal_price": "1119.75",
      "current_total_additional_fees_set": null,
      "current_total_discounts": "150.00",
      "current_total_duties_set": null,
      "current_total_price": "1168.75",
      "current_total_tax": "233.75",
      "customer_locale": "da-DK",
      "device_id": null,
      "discount_codes": [
        { "code": "HYGGE150", "amount": "150.00", "type": "fixed_amount" }
      ],
      "duties_included": false,
      "email": "mette@example.dk",
      "estimated_taxes": false,
      "financial_status": "paid",
      "fulfillment_status": null,
      "landing_site": "/collections/koekken?ref=jane",
      "landing_site_ref": "jane",
      "location_id": null,
      "merchant_business_entity_id": "MjkxNzQwODY0ODEy",
      "merchant_of_record_app_id": null,
      "name": "#2071",
      "note": null,
      "note_attributes": [
        { "name": "_sa_ref", "value": "jane" }
      ],
      "number": 1071,
      "order_number": 2071,
      "order_status_url": "https://hygge-hjem.myshopify.com/68123456/orders/d49a88f2927d65f36e56c844069b10c5/authenticate?key=6e78c8fd0898957ded8db83d1a702364",
      "original_total_additional_fees_set": null,
      "original_total_duties_set": null,
      "payment_gateway_names": [ "shopify_payments" ],
      "phone": null,
      "po_number": null,
      "presentment_currency": "DKK",
      "processed_at": "2026-11-20T14:05:08+01:00",
      "reference": null,
      "referring_site": "https://www.instagram.com/",
      "source_identifier": null,
      "source_name": "web",
      "source_url": null,
      "subtotal_price": "1119.75",
      "subtotal_price_set": {
        "shop_money": { "amount": "1119.75", "currency_code": "DKK" },
        "presentment_money": { "amount": "1119.75", "currency_code": "DKK" }
      },
      "tags": "",
      "tax_exempt": false,
      "tax_lines": [
        {
          "price": "233.75",
          "rate": 0.25,
          "title": "DK Moms",
          "price_set": {
            "shop_money": { "amount": "233.75", "currency_code": "DKK" },
            "presentment_money": { "amount": "233.75", "currency_code": "DKK" }
          },
          "channel_liable": false
        }
      ],
      "taxes_included": true,
      "test": false,
      "token": "d49a88f2927d65f36e56c844069b10c5",
      "total_cash_rounding_payment_adjustment_set": {
        "shop_money": { "amount": "0.00", "currency_code": "DKK" },
        "presentment_money": { "amount": "0.00", "currency_code": "DKK" }
      },
      "total_cash_rounding_refund_adjustment_set": {
        "shop_money": { "amount": "0.00", "currency_code": "DKK" },
        "presentment_money": { "amount": "0.00", "currency_code": "DKK" }
      },
      "total_discounts": "150.00",
      "total_discounts_set": {
        "shop_money": { "amount": "150.00", "currency_code": "DKK" },
        "presentment_money": { "amount": "150.00", "currency_code": "DKK" }
      },
      "total_line_items_price": "1269.75",
      "total_line_items_price_set": {
        "shop_money": { "amount": "1269.75", "currency_code": "DKK" },
        "presentment_money": { "amount": "1269.75", "currency_code": "DKK" }
      },
      "total_outstanding": "0.00",
      "total_price": "1168.75",
      "total_price_set": {
        "shop_money": { "amount": "1168.75", "currency_code": "DKK" },
        "presentment_money": { "amount": "1168.75", "currency_code": "DKK" }
      },
      "total_shipping_price_set": {
        "shop_money": { "amount": "49.00", "currency_code": "DKK" },
        "presentment_money": { "amount": "49.00", "currency_code": "DKK" }
      },
      "total_tax": "233.75",
      "total_tax_set": {
        "shop_money": { "amount": "233.75", "currency_code": "DKK" },
        "presentment_money": { "amount": "233.75", "currency_code": "DKK" }
      },
      "total_tip_received": "0.00",
      "total_weight": 2300,
      "updated_at": "2026-11-20T14:05:11+01:00",
      "user_id": null,
      "billing_address": {
        "first_name": "Mette",
        "address1": "Nørrebrogade 12, 3. tv",
        "phone": "+45 20 12 34 56",
        "city": "København N",
        "zip": "2200",
        "province": null,
        "country": "Denmark",
        "last_name": "Jensen",
        "address2": null,
        "company": null,
        "latitude": 55.6867,
        "longitude": 12.5596,
        "name": "Mette Jensen",
        "country_code": "DK",
        "province_code": null
      },
      "customer": {
        "id": 8012345678901,
        "email": "mette@example.dk",
        "created_at": "2026-11-20T14:04:51+01:00",
        "updated_at": "2026-11-20T14:05:10+01:00",
        "first_name": "Mette",
        "last_name": "Jensen",
        "state": "disabled",
        "note": null,
        "verified_email": true,
        "multipass_identifier": null,
        "tax_exempt": false,
        "phone": null,
        "email_marketing_consent": {
          "state": "not_subscribed",
          "opt_in_level": "single_opt_in",
          "consent_updated_at": null
        },
        "sms_marketing_consent": null,
        "tags": "",
        "currency": "DKK",
        "tax_exemptions": [],
        "admin_graphql_api_id": "gid://shopify/Customer/8012345678901",
        "default_address": {
          "id": 9223456789012,
          "customer_id": 8012345678901,
          "first_name": "Mette",
          "last_name": "Jensen",
          "company": null,
          "address1": "Nørrebrogade 12, 3. tv",
          "address2": null,
          "city": "København N",
          "province": null,
          "country": "Denmark",
          "zip": "2200",
          "phone": "+45 20 12 34 56",
          "name": "Mette Jensen",
          "province_code": null,
          "country_code": "DK",
          "country_name": "Denmark",
          "default": true
        }
      },
      "discount_applications": [
        {
          "target_type": "line_item",
          "type": "discount_code",
          "value": "150.0",
          "value_type": "fixed_amount",
          "allocation_method": "across",
          "target_selection": "all",
          "code": "HYGGE150"
        }
      ],
      "fulfillments": [],
      "line_items": [
        {
          "id": 15203451234561,
          "admin_graphql_api_id": "gid://shopify/LineItem/15203451234561",
          "attributed_staffs": [],
          "current_quantity": 1,
          "fulfillable_quantity": 1,
          "fulfillment_service": "manual",
          "fulfillment_status": null,
          "gift_card": false,
          "grams": 900,
          "name": "Uldtæppe - Naturhvid",
          "price": "749.95",
          "price_set": {
            "shop_money": { "amount": "749.95", "currency_code": "DKK" },
            "presentment_money": { "amount": "749.95", "currency_code": "DKK" }
          },
          "product_exists": true,
          "product_id": 8203451230001,
          "properties": [],
          "quantity": 1,
          "requires_shipping": true,
          "sku": "ULD-NAT",
          "taxable": true,
          "title": "Uldtæppe",
          "total_discount": "0.00",
          "total_discount_set": {
            "shop_money": { "amount": "0.00", "currency_code": "DKK" },
            "presentment_money": { "amount": "0.00", "currency_code": "DKK" }
          },
          "variant_id": 46203451230001,
          "variant_inventory_management": "shopify",
          "variant_title": "Naturhvid",
          "vendor": "Hygge Hjem",
          "tax_lines": [
            {
              "channel_liable": false,
              "price": "132.27",
              "price_set": {
                "shop_money": { "amount": "132.27", "currency_code": "DKK" },
                "presentment_money": { "amount": "132.27", "currency_code": "DKK" }
              },
              "rate": 0.25,
              "title": "DK Moms"
            }
          ],
          "duties": [],
          "discount_allocations": [
            {
              "amount": "88.59",
              "amount_set": {
                "shop_money": { "amount": "88.59", "currency_code": "DKK" },
                "presentment_money": { "amount": "88.59", "currency_code": "DKK" }
              },
              "discount_application_index": 0
            }
          ]
        },
        {
          "id": 15203451234562,
          "admin_graphql_api_id": "gid://shopify/LineItem/15203451234562",
          "attributed_staffs": [],
          "current_quantity": 4,
          "fulfillable_quantity": 4,
          "fulfillment_service": "manual",
          "fulfillment_status": null,
          "gift_card": false,
          "grams": 350,
          "name": "Krus - Stentøj / Grå",
          "price": "129.95",
          "price_set": {
            "shop_money": { "amount": "129.95", "currency_code": "DKK" },
            "presentment_money": { "amount": "129.95", "currency_code": "DKK" }
          },
          "product_exists": true,
          "product_id": 8203451230002,
          "properties": [],
          "quantity": 4,
          "requires_shipping": true,
          "sku": "KRUS-GRA",
          "taxable": true,
          "title": "Krus",
          "total_discount": "0.00",
          "total_discount_set": {
            "shop_money": { "amount": "0.00", "currency_code": "DKK" },
            "presentment_money": { "amount": "0.00", "currency_code": "DKK" }
          },
          "variant_id": 46203451230002,
          "variant_inventory_management": "shopify",
          "variant_title": "Stentøj / Grå",
          "vendor": "Hygge Hjem",
          "tax_lines": [
            {
              "channel_liable": false,
              "price": "91.68",
              "price_set": {
                "shop_money": { "amount": "91.68", "currency_code": "DKK" },
                "presentment_money": { "amount": "91.68", "currency_code": "DKK" }
              },
              "rate": 0.25,
              "title": "DK Moms"
            }
          ],
          "duties": [],
          "discount_allocations": [
            {
              "amount": "61.41",
              "amount_set": {
                "shop_money": { "amount": "61.41", "currency_code": "DKK" },
                "presentment_money": { "amount": "61.41", "currency_code": "DKK" }
              },
              "discount_application_index": 0
            }
          ]
        }
      ],
      "payment_terms": null,
      "refunds": [],
      "shipping_address": {
        "first_name": "Mette",
        "address1": "Nørrebrogade 12, 3. tv",
        "phone": "+45 20 12 34 56",
        "city": "København N",
        "zip": "2200",
        "province": null,
        "country": "Denmark",
        "last_name": "Jensen",
        "address2": null,
        "company": null,
        "latitude": 55.6867,
        "longitude": 12.5596,
        "name": "Mette Jensen",
        "country_code": "DK",
        "province_code": null
      },
      "shipping_lines": [
        {
          "id": 5946484101420,
          "carrier_identifier": null,
          "code": "GLS Pakkeshop",
          "current_discounted_price_set": {
            "shop_money": { "amount": "49.00", "currency_code": "DKK" },
            "presentment_money": { "amount": "49.00", "currency_code": "DKK" }
          },
          "discounted_price": "49.00",
          "discounted_price_set": {
            "shop_money": { "amount": "49.00", "currency_code": "DKK" },
            "presentment_money": { "amount": "49.00", "currency_code": "DKK" }
          },
          "is_removed": false,
          "phone": null,
          "price": "49.00",
          "price_set": {
            "shop_money": { "amount": "49.00", "currency_code": "DKK" },
            "presentment_money": { "amount": "49.00", "currency_code": "DKK" }
          },
          "requested_fulfillment_service_id": null,
          "source": "shopify",
          "title": "GLS Pakkeshop",
          "tax_lines": [
            {
              "channel_liable": false,
              "price": "9.80",
              "price_set": {
                "shop_money": { "amount": "9.80", "currency_code": "DKK" },
                "presentment_money": { "amount": "9.80", "currency_code": "DKK" }
              },
              "rate": 0.25,
              "title": "DK Moms"
            }
          ],
          "discount_allocations": []
        }
      ],
      "returns": []
    }
    """;
}
