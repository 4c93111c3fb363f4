using System.Globalization;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// A commission group's rules in words, in the page's language: "10 % on all products", "25,00 kr. per item on
/// products A, B", "5 % with coupon SOMMER", with their performance steps and the second tier.
/// </summary>
public sealed class RuleWords(IStringLocalizer<AdminText> text, string programCurrency)
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    public string Describe(CommissionRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var value = Value(rule.Kind, rule.Value, rule.Currency);
        var ids = string.Join(", ", rule.Scope.Ids);
        var words = (rule.Kind, rule.Scope.Kind) switch
        {
            (RuleKind.Percent, RuleScopeKind.All) => text["{0} on all products", value],
            (RuleKind.Flat, RuleScopeKind.All) => text["{0} per order", value],
            (RuleKind.Percent, RuleScopeKind.Product) => text["{0} on products {1}", value, ids],
            (RuleKind.Flat, RuleScopeKind.Product) => text["{0} per item of products {1}", value, ids],
            (RuleKind.Percent, RuleScopeKind.Collection) => text["{0} on collections {1}", value, ids],
            (RuleKind.Flat, RuleScopeKind.Collection) => text["{0} per item of collections {1}", value, ids],
            (RuleKind.Percent, _) => text["{0} on orders with coupons {1}", value, ids.ToUpperInvariant()],
            _ => text["{0} per order with coupons {1}", value, ids.ToUpperInvariant()],
        };
        var result = words.Value;
        foreach (var tier in rule.Tiers.OrderBy(t => t.SalesThreshold))
        {
            result += "; " + text["{0} once sales this period reach {1}", Value(rule.Kind, tier.Value, rule.Currency),
                Formats.Money(tier.SalesThreshold, programCurrency, Culture)].Value;
        }
        return result;
    }

    /// <summary>What a rule covers, for a rule without a name of its own.</summary>
    public string Scope(RuleScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var ids = string.Join(", ", scope.Ids);
        return (scope.Kind switch
        {
            RuleScopeKind.All => text["Scope.AllProducts"],
            RuleScopeKind.Product => text["products {0}", ids],
            RuleScopeKind.Collection => text["collections {0}", ids],
            _ => text["coupons {0}", ids.ToUpperInvariant()],
        }).Value;
    }

    public string SecondTier(decimal rate) =>
        text["The recruiting affiliate earns {0} of the same sales (second tier).", Formats.Percent(rate, Culture, 1)].Value;

    public string Value(RuleKind kind, decimal value, string? currency) =>
        kind == RuleKind.Percent ? Formats.Percent(value, Culture, Decimals(value * 100m)) : Formats.Money(value, currency ?? programCurrency, Culture);

    /// <summary>12.5 % keeps its decimal, 10 % shows none.</summary>
    private static int Decimals(decimal percent) => percent == decimal.Round(percent) ? 0 : percent * 10 == decimal.Round(percent * 10) ? 1 : 2;
}
