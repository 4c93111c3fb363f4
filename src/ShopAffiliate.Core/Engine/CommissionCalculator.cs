namespace ShopAffiliate.Core.Engine;

/// <summary>
/// One order line's share. <see cref="Rule"/> is null when no rule covered the line (it earns nothing).
/// <see cref="SecondTierAmount"/> is the recruiting affiliate's share of the same line.
/// </summary>
public sealed record CommissionLine(
    string LineId,
    decimal Basis,
    int? Rule,
    Money Amount,
    Money SecondTierAmount);

/// <summary>One rule as applied to the lines it won: <see cref="Value"/> after performance tiers.</summary>
public sealed record RuleApplication(
    int Rule,
    string RuleName,
    RuleKind Kind,
    decimal Value,
    IReadOnlyList<string> LineIds,
    decimal Basis,
    Money Amount);

/// <summary>
/// What an order earns at full value (before refunds). Amounts are rounded once per rule, half away from zero, and the
/// rounded sum is spread over the lines by largest remainder, so lines always add up to the rule's amount.
/// </summary>
public sealed record CommissionQuote(
    string Currency,
    IReadOnlyList<CommissionLine> Lines,
    IReadOnlyList<RuleApplication> Applications,
    Money Total,
    Money SecondTierTotal,
    string Explanation)
{
    /// <summary>The explanation as message keys and arguments (ADR 0051); null in states stored before parts existed.</summary>
    public IReadOnlyList<ExplanationPart>? Parts { get; init; }

    /// <summary><see cref="Parts"/>, or the stored English text as one verbatim part.</summary>
    public IReadOnlyList<ExplanationPart> PartsOrText => Parts ?? (Explanation.Length == 0 ? [] : [ExplanationPart.Verbatim(Explanation)]);

    /// <summary>An order that earns nothing, explained by <paramref name="why"/> (default <c>calc.none</c>, "No commission.").</summary>
    public static CommissionQuote Empty(string currency, ExplanationPart? why = null)
    {
        ExplanationPart[] parts = [why ?? ExplanationPart.Of("calc.none")];
        return new(Currencies.Normalize(currency), [], [], Money.Zero(currency), Money.Zero(currency), ExplanationEnglish.Render(parts)) { Parts = parts };
    }

    /// <summary>The quote of an order credited to nobody.</summary>
    public static CommissionQuote NoAffiliate(string currency) => Empty(currency, ExplanationPart.Of("calc.noAffiliate"));
}

public static class CommissionCalculator
{
    /// <param name="salesInPeriodBeforeThisOrder">The affiliate's sales in the current tier period before this order,
    /// in the order's currency; picks the performance tier.</param>
    public static CommissionQuote Calculate(OrderEvent order, CommissionPlan plan, decimal salesInPeriodBeforeThisOrder = 0m)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();

        var currency = Currencies.Normalize(order.Currency);
        var lines = order.Lines;
        var basis = lines.Select(l => Math.Max(0m, l.NetRevenue + (plan.Basis == CommissionBasis.NetRevenueIncludingTax ? l.Tax : 0m))).ToArray();
        var winner = lines.Select(l => Winner(plan, l, order, currency)).ToArray();
        var amounts = new decimal[lines.Count];
        var applications = new List<RuleApplication>();

        foreach (var group in Enumerable.Range(0, lines.Count).Where(i => winner[i] is not null).GroupBy(i => winner[i]!.Value).OrderBy(g => g.Key))
        {
            var rule = plan.Rules[group.Key];
            var value = rule.ValueFor(salesInPeriodBeforeThisOrder);
            var members = group.ToArray();
            var groupBasis = members.Sum(i => basis[i]);
            decimal[] weights;
            decimal raw;
            if (rule.Kind == RuleKind.Percent)
            {
                weights = members.Select(i => basis[i] * value).ToArray();
                raw = weights.Sum();
            }
            else if (rule.IsPerOrder)
            {
                weights = members.Select(i => basis[i]).ToArray();
                raw = Math.Min(value, groupBasis);
            }
            else
            {
                weights = members.Select(i => Math.Min(value * Math.Max(1, lines[i].Quantity), basis[i])).ToArray();
                raw = weights.Sum();
            }

            var total = Currencies.Round(raw, currency);
            var shares = Allocate(total, weights, Currencies.MinorUnits(currency));
            for (var k = 0; k < members.Length; k++)
                amounts[members[k]] = shares[k];
            applications.Add(new(group.Key, rule.DisplayName, rule.Kind, value, members.Select(i => lines[i].LineId).ToArray(), groupBasis, new(total, currency)));
        }

        var covered = Enumerable.Range(0, lines.Count).Where(i => winner[i] is not null).ToArray();
        var secondTier = Currencies.Round(covered.Sum(i => basis[i]) * plan.SecondTierRate, currency);
        var secondShares = Allocate(secondTier, covered.Select(i => basis[i]).ToArray(), Currencies.MinorUnits(currency));
        var second = new decimal[lines.Count];
        for (var k = 0; k < covered.Length; k++)
            second[covered[k]] = secondShares[k];

        var quoteLines = lines.Select((l, i) => new CommissionLine(l.LineId, basis[i], winner[i], new(amounts[i], currency), new(second[i], currency))).ToArray();
        var sum = new Money(amounts.Sum(), currency);
        var secondMoney = new Money(second.Sum(), currency);
        var parts = Explain(plan, order, applications, quoteLines, sum, secondMoney, covered.Sum(i => basis[i]));
        return new(currency, quoteLines, applications, sum, secondMoney, ExplanationEnglish.Render(parts)) { Parts = parts };
    }

    /// <summary>Most specific scope wins; among equals, the first rule in the plan. A gift card wins none unless the plan pays on them.</summary>
    private static int? Winner(CommissionPlan plan, OrderLine line, OrderEvent order, string currency)
    {
        if (line.IsGiftCard && !plan.CommissionOnGiftCards)
            return null;
        int? best = null;
        for (var r = 0; r < plan.Rules.Count; r++)
        {
            var rule = plan.Rules[r];
            if (!rule.AppliesToCurrency(currency) || !rule.Scope.Matches(line, order))
                continue;
            if (best is null || rule.Scope.Kind > plan.Rules[best.Value].Scope.Kind)
                best = r;
        }

        return best;
    }

    /// <summary>
    /// Splits <paramref name="total"/> (already on the minor-unit grid, not negative) in proportion to the weights by the
    /// largest-remainder method; equal parts when all weights are zero.
    /// </summary>
    internal static decimal[] Allocate(decimal total, IReadOnlyList<decimal> weights, int decimals)
    {
        var result = new decimal[weights.Count];
        if (weights.Count == 0 || total == 0m)
            return result;
        var scale = Pow10(decimals);
        var units = decimal.Round(total * scale);
        var sum = weights.Sum();
        var exact = weights.Select(w => sum == 0m ? units / weights.Count : units * w / sum).ToArray();
        var floors = exact.Select(decimal.Floor).ToArray();
        var left = (int)(units - floors.Sum());
        foreach (var i in Enumerable.Range(0, exact.Length).OrderByDescending(i => exact[i] - floors[i]).ThenBy(i => i).Take(left))
            floors[i] += 1m;
        for (var i = 0; i < result.Length; i++)
            result[i] = floors[i] / scale;
        return result;
    }

    private static decimal Pow10(int decimals)
    {
        var scale = 1m;
        for (var i = 0; i < decimals; i++)
            scale *= 10m;
        return scale;
    }

    private static List<ExplanationPart> Explain(
        CommissionPlan plan, OrderEvent order, List<RuleApplication> applications, CommissionLine[] lines, Money total, Money second, decimal secondBasis)
    {
        var currency = total.Currency;
        if (applications.Count == 0)
        {
            return order.Lines.Count > 0 && order.Lines.All(l => l.IsGiftCard) && !plan.CommissionOnGiftCards
                ? [ExplanationPart.Of("calc.giftCardsOnly", order.DisplayName)]
                : [ExplanationPart.Of("calc.noRule", plan.Name, order.DisplayName)];
        }

        var rules = applications.Select(a =>
        {
            var rule = plan.Rules[a.Rule];
            var rate = a.Kind == RuleKind.Percent
                ? ExplanationPart.Of("calc.rate.percent", ExplanationArg.OfPercent(a.Value), new Money(a.Basis, currency))
                : ExplanationPart.Of(rule.IsPerOrder ? "calc.rate.perOrder" : "calc.rate.perUnit", new Money(a.Value, currency));
            if (a.Value != rule.Value)
                rate = ExplanationPart.Of("calc.rate.tier", rate);
            return ExplanationPart.Of("calc.rule", rate, a.RuleName, LineList(a.LineIds), a.Amount);
        });
        var parts = new List<ExplanationPart> { ExplanationPart.Of("calc.plan", plan.Name, ExplanationArg.List(rules, "; "), total) };
        var giftCards = order.Lines.Where(l => l.IsGiftCard && !plan.CommissionOnGiftCards).Select(l => l.LineId).ToHashSet(StringComparer.Ordinal);
        var uncovered = lines.Where(l => l.Rule is null && !giftCards.Contains(l.LineId)).Select(l => l.LineId).ToArray();
        if (uncovered.Length > 0)
            parts.Add(ExplanationPart.Of("calc.uncovered", LineList(uncovered)));
        if (giftCards.Count > 0)
            parts.Add(ExplanationPart.Of("calc.giftCards", LineList([.. giftCards])));
        if (plan.SecondTierRate > 0m)
            parts.Add(ExplanationPart.Of("calc.secondTier", ExplanationArg.OfPercent(plan.SecondTierRate), new Money(secondBasis, currency), second));
        return parts;
    }

    private static ExplanationPart LineList(IReadOnlyList<string> ids) => ExplanationPart.Of(ids.Count == 1 ? "calc.line" : "calc.lines", string.Join(", ", ids));
}
