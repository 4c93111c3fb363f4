using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

public class CommissionCalculatorTests
{
    private static CommissionPlan Plan(params CommissionRule[] rules) => new("Plan A", rules);

    [Fact]
    public void PercentOfAllProductsIsPaidOnNetRevenueWithoutTaxOrShipping()
    {
        var order = Order(lines: [Line("L1", 50m) with { Tax = 10m }, Line("L2", 40m) with { Tax = 8m }]);

        var quote = ExplainedEngine.Calculate(order, TenPercent);

        Assert.Equal(new Money(9m, "USD"), quote.Total);
        Assert.Equal([5m, 4m], quote.Lines.Select(l => l.Amount.Amount));
        Assert.Equal("Plan Standard: 10% of 90.00 USD under rule \"all products\" on lines L1, L2 = 9.00 USD. Total 9.00 USD.", quote.Explanation);
    }

    [Fact]
    public void BasisIncludingTaxAddsTheLinesTax()
    {
        var order = Order(lines: [Line("L1", 50m) with { Tax = 10m }]);

        var quote = ExplainedEngine.Calculate(order, TenPercent with { Basis = CommissionBasis.NetRevenueIncludingTax });

        Assert.Equal(6m, quote.Total.Amount);
    }

    [Fact]
    public void MostSpecificRuleWinsPerLine()
    {
        var plan = Plan(
            new CommissionRule(RuleScope.All, RuleKind.Percent, 0.05m),
            new CommissionRule(RuleScope.Coupons("SUMMER"), RuleKind.Percent, 0.10m),
            new CommissionRule(RuleScope.Collections("hoodies"), RuleKind.Percent, 0.20m),
            new CommissionRule(RuleScope.Products("p-1"), RuleKind.Percent, 0.30m));
        var order = Order(codes: ["summer"], lines:
        [
            Line("product", 100m, 1, "p-1", "hoodies"),
            Line("collection", 100m, 1, "p-2", "hoodies"),
            Line("coupon", 100m, 1, "p-3"),
        ]);

        var quote = ExplainedEngine.Calculate(order, plan);

        Assert.Equal([30m, 20m, 10m], quote.Lines.Select(l => l.Amount.Amount));
        Assert.Equal([3, 2, 1], quote.Lines.Select(l => l.Rule!.Value));
        Assert.Contains("30% of 100.00 USD under rule \"product p-1\" on line product = 30.00 USD", quote.Explanation);
        Assert.Contains("10% of 100.00 USD under rule \"coupon SUMMER\" on line coupon = 10.00 USD", quote.Explanation);
    }

    [Fact]
    public void AllProductsRuleCoversLinesNoSpecificRuleMatches()
    {
        var plan = Plan(new CommissionRule(RuleScope.All, RuleKind.Percent, 0.05m), new CommissionRule(RuleScope.Products("p-1"), RuleKind.Percent, 0.30m));

        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 100m, 1, "p-9")]), plan);

        Assert.Equal(5m, quote.Total.Amount);
    }

    [Fact]
    public void LineNoRuleCoversEarnsNothingAndTheExplanationSaysSo()
    {
        var plan = Plan(new CommissionRule(RuleScope.Products("p-1"), RuleKind.Percent, 0.30m));

        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 100m, 1, "p-1"), Line("L2", 50m, 1, "p-2")]), plan);

        Assert.Equal(30m, quote.Total.Amount);
        Assert.Null(quote.Lines[1].Rule);
        Assert.EndsWith("No rule covers line L2.", quote.Explanation);
    }

    [Fact]
    public void CouponRuleAppliesOnlyWhenTheCodeIsOnTheOrder()
    {
        var plan = Plan(new CommissionRule(RuleScope.Coupons("SUMMER"), RuleKind.Percent, 0.10m));

        Assert.Equal(10m, ExplainedEngine.Calculate(Order(codes: ["SUMMER"]), plan).Total.Amount);
        Assert.Equal(0m, ExplainedEngine.Calculate(Order(codes: ["WINTER"]), plan).Total.Amount);
    }

    [Fact]
    public void FlatProductRuleIsPaidPerUnit()
    {
        var plan = Plan(new CommissionRule(RuleScope.Products("p-1"), RuleKind.Flat, 3m));

        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 60m, 2, "p-1")]), plan);

        Assert.Equal(6m, quote.Total.Amount);
        Assert.Contains("3.00 USD per unit", quote.Explanation);
    }

    [Fact]
    public void FlatCollectionRuleIsPaidPerUnit()
    {
        var plan = Plan(new CommissionRule(RuleScope.Collections("c"), RuleKind.Flat, 2m));

        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 60m, 3, "p", "c"), Line("L2", 10m, 1, "q", "c")]), plan);

        Assert.Equal(8m, quote.Total.Amount);
    }

    [Fact]
    public void FlatAllProductsRuleIsPaidOncePerOrder()
    {
        var plan = Plan(new CommissionRule(RuleScope.All, RuleKind.Flat, 5m));

        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 60m, 3), Line("L2", 40m, 2)]), plan);

        Assert.Equal(5m, quote.Total.Amount);
        Assert.Equal([3m, 2m], quote.Lines.Select(l => l.Amount.Amount));
        Assert.Contains("5.00 USD per order", quote.Explanation);
    }

    [Fact]
    public void FlatCommissionNeverExceedsTheRevenueItIsPaidOn()
    {
        var perOrder = Plan(new CommissionRule(RuleScope.All, RuleKind.Flat, 5m));
        var perUnit = Plan(new CommissionRule(RuleScope.Products("p"), RuleKind.Flat, 5m));

        Assert.Equal(3m, ExplainedEngine.Calculate(Order(lines: [Line("L1", 3m)]), perOrder).Total.Amount);
        Assert.Equal(4m, ExplainedEngine.Calculate(Order(lines: [Line("L1", 4m, 2, "p")]), perUnit).Total.Amount);
    }

    [Fact]
    public void FlatRuleInAnotherCurrencyDoesNotApply()
    {
        var plan = Plan(new CommissionRule(RuleScope.All, RuleKind.Flat, 5m) { Currency = "EUR" });

        Assert.Equal(0m, ExplainedEngine.Calculate(Order(currency: "USD"), plan).Total.Amount);
        Assert.Equal(5m, ExplainedEngine.Calculate(Order(currency: "EUR"), plan).Total.Amount);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(999.99, 10)]
    [InlineData(1000, 15)]
    [InlineData(4999, 15)]
    [InlineData(5000, 20)]
    public void PerformanceTierRateAppliesOnceSalesReachTheThreshold(decimal salesBefore, decimal expected)
    {
        var rule = new CommissionRule(RuleScope.All, RuleKind.Percent, 0.10m)
        {
            Tiers = [new PerformanceTier(5000m, 0.20m), new PerformanceTier(1000m, 0.15m)],
        };

        var quote = ExplainedEngine.Calculate(Order(), Plan(rule), salesBefore);

        Assert.Equal(expected, quote.Total.Amount);
        Assert.Equal(expected != 10m, quote.Explanation.Contains("(performance tier)", StringComparison.Ordinal));
    }

    [Fact]
    public void SecondTierEarnsItsRateOnLinesThatEarnedACommission()
    {
        var plan = Plan(new CommissionRule(RuleScope.Products("p"), RuleKind.Percent, 0.10m)) with { SecondTierRate = 0.02m };

        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 100m, 1, "p"), Line("L2", 500m, 1, "other")]), plan);

        Assert.Equal(new Money(2m, "USD"), quote.SecondTierTotal);
        Assert.Equal([2m, 0m], quote.Lines.Select(l => l.SecondTierAmount.Amount));
        Assert.Contains("Second tier: 2% of 100.00 USD = 2.00 USD.", quote.Explanation);
    }

    [Fact]
    public void CommissionRoundsHalfAwayFromZeroNotToEven()
    {
        // 10% of 0.25 = 0.025: banker's rounding would give 0.02.
        var quote = ExplainedEngine.Calculate(Order(lines: [Line("L1", 0.25m)]), TenPercent);

        Assert.Equal(0.03m, quote.Total.Amount);
    }

    [Fact]
    public void LineAmountsAddUpToTheRoundedTotal()
    {
        // Three lines of 0.033 each: rounded per line they would sum to 0.09; the rule's total is 0.10.
        var quote = ExplainedEngine.Calculate(Order(lines: [Line("A", 0.33m), Line("B", 0.33m), Line("C", 0.33m)]), TenPercent);

        Assert.Equal(0.10m, quote.Total.Amount);
        Assert.Equal(0.10m, quote.Lines.Sum(l => l.Amount.Amount));
        Assert.Equal([0.04m, 0.03m, 0.03m], quote.Lines.Select(l => l.Amount.Amount));
    }

    [Theory]
    [InlineData(1234, 123)]
    [InlineData(1235, 124)]
    public void YenCommissionsHaveNoDecimals(decimal net, decimal expected)
    {
        var quote = ExplainedEngine.Calculate(Order(currency: "JPY", lines: [Line("L1", net)]), TenPercent);

        Assert.Equal(new Money(expected, "JPY"), quote.Total);
    }

    [Fact]
    public void KuwaitiDinarCommissionsHaveThreeDecimals()
    {
        var quote = ExplainedEngine.Calculate(Order(currency: "KWD", lines: [Line("L1", 12.345m)]), TenPercent);

        Assert.Equal(1.235m, quote.Total.Amount); // 1.2345 half away from zero
    }

    [Fact]
    public void RateGivenAsWholePercentIsRejected()
    {
        var plan = Plan(new CommissionRule(RuleScope.All, RuleKind.Percent, 10m));

        var error = Assert.Throws<ValidationFailedException>(() => ExplainedEngine.Calculate(Order(), plan));
        Assert.Contains("Rules[0]", error.Errors.Keys);
    }

    [Fact]
    public void OrderWithNoMatchingRuleIsExplained()
    {
        var quote = ExplainedEngine.Calculate(Order(), Plan(new CommissionRule(RuleScope.Products("x"), RuleKind.Percent, 0.1m)));

        Assert.Equal(0m, quote.Total.Amount);
        Assert.Equal("No rule of plan Plan A covers the lines of order #1001: no commission.", quote.Explanation);
    }
}
