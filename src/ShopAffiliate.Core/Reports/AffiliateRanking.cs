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
    public sealed record Filters(Guid WorkspaceId, Guid? AffiliateId, Guid? ShopId, string? Currency, bool OrdersOnly)
    {
        /// <summary>Only these affiliates (a page of a list), or every affiliate when null.</summary>
        public IReadOnlyCollection<Guid>? Only { get; init; }
    }

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

    /// <summary>The measures of the affiliates list (<see cref="Figures"/>).</summary>
    private static readonly HashSet<string> FigureColumns =
        [nameof(DailyRollup.Clicks), nameof(DailyRollup.UniqueClicks), nameof(DailyRollup.Orders), nameof(DailyRollup.RevenueMinor), nameof(DailyRollup.CommissionMinor)];

    /// <summary>
    /// Each affiliate's clicks, unique clicks, orders, revenue and commission over <paramref name="blocks"/> (every
    /// affiliate with rollups, or those of <see cref="Filters.Only"/>), from the same parts as the ranking, as a query EF
    /// can join to the affiliates, sort and page in SQL (the admin's affiliates list).
    /// </summary>
    public static IQueryable<AffiliateFigures> Figures(AppDbContext db, IReadOnlyList<RankingRollupSql.Block> blocks, Filters filters)
    {
        var postgres = db.Database.IsNpgsql();
        using var command = db.Database.GetDbConnection().CreateCommand();
        var sums = Sums(command, blocks, filters, FigureColumns, null, postgres);
        var sql = $"SELECT g.\"Guid\" AS \"{nameof(AffiliateFigures.AffiliateId)}\", "
            + string.Join(", ", Measures.Where(FigureColumns.Contains).Select(m => $"s.\"{m}\""))
            + $" FROM ({sums}) AS s JOIN \"{RankingRollupSql.Keys}\" AS g ON g.\"Key\" = s.k";
        var parameters = command.Parameters.Cast<DbParameter>().ToArray();
        command.Parameters.Clear(); // a parameter belongs to one command: hand them to EF's
        return db.Database.SqlQueryRaw<AffiliateFigures>(sql, parameters);
    }

    private static string Sums(DbCommand command, IReadOnlyList<RankingRollupSql.Block> blocks, Filters f, IReadOnlySet<string> need, string? denominator, bool postgres)
    {
        var summed = Measures.Where(need.Contains).ToList();
        // PostgreSQL's SUM of a bigint is a numeric: cast back, so both read as Int64.
        string Sum(string expression) => postgres ? $"CAST(SUM({expression}) AS bigint)" : $"SUM({expression})";
        var zero = postgres ? "CAST(0 AS bigint)" : "0";
        var parts = new List<string>();
        var workspaceGuid = Add(command, f.WorkspaceId, postgres);
        var emptyGuid = Add(command, Guid.Empty, postgres);
        var affiliateGuid = f.AffiliateId is { } a ? Add(command, a, postgres) : null;
        var shopGuid = f.ShopId is { } s ? Add(command, s, postgres) : null;
        // The ranking table names workspaces, affiliates and shops by number (RankingRollupSql.Keys); a GUID without a
        // number has no rollups (-1 matches nothing).
        string Key(string guid) => $"COALESCE((SELECT \"Key\" FROM \"{RankingRollupSql.Keys}\" WHERE \"Guid\" = {guid}), -1)";
        var workspace = Key(workspaceGuid);
        var empty = Key(emptyGuid);
        var affiliate = affiliateGuid is null ? null : Key(affiliateGuid);
        var shop = shopGuid is null ? null : Key(shopGuid);
        var currency = f.Currency is { } c ? Add(command, c, postgres) : null;
        var only = f.Only is { } set ? string.Join(", ", set.Select(g => Add(command, g, postgres))) : null;
        if (only == "") only = emptyGuid; // an empty set: nothing but the empty id, which is never ranked
        // Click rows (currency '') hold only click measures and order rows only order ones (DailyRollup), so one part
        // may sum both kinds of rows: it adds up to what the two apart would. A shop narrows the order rows only.
        string Rows(string prefix, string? shopValue)
        {
            var orders = currency is null ? $"{prefix}\"Currency\" <> ''" : $"{prefix}\"Currency\" = {currency}";
            if (shopValue is not null) orders += $" AND {prefix}{shopValue}";
            return f.OrdersOnly ? orders : $"({prefix}\"Currency\" = '' OR ({orders}))";
        }
        string PartSums(string prefix) => string.Join(", ", summed.Select(m => $"{Sum(prefix + $"\"{m}\"")} AS \"{m}\""));
        foreach (var block in blocks)
        {
            if (block.IsDay)
            {
                // A single day from the daily table, its GUIDs turned into the ranking's numbers.
                var where = $"d.\"WorkspaceId\" = {workspaceGuid} AND d.\"Day\" = {Add(command, block.Start, postgres)} AND d.\"AffiliateId\" <> {emptyGuid}"
                    + (affiliateGuid is null ? "" : $" AND d.\"AffiliateId\" = {affiliateGuid}") + (only is null ? "" : $" AND d.\"AffiliateId\" IN ({only})") + " AND " + Rows("d.", shopGuid is null ? null : $"\"ShopId\" = {shopGuid}");
                parts.Add($"SELECT k.\"Key\" AS k, {PartSums("d.")} FROM \"DailyRollups\" AS d JOIN \"{RankingRollupSql.Keys}\" AS k ON k.\"Guid\" = d.\"AffiliateId\" WHERE {where} GROUP BY k.\"Key\"");
            }
            else
            {
                // A block: one range of the ranking table's key, in affiliate order, so it groups as it scans.
                var where = $"\"WorkspaceKey\" = {workspace} AND \"Span\" = {Add(command, block.Span, postgres)} AND \"Start\" = {Add(command, block.Start, postgres)} AND \"AffiliateKey\" <> {empty}"
                    + (affiliate is null ? "" : $" AND \"AffiliateKey\" = {affiliate}")
                    + (only is null ? "" : $" AND \"AffiliateKey\" IN (SELECT \"Key\" FROM \"{RankingRollupSql.Keys}\" WHERE \"Guid\" IN ({only}))") + " AND " + Rows("", shop is null ? null : $"\"ShopKey\" = {shop}");
                parts.Add($"SELECT \"AffiliateKey\" AS k, {PartSums("")} FROM \"{RankingRollupSql.Table}\" WHERE {where} GROUP BY \"AffiliateKey\"");
            }
        }
        if (parts.Count == 0) parts.Add($"SELECT {zero} AS k, {string.Join(", ", summed.Select(m => $"{zero} AS \"{m}\""))} FROM \"DailyRollups\" WHERE 1 = 0");

        var sums = new StringBuilder("SELECT k, ")
            .AppendJoin(", ", Measures.Select(m => need.Contains(m) ? $"{Sum($"\"{m}\"")} AS \"{m}\"" : $"{zero} AS \"{m}\""))
            .Append(" FROM (").AppendJoin(" UNION ALL ", parts).Append(") AS u GROUP BY k");
        if (denominator is not null) sums.Append($" HAVING {Sum($"\"{denominator}\"")} <> 0");
        return sums.ToString();
    }

    private static string Sql(DbCommand command, IReadOnlyList<RankingRollupSql.Block> blocks, Filters f, ReportMetric metric, IReadOnlySet<string> need, int limit, bool postgres)
    {
        var (value, denominator) = Ranking(metric, postgres ? "double precision" : "REAL");
        var sums = Sums(command, blocks, f, need, denominator, postgres);
        var columns = string.Join(", ", Measures.Select(m => $"r.\"{m}\""));
        var offset = Add(command, limit - 1, postgres);
        var limitth = $"(SELECT v FROM r ORDER BY v DESC LIMIT 1 OFFSET {offset})";
        // Only the rows that can be in the top are turned back into GUIDs: those at or above the limit-th value. A sum
        // is exact: ties by the GUID (the order of its text on SQLite and of the uuid on PostgreSQL, the same as the
        // caller's ordinal order of Guid.ToString()). A ratio keeps every row within the margin of the limit-th value
        // (a ratio's six decimals and the double's error) and the caller ranks those by the exact decimal.
        var head = $"WITH s AS MATERIALIZED ({sums}), r AS MATERIALIZED (SELECT s.*, {value} AS v FROM s) SELECT g.\"Guid\", {columns} FROM r JOIN \"{RankingRollupSql.Keys}\" AS g ON g.\"Key\" = r.k";
        if (denominator is null)
            return $"{head} WHERE r.v >= COALESCE({limitth}, {long.MinValue + 1}) ORDER BY r.v DESC, g.\"Guid\" LIMIT {Add(command, limit, postgres)}";
        return $"{head} WHERE r.v >= COALESCE({limitth}, -1e300) - (1e-6 + abs(COALESCE({limitth}, 0)) * 1e-12)";
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
        parameter.ParameterName = "@rk" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
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

/// <summary>An affiliate's figures over a period in one currency (minor units), as <see cref="AffiliateRanking.Figures"/> reads them.</summary>
public sealed class AffiliateFigures
{
    public Guid AffiliateId { get; init; }
    public long Clicks { get; init; }
    public long UniqueClicks { get; init; }
    public long Orders { get; init; }
    public long RevenueMinor { get; init; }
    public long CommissionMinor { get; init; }
}
