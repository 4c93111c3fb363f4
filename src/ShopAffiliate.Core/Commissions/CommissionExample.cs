using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Commissions;

/// <summary>
/// An order to show a plan on: one line of <see cref="Amount"/> as the customer paid it (prices including
/// <see cref="VatPercent"/> VAT, after discounts), of a product (and its collection), maybe with a coupon, by an
/// affiliate who already sold <see cref="SalesBefore"/> this tier period.
/// </summary>
public sealed record ExampleOrder(decimal Amount, decimal VatPercent, string? ProductId, string? CollectionId, string? CouponCode, decimal SalesBefore = 0m);

/// <summary>What the example order earns: the basis the engine paid on, the VAT in the amount and the engine's quote.</summary>
public sealed record ExampleResult(ExampleOrder Order, string Currency, decimal Gross, decimal Vat, decimal Basis, CommissionQuote Quote);

/// <summary>
/// The live example of the groups page: the example order is built the way the platform adapters build a real one
/// where prices include VAT (the tax taken out of the line, ADR 0015; shipping never in a line) and priced by
/// <see cref="CommissionCalculator"/> itself, so the example pays what a real order would, to the øre.
/// </summary>
public static class CommissionExample
{
    public const decimal MaxAmount = 1_000_000_000m;

    public static ExampleResult Compute(CommissionPlan plan, ExampleOrder order, string currency)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(order);
        if (order.Amount is < 0 or > MaxAmount) throw new ArgumentOutOfRangeException(nameof(order), "The example amount is 0 to a billion.");
        if (order.VatPercent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(order), "VAT is 0 to 100 %.");
        currency = Currencies.Normalize(currency);
        var gross = Currencies.Round(order.Amount, currency);
        var net = Currencies.Round(gross / (1m + order.VatPercent / 100m), currency);
        var vat = gross - net;
        var line = new OrderLine("1", Blank(order.ProductId), Blank(order.CollectionId) is { } c ? [c] : [], 1, net, vat, Title: Blank(order.ProductId));
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var example = new OrderEvent(
            new ShopId(Guid.Empty), new ExternalOrderId("example"), "#1001", at, at, currency, OrderState.Paid, IsTest: false,
            CustomerId: null, CustomerEmail: null, [line], Blank(order.CouponCode) is { } code ? [code] : [], [], ShippingTotal: 0m, TaxTotal: vat,
            TaxesIncluded: true);
        var quote = CommissionCalculator.Calculate(example, plan, Math.Max(0m, order.SalesBefore));
        return new ExampleResult(order, currency, gross, vat, quote.Lines.Sum(l => l.Basis), quote);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
