using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// The affiliate ranking's candidates, ranked in SQL (ADR 0041): the period's blocks of months and days from
/// "RankingRollups" (<see cref="RankingRollupSql.Decompose"/>) and its single days from "DailyRollups" in one
/// <c>UNION ALL</c>, summed per affiliate, and only the rows that can
/// be in the top <c>limit</c> returned, instead of every affiliate's sums (10,000 rows materialized and ranked in
/// memory cost more than the database's own work).
/// <list type="bullet">
/// <item>A sum (clicks, orders, revenue, commission, ...) is ranked exactly in SQL: integer sums, ties by affiliate id
/// (the order of the GUID's text on SQLite and of the uuid on PostgreSQL, the same as the caller's ordinal order of
/// <see cref="Guid.ToString()"/>).</item>
/// <item>A ratio (CTR, conversion rate, EPC, AOV, ROI) is a decimal rounded to six places in the report, which a
/// double in SQL cannot reproduce. SQL orders by the double and returns every row within 1e-6 (plus the double's own
/// error) of the limit-th value; the caller ranks those by the exact decimal. A row left out is then more than 1e-6
/// below <c>limit</c> rows in exact arithmetic too, so it cannot be in the top: the result is the same as ranking all.</item>
/// </list>
/// A ratio with a zero denominator is null and not ranked (HAVING), as in memory.
/// </summary>
internal static class AffiliateRanking
{
    public sealed record Filters(Guid WorkspaceId, Guid? AffiliateId, Guid? ShopId, string? Currency, bool OrdersOnly);

    public sealed record Candidate(Guid AffiliateId, long Clicks, long UniqueClicks, long Impressions, long Orders, long RevenueMinor, long RefundsMinor, long CommissionMinor);

    private static readonly HashSet<string> ClickColumns = [nameof(DailyRollup.Clicks), nameof(DailyRollup.UniqueClicks), nameof(DailyRollup.Impressions)];

    private static readonly HashSet<string> OrderColumns =
        [nameof(DailyRollup.Orders), nameof(DailyRollup.RevenueMinor), nameof(DailyRollup.RefundsMinor), nameof(DailyRollup.CommissionMinor)];

    internal static readonly string[] Measures =
        [nameof(DailyRollup.Clicks), nameof(DailyRollup.UniqueClicks), nameof(DailyRollup.Impressions), nameof(DailyRollup.Orders),
         nameof(DailyRollup.RevenueMinor), nameof(DailyRollup.RefundsMinor), nameof(DailyRollup.CommissionMinor)];

    /// <summary>The candidates for the top <paramref name="limit"/> by <paramref name="metric"/>; only the columns in <paramref name="need"/> are summed (the others are 0).</summary>
    public static async Task<List<Candidate>> CandidatesAsync(
        AppDbContext db, IReadOnlyList<RankingRollupSql.Block> blocks, Filters filters, ReportMetric metric, IReadOnlySet<string> need, int limit, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = Sql(command, blocks, filters, metric, need, limit, postgres);
            var found = new List<Candidate>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = postgres ? reader.GetGuid(0) : Guid.Parse(reader.GetString(0));
                found.Add(new Candidate(id, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                    reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
            }
            return found;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Sql(DbCommand command, IReadOnlyList<RankingRollupSql.Block> blocks, Filters f, ReportMetric metric, IReadOnlySet<string> need, int limit, bool postgres)
    {
        var summed = Measures.Where(need.Contains).ToList();
        var real = postgres ? "double precision" : "REAL";
        // PostgreSQL's SUM of a bigint is a numeric: cast back, so both read as Int64.
        string Sum(string column) => postgres ? $"CAST(SUM(\"{column}\") AS bigint)" : $"SUM(\"{column}\")";
        var zero = postgres ? "CAST(0 AS bigint)" : "0";
        var parts = new List<string>();
        // Each block summed per affiliate first, its click rows (currency '') and its order rows apart: each is one
        // range of the ranking table's key in affiliate order, so it groups as it scans, and the outer GROUP BY sorts
        // the blocks' sums instead of every row. Click rows hold only click measures and order rows only order ones
        // (DailyRollup), so the parts add up to what one pass over both would.
        var orderCurrency = f.Currency is { } c ? $"\"Currency\" = {Add(command, c, postgres)}" : "\"Currency\" <> ''";
        var workspace = Add(command, f.WorkspaceId, postgres);
        var empty = Add(command, Guid.Empty, postgres);
        var affiliate = f.AffiliateId is { } a ? Add(command, a, postgres) : null;
        var shop = f.ShopId is { } s ? Add(command, s, postgres) : null;
        foreach (var block in blocks)
        {
            var where = block.IsDay
                ? $" FROM \"DailyRollups\" WHERE \"WorkspaceId\" = {workspace} AND \"Day\" = {Add(command, block.Start, postgres)}"
                : $" FROM \"{RankingRollupSql.Table}\" WHERE \"WorkspaceId\" = {workspace} AND \"Span\" = {Add(command, block.Span, postgres)} AND \"Start\" = {Add(command, block.Start, postgres)}";
            where += $" AND \"AffiliateId\" <> {empty}" + (affiliate is null ? "" : $" AND \"AffiliateId\" = {affiliate}");
            string Part(IReadOnlySet<string> columns, string filter) =>
                new StringBuilder("SELECT \"AffiliateId\", ").AppendJoin(", ", summed.Select(m => columns.Contains(m) ? $"{Sum(m)} AS \"{m}\"" : $"{zero} AS \"{m}\""))
                    .Append(where).Append(" AND ").Append(filter).Append(" GROUP BY \"AffiliateId\"").ToString();
            if (!f.OrdersOnly) parts.Add(Part(ClickColumns, "\"Currency\" = ''"));
            parts.Add(Part(OrderColumns, shop is null ? orderCurrency : $"{orderCurrency} AND \"ShopId\" = {shop}"));
        }
        if (parts.Count == 0) parts.Add($"SELECT \"AffiliateId\", {string.Join(", ", summed.Select(m => $"{zero} AS \"{m}\""))} FROM \"DailyRollups\" WHERE 1 = 0");

        var (value, denominator) = Ranking(metric, real);
        var sums = new StringBuilder("SELECT \"AffiliateId\" AS k, ")
            .AppendJoin(", ", Measures.Select(m => need.Contains(m) ? $"{Sum(m)} AS \"{m}\"" : $"{zero} AS \"{m}\""))
            .Append(" FROM (").AppendJoin(" UNION ALL ", parts).Append(") AS u GROUP BY \"AffiliateId\"");
        if (denominator is not null) sums.Append($" HAVING {Sum(denominator)} <> 0");
        var columns = "k, " + string.Join(", ", Measures.Select(m => $"\"{m}\""));
        var top = Add(command, limit, postgres);
        if (denominator is null)
            return $"SELECT {columns} FROM ({sums}) AS s ORDER BY {value} DESC, k LIMIT {top}";

        // The limit-th value, and every row within the margin of it (a ratio's six decimals and the double's error).
        var offset = Add(command, limit - 1, postgres);
        return $"""
            WITH s AS MATERIALIZED ({sums}), r AS MATERIALIZED (SELECT {columns}, {value} AS v FROM s)
            SELECT {columns} FROM r
            WHERE r.v >= COALESCE((SELECT v FROM r ORDER BY v DESC LIMIT 1 OFFSET {offset}), -1e300) - (1e-6 + abs(COALESCE((SELECT v FROM r ORDER BY v DESC LIMIT 1 OFFSET {offset}), 0)) * 1e-12)
            """;
    }

    /// <summary>The SQL value ranked by (over the summed columns of <c>s</c>), and a ratio's denominator column.</summary>
    private static (string Value, string? Denominator) Ranking(ReportMetric metric, string real)
    {
        static string Q(string column) => $"\"{column}\"";
        string Ratio(string numerator, string denominator) => $"CAST({numerator} AS {real}) / {Q(denominator)}";
        return metric switch
        {
            ReportMetric.Clicks => (Q(nameof(DailyRollup.Clicks)), null),
            ReportMetric.UniqueClicks => (Q(nameof(DailyRollup.UniqueClicks)), null),
            ReportMetric.Impressions => (Q(nameof(DailyRollup.Impressions)), null),
            ReportMetric.Orders => (Q(nameof(DailyRollup.Orders)), null),
            ReportMetric.Revenue => (Q(nameof(DailyRollup.RevenueMinor)), null),
            ReportMetric.Commission => (Q(nameof(DailyRollup.CommissionMinor)), null),
            ReportMetric.Refunds => (Q(nameof(DailyRollup.RefundsMinor)), null),
            ReportMetric.Ctr => (Ratio(Q(nameof(DailyRollup.UniqueClicks)), nameof(DailyRollup.Impressions)), nameof(DailyRollup.Impressions)),
            ReportMetric.ConversionRate => (Ratio(Q(nameof(DailyRollup.Orders)), nameof(DailyRollup.UniqueClicks)), nameof(DailyRollup.UniqueClicks)),
            ReportMetric.Epc => (Ratio(Q(nameof(DailyRollup.CommissionMinor)), nameof(DailyRollup.UniqueClicks)), nameof(DailyRollup.UniqueClicks)),
            ReportMetric.Aov => (Ratio(Q(nameof(DailyRollup.RevenueMinor)), nameof(DailyRollup.Orders)), nameof(DailyRollup.Orders)),
            ReportMetric.Roi => (Ratio($"{Q(nameof(DailyRollup.RevenueMinor))} - {Q(nameof(DailyRollup.CommissionMinor))}", nameof(DailyRollup.CommissionMinor)),
                nameof(DailyRollup.CommissionMinor)),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        };
    }

    /// <summary>
    /// The currencies in the program's totals rows (affiliate id empty) of the days from <paramref name="from"/> to
    /// <paramref name="to"/>. On SQLite the (WorkspaceId, AffiliateId, Day) index is named: without statistics SQLite
    /// chose the primary key's day range, a scan of every row of the period (120 ms for a year of 1,000,000 clicks
    /// instead of 4 ms), on every money ranking.
    /// </summary>
    public static async Task<List<string>> PeriodCurrenciesAsync(AppDbContext db, Guid workspaceId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var index = postgres ? "" : " INDEXED BY \"IX_DailyRollups_WorkspaceId_AffiliateId_Day\"";
            command.CommandText = $"SELECT DISTINCT \"Currency\" FROM \"DailyRollups\"{index} WHERE \"WorkspaceId\" = {Add(command, workspaceId, postgres)}"
                + $" AND \"AffiliateId\" = {Add(command, Guid.Empty, postgres)} AND \"Day\" >= {Add(command, from, postgres)} AND \"Day\" <= {Add(command, to, postgres)}"
                + " AND \"Currency\" <> ''";
            var found = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) found.Add(reader.GetString(0));
            return found;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A parameter bound as EF stores the value: on SQLite GUIDs as upper-case text and dates as yyyy-MM-dd.</summary>
    private static string Add(DbCommand command, object value, bool postgres)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameter.Value = (value, postgres) switch
        {
            (Guid g, false) => g.ToString().ToUpperInvariant(),
            (DateOnly d, false) => d.ToString(ReportCalendar.DateFormat, CultureInfo.InvariantCulture),
            (int n, _) => (long)n,
            _ => value,
        };
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
