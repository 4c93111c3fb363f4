namespace ShopAffiliate.Web.Tests.Shopify.Payloads;

/// <summary>
/// A full orders/create webhook body in the shape Shopify documents and sends (API 2026-01, no "order" wrapper): shop
/// currency USD, buyer paying in EUR, a 10 % code on the hoodie only, a line whose product was deleted, taxes, shipping,
/// a referral in the cart attributes and in the landing URL. Embedded as a string because the test project does not copy
/// JSON files to its output.
/// Expected (shop money): hoodie 2 x 50.00 - 10.00 = 90.00 net, tax 7.20; sticker 5.00 net, tax 0.40; shipping 5.00;
/// total_tax 7.60.
/// </summary>
public static class OrdersCreatePayload
{
    public const string Json = """
    {
      "id": 5812345678901,
      "admin_graphql_api_id": "gid://shopify/Order/5812345678901",
      "app_id": 580111,
      "browser_ip": "203.0.113.42",
      "buyer_accepts_marketing": true,
      "cancel_reason": null,
      "cancelled_at": null,
      "cart_token": "Z2NwLWV1cm9wZS13ZXN0MTowMUhRM0pGNlRaQjZQRkRQWUM4RjdKQTdQRg",
      "checkout_id": 38571926356268,
      "checkout_token": "7df6264faff82e3bdf73d0ba225dd00e",
      "client_details": {
        "accept_language": "fr-FR,fr;q=0.9,en;q=0.8",
        "browser_height": 900,
        "browser_ip": "203.0.113.42",
        "browser_width": 1440,
        "session_hash": null,
        "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
      },
      "closed_at": null,
      "company": null,
      "confirmation_number": "V9ENVL83C",
      "confirmed": true,
      "contact_email": "buyer@example.com",
      "created_at": "2025-03-14T10:21:33-04:00",
      "currency": "USD",
      "current_shipping_price_set": {
        "shop_money": { "amount": "5.00", "currency_code": "USD" },
        "presentment_money": { "amount": "4.60", "currency_code": "EUR" }
      },
      "current_subtotal_price": "95.00",
      "current_subtotal_price_set": {
        "shop_money": { "amount": "95.00", "currency_code": "USD" },
        "presentment_money": { "amount": "87.40", "currency_code": "EUR" }
      },
      "current_total_additional_fees_set": null,
      "current_total_discounts": "10.00",
      "current_total_discounts_set": {
        "shop_money": { "amount": "10.00", "currency_code": "USD" },
        "presentment_money": { "amount": "9.20", "currency_code": "EUR" }
      },
      "current_total_duties_set": null,
      "current_total_price": "107.60",
      "current_total_price_set": {
        "shop_money": { "amount": "107.60", "currency_code": "USD" },
        "presentment_money": { "amount": "98.99", "currency_code": "EUR" }
      },
      "current_total_tax": "7.60",
      "current_total_tax_set": {
        "shop_money": { "amount": "7.60", "currency_code": "USD" },
        "presentment_money": { "amount": "6.99", "currency_code": "EUR" }
      },
      "customer_locale": "fr-FR",
      "device_id": null,
      "discount_codes": [
        { "code": "JANE10", "amount": "10.00", "type": "percentage" }
      ],
      "duties_included": false,
      "email": "buyer@example.com",
      "estimated_taxes": false,
      "financial_status": "paid",
      "fulfillment_status": "partial",
      "landing_site": "/products/hoodie?ref=jane&sa_click=7c9e6679-7425-40de-944b-e07fc1f90ae7&utm_source=instagram",
      "landing_site_ref": "jane",
      "location_id": null,
      "merchant_business_entity_id": "MTkxNzQwODY0ODEy",
      "merchant_of_record_app_id": null,
      "name": "#1042",
      "note": "Please gift wrap the hoodie.",
      "note_attributes": [
        { "name": "_sa_ref", "value": "jane" },
        { "name": "_sa_click", "value": "0b5f3c2e-8d1a-4a57-9a0e-3f1c2b7d9e41" },
        { "name": "gift_message", "value": "Happy birthday!" }
      ],
      "number": 42,
      "order_number": 1042,
      "order_status_url": "https://janes-shop.myshopify.com/58123456/orders/c39a88f2927d65f36e56c844069b10c4/authenticate?key=5e78c8fd0898957ded8db83d1a702363",
      "original_total_additional_fees_set": null,
      "original_total_duties_set": null,
      "payment_gateway_names": [ "shopify_payments" ],
      "phone": null,
      "po_number": null,
      "presentment_currency": "EUR",
      "processed_at": "2025-03-14T10:21:32-04:00",
      "reference": null,
      "referring_site": "https://l.instagram.com/",
      "source_identifier": null,
      "source_name": "web",
      "source_url": null,
      "subtotal_price": "95.00",
      "subtotal_price_set": {
        "shop_money": { "amount": "95.00", "currency_code": "USD" },
        "presentment_money": { "amount": "87.40", "currency_code": "EUR" }
      },
      "tags": "affiliate, instagram",
      "tax_exempt": false,
      "tax_lines": [
        {
          "price": "7.60",
          "rate": 0.08,
          "title": "State Tax",
          "price_set": {
            "shop_money": { "amount": "7.60", "currency_code": "USD" },
            "presentment_money": { "amount": "6.99", "currency_code": "EUR" }
          },
          "channel_liable": false
        }
      ],
      "taxes_included": false,
      "test": false,
      "token": "c39a88f2927d65f36e56c844069b10c4",
      "total_cash_rounding_payment_adjustment_set": {
        "shop_money": { "amount": "0.00", "currency_code": "USD" },
        "presentment_money": { "amount": "0.00", "currency_code": "EUR" }
      },
      "total_cash_rounding_refund_adjustment_set": {
        "shop_money": { "amount": "0.00", "currency_code": "USD" },
        "presentment_money": { "amount": "0.00", "currency_code": "EUR" }
      },
      "total_discounts": "10.00",
      "total_discounts_set": {
        "shop_money": { "amount": "10.00", "currency_code": "USD" },
        "presentment_money": { "amount": "9.20", "currency_code": "EUR" }
      },
      "total_line_items_price": "105.00",
      "total_line_items_price_set": {
        "shop_money": { "amount": "105.00", "currency_code": "USD" },
        "presentment_money": { "amount": "96.60", "currency_code": "EUR" }
      },
      "total_outstanding": "0.00",
      "total_price": "107.60",
      "total_price_set": {
        "shop_money": { "amount": "107.60", "currency_code": "USD" },
        "presentment_money": { "amount": "98.99", "currency_code": "EUR" }
      },
      "total_shipping_price_set": {
        "shop_money": { "amount": "5.00", "currency_code": "USD" },
        "presentment_money": { "amount": "4.60", "currency_code": "EUR" }
      },
      "total_tax": "7.60",
      "total_tax_set": {
        "shop_money": { "amount": "7.60", "currency_code": "USD" },
        "presentment_money": { "amount": "6.99", "currency_code": "EUR" }
      },
      "total_tip_received": "0.00",
      "total_weight": 850,
      "updated_at": "2025-03-14T10:21:35-04:00",
      "user_id": null,
      "billing_address": {
        "first_name": "Ana",
        "address1": "12 Rue de la Paix",
        "phone": "+33 1 23 45 67 89",
        "city": "Paris",
        "zip": "75002",
        "province": null,
        "country": "France",
        "last_name": "Martin",
        "address2": "Apt 4",
        "company": null,
        "latitude": 48.8693,
        "longitude": 2.3316,
        "name": "Ana Martin",
        "country_code": "FR",
        "province_code": null
      },
      "customer": {
        "id": 7012345678901,
        "email": "buyer@example.com",
        "created_at": "2024-11-02T08:12:45-04:00",
        "updated_at": "2025-03-14T10:21:34-04:00",
        "first_name": "Ana",
        "last_name": "Martin",
        "state": "enabled",
        "note": null,
        "verified_email": true,
        "multipass_identifier": null,
        "tax_exempt": false,
        "phone": null,
        "email_marketing_consent": {
          "state": "subscribed",
          "opt_in_level": "single_opt_in",
          "consent_updated_at": "2025-03-14T10:21:33-04:00"
        },
        "sms_marketing_consent": null,
        "tags": "",
        "currency": "USD",
        "tax_exemptions": [],
        "admin_graphql_api_id": "gid://shopify/Customer/7012345678901",
        "default_address": {
          "id": 9123456789012,
          "customer_id": 7012345678901,
          "first_name": "Ana",
          "last_name": "Martin",
          "company": null,
          "address1": "12 Rue de la Paix",
          "address2": "Apt 4",
          "city": "Paris",
          "province": null,
          "country": "France",
          "zip": "75002",
          "phone": "+33 1 23 45 67 89",
          "name": "Ana Martin",
          "province_code": null,
          "country_code": "FR",
          "country_name": "France",
          "default": true
        }
      },
      "discount_applications": [
        {
          "target_type": "line_item",
          "type": "discount_code",
          "value": "10.0",
          "value_type": "percentage",
          "allocation_method": "across",
          "target_selection": "entitled",
          "code": "JANE10"
        }
      ],
      "fulfillments": [
        {
          "id": 4567890123456,
          "admin_graphql_api_id": "gid://shopify/Fulfillment/4567890123456",
          "created_at": "2025-03-14T10:21:34-04:00",
          "location_id": 61234567890,
          "name": "#1042.1",
          "order_id": 5812345678901,
          "origin_address": {},
          "receipt": {},
          "service": "manual",
          "shipment_status": null,
          "status": "success",
          "tracking_company": null,
          "tracking_number": null,
          "tracking_numbers": [],
          "tracking_url": null,
          "tracking_urls": [],
          "updated_at": "2025-03-14T10:21:34-04:00",
          "line_items": [
            {
              "id": 14012345678902,
              "admin_graphql_api_id": "gid://shopify/LineItem/14012345678902",
              "fulfillable_quantity": 0,
              "fulfillment_service": "manual",
              "fulfillment_status": "fulfilled",
              "gift_card": false,
              "grams": 0,
              "name": "Sticker pack",
              "price": "5.00",
              "product_exists": false,
              "product_id": null,
              "properties": [],
              "quantity": 1,
              "requires_shipping": false,
              "sku": "STK-01",
              "taxable": true,
              "title": "Sticker pack",
              "total_discount": "0.00",
              "variant_id": null,
              "variant_inventory_management": null,
              "variant_title": null,
              "vendor": "Jane's Shop",
              "tax_lines": [],
              "duties": [],
              "discount_allocations": []
            }
          ]
        }
      ],
      "line_items": [
        {
          "id": 14012345678901,
          "admin_graphql_api_id": "gid://shopify/LineItem/14012345678901",
          "attributed_staffs": [],
          "current_quantity": 2,
          "fulfillable_quantity": 2,
          "fulfillment_service": "manual",
          "fulfillment_status": null,
          "gift_card": false,
          "grams": 425,
          "name": "Hoodie - L / Black",
          "price": "50.00",
          "price_set": {
            "shop_money": { "amount": "50.00", "currency_code": "USD" },
            "presentment_money": { "amount": "46.00", "currency_code": "EUR" }
          },
          "product_exists": true,
          "product_id": 8123456789012,
          "properties": [
            { "name": "Engraving", "value": "A.M." },
            { "name": "_gift_wrap", "value": "yes" }
          ],
          "quantity": 2,
          "requires_shipping": true,
          "sku": "HOOD-L-BLK",
          "taxable": true,
          "title": "Hoodie",
          "total_discount": "0.00",
          "total_discount_set": {
            "shop_money": { "amount": "0.00", "currency_code": "USD" },
            "presentment_money": { "amount": "0.00", "currency_code": "EUR" }
          },
          "variant_id": 45123456789012,
          "variant_inventory_management": "shopify",
          "variant_title": "L / Black",
          "vendor": "Jane's Shop",
          "tax_lines": [
            {
              "channel_liable": false,
              "price": "7.20",
              "price_set": {
                "shop_money": { "amount": "7.20", "currency_code": "USD" },
                "presentment_money": { "amount": "6.62", "currency_code": "EUR" }
              },
              "rate": 0.08,
              "title": "State Tax"
            }
          ],
          "duties": [],
          "discount_allocations": [
            {
              "amount": "10.00",
              "amount_set": {
                "shop_money": { "amount": "10.00", "currency_code": "USD" },
                "presentment_money": { "amount": "9.20", "currency_code": "EUR" }
              },
              "discount_application_index": 0
            }
          ]
        },
        {
          "id": 14012345678902,
          "admin_graphql_api_id": "gid://shopify/LineItem/14012345678902",
          "attributed_staffs": [],
          "current_quantity": 1,
          "fulfillable_quantity": 0,
          "fulfillment_service": "manual",
          "fulfillment_status": "fulfilled",
          "gift_card": false,
          "grams": 0,
          "name": "Sticker pack",
          "price": "5.00",
          "price_set": {
            "shop_money": { "amount": "5.00", "currency_code": "USD" },
            "presentment_money": { "amount": "4.60", "currency_code": "EUR" }
          },
          "product_exists": false,
          "product_id": null,
          "properties": [],
          "quantity": 1,
          "requires_shipping": false,
          "sku": "STK-01",
          "taxable": true,
          "title": "Sticker pack",
          "total_discount": "0.00",
          "total_discount_set": {
            "shop_money": { "amount": "0.00", "currency_code": "USD" },
            "presentment_money": { "amount": "0.00", "currency_code": "EUR" }
          },
          "variant_id": null,
          "variant_inventory_management": null,
          "variant_title": null,
          "vendor": "Jane's Shop",
          "tax_lines": [
            {
              "channel_liable": false,
              "price": "0.40",
              "price_set": {
                "shop_money": { "amount": "0.40", "currency_code": "USD" },
                "presentment_money": { "amount": "0.37", "currency_code": "EUR" }
              },
              "rate": 0.08,
              "title": "State Tax"
            }
          ],
          "duties": [],
          "discount_allocations": []
        }
      ],
      "payment_terms": null,
      "refunds": [],
      "shipping_address": {
        "first_name": "Ana",
        "address1": "12 Rue de la Paix",
        "phone": "+33 1 23 45 67 89",
        "city": "Paris",
        "zip": "75002",
        "province": null,
        "country": "France",
        "last_name": "Martin",
        "address2": "Apt 4",
        "company": null,
        "latitude": 48.8693,
        "longitude": 2.3316,
        "name": "Ana Martin",
        "country_code": "FR",
        "province_code": null
      },
      "shipping_lines": [
        {
          "id": 4946484101420,
          "carrier_identifier": null,
          "code": "Standard",
          "current_discounted_price_set": {
            "shop_money": { "amount": "5.00", "currency_code": "USD" },
            "presentment_money": { "amount": "4.60", "currency_code": "EUR" }
          },
          "discounted_price": "5.00",
          "discounted_price_set": {
            "shop_money": { "amount": "5.00", "currency_code": "USD" },
            "presentment_money": { "amount": "4.60", "currency_code": "EUR" }
          },
          "is_removed": false,
          "phone": null,
          "price": "5.00",
          "price_set": {
            "shop_money": { "amount": "5.00", "currency_code": "USD" },
            "presentment_money": { "amount": "4.60", "currency_code": "EUR" }
          },
          "requested_fulfillment_service_id": null,
          "source": "shopify",
          "title": "Standard",
          "tax_lines": [],
          "discount_allocations": []
        }
      ],
      "returns": []
    }
    """;
}
