using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// One day's figures of one product of one shop in attributed orders, per credited affiliate, in the program's time
/// zone; affiliate <see cref="Guid.Empty"/> holds the program's totals. Money in minor units (ADR 0019). An order's
/// revenue and tier-1 commission are spread over its lines (after refunds) by largest remainder, so the products of an
/// order add up to the order's figures exactly (ADR 0030).
/// </summary>
public sealed class DailyProductRollup : ProductMeasures, ITenantOwned, IProductRow
{
    public Guid WorkspaceId { get; init; }
    public DateOnly Day { get; init; }
    public Guid AffiliateId { get; init; }
    public Guid ShopId { get; init; }

    /// <summary>The shop's product id, as the platform sends it.</summary>
    public string ProductId { get; init; } = "";

    public string Currency { get; init; } = "";
}

/// <summary>
/// A month of <see cref="DailyProductRollup"/> rows (ADR 0041), kept by database triggers on <c>DailyProductRollups</c>
/// like <see cref="MonthlyRollup"/>; <see cref="Month"/> is the first day of the month.
/// </summary>
public sealed class MonthlyProductRollup : ProductMeasures, ITenantOwned, IProductRow
{
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }
    public Guid ShopId { get; init; }
    public string ProductId { get; init; } = "";
    public DateOnly Month { get; init; }
    public string Currency { get; init; } = "";
}

/// <summary>What one order last contributed to one product's rollups (the worker applies the difference on a change).</summary>
public sealed class OrderProductContribution : ProductMeasures, ITenantOwned
{
    public Guid WorkspaceId { get; init; }
    public Guid OrderId { get; init; }
    public string ProductId { get; init; } = "";
    public Guid AffiliateId { get; set; }
    public DateOnly Day { get; set; }
    public Guid ShopId { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>The product's name on this order's line (the reports show the latest one seen).</summary>
    public string? Title { get; set; }
}

/// <summary>Orders containing the product, units kept after refunds, its share of revenue and of tier-1 commission.</summary>
public abstract class ProductMeasures
{
    public long Orders { get; set; }
    public long Quantity { get; set; }
    public long RevenueMinor { get; set; }
    public long CommissionMinor { get; set; }
}

/// <summary>What the product rankings filter and group by, on the daily and the monthly rows alike.</summary>
public interface IProductRow
{
    Guid AffiliateId { get; }
    Guid ShopId { get; }
    string ProductId { get; }
    string Currency { get; }
}
