using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Simulation;

/// <summary>Commission, revenue and attributed orders of one affiliate (or a whole program) in one currency under one plan.</summary>
public sealed record PlanFigures(decimal Commission, decimal Revenue, int Orders)
{
    public static PlanFigures Zero { get; } = new(0m, 0m, 0);

    /// <summary>ROI as the reports define it (<see cref="ReportMath.Roi"/>): null when no commission is paid.</summary>
    public decimal? Roi => ReportMath.Roi(Revenue, Commission);

    public PlanFigures Add(PlanFigures other) => new(Commission + other.Commission, Revenue + other.Revenue, Orders + other.Orders);
}

/// <summary>
/// One affiliate in one currency: the figures under the current and the proposed plan, and what the ledger holds for
/// the same orders (<see cref="Booked"/>; equal to <see cref="Current"/> unless the plan, an affiliate's status or a
/// coupon changed since those orders were credited).
/// </summary>
public sealed record AffiliateComparison(Guid AffiliateId, string Currency, PlanFigures Current, PlanFigures Proposed, decimal Booked)
{
    public decimal Change => Proposed.Commission - Current.Commission;
}

/// <summary>A program's totals in one currency (never a sum across currencies).</summary>
public sealed record CurrencyComparison(string Currency, PlanFigures Current, PlanFigures Proposed, decimal Booked)
{
    public decimal Change => Proposed.Commission - Current.Commission;
}

public enum PlanSide
{
    Current,
    Proposed,
}

/// <summary>Adds up replayed orders per affiliate and currency. Pure; the simulator feeds it page by page.</summary>
public sealed class SimulationTally
{
    private readonly Dictionary<(Guid Affiliate, string Currency), (PlanFigures Current, PlanFigures Proposed, decimal Booked)> _rows = [];

    /// <summary>A commission (any tier) of one replayed order, with the order's revenue when it credits <paramref name="affiliate"/> (tier 1).</summary>
    public void Add(PlanSide side, Guid affiliate, string currency, decimal commission, decimal revenue, bool creditedOrder)
    {
        var figures = new PlanFigures(commission, revenue, creditedOrder ? 1 : 0);
        var row = Row(affiliate, currency);
        _rows[(affiliate, Currencies.Normalize(currency))] = side == PlanSide.Current
            ? row with { Current = row.Current.Add(figures) }
            : row with { Proposed = row.Proposed.Add(figures) };
    }

    /// <summary>A ledger entry that changed the affiliate's total (not an approval or payment transfer).</summary>
    public void AddBooked(Guid affiliate, string currency, decimal amount)
    {
        var row = Row(affiliate, currency);
        _rows[(affiliate, Currencies.Normalize(currency))] = row with { Booked = row.Booked + amount };
    }

    /// <summary>Affiliates with any figure, by currency then id.</summary>
    public IReadOnlyList<AffiliateComparison> Affiliates() =>
        _rows.OrderBy(r => r.Key.Currency, StringComparer.Ordinal).ThenBy(r => r.Key.Affiliate)
            .Select(r => new AffiliateComparison(r.Key.Affiliate, r.Key.Currency, r.Value.Current, r.Value.Proposed, r.Value.Booked))
            .ToList();

    public IReadOnlyList<CurrencyComparison> Totals() =>
        _rows.GroupBy(r => r.Key.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyComparison(g.Key,
                g.Aggregate(PlanFigures.Zero, (sum, r) => sum.Add(r.Value.Current)),
                g.Aggregate(PlanFigures.Zero, (sum, r) => sum.Add(r.Value.Proposed)),
                g.Sum(r => r.Value.Booked)))
            .ToList();

    private (PlanFigures Current, PlanFigures Proposed, decimal Booked) Row(Guid affiliate, string currency) =>
        _rows.TryGetValue((affiliate, Currencies.Normalize(currency)), out var row) ? row : (PlanFigures.Zero, PlanFigures.Zero, 0m);
}
