using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Core.Engine;

/// <summary>Declared from least to most specific: on a line, the most specific matching rule wins.</summary>
public enum RuleScopeKind
{
    All,
    Coupon,
    Collection,
    Product,
}

/// <summary>Which lines a rule covers. Coupon scope covers every line of an order that carries one of the codes.</summary>
public sealed record RuleScope(RuleScopeKind Kind, IReadOnlyList<string> Ids)
{
    public static RuleScope All { get; } = new(RuleScopeKind.All, []);

    public static RuleScope Products(params IEnumerable<string> productIds) => new(RuleScopeKind.Product, [.. productIds]);

    public static RuleScope Collections(params IEnumerable<string> collectionIds) => new(RuleScopeKind.Collection, [.. collectionIds]);

    public static RuleScope Coupons(params IEnumerable<string> codes) => new(RuleScopeKind.Coupon, [.. codes]);

    internal bool Matches(OrderLine line, OrderEvent order) => Kind switch
    {
        RuleScopeKind.All => true,
        RuleScopeKind.Product => line.ProductId is { } product && Ids.Contains(product, StringComparer.Ordinal),
        RuleScopeKind.Collection => line.CollectionIds.Any(c => Ids.Contains(c, StringComparer.Ordinal)),
        _ => order.DiscountCodes.Any(code => Ids.Contains(code.Trim(), StringComparer.OrdinalIgnoreCase)),
    };

    public override string ToString() => Kind switch
    {
        RuleScopeKind.All => "all products",
        RuleScopeKind.Product => (Ids.Count == 1 ? "product " : "products ") + string.Join(", ", Ids),
        RuleScopeKind.Collection => (Ids.Count == 1 ? "collection " : "collections ") + string.Join(", ", Ids),
        _ => (Ids.Count == 1 ? "coupon " : "coupons ") + string.Join(", ", Ids.Select(c => c.ToUpperInvariant())),
    };
}

/// <summary>
/// Percent: <see cref="CommissionRule.Value"/> is a fraction of the basis (0.10 = 10%).
/// Flat: an amount once per order for scopes All and Coupon, per unit for scopes Product and Collection.
/// A flat commission never exceeds the revenue it is paid on (a 5.00 flat fee on a 3.00 order pays 3.00); a line of
/// unknown quantity (0) counts as one unit.
/// </summary>
public enum RuleKind
{
    Percent,
    Flat,
}

/// <summary>
/// A performance step: once the affiliate's sales in the current period (before this order) reach
/// <see cref="SalesThreshold"/>, <see cref="Value"/> replaces the rule's value (a fraction for Percent, an amount for Flat).
/// </summary>
public sealed record PerformanceTier(decimal SalesThreshold, decimal Value);

public sealed record CommissionRule(RuleScope Scope, RuleKind Kind, decimal Value)
{
    public IReadOnlyList<PerformanceTier> Tiers { get; init; } = [];

    /// <summary>Flat rules only: the currency of the amount. The rule then applies only to orders in that currency;
    /// null = the amount is in whatever the shop's currency is.</summary>
    public string? Currency { get; init; }

    /// <summary>Shown in explanations; defaults to a description of the scope.</summary>
    public string? Name { get; init; }

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Scope.ToString() : Name;

    /// <summary>The value in force for an affiliate who already sold <paramref name="salesInPeriodBeforeThisOrder"/>.</summary>
    public decimal ValueFor(decimal salesInPeriodBeforeThisOrder) =>
        Tiers.Where(t => salesInPeriodBeforeThisOrder >= t.SalesThreshold)
            .OrderByDescending(t => t.SalesThreshold)
            .Select(t => t.Value)
            .DefaultIfEmpty(Value)
            .First();

    internal bool AppliesToCurrency(string currency) =>
        Kind == RuleKind.Percent || Currency is null || Currencies.Normalize(Currency) == currency;

    internal bool IsPerOrder => Kind == RuleKind.Flat && Scope.Kind is RuleScopeKind.All or RuleScopeKind.Coupon;
}

public enum CommissionBasis
{
    /// <summary>Line revenue after discounts, before tax and shipping (prices that include tax have it taken out).</summary>
    NetRevenue,

    /// <summary>The gross line amount after discounts, tax included, before shipping: what a merchant reads on the
    /// receipt when prices include tax.</summary>
    NetRevenueIncludingTax,
}

/// <summary>A commission group's plan. Among equally specific rules matching a line, the first in list order wins.</summary>
public sealed record CommissionPlan(string Name, IReadOnlyList<CommissionRule> Rules)
{
    /// <summary>The recruiting (parent) affiliate earns this fraction of the basis of every line that earned a commission.</summary>
    public decimal SecondTierRate { get; init; }

    public CommissionBasis Basis { get; init; } = CommissionBasis.NetRevenue;

    /// <summary>Gift-card lines earn like merchandise. Off by default: the order that spends the card earns again.</summary>
    public bool CommissionOnGiftCards { get; init; }

    /// <summary>Throws <see cref="ValidationFailedException"/> (a 400 for the API) on rates outside 0..1 or negative amounts.</summary>
    public void Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (SecondTierRate is < 0m or > 1m)
            errors[nameof(SecondTierRate)] = ["The second-tier rate is a fraction between 0 and 1."];
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var problems = new List<string>();
            var values = rule.Tiers.Select(t => t.Value).Prepend(rule.Value);
            if (rule.Kind == RuleKind.Percent && values.Any(v => v is < 0m or > 1m))
                problems.Add("A percent rule's rate is a fraction between 0 and 1 (0.10 = 10%).");
            if (rule.Kind == RuleKind.Flat && values.Any(v => v < 0m))
                problems.Add("A flat amount cannot be negative.");
            if (rule.Tiers.Any(t => t.SalesThreshold < 0m))
                problems.Add("A tier's sales threshold cannot be negative.");
            if (rule.Scope.Kind != RuleScopeKind.All && rule.Scope.Ids.Count == 0)
                problems.Add("A product, collection or coupon rule needs at least one id.");
            if (rule.Currency is { } currency && !Currencies.IsKnown(currency))
                problems.Add($"'{currency}' is not an ISO 4217 currency code.");
            if (problems.Count > 0)
                errors[$"{nameof(Rules)}[{i}]"] = [.. problems];
        }

        if (errors.Count > 0)
            throw new ValidationFailedException("The commission plan is not valid.", errors);
    }
}
