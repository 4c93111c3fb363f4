using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Tests.Shopify;

/// <summary>The backfill's queries by Shopify's documented cost rules (docs/decisions/0048): every one under 1,000 points.</summary>
public sealed class ShopifyQueryCostTests
{
    private static Dictionary<string, int> First(int n) => new() { ["first"] = n };

    [Fact]
    public void TheRulesCountObjectsScalarsAndConnectionsAsDocumented()
    {
        // An object 1, a scalar 0; a connection 2 plus first times one item (edges and node each an object); pageInfo once.
        Assert.Equal(1, ShopifyQueryCost.Of("{ shop { name } }"));
        Assert.Equal(2 + 10 * (1 + 1 + (2 + 5 * (1 + 1))), ShopifyQueryCost.Of(
            "{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }"));
        Assert.Equal(2 + 1 + 25 * 1, ShopifyQueryCost.Of("query($first: Int!) { orders(first: $first) { pageInfo { hasNextPage } nodes { id } } }", First(25)));
    }

    [Fact]
    public void TheOldBackfillQueryWasOverTheLimit()
    {
        const string old = """
            query($first: Int!) { orders(first: $first) { nodes { id
              lineItems(first: 100) { nodes { id product { id } originalUnitPriceSet { shopMoney { amount } } } }
              refunds(first: 50) { id refundLineItems(first: 100) { nodes { lineItem { id } } } } } } }
            """;
        Assert.True(ShopifyQueryCost.Of(old, First(50)) > ShopifyQueryCost.SingleQueryMaximum);
    }

    [Fact]
    public void TheBackfillPageIsUnderTheLimitAtItsLargestSize()
    {
        var max = ShopifyGraphQlOrders.MaxPageSize;
        Assert.True(max >= ShopifyGraphQlOrders.PageSize, $"MaxPageSize {max}");
        Assert.True(ShopifyQueryCost.Of(ShopifyGraphQlOrders.Query, First(ShopifyGraphQlOrders.PageSize)) < ShopifyQueryCost.SingleQueryMaximum);
        Assert.True(ShopifyQueryCost.Of(ShopifyGraphQlOrders.Query, First(max)) <= ShopifyQueryCost.SingleQueryMaximum);
        Assert.True(ShopifyQueryCost.Of(ShopifyGraphQlOrders.Query, First(max + 1)) > ShopifyQueryCost.SingleQueryMaximum);
    }

    [Fact]
    public void TheFollowUpQueriesAreUnderTheLimit()
    {
        foreach (var query in new[] { ShopifyGraphQlOrders.OrderLinesQuery, ShopifyGraphQlOrders.OrderRefundsQuery, ShopifyGraphQlOrders.RefundLinesQuery })
            Assert.InRange(ShopifyQueryCost.Of(query), 1, ShopifyQueryCost.SingleQueryMaximum - 1);
    }
}
