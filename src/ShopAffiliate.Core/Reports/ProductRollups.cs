using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;

namespace ShopAffiliate.Core.Reports;

// The SQL below interpolates only constants of this file (table and column names); every value is a parameter.
#pragma warning disable EF1002

/// <summary>
/// The per-product rollups (<see cref="DailyProductRollup"/>), kept by the rollup worker in the same transaction as the
/// order rollups (<see cref="RollupUpdater"/>): when an order's ledger entries move, its product contributions are
/// recomputed from its stored state and the difference is applied, on the order's day (ADR 0030).
/// </summary>
internal sealed class ProductRollups(AppDbContext db)
{
    /// <summary>
    /// Recomputes the product contributions of <paramref name="orderIds"/> (the ones found, as the order rollups see
    /// them, in <paramref name="orders"/>; an order not there contributes nothing any more) and applies the differences.
    /// </summary>
    public async Task RefreshAsync(IReadOnlyCollection<Guid> orderIds, IReadOnlyCollection<OrderDay> orders, CancellationToken ct)
    {
        if (orderIds.Count == 0) return;
        var ids = orderIds.ToList();
        var credited = orders.Where(o => o.AffiliateId is not null).Select(o => o.OrderId).ToList();
        var states = await db.Orders.IgnoreQueryFilters().AsNoTracking().Where(o => credited.Contains(o.Id))
            .Select(o => new { o.Id, o.StateJson }).ToDictionaryAsync(o => o.Id, o => o.StateJson, ct);
        // Tier 1 only: the second tier pays the recruiter, not for the product's seller. Summed in memory (SQLite cannot
        // sum decimal), entry by entry in minor units like the order rollups.
        var tier1 = (await db.Ledger.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.OrderId != null && credited.Contains(e.OrderId.Value) && e.Tier == 1
                            && e.Kind != LedgerEntryKind.Approved && e.Kind != LedgerEntryKind.Paid)
                .Select(e => new { OrderId = e.OrderId!.Value, e.Amount, e.Currency })
                .ToListAsync(ct))
            .GroupBy(e => e.OrderId)
            .ToDictionary(g => g.Key, g => g.Sum(e => ReportMath.ToMinor(e.Amount, e.Currency)));
        var old = await db.OrderProductContributions.IgnoreQueryFilters().Where(c => ids.Contains(c.OrderId)).ToListAsync(ct);

        var fresh = new List<OrderProductContribution>();
        foreach (var o in orders)
        {
            if (o.AffiliateId is not { } affiliate || !states.TryGetValue(o.OrderId, out var json)) continue;
            fresh.AddRange(Split(o, affiliate, OrderStateJson.Deserialize(json), tier1.GetValueOrDefault(o.OrderId)));
        }

        var deltas = new Dictionary<ProductKey, Delta>();
        void Add(OrderProductContribution c, int sign)
        {
            var d = new Delta(c.Orders * sign, c.Quantity * sign, c.RevenueMinor * sign, c.CommissionMinor * sign);
            var key = new ProductKey(c.WorkspaceId, c.Day, c.AffiliateId, c.ShopId, c.ProductId, c.Currency);
            deltas[key] = deltas.GetValueOrDefault(key) + d;
            var total = key with { AffiliateId = Guid.Empty };
            deltas[total] = deltas.GetValueOrDefault(total) + d;
        }
        foreach (var c in old) Add(c, -1);
        foreach (var c in fresh) Add(c, 1);
        await UpsertAsync(deltas, ct);

        // Replace in place (same key: order and product), so EF never tracks two rows for one key.
        var oldByKey = old.ToDictionary(c => (c.OrderId, c.ProductId));
        foreach (var c in fresh)
        {
            if (oldByKey.Remove((c.OrderId, c.ProductId), out var existing))
            {
                existing.AffiliateId = c.AffiliateId;
                existing.Day = c.Day;
                existing.ShopId = c.ShopId;
                existing.Currency = c.Currency;
                existing.Title = c.Title;
                existing.Orders = c.Orders;
                existing.Quantity = c.Quantity;
                existing.RevenueMinor = c.RevenueMinor;
                existing.CommissionMinor = c.CommissionMinor;
            }
            else
            {
                db.OrderProductContributions.Add(c);
            }
        }
        db.OrderProductContributions.RemoveRange(oldByKey.Values);
    }

    /// <summary>Rebuilds one day's product rollups from the contributions (which the caller refreshed first).</summary>
    public async Task RebuildDayAsync(Guid workspaceId, DateOnly day, CancellationToken ct)
    {
        await db.DailyProductRollups.IgnoreQueryFilters().Where(r => r.WorkspaceId == workspaceId && r.Day == day).ExecuteDeleteAsync(ct);
        foreach (var affiliate in new[] { "\"AffiliateId\"", "{2}" })
        {
            await db.Database.ExecuteSqlRawAsync(
                $$"""
                INSERT INTO "DailyProductRollups" ({{Columns}})
                SELECT {0}, {1}, {{affiliate}}, "ShopId", "ProductId", "Currency",
                       SUM("Orders"), SUM("Quantity"), SUM("RevenueMinor"), SUM("CommissionMinor")
                FROM "OrderProductContributions"
                WHERE "WorkspaceId" = {0} AND "Day" = {1}
                GROUP BY {{affiliate}}, "ShopId", "ProductId", "Currency"
                """,
                [workspaceId, day, Guid.Empty], ct);
        }
    }

    /// <summary>
    /// One order's contribution per product: the order's revenue after refunds (as the order rollups count it) and its
    /// tier-1 commission (the ledger's net) spread over the lines by what refunds left of each line's revenue and
    /// quoted commission, largest remainder, so the parts add up to the order exactly. Lines without a product id
    /// (custom items) take their share but are not reported.
    /// </summary>
    internal static IEnumerable<OrderProductContribution> Split(OrderDay o, Guid affiliate, OrderCommissionState state, long commissionMinor)
    {
        if (state.Order is not { } order || order.Lines.Count == 0) yield break;
        var keep = state.LineKeep();
        var quoted = (state.Quote?.Lines ?? []).ToDictionary(l => l.LineId, l => l.Amount.Amount, StringComparer.Ordinal);
        var lines = order.Lines;
        var basis = lines.Select(l => l.NetRevenue * keep.GetValueOrDefault(l.LineId, 1m)).ToList();
        var commissionWeights = lines.Select((l, i) => quoted.GetValueOrDefault(l.LineId) * keep.GetValueOrDefault(l.LineId, 1m)).ToList();
        if (commissionWeights.Sum() <= 0m) commissionWeights = basis;
        var revenue = Spread(o.RevenueMinor, basis);
        var commission = Spread(commissionMinor, commissionWeights);

        var byProduct = new Dictionary<string, OrderProductContribution>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.ProductId is not { Length: > 0 and <= MaxProductId } product) continue;
            if (!byProduct.TryGetValue(product, out var c))
            {
                c = byProduct[product] = new OrderProductContribution
                {
                    WorkspaceId = o.WorkspaceId, OrderId = o.OrderId, ProductId = product, AffiliateId = affiliate, Day = o.Day,
                    ShopId = o.ShopId, Currency = o.Currency, Orders = 1,
                };
            }
            c.Title ??= line.Title;
            c.Quantity += (long)decimal.Round(line.Quantity * keep.GetValueOrDefault(line.LineId, 1m), MidpointRounding.AwayFromZero);
            c.RevenueMinor += revenue[i];
            c.CommissionMinor += commission[i];
        }
        foreach (var c in byProduct.Values)
        {
            // A product every unit of which was refunded is no longer in the order.
            if (c.Quantity == 0 && c.RevenueMinor == 0 && c.CommissionMinor == 0) continue;
            yield return c;
        }
    }

    public const int MaxProductId = 64;

    /// <summary><paramref name="total"/> minor units in proportion to <paramref name="weights"/> (negative totals mirrored).</summary>
    private static long[] Spread(long total, IReadOnlyList<decimal> weights)
    {
        var parts = CommissionCalculator.Allocate(Math.Abs(total), weights.Select(w => Math.Max(0m, w)).ToList(), 0);
        return parts.Select(p => (long)p * Math.Sign(total)).ToArray();
    }

    private const string KeyColumns = "\"WorkspaceId\", \"Day\", \"AffiliateId\", \"ShopId\", \"ProductId\", \"Currency\"";

    private static readonly string[] Measures = ["Orders", "Quantity", "RevenueMinor", "CommissionMinor"];

    private static readonly string Columns = KeyColumns + ", " + string.Join(", ", Measures.Select(m => $"\"{m}\""));

    private static readonly string OnConflict =
        $" ON CONFLICT ({KeyColumns}) DO UPDATE SET " + string.Join(", ", Measures.Select(m => $"\"{m}\" = \"DailyProductRollups\".\"{m}\" + excluded.\"{m}\""));

    private Task UpsertAsync(Dictionary<ProductKey, Delta> deltas, CancellationToken ct) =>
        RollupSql.UpsertAsync(db, "DailyProductRollups", Columns, OnConflict, deltas.Where(d => d.Value != default).Select(x => new object[]
        {
            x.Key.WorkspaceId, x.Key.Day, x.Key.AffiliateId, x.Key.ShopId, x.Key.ProductId, x.Key.Currency,
            x.Value.Orders, x.Value.Quantity, x.Value.RevenueMinor, x.Value.CommissionMinor,
        }), ct);

    private readonly record struct ProductKey(Guid WorkspaceId, DateOnly Day, Guid AffiliateId, Guid ShopId, string ProductId, string Currency);

    private readonly record struct Delta(long Orders, long Quantity, long RevenueMinor, long CommissionMinor)
    {
        public static Delta operator +(Delta a, Delta b) =>
            new(a.Orders + b.Orders, a.Quantity + b.Quantity, a.RevenueMinor + b.RevenueMinor, a.CommissionMinor + b.CommissionMinor);
    }
}

/// <summary>An order as the rollups count it: its day, shop, currency, credited affiliate and revenue after refunds.</summary>
internal sealed record OrderDay(Guid WorkspaceId, Guid OrderId, DateOnly Day, Guid ShopId, string Currency, Guid? AffiliateId, long RevenueMinor);
