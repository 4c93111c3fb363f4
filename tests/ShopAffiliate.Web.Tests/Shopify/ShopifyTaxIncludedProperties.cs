using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Tests.Shopify;

/// <summary>
/// One line in øre: unit price <see cref="Price"/> and discount <see cref="Discount"/> before tax, the tax of a unit
/// (<see cref="UnitTax"/>) and the tax the discount takes off (<see cref="DiscountTax"/>), so the line's tax is
/// UnitTax x Quantity - DiscountTax. <see cref="Kept"/> units are still bought after an edit (refunded ones included),
/// <see cref="Refunded"/> of them came back.
/// </summary>
public sealed record TaxedLine(int Quantity, long Price, long Discount, long UnitTax, long DiscountTax, int Kept, int Refunded)
{
    public long Tax => UnitTax * Quantity - DiscountTax;
}

public sealed record TaxedOrder(IReadOnlyList<TaxedLine> Lines, long Shipping, decimal Rate, bool AmountOnlyRefund)
{
    public override string ToString() => $"rate {Rate} shipping {Shipping} amount-only refund {AmountOnlyRefund}: "
        + string.Join("; ", Lines.Select(l => $"{l.Quantity} x {l.Price} - {l.Discount} tax {l.UnitTax}/u - {l.DiscountTax} kept {l.Kept} refunded {l.Refunded}"));
}

public static class TaxedOrderGenerators
{
    public static Arbitrary<TaxedOrder> Orders() => OrderGen.ToArbitrary();

    private static readonly Gen<TaxedLine> LineGen =
        from quantity in Gen.Choose(1, 6)
        from price in Gen.Choose(1, 500_000)
        from discount in Gen.Choose(0, price * quantity)
        from unitTax in Gen.Choose(0, price / 2)
        from discountTax in Gen.Choose(0, unitTax * quantity)
        from kept in Gen.Choose(0, quantity)
        from refunded in Gen.Choose(0, kept)
        select new TaxedLine(quantity, price, discount, unitTax, discountTax, kept, refunded);

    private static readonly Gen<TaxedOrder> OrderGen =
        from count in Gen.Choose(1, 4)
        from lines in Gen.ListOf(LineGen, count)
        from shipping in Gen.Choose(0, 10_000)
        from rate in Gen.Elements(0.25m, 0.21m, 0.12m, 0.06m, 0m)
        from amountOnly in Gen.Elements(false, true)
        select new TaxedOrder([.. lines], shipping, rate, amountOnly);
}

/// <summary>
/// Whether a shop shows prices with tax or adds it on top must not change what an order earns: the same order written
/// both ways (prices and discounts containing the tax, or not) maps to the same basis, on either commission basis, and
/// after an edit and a refund.
/// </summary>
public sealed class ShopifyTaxIncludedProperties
{
    private static readonly ShopId Shop = new(Guid.Parse("2f8fad5b-d9cb-469f-a165-70867728950e"));
    private static readonly AffiliateId Jane = new(Guid.Parse("1d2e3f40-0000-4000-8000-000000000002"));

    [Property(Arbitrary = new[] { typeof(TaxedOrderGenerators) }, MaxTest = 400)]
    public void ATaxIncludedOrderHasTheBasisOfTheSameOrderWithTaxOnTop(TaxedOrder order)
    {
        var included = Map(order, taxesIncluded: true);
        var onTop = Map(order, taxesIncluded: false);

        Assert.Equal(onTop.Lines.Select(l => (l.Quantity, l.NetRevenue, l.Tax)), included.Lines.Select(l => (l.Quantity, l.NetRevenue, l.Tax)));
        foreach (var basis in new[] { CommissionBasis.NetRevenue, CommissionBasis.NetRevenueIncludingTax })
        {
            var plan = new CommissionPlan("Any", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.1m)]) { Basis = basis };
            var (includedQuote, includedAfterRefund) = Earn(included, Refund(order, taxesIncluded: true), plan);
            var (onTopQuote, onTopAfterRefund) = Earn(onTop, Refund(order, taxesIncluded: false), plan);
            Assert.Equal(onTopQuote.Lines.Select(l => l.Basis), includedQuote.Lines.Select(l => l.Basis));
            Assert.Equal(onTopQuote.Total, includedQuote.Total);
            Assert.Equal(onTopAfterRefund, includedAfterRefund);
        }

        // And the basis is the merchandise before tax, never the tax: price x units kept - discount, in proportion.
        Assert.Equal(order.Lines.Select(l => Net(l)), included.Lines.Select(l => l.NetRevenue));
    }

    private static decimal Net(TaxedLine line)
    {
        var net = Kr(line.Price * line.Quantity - line.Discount);
        return line.Kept == line.Quantity ? net : Currencies.Round(net * line.Kept / line.Quantity, "DKK");
    }

    private static (CommissionQuote Quote, decimal AfterRefund) Earn(OrderEvent order, RefundEvent refund, CommissionPlan plan)
    {
        var quote = CommissionCalculator.Calculate(order, plan);
        var state = OrderCommissionState.Empty(order.Key)
            .ApplyOrder(order, new AttributionResult(Jane, AttributionMethod.Coupon, "x"), quote).State
            .ApplyRefund(refund).State;
        return (quote, state.Commissions.Sum(c => c.Booked));
    }

    private static decimal Kr(long ore) => ore / 100m;

    private static string Text(long ore) => Kr(ore).ToString("0.00", CultureInfo.InvariantCulture);

    private static JsonObject Money(long ore) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Text(ore), ["currency_code"] = "DKK" },
        ["presentment_money"] = new JsonObject { ["amount"] = Text(ore), ["currency_code"] = "DKK" },
    };

    /// <summary>The order as Shopify would send it; only prices, discounts and the flag differ between the two ways.</summary>
    private static OrderEvent Map(TaxedOrder order, bool taxesIncluded)
    {
        var lines = new JsonArray();
        var refundLines = new JsonArray();
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            var price = line.Price + (taxesIncluded ? line.UnitTax : 0);
            var discount = line.Discount + (taxesIncluded ? line.DiscountTax : 0);
            lines.Add(new JsonObject
            {
                ["id"] = 100 + i,
                ["product_id"] = 900 + i,
                ["quantity"] = line.Quantity,
                ["current_quantity"] = line.Kept - line.Refunded,
                ["gift_card"] = false,
                ["price"] = Text(price),
                ["price_set"] = Money(price),
                ["total_discount"] = "0.00",
                ["discount_allocations"] = new JsonArray(new JsonObject { ["amount"] = Text(discount), ["amount_set"] = Money(discount), ["discount_application_index"] = 0 }),
                ["tax_lines"] = new JsonArray(new JsonObject { ["price"] = Text(line.Tax), ["price_set"] = Money(line.Tax), ["rate"] = order.Rate, ["title"] = "Moms" }),
            });
            if (line.Refunded > 0)
                refundLines.Add(new JsonObject { ["line_item_id"] = 100 + i, ["quantity"] = line.Refunded });
        }
        var shippingTax = (long)Math.Round(order.Shipping * order.Rate / (taxesIncluded ? 1 + order.Rate : 1));
        var json = new JsonObject
        {
            ["id"] = 7001,
            ["name"] = "#7001",
            ["created_at"] = "2026-11-20T14:05:09+01:00",
            ["updated_at"] = "2026-11-21T09:00:00+01:00",
            ["currency"] = "DKK",
            ["financial_status"] = "partially_refunded",
            ["taxes_included"] = taxesIncluded,
            ["line_items"] = lines,
            ["refunds"] = new JsonArray(new JsonObject { ["id"] = 8001, ["order_id"] = 7001, ["refund_line_items"] = refundLines }),
            ["shipping_lines"] = new JsonArray(new JsonObject
            {
                ["price"] = Text(order.Shipping), ["price_set"] = Money(order.Shipping),
                ["tax_lines"] = new JsonArray(new JsonObject { ["price"] = Text(shippingTax), ["rate"] = order.Rate }),
            }),
        };
        return ShopifyOrderMapper.MapOrder(System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement, Shop);
    }

    /// <summary>
    /// The refunds/create body for the refunded units (per line, in proportion, as Shopify computes it); with
    /// <see cref="TaxedOrder.AmountOnlyRefund"/> the lines carry no quantity, so the amounts count.
    /// </summary>
    private static RefundEvent Refund(TaxedOrder order, bool taxesIncluded)
    {
        var lines = new JsonArray();
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            if (line.Refunded == 0)
                continue;
            var net = (line.Price * line.Quantity - line.Discount) * line.Refunded / line.Quantity;
            var tax = line.Tax * line.Refunded / line.Quantity;
            lines.Add(new JsonObject
            {
                ["line_item_id"] = 100 + i,
                ["quantity"] = order.AmountOnlyRefund ? 0 : line.Refunded,
                ["subtotal"] = Kr(net + (taxesIncluded ? tax : 0)),
                ["total_tax"] = Kr(tax),
            });
        }
        var json = new JsonObject { ["id"] = 8001, ["order_id"] = 7001, ["created_at"] = "2026-11-21T09:00:00+01:00", ["refund_line_items"] = lines };
        return ShopifyOrderMapper.MapRefund(System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement, Shop);
    }
}
