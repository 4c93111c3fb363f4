using System.Text.Json;
using System.Text.Json.Nodes;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Shopify.Payloads;

namespace ShopAffiliate.Web.Tests.Shopify;

/// <summary>
/// A Danish shop with 25 % moms included in its prices (<see cref="DanishOrderPayloads"/>): the mapper takes the moms out
/// of every line, refund and edit, and the engine then books exact commissions to the øre.
/// </summary>
public sealed class ShopifyTaxIncludedMapperTests
{
    private static readonly ShopId Shop = new(Guid.Parse("6f8fad5b-d9cb-469f-a165-70867728950e"));
    private static readonly AffiliateId Jane = new(Guid.Parse("1d2e3f40-0000-4000-8000-000000000001"));
    private static readonly CommissionPlan TenPercent = new("Standard", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.10m)]);
    private static readonly string Blanket = DanishOrderPayloads.BlanketLineId.ToString();
    private static readonly string Mugs = DanishOrderPayloads.MugLineId.ToString();

    private static OrderEvent Order(string json) => ShopifyOrderMapper.MapOrder(JsonDocument.Parse(json).RootElement, Shop);

    private static RefundEvent Refund(string json) => ShopifyOrderMapper.MapRefund(JsonDocument.Parse(json).RootElement, Shop);

    /// <summary>What the engine holds after these webhook bodies, in the order given.</summary>
    private static OrderCommissionState Apply(CommissionPlan plan, params (string Topic, string Body)[] deliveries)
    {
        var state = OrderCommissionState.Empty(new OrderKey(Shop, new ExternalOrderId(DanishOrderPayloads.OrderId.ToString())));
        foreach (var (topic, body) in deliveries)
        {
            if (topic == "refunds/create")
            {
                state = state.ApplyRefund(Refund(body)).State;
                continue;
            }
            var order = Order(body);
            state = state.ApplyOrder(order, new AttributionResult(Jane, AttributionMethod.Coupon, "HYGGE150"), CommissionCalculator.Calculate(order, plan)).State;
        }
        return state;
    }

    private static decimal Commission(OrderCommissionState state) => Assert.Single(state.Commissions).Booked;

    [Fact]
    public void TheMomsIncludedInEachLineComesOutOfTheNetRevenueAndShippingStaysOut()
    {
        var order = Order(DanishOrderPayloads.Placed);

        Assert.True(order.TaxesIncluded);
        Assert.Equal("DKK", order.Currency);
        Assert.Collection(order.Lines,
            blanket =>
            {
                Assert.Equal("Uldtæppe", blanket.Title);
                Assert.Equal(1, blanket.Quantity);
                Assert.Equal(529.09m, blanket.NetRevenue); // 749.95 - 88.59 of the code = 661.36, less 132.27 moms
                Assert.Equal(132.27m, blanket.Tax);
            },
            mugs =>
            {
                Assert.Equal("Krus", mugs.Title);
                Assert.Equal(4, mugs.Quantity);
                Assert.Equal(366.71m, mugs.NetRevenue); // 4 x 129.95 - 61.41 = 458.39, less 91.68 moms
                Assert.Equal(91.68m, mugs.Tax);
            });
        Assert.Equal(895.80m, order.NetRevenue);
        Assert.Equal(49.00m, order.ShippingTotal);
        Assert.Equal(233.75m, order.TaxTotal);
    }

    [Fact]
    public void APlacedOrderEarnsTenPercentOfTheMerchandiseWithoutMoms()
    {
        var state = Apply(TenPercent, ("orders/create", DanishOrderPayloads.Placed));

        Assert.Equal(89.58m, Commission(state)); // 10 % of 895.80, not of the 1119.75 the customer paid for the goods
        Assert.Equal([52.91m, 36.67m], state.Quote!.Lines.Select(l => l.Amount.Amount));
    }

    [Fact]
    public void TheGrossBasisMeansTheLineAmountWithMomsAsTheMerchantReadsIt()
    {
        var state = Apply(TenPercent with { Basis = CommissionBasis.NetRevenueIncludingTax }, ("orders/create", DanishOrderPayloads.Placed));

        Assert.Equal(111.98m, Commission(state)); // 10 % of 661.36 + 458.39 = 1119.75, shipping still out
    }

    [Fact]
    public void ARefundLineCarriesItsMomsSoAnAmountOnlyRefundTakesTheNetShare()
    {
        var refund = Refund(DanishOrderPayloads.FirstRefund);
        var line = Assert.Single(refund.Lines);
        Assert.Equal(new RefundLine(Mugs, 1, 114.60m, 22.92m), line);

        // The same refund without a quantity counts by amount: 114.60 - 22.92 = 91.68 of the mugs' 366.71 net.
        var amountOnly = refund with { Lines = [line with { Quantity = 0 }] };
        var order = Order(DanishOrderPayloads.Placed);
        var state = OrderCommissionState.Empty(order.Key)
            .ApplyOrder(order, new AttributionResult(Jane, AttributionMethod.Coupon, "x"), CommissionCalculator.Calculate(order, TenPercent)).State
            .ApplyRefund(amountOnly).State;

        Assert.Equal(80.41m, Commission(state)); // 52.91 + 36.67 x (1 - 91.68 / 366.71)
    }

    [Fact]
    public void ARefundOfOneMugTakesBackItsNetShareWhicheverWebhookComesFirst()
    {
        var refundFirst = Apply(TenPercent, ("orders/create", DanishOrderPayloads.Placed),
            ("refunds/create", DanishOrderPayloads.FirstRefund), ("orders/updated", DanishOrderPayloads.AfterFirstRefund));
        var updateFirst = Apply(TenPercent, ("orders/create", DanishOrderPayloads.Placed),
            ("orders/updated", DanishOrderPayloads.AfterFirstRefund), ("refunds/create", DanishOrderPayloads.FirstRefund));

        Assert.Equal(80.41m, Commission(refundFirst)); // 10 % of 529.09 + 3/4 x 366.71
        Assert.Equal(80.41m, Commission(updateFirst));
        var mugs = Order(DanishOrderPayloads.AfterFirstRefund).Lines[1];
        Assert.Equal(4, mugs.Quantity); // the refunded mug leaves through its refund, not a second time through current_quantity
        Assert.Equal(366.71m, mugs.NetRevenue);
    }

    [Fact]
    public void AnEditThatRemovesAMugAndThenARefundOfAnotherEachTakeOneMugOnce()
    {
        var afterEdit = Apply(TenPercent, ("orders/create", DanishOrderPayloads.Placed),
            ("refunds/create", DanishOrderPayloads.FirstRefund), ("orders/updated", DanishOrderPayloads.AfterFirstRefund),
            ("orders/updated", DanishOrderPayloads.AfterEdit));
        Assert.Equal(71.24m, Commission(afterEdit)); // 10 % of 529.09 + 2/4 x 366.71
        var edited = Order(DanishOrderPayloads.AfterEdit).Lines[1];
        Assert.Equal(3, edited.Quantity); // two kept + one refunded; the removed one is gone
        Assert.Equal(275.03m, edited.NetRevenue);
        Assert.Equal(68.76m, edited.Tax);

        var afterSecondRefund = afterEdit.ApplyRefund(Refund(DanishOrderPayloads.SecondRefund)).State;
        var order = Order(DanishOrderPayloads.AfterSecondRefund);
        afterSecondRefund = afterSecondRefund.ApplyOrder(order, afterSecondRefund.Attribution!, CommissionCalculator.Calculate(order, TenPercent)).State;
        Assert.Equal(62.08m, Commission(afterSecondRefund)); // 10 % of 529.09 + 1/4 x 366.71
    }

    [Fact]
    public void TheLifeOfTheOrderEndsTheSameInAnyDeliveryOrder()
    {
        (string, string)[] deliveries =
        [
            ("orders/create", DanishOrderPayloads.Placed),
            ("refunds/create", DanishOrderPayloads.FirstRefund),
            ("orders/updated", DanishOrderPayloads.AfterFirstRefund),
            ("orders/updated", DanishOrderPayloads.AfterEdit),
            ("refunds/create", DanishOrderPayloads.SecondRefund),
            ("orders/updated", DanishOrderPayloads.AfterSecondRefund),
        ];

        Assert.Equal(62.08m, Commission(Apply(TenPercent, deliveries)));
        Assert.Equal(62.08m, Commission(Apply(TenPercent, [.. deliveries.Reverse()])));
        Assert.Equal(62.08m, Commission(Apply(TenPercent, [deliveries[4], deliveries[1], deliveries[0], deliveries[5]])));
    }

    [Fact]
    public void ALineAnEditRemovedEntirelyEarnsNothing()
    {
        var order = Order(DanishOrderPayloads.PlacedWith(o => o["line_items"]![1]!["current_quantity"] = 0));

        Assert.Equal(0, order.Lines[1].Quantity);
        Assert.Equal(0m, order.Lines[1].NetRevenue);
        Assert.Equal(52.91m, CommissionCalculator.Calculate(order, TenPercent).Total.Amount);
    }

    [Fact]
    public void AShopThatAddsTaxOnTopKeepsItsPricesAsTheNetRevenue()
    {
        var order = Order(DanishOrderPayloads.PlacedWith(o => o["taxes_included"] = false));

        Assert.False(order.TaxesIncluded);
        Assert.Equal(661.36m, order.Lines[0].NetRevenue); // the price is net; its 132.27 tax comes on top
        Assert.Equal(132.27m, order.Lines[0].Tax);
        Assert.Equal(111.98m, CommissionCalculator.Calculate(order, TenPercent).Total.Amount);
    }

    [Fact]
    public void GiftCardLinesEarnNothingByDefaultAndDoWithTheSetting()
    {
        var order = Order(DanishOrderPayloads.PlacedWith(o =>
        {
            var card = o["line_items"]![1]!;
            card["gift_card"] = true;
            card["tax_lines"] = new JsonArray(); // gift cards carry no moms
        }));

        Assert.True(order.Lines[1].IsGiftCard);
        var byDefault = CommissionCalculator.Calculate(order, TenPercent);
        Assert.Equal(52.91m, byDefault.Total.Amount); // the blanket only
        Assert.Null(byDefault.Lines[1].Rule);
        Assert.Contains("Gift cards earn no commission", byDefault.Explanation);

        var withSetting = CommissionCalculator.Calculate(order, TenPercent with { CommissionOnGiftCards = true });
        Assert.Equal(98.75m, withSetting.Total.Amount); // 10 % of 529.09 + 458.39 (no moms in a gift card)
    }
}
