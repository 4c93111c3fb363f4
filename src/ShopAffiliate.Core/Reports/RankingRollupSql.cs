using System.Globalization;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// The affiliate ranking's blocks (ADR 0041, amendment of 2026-12-02): <c>DailyRollups</c> summed per affiliate, shop and
/// currency over aligned blocks of time, kept by row triggers on the daily table like the monthly tables.
/// <list type="bullet">
/// <item>Month blocks of 1, 2, 4 and 8 months (<c>Span</c> 1001, 1002, 1004, 1008), aligned on the month number
/// (<c>year * 12 + month - 1</c>) divisible by the span; <c>Start</c> is the first day of the block.</item>
/// <item>Day blocks of 2, 4, 8 and 16 days inside one month (<c>Span</c> 2, 4, 8, 16), aligned on the day of the month
/// (<c>day - 1</c> divisible by the span) and cut at the month's end; single days are read from the daily table.</item>
/// </list>
/// Any period is then a handful of blocks (<see cref="Decompose"/>): a year of whole months is at most four, each edge of
/// days at most four blocks and two days. The key leads with span, start and currency, so a block is one contiguous
/// range of the primary key in affiliate order, and a ranking reads only the period's rows (the monthly table's key
/// leads with the affiliate, so it read every month of the program's history for any period).
/// The table is not in the EF model: only <see cref="AffiliateRanking"/> reads it, by hand-written SQL.
/// </summary>
public sealed class RankingRollupSql : IRollupTriggers
{
    public const string Table = "RankingRollups";

    public static RankingRollupSql Affiliates { get; } = new();

    /// <summary>The month spans (as <c>1000 + months</c>) and day spans kept, largest first.</summary>
    public static readonly int[] MonthSpans = [8, 4, 2, 1];

    public static readonly int[] DaySpans = [16, 8, 4, 2];

    private static readonly string[] Measures =
        ["Clicks", "UniqueClicks", "Impressions", "Orders", "RevenueMinor", "RefundsMinor", "CommissionMinor", "SecondTierMinor", "EarnedMinor", "ReversedMinor"];

    /// <summary>The daily row's columns that place it in a block: when an update keeps them, it applies its difference.</summary>
    private static readonly string[] Placing = ["WorkspaceId", "Day", "AffiliateId", "ShopId", "Currency"];

    /// <summary>
    /// Workspace, affiliate and shop are numbers from <see cref="Keys"/>, not GUIDs, and the affiliate comes before the
    /// currency: a block is one range of the key in affiliate order with an affiliate's click row ('') and order rows
    /// side by side, so one part per block groups both as it scans (ADR 0041, fourth amendment).
    /// </summary>
    private const string KeyColumns = "\"WorkspaceKey\", \"Span\", \"Start\", \"AffiliateKey\", \"Currency\", \"ShopKey\"";

    /// <summary>The numbers standing for GUIDs (workspaces, affiliates, shops) in the ranking table, handed out by the triggers.</summary>
    public const string Keys = "RankingKeys";

    public string Trigger => "TR_DailyRollups_Rank";

    public string Function => "sa_daily_rollups_to_ranking";

    public int TriggerCount(bool postgres) => postgres ? 1 : 4;

    /// <summary>A period's blocks and single days, in the order they are read.</summary>
    public readonly record struct Block(int Span, DateOnly Start)
    {
        /// <summary>A single day, read from <c>DailyRollups</c>.</summary>
        public bool IsDay => Span == 1;
    }

    /// <summary>
    /// <paramref name="from"/>..<paramref name="to"/> (both included) as blocks: whole months as month blocks, the days
    /// around them (or the whole period, when it holds no whole month) as day blocks of each month and single days.
    /// </summary>
    public static List<Block> Decompose(DateOnly from, DateOnly to)
    {
        var blocks = new List<Block>();
        if (to < from) return blocks;
        var firstMonth = from.Day == 1 ? from : ReportCalendar.MonthStart(from).AddMonths(1);
        var afterLastMonth = ReportCalendar.MonthStart(to.AddDays(1));
        if (firstMonth < afterLastMonth)
        {
            Days(from, firstMonth.AddDays(-1));
            for (var g = MonthNumber(firstMonth); g <= MonthNumber(afterLastMonth) - 1;)
            {
                var last = MonthNumber(afterLastMonth) - 1;
                var span = MonthSpans.First(s => g % s == 0 && g + s - 1 <= last);
                blocks.Add(new Block(1000 + span, FromMonthNumber(g)));
                g += span;
            }
            Days(afterLastMonth, to);
        }
        else Days(from, to);
        return blocks;

        // Days of one or two months (a period without a whole month can cross one month's end), month by month.
        void Days(DateOnly a, DateOnly b)
        {
            while (a <= b)
            {
                var monthEnd = ReportCalendar.MonthStart(a).AddMonths(1).AddDays(-1);
                var end = b < monthEnd ? b : monthEnd;
                for (var d = a; d <= end;)
                {
                    var index = d.Day - 1;
                    var span = DaySpans.FirstOrDefault(s => index % s == 0 && Min(d.AddDays(s - 1), monthEnd) <= end);
                    if (span == 0)
                    {
                        blocks.Add(new Block(1, d));
                        d = d.AddDays(1);
                    }
                    else
                    {
                        blocks.Add(new Block(span, d));
                        d = Min(d.AddDays(span - 1), monthEnd).AddDays(1);
                    }
                }
                a = end.AddDays(1);
            }
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static int MonthNumber(DateOnly d) => d.Year * 12 + d.Month - 1;

    private static DateOnly FromMonthNumber(int g) => new(g / 12, g % 12 + 1, 1);

    private static string Spans => string.Join(", ", MonthSpans.Select(s => 1000 + s).Concat(DaySpans).Select(s => s.ToString(CultureInfo.InvariantCulture)));

    private static string Levels(bool postgres) => postgres
        ? $"(SELECT unnest(ARRAY[{Spans}]) AS \"Span\") AS l"
        : "(" + string.Join(" UNION ALL ", Spans.Split(", ").Select(s => $"SELECT {s} AS \"Span\"")) + ") AS l";

    /// <summary>The first day of the block of span <c>l."Span"</c> that holds <paramref name="day"/>.</summary>
    private static string Start(string day, bool postgres) => postgres
        ? $"CASE WHEN l.\"Span\" > 1000 THEN (date_trunc('month', {day}) - make_interval(months => ((extract(year from {day})::int * 12 + extract(month from {day})::int - 1) % (l.\"Span\" - 1000))))::date"
          + $" ELSE ({day} - ((extract(day from {day})::int - 1) % l.\"Span\")) END"
        : $"CASE WHEN l.\"Span\" > 1000 THEN date({day}, 'start of month', '-' || ((CAST(strftime('%Y', {day}) AS INTEGER) * 12 + CAST(strftime('%m', {day}) AS INTEGER) - 1) % (l.\"Span\" - 1000)) || ' months')"
          + $" ELSE date({day}, '-' || ((CAST(strftime('%d', {day}) AS INTEGER) - 1) % l.\"Span\") || ' days') END";

    private static string Columns => KeyColumns + ", " + string.Join(", ", Measures.Select(m => $"\"{m}\""));

    private static string AddExcluded => string.Join(", ", Measures.Select(m => $"\"{m}\" = \"{Table}\".\"{m}\" + excluded.\"{m}\""));

    /// <summary>Numbers for the row's workspace, affiliate and shop when they have none yet (a lookup first: no sequence value is spent on a known GUID).</summary>
    private static string EnsureKeys(string row) =>
        $"INSERT INTO \"{Keys}\" (\"Guid\") SELECT DISTINCT t.v FROM (SELECT {row}.\"WorkspaceId\" AS v UNION ALL SELECT {row}.\"AffiliateId\" UNION ALL SELECT {row}.\"ShopId\") AS t"
        + $" WHERE NOT EXISTS (SELECT 1 FROM \"{Keys}\" AS k WHERE k.\"Guid\" = t.v) ON CONFLICT (\"Guid\") DO NOTHING;";

    /// <summary>The joins from a daily row's GUIDs to their numbers (aliases w, a and s).</summary>
    private static string KeyJoins(string row) =>
        $"JOIN \"{Keys}\" AS w ON w.\"Guid\" = {row}.\"WorkspaceId\" JOIN \"{Keys}\" AS a ON a.\"Guid\" = {row}.\"AffiliateId\" JOIN \"{Keys}\" AS s ON s.\"Guid\" = {row}.\"ShopId\"";

    /// <summary>One upsert adding <paramref name="values"/> (measures over <paramref name="row"/>) to every block of the row's day.</summary>
    private static string Upsert(string row, Func<string, string> values, bool postgres) =>
        EnsureKeys(row)
        + $" INSERT INTO \"{Table}\" ({Columns}) SELECT w.\"Key\", l.\"Span\", {Start($"{row}.\"Day\"", postgres)}, a.\"Key\", {row}.\"Currency\", s.\"Key\", "
        + string.Join(", ", Measures.Select(values)) + $" FROM {Levels(postgres)} {KeyJoins(row)} WHERE true ON CONFLICT ({KeyColumns}) DO UPDATE SET {AddExcluded};";

    private static string Add(string row, bool postgres) => Upsert(row, m => $"{row}.\"{m}\"", postgres);

    private static string Subtract(string row, bool postgres) => Upsert(row, m => $"-{row}.\"{m}\"", postgres);

    private static string Difference(bool postgres) => Upsert("NEW", m => $"NEW.\"{m}\" - OLD.\"{m}\"", postgres);

    private static string SamePlace => string.Join(" AND ", Placing.Select(c => $"NEW.\"{c}\" IS NOT DISTINCT FROM OLD.\"{c}\""));

    private static string SqliteSamePlace => string.Join(" AND ", Placing.Select(c => $"NEW.\"{c}\" IS OLD.\"{c}\""));

    public static string SqliteCreateTable => $"""
        CREATE TABLE IF NOT EXISTS "{Keys}" ("Key" INTEGER NOT NULL CONSTRAINT "PK_{Keys}" PRIMARY KEY, "Guid" TEXT NOT NULL CONSTRAINT "AK_{Keys}_Guid" UNIQUE);
        CREATE TABLE IF NOT EXISTS "{Table}" (
            "WorkspaceKey" INTEGER NOT NULL, "Span" INTEGER NOT NULL, "Start" TEXT NOT NULL, "AffiliateKey" INTEGER NOT NULL, "Currency" TEXT NOT NULL, "ShopKey" INTEGER NOT NULL,
            {string.Join(", ", Measures.Select(m => $"\"{m}\" INTEGER NOT NULL"))},
            CONSTRAINT "PK_{Table}" PRIMARY KEY ({KeyColumns})
        ) WITHOUT ROWID;
        """;

    public static string PostgresCreateTable => $"""
        CREATE TABLE IF NOT EXISTS "{Keys}" ("Key" bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT "PK_{Keys}" PRIMARY KEY, "Guid" uuid NOT NULL CONSTRAINT "AK_{Keys}_Guid" UNIQUE);
        CREATE TABLE IF NOT EXISTS "{Table}" (
            "WorkspaceKey" bigint NOT NULL, "Span" integer NOT NULL, "Start" date NOT NULL, "AffiliateKey" bigint NOT NULL, "Currency" character varying(3) NOT NULL, "ShopKey" bigint NOT NULL,
            {string.Join(", ", Measures.Select(m => $"\"{m}\" bigint NOT NULL"))},
            CONSTRAINT "PK_{Table}" PRIMARY KEY ({KeyColumns})
        );
        """;

    /// <summary>Drops the ranking table and its numbers (a migration re-creating them).</summary>
    public static string DropTables => $"DROP TABLE IF EXISTS \"{Table}\"; DROP TABLE IF EXISTS \"{Keys}\";";

    /// <summary>
    /// PostgreSQL's heap is not ordered by the key: a block's 10,000 affiliate rows, written by the triggers over a year,
    /// lie on 10,000 pages, and an EPC ranking of a year read 60,000 of them (360 ms on a quiet machine, 2026-12-02). The
    /// key carries the measures the ranking sums (<see cref="AffiliateRanking"/>), so a block is read by an index-only
    /// scan in key order, as SQLite's WITHOUT ROWID table is stored; autovacuum runs early so the visibility map that
    /// index-only scans need stays current. SQLite needs nothing: its table is the key.
    /// </summary>
    public static IReadOnlyList<string> PostgresCoveringKey =>
    [
        $"ALTER TABLE \"{Table}\" DROP CONSTRAINT \"PK_{Table}\", ADD CONSTRAINT \"PK_{Table}\" PRIMARY KEY ({KeyColumns}) INCLUDE ({RankedColumns});",
        $"ALTER TABLE \"{Table}\" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);",
    ];

    /// <summary>The measures <see cref="AffiliateRanking"/> sums (its <c>Measures</c>), carried in PostgreSQL's key.</summary>
    private static string RankedColumns => string.Join(", ", AffiliateRanking.Measures.Select(m => $"\"{m}\""));

    /// <summary>The key without the measures, as the table was created (the covering key's Down).</summary>
    public static string PostgresPlainKey =>
        $"ALTER TABLE \"{Table}\" DROP CONSTRAINT \"PK_{Table}\", ADD CONSTRAINT \"PK_{Table}\" PRIMARY KEY ({KeyColumns}); ALTER TABLE \"{Table}\" RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor);";

    public IReadOnlyList<string> CreateTriggers(bool postgres) => postgres
        ?
        [
            $"""
            CREATE OR REPLACE FUNCTION {Function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN {Add("NEW", true)}
                ELSIF TG_OP = 'DELETE' THEN {Subtract("OLD", true)}
                ELSIF {SamePlace} THEN {Difference(true)}
                ELSE {Subtract("OLD", true)} {Add("NEW", true)}
                END IF;
                RETURN NULL;
            END $$;
            """,
            $"DROP TRIGGER IF EXISTS \"{Trigger}\" ON \"DailyRollups\";",
            $"CREATE TRIGGER \"{Trigger}\" AFTER INSERT OR UPDATE OR DELETE ON \"DailyRollups\" FOR EACH ROW EXECUTE FUNCTION {Function}();",
        ]
        :
        [
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Insert\" AFTER INSERT ON \"DailyRollups\" BEGIN {Add("NEW", false)} END;",
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Update\" AFTER UPDATE ON \"DailyRollups\" WHEN {SqliteSamePlace} BEGIN {Difference(false)} END;",
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Rekey\" AFTER UPDATE ON \"DailyRollups\" WHEN NOT ({SqliteSamePlace}) BEGIN {Subtract("OLD", false)} {Add("NEW", false)} END;",
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Delete\" AFTER DELETE ON \"DailyRollups\" BEGIN {Subtract("OLD", false)} END;",
        ];

    /// <summary>Recomputes every block from the days (the migration's first fill, and after triggers had to be re-created).</summary>
    public IReadOnlyList<string> Refill(bool postgres) =>
    [
        $"DELETE FROM \"{Table}\";",
        $"INSERT INTO \"{Keys}\" (\"Guid\") SELECT t.v FROM (SELECT \"WorkspaceId\" AS v FROM \"DailyRollups\" UNION SELECT \"AffiliateId\" FROM \"DailyRollups\" UNION SELECT \"ShopId\" FROM \"DailyRollups\") AS t"
        + $" WHERE NOT EXISTS (SELECT 1 FROM \"{Keys}\" AS k WHERE k.\"Guid\" = t.v) ON CONFLICT (\"Guid\") DO NOTHING;",
        $"INSERT INTO \"{Table}\" ({Columns}) SELECT w.\"Key\", l.\"Span\", {Start("d.\"Day\"", postgres)}, a.\"Key\", d.\"Currency\", s.\"Key\", "
        + string.Join(", ", Measures.Select(m => $"SUM(d.\"{m}\")")) + $" FROM \"DailyRollups\" AS d {KeyJoins("d")} CROSS JOIN {Levels(postgres)} GROUP BY 1, 2, 3, 4, 5, 6;",
    ];

    public IReadOnlyList<string> DropTriggers(bool postgres) => postgres
        ? [$"DROP TRIGGER IF EXISTS \"{Trigger}\" ON \"DailyRollups\";", $"DROP FUNCTION IF EXISTS {Function}();"]
        : [.. new[] { "Insert", "Update", "Rekey", "Delete" }.Select(t => $"DROP TRIGGER IF EXISTS \"{Trigger}_{t}\";")];

    public (string Sql, string Parameter) CountTriggers(bool postgres) => postgres
        ? ("SELECT count(*)::int AS \"Value\" FROM pg_trigger WHERE tgname = {0} AND NOT tgisinternal", Trigger)
        : ("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name GLOB {0}", Trigger + "_*");
}

/// <summary>A table kept by triggers on a daily rollup table, checked and re-created at start (<see cref="Data.DatabaseMigrator"/>).</summary>
public interface IRollupTriggers
{
    string Trigger { get; }

    int TriggerCount(bool postgres);

    (string Sql, string Parameter) CountTriggers(bool postgres);

    IReadOnlyList<string> DropTriggers(bool postgres);

    IReadOnlyList<string> CreateTriggers(bool postgres);

    IReadOnlyList<string> Refill(bool postgres);
}
