namespace ShopAffiliate.Web.Tests.Shopify.Payloads;

/// <summary>
/// A refunds/create body for <see cref="OrdersCreatePayload"/>: one of the two hoodies back (45.00 after its share of the
/// discount; <c>subtotal</c> is a number, the <c>_set</c> twin holds strings), plus a 5.00 shipping refund that lives in
/// <c>order_adjustments</c>.
/// </summary>
public static class RefundsCreatePayload
{
    public const string Json = """
    {
      "id": 929361462,
      "admin_graphql_api_id": "gid://shopify/Refund/929361462",
      "created_at": "2025-03-20T09:15:02-04:00",
      "note": "Wrong size",
      "order_id": 5812345678901,
      "processed_at": "2025-03-20T09:15:02-04:00",
      "restock": true,
      "total_duties_set": {
        "shop_money": { "amount": "0.00", "currency_code": "USD" },
        "presentment_money": { "amount": "0.00", "currency_code": "EUR" }
      },
      "user_id": 116651032876,
      "order_adjustments": [
        {
          "id": 1021367345,
          "amount": "-5.00",
          "amount_set": {
            "shop_money": { "amount": "-5.00", "currency_code": "USD" },
            "presentment_money": { "amount": "-4.60", "currency_code": "EUR" }
          },
          "kind": "shipping_refund",
          "order_id": 5812345678901,
          "reason": "Shipping refund",
          "refund_id": 929361462,
          "tax_amount": "0.00",
          "tax_amount_set": {
            "shop_money": { "amount": "0.00", "currency_code": "USD" },
            "presentment_money": { "amount": "0.00", "currency_code": "EUR" }
          }
        }
      ],
      "transactions": [
        {
          "id": 8312345678901,
          "admin_graphql_api_id": "gid://shopify/OrderTransaction/8312345678901",
          "amount": "44.69",
          "authorization": null,
          "created_at": "2025-03-20T09:15:01-04:00",
          "currency": "EUR",
          "device_id": null,
          "error_code": null,
          "gateway": "shopify_payments",
          "kind": "refund",
          "location_id": null,
          "message": "Transaction approved",
          "order_id": 5812345678901,
          "parent_id": 8312345678800,
          "payment_id": "c23456789012.2",
          "processed_at": "2025-03-20T09:15:01-04:00",
          "receipt": {},
          "source_name": "1830279",
          "status": "success",
          "test": false,
          "user_id": 116651032876
        }
      ],
      "refund_line_items": [
        {
          "id": 61234567890,
          "line_item_id": 14012345678901,
          "location_id": 61234567890,
          "quantity": 1,
          "restock_type": "return",
          "subtotal": 45.0,
          "subtotal_set": {
            "shop_money": { "amount": "45.00", "currency_code": "USD" },
            "presentment_money": { "amount": "41.40", "currency_code": "EUR" }
          },
          "total_tax": 3.6,
          "total_tax_set": {
            "shop_money": { "amount": "3.60", "currency_code": "USD" },
            "presentment_money": { "amount": "3.31", "currency_code": "EUR" }
          },
          "line_item": {
            "id": 14012345678901,
            "admin_graphql_api_id": "gid://shopify/LineItem/14012345678901",
            "current_quantity": 1,
            "fulfillable_quantity": 1,
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
            "properties": [],
            "quantity": 2,
            "requires_shipping": true,
            "sku": "HOOD-L-BLK",
            "taxable": true,
            "title": "Hoodie",
            "total_discount": "0.00",
            "variant_id": 45123456789012,
            "variant_title": "L / Black",
            "vendor": "Jane's Shop",
            "tax_lines": [],
            "duties": [],
            "discount_allocations": []
          }
        }
      ],
      "duties": [],
      "additional_fees": [],
      "return": null
    }
    """;
}
