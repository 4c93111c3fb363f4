using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// One day's figures for one combination of dimensions, in the program's time zone (ADR 0019). Click rows carry the
/// link, sub-id and creative (a click knows no shop or currency), impression rows the creative; order rows carry the shop, currency and the winning click's creative (an order row's link is
/// <see cref="Guid.Empty"/>, its sub-id ""). Dimensions are never null so the primary key can be upserted on both
/// databases. Money is in the currency's minor units so SUM runs in SQL on SQLite as on PostgreSQL.
/// </summary>
public sealed class DailyRollup : OrderMeasures, ITenantOwned
{
    public Guid WorkspaceId { get; init; }
    public DateOnly Day { get; init; }
    public Guid AffiliateId { get; init; }
    public Guid LinkId { get; init; }
    public string SubId { get; init; } = "";
    public Guid ShopId { get; init; }
    public string Currency { get; init; } = "";

    /// <summary>The creative of click and impression rows that came through one (<see cref="Guid.Empty"/> otherwise).</summary>
    public Guid CreativeId { get; init; }

    /// <summary>Clicks not flagged as bots.</summary>
    public long Clicks { get; set; }

    /// <summary>Clicks neither bot nor repeat.</summary>
    public long UniqueClicks { get; set; }

    /// <summary>Views of creatives through their pixel (<c>/i/...</c>), bots not counted.</summary>
    public long Impressions { get; set; }
}

/// <summary>
/// A month of <see cref="DailyRollup"/> rows per affiliate, shop and currency (ADR 0041), kept by database triggers on
/// <c>DailyRollups</c> in the same statement as every change there (upserts, rebuilds, deletions), so it is never
/// behind. Rankings over whole months read it instead of every day (a year is twelve rows per affiliate, not 365).
/// <see cref="Month"/> is the first day of the month; the key leads with the affiliate so a ranking groups in key order.
/// </summary>
public sealed class MonthlyRollup : OrderMeasures, ITenantOwned
{
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }
    public DateOnly Month { get; init; }
    public Guid ShopId { get; init; }
    public string Currency { get; init; } = "";
    public long Clicks { get; set; }
    public long UniqueClicks { get; set; }
    public long Impressions { get; set; }
}

/// <summary>
/// What one order last contributed to the rollups, per affiliate it pays (the credited one and a recruiter). When the
/// order changes (a late refund), the worker recomputes it from the order and its ledger entries and applies the
/// difference onto the ORDER's day, so a refund today changes yesterday's figures.
/// </summary>
public sealed class OrderContribution : OrderMeasures, ITenantOwned
{
    public Guid WorkspaceId { get; init; }
    public Guid OrderId { get; init; }
    public Guid AffiliateId { get; init; }
    public DateOnly Day { get; set; }
    public Guid ShopId { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>
    /// The creative of the click that won the order (<see cref="Orders.Order.CreativeId"/>), on the credited
    /// affiliate's row; <see cref="Guid.Empty"/> otherwise and for orders attributed before it was recorded.
    /// </summary>
    public Guid CreativeId { get; set; }
}

/// <summary>The order and money figures of a rollup row or an order's contribution (money in minor units).</summary>
public abstract class OrderMeasures
{
    /// <summary>Attributed, not cancelled, not test orders placed on the day (credited to the tier-1 affiliate).</summary>
    public long Orders { get; set; }

    /// <summary>The commission basis of those orders after refunds, minor units.</summary>
    public long RevenueMinor { get; set; }

    /// <summary>What was refunded of those orders, minor units.</summary>
    public long RefundsMinor { get; set; }

    /// <summary>Commission of every tier after refunds, reversals and clawbacks (the ledger's net), minor units.</summary>
    public long CommissionMinor { get; set; }

    /// <summary>The second-tier part of <see cref="CommissionMinor"/>.</summary>
    public long SecondTierMinor { get; set; }

    /// <summary>Commission booked as earned (Earned entries and upward adjustments), minor units.</summary>
    public long EarnedMinor { get; set; }

    /// <summary>Commission taken back (reversals, downward adjustments, clawbacks), minor units, zero or negative.</summary>
    public long ReversedMinor { get; set; }

    public void CopyOrderMeasures(OrderMeasures from)
    {
        Orders = from.Orders;
        RevenueMinor = from.RevenueMinor;
        RefundsMinor = from.RefundsMinor;
        CommissionMinor = from.CommissionMinor;
        SecondTierMinor = from.SecondTierMinor;
        EarnedMinor = from.EarnedMinor;
        ReversedMinor = from.ReversedMinor;
    }
}

/// <summary>
/// How far the rollup worker has read one source (<see cref="RollupSources"/>). Claimed with a row lock on PostgreSQL
/// (the write lock on SQLite) by whichever node updates the rollups, and moved in the same transaction as the deltas.
/// <see cref="Position"/> is the SQLite rowid read up to, or on PostgreSQL the inserting transaction id (see ADR 0019),
/// with <see cref="LastKey"/> the last row id within that transaction.
/// </summary>
public sealed class RollupWatermark
{
    public required string Source { get; init; }
    public long Position { get; set; }
    public string LastKey { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

public static class RollupSources
{
    public const string Clicks = "clicks";
    public const string Ledger = "ledger";
    public const string Impressions = "impressions";
}

/// <summary>A monthly goal: one row per workspace, month and metric (and currency for revenue).</summary>
public sealed class ReportGoal : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>The first day of the goal's month.</summary>
    public DateOnly Month { get; init; }

    public GoalMetric Metric { get; init; }

    /// <summary>The currency of a revenue goal; "" for the others.</summary>
    public string Currency { get; init; } = "";

    public decimal Target { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum GoalMetric
{
    Revenue,
    Orders,
    ActiveAffiliates,
    Roi,
}
