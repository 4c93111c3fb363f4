using System.Globalization;
using System.Text.RegularExpressions;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Explanations;

namespace ShopAffiliate.Core.Tests.Engine;

/// <summary>
/// The engine as the engine tests call it, with the check of ADR 0051 on every scenario: the explanation comes with
/// its parts, the stored English text is the English rendering of those parts, also after the parts' trip through
/// their JSON column, and the Danish rendering knows every key and argument (no key, no "{0}" left in the text).
/// </summary>
internal static class ExplainedEngine
{
    private const string Danish = "da";
    private static readonly Regex Placeholder = new(@"\{\d\}");

    public static AttributionResult Attribute(OrderEvent order, AttributionInputs inputs)
    {
        var result = AttributionEngine.Attribute(order, inputs);
        Check(result.Parts, result.Explanation);
        return result;
    }

    public static CommissionQuote Calculate(OrderEvent order, CommissionPlan plan, decimal salesInPeriodBeforeThisOrder = 0m)
    {
        var quote = CommissionCalculator.Calculate(order, plan, salesInPeriodBeforeThisOrder);
        Check(quote.Parts, quote.Explanation);
        return quote;
    }

    public static void Check(IReadOnlyList<ExplanationPart>? parts, string storedText)
    {
        Assert.NotNull(parts);
        Assert.NotEmpty(parts);
        Assert.Equal(storedText, ExplanationEnglish.Render(parts));
        var json = ExplanationJson.Serialize(parts);
        Assert.Equal(storedText, ExplanationRenderer.Render(json, "fallback", "en"));
        var danish = ExplanationRenderer.Render(json, "fallback", Danish);
        if (!Placeholder.IsMatch(storedText))
            Assert.DoesNotMatch(Placeholder, danish);
        foreach (var key in Keys(parts))
        {
            Assert.True(ExplanationRenderer.Danish.ContainsKey(key), $"No Danish text for '{key}'.");
            if (key != ExplanationTexts.Verbatim)
                Assert.DoesNotContain(key, danish, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> Keys(IEnumerable<ExplanationPart> parts) =>
        parts.SelectMany(p => (p.Args ?? []).SelectMany(a => a.Parts is null ? [] : Keys(a.Parts)).Prepend(p.Key));
}
