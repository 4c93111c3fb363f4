using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooOrderMapperTests
{
    private static readonly ShopId Shop = new(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));

    /// <summary>The example order in docs PROTOCOLS.md (WooCommerce, order payload quirks).</summary>
    internal const string ProtocolsOrder = """
        {"id":727,"number":"727","status":"processing","currency":"EUR","date_created_gmt":"2025-03-14T15:28:02",
         "date_modified_gmt":"2025-03-14T15:30:10","discount_total":"5.00","shipping_total":"4.90","total":"49.90","total_tax":"0.00",
         "customer_id":0,"billing":{"email":"ana@example.com","country":"ES"},
         "meta_data":[{"id":13106,"key":"_wc_order_attribution_utm_source","value":"aff-jane"}],
         "line_items":[{"id":315,"name":"Hoodie","product_id":93,"variation_id":0,"quantity":1,"subtotal":"50.00","total":"45.00","price":45}],
         "coupon_lines":[{"id":320,"code":"jane10","discount":"5.00"}],"refunds":[{"id":731,"reason":"","total":"-10.00"}]}
        """;

    private static OrderEvent Map(string json) => WooOrderMapper.MapOrder(JsonDocument.Parse(json).RootElement, Shop);

    /// <summary>The PROTOCOLS order with some fields changed.</summary>
    private static OrderEvent MapWith(Action<JsonObject> change)
    {
        var order = JsonNode.Parse(ProtocolsOrder)!.AsObject();
        change(order);
        return Map(order.ToJsonString());
    }

    [Fact]
    public void AProductNameIsKeptBoundedAndWithoutControlCharactersAndUnreadableTextIsNoNameNotAnUnreadableOrder()
    {
        var named = MapWith(o => o["line_items"]![0]!["name"] = "  Uld\tsweater\n" + new string('x', 300));
        var title = Assert.Single(named.Lines).Title!;
        Assert.StartsWith("Uld sweater x", title);
        Assert.Equal(200, title.Length);

        // An unpaired surrogate (\ud800) cannot be text; the order still maps, only without the line's name.
        var json = ProtocolsOrder.Replace("\"name\":\"Hoodie\"", "\"name\":\"Hood\\ud800\"", StringComparison.Ordinal);
        Assert.NotEqual(ProtocolsOrder, json);
        var unreadable = Map(json);
        Assert.Null(Assert.Single(unreadable.Lines).Title);
        Assert.Equal(45.00m, unreadable.NetRevenue);
    }

    [Fact]
    public void ProtocolsExampleMapsToTheOrderEvent()
    {
        using var document = WooOrderMapper.Parse(Encoding.UTF8.GetBytes(ProtocolsOrder));
        var order = WooOrderMapper.MapOrder(document.RootElement, Shop);

        Assert.Equal(Shop, order.ShopId);
        Assert.Equal(new ExternalOrderId("727"), order.ExternalOrderId);
        Assert.Equal("#727", order.OrderNumber);
        Assert.Equal(new DateTime(2025, 3, 14, 15, 28, 2, DateTimeKind.Utc), order.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, order.CreatedAt.Kind);
        Assert.Equal(new DateTime(2025, 3, 14, 15, 30, 10, DateTimeKind.Utc), order.UpdatedAt);
        Assert.Equal(DateTimeKind.Utc, order.UpdatedAt.Kind);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal(OrderState.Paid, order.State);
        Assert.False(order.IsTest);
        Assert.Null(order.CustomerId); // customer_id 0 is a guest
        Assert.Equal("ana@example.com", order.CustomerEmail);
        Assert.Equal(["jane10"], order.DiscountCodes);
        Assert.Equal(4.90m, order.ShippingTotal);
        Assert.Equal(0.00m, order.TaxTotal);
        var line = Assert.Single(order.Lines);
        Assert.Equal("315", line.LineId);
        Assert.Equal("93", line.ProductId);
        Assert.Equal("Hoodie", line.Title);
        Assert.Empty(line.CollectionIds); // categories are not in the order
        Assert.Equal(1, line.Quantity);
        Assert.Equal(45.00m, line.NetRevenue); // total: after the coupon, before tax
        Assert.Equal(0m, line.Tax);
        Assert.Equal(45.00m, order.NetRevenue);
        Assert.Equal([new ReferralTouch("jane", null, null, TouchSource.UtmSource)], order.Touches);
    }

    [Fact]
    public void ProtocolsExampleRefundTotalIsSpreadOverTheOrder()
    {
        var refund = Assert.Single(WooOrderMapper.MapRefunds(JsonDocument.Parse(ProtocolsOrder).RootElement, Shop));

        Assert.Equal(Shop, refund.ShopId);
        Assert.Equal(new ExternalOrderId("727"), refund.ExternalOrderId);
        Assert.Equal("731", refund.RefundId);
        Assert.Equal(new DateTime(2025, 3, 14, 15, 30, 10, DateTimeKind.Utc), refund.CreatedAt);
        Assert.Empty(refund.Lines);
        // 10.00 of a 49.90 order that holds 45.00 of merchandise (the rest is shipping): 10 x 45 / 49.90.
        Assert.Equal(9.0180m, refund.OtherAmount);
        Assert.True(refund.FromTotals); // an estimate: its lines replace it when they can be read
        Assert.Equal(["731"], WooOrderMapper.RefundIds(JsonDocument.Parse(ProtocolsOrder).RootElement));
    }

    [Theory]
    [InlineData("49.90", "49.90", "45.00")] // the whole order: all the merchandise
    [InlineData("60.00", "49.90", "45.00")] // more than the order (a store's rounding or a manual amount): capped
    [InlineData("10.00", "45.00", "10.00")] // no shipping or tax: all merchandise
    [InlineData("10.00", "0.00", "10.00")]  // a total of 0 (a free order): the amount, capped at the merchandise
    [InlineData("0.00", "49.90", "0")]
    public void MerchandiseShareOfAnOrderLevelAmount(string amount, string total, string expected)
    {
        var order = JsonNode.Parse(ProtocolsOrder)!.AsObject();
        order["total"] = total;

        var share = WooOrderMapper.MerchandiseShare(JsonDocument.Parse(order.ToJsonString()).RootElement, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), share);
    }

    /// <summary>A refund as WooCommerce's v3 <c>GET /orders/727/refunds</c> lists it: one unit of line 315 (45.00) and the shipping.</summary>
    internal const string RefundDetail = """
        {"id":731,"date_created":"2025-03-15T10:00:00","date_created_gmt":"2025-03-15T09:00:00","amount":"49.90","reason":"Returned",
         "refunded_by":1,"refunded_payment":true,"meta_data":[],
         "line_items":[{"id":905,"name":"Hoodie","product_id":93,"variation_id":0,"quantity":-1,"tax_class":"","subtotal":"-45.00",
           "subtotal_tax":"0.00","total":"-45.00","total_tax":"0.00","taxes":[],
           "meta_data":[{"id":6001,"key":"_refunded_item_id","value":"315","display_key":"_refunded_item_id","display_value":"315"}],
           "sku":"H-1","price":-45}],
         "shipping_lines":[{"id":906,"method_title":"Flat rate","method_id":"flat_rate","total":"-4.90","total_tax":"0.00",
           "meta_data":[{"id":6002,"key":"_refunded_item_id","value":"316"}]}],
         "tax_lines":[],"fee_lines":[]}
        """;

    private static RefundEvent Detail(string refund) =>
        WooOrderMapper.MapRefundDetail(JsonDocument.Parse(ProtocolsOrder).RootElement, JsonDocument.Parse(refund).RootElement, Shop);

    [Fact]
    public void RefundDetailNamesTheOrderLinesItRefunds()
    {
        var refund = Detail(RefundDetail);

        Assert.Equal((Shop, new ExternalOrderId("727"), "731"), (refund.ShopId, refund.ExternalOrderId, refund.RefundId));
        Assert.Equal(new DateTime(2025, 3, 15, 9, 0, 0, DateTimeKind.Utc), refund.CreatedAt);
        // The order line (315, from _refunded_item_id), not the refund's own item (905); the shipping is not merchandise.
        Assert.Equal([new RefundLine("315", 1, 45.00m)], refund.Lines);
        Assert.Equal(0m, refund.OtherAmount);
    }

    [Fact]
    public void RefundDetailReadsLineItemIdAndRefundTotalWhereTheStoreSendsThem()
    {
        var refund = Detail("""
            {"id":732,"date_created_gmt":"2025-03-15T09:00:00","amount":"12.50",
             "line_items":[{"id":907,"line_item_id":315,"quantity":0,"refund_total":12.5,"refund_tax":[]}]}
            """);

        Assert.Equal([new RefundLine("315", 0, 12.50m)], refund.Lines); // quantity 0: an amount only
        Assert.Equal(0m, refund.OtherAmount);
    }

    [Fact]
    public void RefundLineThatNamesNoOrderLineIsAnOrderLevelAmount()
    {
        var refund = Detail("""
            {"id":735,"date_created_gmt":"2025-03-15T09:00:00","amount":"8.00",
             "line_items":[{"id":909,"product_id":93,"quantity":0,"total":"-8.00","meta_data":[]}]}
            """);

        Assert.Empty(refund.Lines);
        Assert.Equal(8.00m, refund.OtherAmount);
    }

    [Fact]
    public void ShippingOnlyRefundTakesNoMerchandise()
    {
        var refund = Detail("""
            {"id":733,"date_created_gmt":"2025-03-15T09:00:00","amount":"4.90","line_items":[],
             "shipping_lines":[{"id":908,"total":"-4.90","meta_data":[{"key":"_refunded_item_id","value":"316"}]}]}
            """);

        Assert.Empty(refund.Lines);
        Assert.Equal(0m, refund.OtherAmount);
    }

    [Fact]
    public void AmountOnlyRefundIsSpreadOverTheOrder()
    {
        var refund = Detail("""{"id":734,"date_created_gmt":"2025-03-15T09:00:00","amount":"10.00","line_items":[],"shipping_lines":[],"fee_lines":[]}""");

        Assert.Empty(refund.Lines);
        Assert.Equal(9.0180m, refund.OtherAmount);
        Assert.False(refund.FromTotals); // what the store holds, not an estimate: nothing more to read
    }

    [Fact]
    public void OrderRefundWithoutAnIdIsAPayloadError()
    {
        var order = JsonNode.Parse(ProtocolsOrder)!.AsObject();
        order["refunds"] = JsonNode.Parse("""[{"id":731,"total":"-1.00"},{"reason":"","total":"-10.00"}]""");
        var root = JsonDocument.Parse(order.ToJsonString()).RootElement;

        Assert.Contains("refunds[1] has no id", Assert.Throws<WooPayloadException>(() => WooOrderMapper.RefundIds(root)).Message);
        Assert.Contains("refunds[1] has no id", Assert.Throws<WooPayloadException>(() => WooOrderMapper.MapRefunds(root, Shop)).Message);
    }

    [Fact]
    public void RefundDetailWithoutAnIdIsAPayloadError()
    {
        var e = Assert.Throws<WooPayloadException>(() => Detail("""{"amount":"10.00","line_items":[]}"""));
        Assert.Contains("727", e.Message);
    }

    [Theory]
    [InlineData("pending", OrderState.Pending)]
    [InlineData("on-hold", OrderState.Pending)]
    [InlineData("checkout-draft", OrderState.Pending)]
    [InlineData("processing", OrderState.Paid)]
    [InlineData("completed", OrderState.Paid)]
    [InlineData("refunded", OrderState.Paid)]
    [InlineData("cancelled", OrderState.Cancelled)]
    [InlineData("failed", OrderState.Cancelled)]
    [InlineData("trash", OrderState.Cancelled)]
    [InlineData("Completed", OrderState.Paid)]
    [InlineData("awaiting-shipment", OrderState.Pending)]
    [InlineData(null, OrderState.Pending)]
    public void StatusMapsToState(string? status, OrderState state) =>
        Assert.Equal(state, MapWith(o => o["status"] = status).State);

    [Fact]
    public void PluginStatusOfAPaidOrderStaysPaid()
    {
        // Shipping plugins move completed orders on to "shipped" or "delivered"; the payment date is still there.
        Assert.Equal(OrderState.Paid, MapWith(o => { o["status"] = "delivered"; o["date_paid_gmt"] = "2025-03-14T15:29:00"; }).State);
        Assert.Equal(OrderState.Pending, MapWith(o => { o["status"] = "awaiting-payment"; o["date_paid_gmt"] = null; }).State);
    }

    [Fact]
    public void CompanionPluginMetaIsAnOrderMetaTouch()
    {
        var order = MapWith(o => o["meta_data"] = JsonNode.Parse("""
            [{"id":1,"key":"_sa_ref","value":{"not":"a string"}},
             {"id":2,"key":"_sa_ref","value":"jane"},
             {"id":3,"key":"_sa_click","value":"3f2b8c1e-9d4a-4e5b-8c7d-0a1b2c3d4e5f"},
             {"id":4,"key":"_sa_landed_at","value":"2025-03-10T09:00:00Z"},
             {"id":5,"key":"_wc_order_attribution_utm_source","value":"AFF-Jane"},
             {"id":6,"key":"_other","value":42}]
            """));

        Assert.Equal(
            [
                new ReferralTouch("jane", Guid.Parse("3f2b8c1e-9d4a-4e5b-8c7d-0a1b2c3d4e5f"), new DateTime(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc), TouchSource.OrderMeta),
                new ReferralTouch("Jane", null, null, TouchSource.UtmSource),
            ],
            order.Touches);
        Assert.Equal(DateTimeKind.Utc, order.Touches[0].At!.Value.Kind);
    }

    [Fact]
    public void RefWithoutClickOrLandingTimeHasNeither()
    {
        var order = MapWith(o => o["meta_data"] = JsonNode.Parse("""
            [{"key":"_sa_ref","value":"jane"},{"key":"_sa_click","value":"not-a-uuid"},{"key":"_sa_landed_at","value":12345}]
            """));

        Assert.Equal([new ReferralTouch("jane", null, null, TouchSource.OrderMeta)], order.Touches);
    }

    [Theory]
    [InlineData("google")]
    [InlineData("aff-")]
    [InlineData("(direct)")]
    public void OtherUtmSourcesAreNoTouch(string utmSource) =>
        Assert.Empty(MapWith(o => o["meta_data"] = new JsonArray(new JsonObject { ["key"] = "_wc_order_attribution_utm_source", ["value"] = utmSource })).Touches);

    [Fact]
    public void SixtyFourBitIdsSurviveAsText()
    {
        var order = MapWith(o =>
        {
            o["id"] = JsonValue.Create(9007199254740993L); // 2^53 + 1: a double would round it
            o["customer_id"] = JsonValue.Create(9007199254740995L);
            o["line_items"]![0]!["id"] = "9007199254740997";
        });

        Assert.Equal("9007199254740993", order.ExternalOrderId.Value);
        Assert.Equal("9007199254740995", order.CustomerId);
        Assert.Equal("9007199254740997", order.Lines[0].LineId);
        Assert.Equal("9007199254740993",
            Assert.Single(WooOrderMapper.MapRefunds(JsonDocument.Parse("""{"id":9007199254740993,"date_created_gmt":"2025-03-14T15:28:02","refunds":[{"id":9007199254740999,"total":"-1.00"}]}""").RootElement, Shop))
                .ExternalOrderId.Value);
    }

    [Fact]
    public void MoneyAsNumbersIsReadToo()
    {
        var order = MapWith(o =>
        {
            o["shipping_total"] = 4.9m;
            o["total_tax"] = 1;
            o["line_items"]![0]!["total"] = 45.5m;
            o["line_items"]![0]!["total_tax"] = 0.95m;
        });

        Assert.Equal(4.9m, order.ShippingTotal);
        Assert.Equal(1m, order.TaxTotal);
        Assert.Equal(45.5m, order.Lines[0].NetRevenue);
        Assert.Equal(0.95m, order.Lines[0].Tax);
    }

    [Theory]
    [InlineData("shipping_total")]
    [InlineData("total_tax")]
    public void BadMoneyNamesTheField(string field)
    {
        var error = Assert.Throws<WooPayloadException>(() => MapWith(o => o[field] = "4,90 €"));
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadLineMoneyNamesTheLine()
    {
        var error = Assert.Throws<WooPayloadException>(() => MapWith(o => o["line_items"]![0]!["total"] = "free"));
        Assert.Contains("'line_items[0].total' is not an amount", error.Message, StringComparison.Ordinal);

        var quantityError = Assert.Throws<WooPayloadException>(() => MapWith(o => o["line_items"]![0]!["quantity"] = "two"));
        Assert.Contains("'line_items[0].quantity' is not a quantity", quantityError.Message, StringComparison.Ordinal);

        var refundError = Assert.Throws<WooPayloadException>(() =>
            WooOrderMapper.MapRefunds(JsonDocument.Parse(ProtocolsOrder.Replace("\"-10.00\"", "\"ten\"", StringComparison.Ordinal)).RootElement, Shop));
        Assert.Contains("'refunds[0].total'", refundError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VariationsCountForTheirProductAndDeletedProductsForNone()
    {
        var order = MapWith(o => o["line_items"] = JsonNode.Parse("""
            [{"id":1,"product_id":93,"variation_id":95,"quantity":2,"total":"20.00","total_tax":"3.80"},
             {"id":2,"product_id":0,"variation_id":0,"quantity":1,"total":"5.00","total_tax":"0.00"},
             {"id":3,"product_id":"94","quantity":1.5,"total":"7.50","total_tax":"0.00"}]
            """));

        Assert.Equal(["93", null, "94"], order.Lines.Select(l => l.ProductId));
        Assert.Equal([2, 1, 0], order.Lines.Select(l => l.Quantity)); // 1.5 kg: unknown
        Assert.Equal(3.80m, order.Lines[0].Tax);
    }

    [Fact]
    public void SiteTimeIsTheFallbackAndAnOffsetIsKept()
    {
        var order = MapWith(o =>
        {
            o.Remove("date_created_gmt");
            o["date_created"] = "2025-03-14T16:28:02";
            o["date_modified_gmt"] = "2025-03-14T17:30:10+01:00";
        });

        Assert.Equal(new DateTime(2025, 3, 14, 16, 28, 2, DateTimeKind.Utc), order.CreatedAt);
        Assert.Equal(new DateTime(2025, 3, 14, 16, 30, 10, DateTimeKind.Utc), order.UpdatedAt);
    }

    [Fact]
    public void CustomerAndCodesAreNormalised()
    {
        var order = MapWith(o =>
        {
            o["customer_id"] = 12;
            o["currency"] = "eur";
            o["coupon_lines"] = JsonNode.Parse("""[{"code":"JANE10"},{"code":""},{"code":null}]""");
            o["billing"] = JsonNode.Parse("""{"email":""}""");
        });

        Assert.Equal("12", order.CustomerId);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal(["jane10"], order.DiscountCodes);
        Assert.Null(order.CustomerEmail);
    }

    [Fact]
    public void NotJsonOrNoIdIsAPayloadError()
    {
        Assert.Throws<WooPayloadException>(() => WooOrderMapper.Parse(Encoding.UTF8.GetBytes("webhook_id=17")));
        Assert.Contains("no id", Assert.Throws<WooPayloadException>(() => MapWith(o => o.Remove("id"))).Message, StringComparison.Ordinal);
        Assert.Throws<WooPayloadException>(() => Map("[]"));
        Assert.Throws<WooPayloadException>(() => MapWith(o => o.Remove("date_created_gmt")));
    }

    [Fact]
    public void DeletedBodyGivesTheOrderId()
    {
        Assert.Equal(new ExternalOrderId("727"), WooOrderMapper.DeletedOrderId(JsonDocument.Parse("""{"id":727}""").RootElement));
        Assert.Throws<WooPayloadException>(() => WooOrderMapper.DeletedOrderId(JsonDocument.Parse("{}").RootElement));
        Assert.Throws<WooPayloadException>(() => WooOrderMapper.DeletedOrderId(JsonDocument.Parse("""{"id":"abc"}""").RootElement));
    }

    /// <summary>
    /// A Danish store whose prices include 25 % moms (<c>prices_include_tax: true</c>): WooCommerce's REST lines still
    /// give <c>total</c> without tax and <c>total_tax</c> apart, so the net revenue is the total as it is (the shop's
    /// 250.00 DKK shelf price for the mug is 200.00 + 50.00 moms; the 10 % coupon takes 20.00 + 5.00).
    /// </summary>
    [Fact]
    public void PricesThatIncludeTaxStillGiveLineTotalsWithoutTaxSoTheyAreTheNetRevenue()
    {
        var order = Map("""
            {"id":1201,"number":"1201","status":"processing","currency":"DKK","prices_include_tax":true,
             "date_created_gmt":"2026-11-20T13:05:09","date_modified_gmt":"2026-11-20T13:06:00",
             "discount_total":"20.00","discount_tax":"5.00","shipping_total":"39.20","shipping_tax":"9.80",
             "cart_tax":"45.00","total":"274.00","total_tax":"54.80","customer_id":0,
             "billing":{"email":"mette@example.dk","country":"DK"},"meta_data":[],
             "line_items":[{"id":901,"name":"Krus","product_id":55,"variation_id":0,"quantity":1,"tax_class":"",
               "subtotal":"200.00","subtotal_tax":"50.00","total":"180.00","total_tax":"45.00",
               "taxes":[{"id":1,"total":"45","subtotal":"50"}],"sku":"KRUS","price":180}],
             "tax_lines":[{"id":950,"rate_code":"DK-MOMS-1","rate_id":1,"label":"Moms","compound":false,"tax_total":"45.00","shipping_tax_total":"9.80","rate_percent":25}],
             "shipping_lines":[{"id":951,"method_title":"GLS","method_id":"flat_rate","total":"39.20","total_tax":"9.80"}],
             "coupon_lines":[{"id":952,"code":"hygge10","discount":"20.00","discount_tax":"5.00"}],"refunds":[]}
            """);

        var line = Assert.Single(order.Lines);
        Assert.Equal(180.00m, line.NetRevenue); // not the 225.00 the buyer paid for it
        Assert.Equal(45.00m, line.Tax);
        Assert.False(order.TaxesIncluded); // the amounts the mapper hands on carry no tax, whatever the store shows
        Assert.Equal(18.00m, CommissionCalculator.Calculate(order, new CommissionPlan("Ten", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.10m)])).Total.Amount);
    }
}
