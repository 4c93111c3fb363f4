using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyOrderMapperTests
{
    private static readonly ShopId Shop = new(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));

    private static OrderEvent Map(string json) => ShopifyOrderMapper.MapOrder(JsonDocument.Parse(json).RootElement, Shop);

    /// <summary>The full payload with some fields changed.</summary>
    private static OrderEvent MapWith(Action<JsonObject> change)
    {
        var order = JsonNode.Parse(OrdersCreatePayload.Json)!.AsObject();
        change(order);
        return Map(order.ToJsonString());
    }

    [Fact]
    public void FullOrdersCreatePayloadMapsToTheOrderEvent()
    {
        var order = ShopifyOrderMapper.MapOrder(Encoding.UTF8.GetBytes(OrdersCreatePayload.Json), Shop);

        Assert.Equal(Shop, order.ShopId);
        Assert.Equal(new ExternalOrderId("5812345678901"), order.ExternalOrderId);
        Assert.Equal("#1042", order.OrderNumber);
        Assert.Equal(new DateTime(2025, 3, 14, 14, 21, 33, DateTimeKind.Utc), order.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, order.CreatedAt.Kind);
        Assert.Equal(new DateTime(2025, 3, 14, 14, 21, 35, DateTimeKind.Utc), order.UpdatedAt);
        Assert.Equal("USD", order.Currency);
        Assert.Equal(OrderState.Paid, order.State);
        Assert.False(order.IsTest);
        Assert.Equal("7012345678901", order.CustomerId);
        Assert.Equal("buyer@example.com", order.CustomerEmail);
        Assert.Equal(["JANE10"], order.DiscountCodes);
        Assert.Equal(5.00m, order.ShippingTotal);
        Assert.Equal(7.60m, order.TaxTotal);

        Assert.Collection(order.Lines,
            hoodie =>
            {
                Assert.Equal("14012345678901", hoodie.LineId);
                Assert.Equal("8123456789012", hoodie.ProductId);
                Assert.Empty(hoodie.CollectionIds);
                Assert.Equal(2, hoodie.Quantity);
                Assert.Equal(90.00m, hoodie.NetRevenue); // 2 x 50.00 - 10.00, in USD (the EUR price is 46.00)
                Assert.Equal(7.20m, hoodie.Tax);
            },
            sticker =>
            {
                Assert.Equal("14012345678902", sticker.LineId);
                Assert.Null(sticker.ProductId); // deleted product
                Assert.Equal(1, sticker.Quantity);
                Assert.Equal(5.00m, sticker.NetRevenue);
                Assert.Equal(0.40m, sticker.Tax);
            });
        Assert.Equal(95.00m, order.NetRevenue);

        Assert.Equal(
        [
            new ReferralTouch("jane", Guid.Parse("0b5f3c2e-8d1a-4a57-9a0e-3f1c2b7d9e41"), null, TouchSource.CartAttribute),
            new ReferralTouch("jane", Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"), null, TouchSource.LandingUrl),
        ], order.Touches);
    }

    [Fact]
    public void ShopifysTrimmedProtocolExampleMaps()
    {
        var order = Map("""
            {"id":5812345678901,"name":"#1042","created_at":"2025-03-14T10:21:33-04:00","updated_at":"2025-03-14T10:21:35-04:00",
             "test":false,"currency":"USD","presentment_currency":"EUR","subtotal_price":"90.00","total_discounts":"10.00",
             "total_tax":"0.00","total_price":"95.00","financial_status":"paid","cancelled_at":null,
             "landing_site":"/products/hoodie?ref=jane","referring_site":"https://instagram.com/",
             "discount_codes":[{"code":"JANE10","amount":"10.00","type":"percentage"}],
             "note_attributes":[{"name":"_sa_ref","value":"jane"}],
             "email":"buyer@example.com","customer":{"id":7012345678901,"email":"buyer@example.com"},
             "line_items":[{"id":14012345678901,"product_id":8123456789012,"variant_id":45123456789012,"title":"Hoodie",
               "price":"50.00","quantity":2,"total_discount":"0.00","discount_allocations":[{"amount":"10.00","discount_application_index":0}]}],
             "shipping_lines":[{"price":"5.00"}],"refunds":[]}
            """);

        var line = Assert.Single(order.Lines);
        Assert.Equal(90.00m, line.NetRevenue);
        Assert.Equal(0m, line.Tax);
        Assert.Equal(5.00m, order.ShippingTotal);
        Assert.Equal(0m, order.TaxTotal);
        Assert.Equal([TouchSource.CartAttribute, TouchSource.LandingUrl], order.Touches.Select(t => t.Source));
        Assert.All(order.Touches, t => Assert.Null(t.ClickId));
    }

    [Theory]
    [InlineData("paid", null, OrderState.Paid)]
    [InlineData("partially_refunded", null, OrderState.Paid)]
    [InlineData("refunded", null, OrderState.Paid)]
    [InlineData("pending", null, OrderState.Pending)]
    [InlineData("authorized", null, OrderState.Pending)]
    [InlineData("partially_paid", null, OrderState.Pending)]
    [InlineData("something_new", null, OrderState.Pending)]
    [InlineData(null, null, OrderState.Pending)]
    [InlineData("voided", null, OrderState.Cancelled)]
    [InlineData("expired", null, OrderState.Cancelled)]
    [InlineData("paid", "2025-03-15T08:00:00-04:00", OrderState.Cancelled)]
    [InlineData("refunded", "2025-03-15T08:00:00-04:00", OrderState.Cancelled)]
    public void FinancialStatusAndCancellationDecideTheState(string? financialStatus, string? cancelledAt, OrderState state)
    {
        var order = MapWith(o =>
        {
            o["financial_status"] = financialStatus;
            o["cancelled_at"] = cancelledAt;
        });

        Assert.Equal(state, order.State);
    }

    [Fact]
    public void TestOrdersAreMarked() =>
        Assert.True(MapWith(o => o["test"] = true).IsTest);

    [Fact]
    public void GuestCheckoutWithoutEmailHasNoCustomer()
    {
        var order = MapWith(o =>
        {
            o["customer"] = null;
            o["email"] = "";
            o["contact_email"] = null;
        });

        Assert.Null(order.CustomerId);
        Assert.Null(order.CustomerEmail);
    }

    [Fact]
    public void EmptyOrderEmailFallsBackToTheContactEmail()
    {
        var order = MapWith(o =>
        {
            o["email"] = "";
            o["contact_email"] = "contact@example.com";
        });

        Assert.Equal("contact@example.com", order.CustomerEmail);
    }

    [Theory]
    [InlineData("https://janes-shop.com/collections/all?utm_source=x&ref=jane%20doe#top", "jane doe")]
    [InlineData("/?ref=jane+doe", "jane doe")]
    [InlineData("/products/hoodie?ref=&ref=jane", "jane")]
    public void ReferralInAbsoluteOrRelativeLandingUrlIsATouch(string landingSite, string code)
    {
        var order = MapWith(o =>
        {
            o["landing_site"] = landingSite;
            o["note_attributes"] = new JsonArray();
        });

        Assert.Equal([new ReferralTouch(code, null, null, TouchSource.LandingUrl)], order.Touches);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/products/hoodie")]
    [InlineData("/products/hoodie?reference=jane")]
    [InlineData("/?ref=")]
    public void LandingUrlWithoutAReferralIsNoTouch(string? landingSite)
    {
        var order = MapWith(o =>
        {
            o["landing_site"] = landingSite;
            o["note_attributes"] = new JsonArray();
        });

        Assert.Empty(order.Touches);
    }

    [Fact]
    public void ClickAttributeThatIsNotAGuidIsIgnored()
    {
        var order = MapWith(o =>
        {
            o["landing_site"] = null;
            o["note_attributes"] = JsonNode.Parse("""[{"name":"_sa_click","value":"not-a-guid"},{"name":"_sa_ref","value":" jane "}]""");
        });

        Assert.Equal([new ReferralTouch("jane", null, null, TouchSource.CartAttribute)], order.Touches);
    }

    [Fact]
    public void ShopCurrencyIsUsedNotThePresentmentCurrency()
    {
        var order = MapWith(o => o["currency"] = "usd");
        Assert.Equal("USD", order.Currency);
        Assert.Equal(90.00m, order.Lines[0].NetRevenue);
    }

    [Fact]
    public void OrderIdsAboveThirtyTwoBitsKeepEveryDigit()
    {
        var order = MapWith(o => o["id"] = 9_007_199_254_740_993); // not representable as a double
        Assert.Equal("9007199254740993", order.ExternalOrderId.Value);
    }

    [Fact]
    public void MinimalOrderWithOnlyTheEssentialsMaps()
    {
        var order = Map("""{"id":1,"created_at":"2025-03-14T10:21:33Z","currency":"EUR"}""");

        Assert.Equal("1", order.ExternalOrderId.Value);
        Assert.Equal(order.CreatedAt, order.UpdatedAt);
        Assert.Equal("1", order.DisplayName);
        Assert.Equal(OrderState.Pending, order.State);
        Assert.Empty(order.Lines);
        Assert.Empty(order.DiscountCodes);
        Assert.Empty(order.Touches);
        Assert.Equal(0m, order.ShippingTotal);
    }

    [Fact]
    public void RestApiOrderWrapperIsUnwrapped() =>
        Assert.Equal("7", Map("""{"order":{"id":7,"created_at":"2025-03-14T10:21:33Z","currency":"EUR"}}""").ExternalOrderId.Value);

    [Fact]
    public void LineDiscountsNeverMakeRevenueNegative()
    {
        var order = Map("""
            {"id":1,"created_at":"2025-03-14T10:21:33Z","currency":"EUR",
             "line_items":[{"id":2,"price":"5.00","quantity":1,"discount_allocations":[{"amount":"5.00"},{"amount":"1.00"}]}]}
            """);
        Assert.Equal(0m, order.Lines[0].NetRevenue);
    }

    [Theory]
    [InlineData("""{"name":"#1","created_at":"2025-03-14T10:21:33Z","currency":"EUR"}""", "no id")]
    [InlineData("""{"id":null,"created_at":"2025-03-14T10:21:33Z","currency":"EUR"}""", "no id")]
    [InlineData("""{"id":1,"currency":"EUR"}""", "created_at")]
    [InlineData("""{"id":1,"created_at":"2025-03-14T10:21:33Z"}""", "currency")]
    [InlineData("""{"id":1,"created_at":"yesterday","currency":"EUR"}""", "created_at")]
    [InlineData("""{"id":1,"created_at":"2025-03-14T10:21:33Z","currency":"EUR","line_items":[{"price":"1.00","quantity":1}]}""", "line_items[0] has no id")]
    [InlineData("""{"id":1,"created_at":"2025-03-14T10:21:33Z","currency":"EUR","line_items":[{"id":2,"price":"ten","quantity":1}]}""", "line_items[0].price")]
    [InlineData("""[1,2,3]""", "JSON object")]
    public void UnusableOrderBodiesThrowAClearPayloadException(string json, string message)
    {
        var error = Assert.Throws<ShopifyPayloadException>(() => Map(json));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void BodyThatIsNotJsonThrowsAPayloadException() =>
        Assert.Throws<ShopifyPayloadException>(() => ShopifyOrderMapper.MapOrder(Encoding.UTF8.GetBytes("<html>"), Shop));

    [Fact]
    public void RefundsCreatePayloadMapsToARefundOfTheLine()
    {
        var refund = ShopifyOrderMapper.MapRefund(Encoding.UTF8.GetBytes(RefundsCreatePayload.Json), Shop);

        Assert.Equal(Shop, refund.ShopId);
        Assert.Equal(new ExternalOrderId("5812345678901"), refund.ExternalOrderId);
        Assert.Equal("929361462", refund.RefundId);
        Assert.Equal(new DateTime(2025, 3, 20, 13, 15, 2, DateTimeKind.Utc), refund.CreatedAt);
        Assert.Equal([new RefundLine("14012345678901", 1, 45.00m, 3.60m)], refund.Lines); // total_tax kept: it comes out where prices include tax
        Assert.Equal(0m, refund.OtherAmount); // the 5.00 shipping refund is not merchandise
    }

    [Theory]
    [InlineData("45.0")]
    [InlineData("\"45.00\"")]
    public void RefundSubtotalIsReadAsANumberOrAString(string subtotal)
    {
        var refund = ShopifyOrderMapper.MapRefund(JsonDocument.Parse($$"""
            {"id":1,"order_id":5812345678901,"created_at":"2025-03-20T09:15:02-04:00",
             "refund_line_items":[{"id":3,"line_item_id":14012345678901,"quantity":1,"subtotal":{{subtotal}},"total_tax":3.6}]}
            """).RootElement, Shop);

        Assert.Equal([new RefundLine("14012345678901", 1, 45.00m, 3.60m)], refund.Lines); // total_tax kept: it comes out where prices include tax
    }

    [Fact]
    public void RefundWithoutLinesIsAnEmptyRefund()
    {
        var refund = ShopifyOrderMapper.MapRefund(JsonDocument.Parse("""
            {"id":1,"order_id":2,"created_at":"2025-03-20T09:15:02Z","refund_line_items":[],
             "order_adjustments":[{"amount":"-5.00","kind":"shipping_refund"}]}
            """).RootElement, Shop);

        Assert.Empty(refund.Lines);
        Assert.Equal(0m, refund.OtherAmount);
    }

    [Theory]
    [InlineData("""{"order_id":2,"created_at":"2025-03-20T09:15:02Z"}""", "no id")]
    [InlineData("""{"id":1,"created_at":"2025-03-20T09:15:02Z"}""", "order_id")]
    [InlineData("""{"id":1,"order_id":2}""", "created_at")]
    [InlineData("""{"id":1,"order_id":2,"created_at":"2025-03-20T09:15:02Z","refund_line_items":[{"quantity":1,"subtotal":5}]}""", "names no line item")]
    public void UnusableRefundBodiesThrowAClearPayloadException(string json, string message)
    {
        var error = Assert.Throws<ShopifyPayloadException>(() => ShopifyOrderMapper.MapRefund(JsonDocument.Parse(json).RootElement, Shop));
        Assert.Contains(message, error.Message);
    }
}
