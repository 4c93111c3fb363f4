namespace ShopAffiliate.Core.Reports;

/// <summary>
/// The SQL that keeps each monthly rollup table equal to the month's rows of its daily table (ADR 0041): row triggers on
/// the daily table add every inserted row, subtract every deleted one and apply the difference of an updated one, in
/// the same statement, whichever code path wrote it (the worker's upserts, a day's rebuild, a purge). The migrations
/// create them; <see cref="Data.DatabaseMigrator"/> re-creates them when missing (SQLite drops a table's triggers when a
/// later migration rebuilds the table) and then recomputes the months from the days.
/// </summary>
public sealed class MonthlyRollupSql : IRollupTriggers
{
    /// <summary><see cref="DailyRollup"/> into <see cref="MonthlyRollup"/>.</summary>
    public static MonthlyRollupSql Affiliates { get; } = new(
        "DailyRollups", "MonthlyRollups", "TR_DailyRollups_Month", "sa_daily_rollups_to_month",
        ["WorkspaceId", "AffiliateId", "Month", "ShopId", "Currency"],
        ["Clicks", "UniqueClicks", "Impressions", "Orders", "RevenueMinor", "RefundsMinor", "CommissionMinor", "SecondTierMinor", "EarnedMinor", "ReversedMinor"]);

    /// <summary><see cref="DailyProductRollup"/> into <see cref="MonthlyProductRollup"/>.</summary>
    public static MonthlyRollupSql Products { get; } = new(
        "DailyProductRollups", "MonthlyProductRollups", "TR_DailyProductRollups_Month", "sa_daily_product_rollups_to_month",
        ["WorkspaceId", "AffiliateId", "ShopId", "ProductId", "Month", "Currency"],
        ["Orders", "Quantity", "RevenueMinor", "CommissionMinor"]);

    public static IReadOnlyList<MonthlyRollupSql> All { get; } = [Affiliates, Products];

    /// <summary>Every table kept by triggers on a daily table: the months and the ranking's blocks.</summary>
    public static IReadOnlyList<IRollupTriggers> Kept { get; } = [Affiliates, Products, RankingRollupSql.Affiliates];

    private readonly string _daily;
    private readonly string _monthly;
    private readonly string[] _key;
    private readonly string[] _measures;

    private MonthlyRollupSql(string daily, string monthly, string trigger, string function, string[] key, string[] measures)
    {
        (_daily, _monthly, Trigger, Function, _key, _measures) = (daily, monthly, trigger, function, key, measures);
    }

    /// <summary>The PostgreSQL trigger's name, and the prefix of SQLite's three.</summary>
    public string Trigger { get; }

    public string Function { get; }

    /// <summary>How many triggers a database has for this table: one on PostgreSQL, three on SQLite.</summary>
    public int TriggerCount(bool postgres) => postgres ? 1 : 3;

    private string KeyColumns => string.Join(", ", _key.Select(k => $"\"{k}\""));

    private string Columns => KeyColumns + ", " + string.Join(", ", _measures.Select(m => $"\"{m}\""));

    private string AddExcluded => string.Join(", ", _measures.Select(m => $"\"{m}\" = \"{_monthly}\".\"{m}\" + excluded.\"{m}\""));

    private static string Month(string day, bool postgres) => postgres ? $"date_trunc('month', {day})::date" : $"date({day}, 'start of month')";

    /// <summary>A key column's value from the daily row (<c>Month</c> is computed from its <c>Day</c>).</summary>
    private string KeyValue(string row, string column, bool postgres) => column == "Month" ? Month($"{row}.\"Day\"", postgres) : $"{row}.\"{column}\"";

    /// <summary>SQLite keeps the table WITHOUT ROWID: a ranking reads the key's order and every measure from one b-tree.</summary>
    public string SqliteCreateTable => $"""
        CREATE TABLE "{_monthly}" (
            {string.Join(", ", _key.Select(k => $"\"{k}\" TEXT NOT NULL"))},
            {string.Join(", ", _measures.Select(m => $"\"{m}\" INTEGER NOT NULL"))},
            CONSTRAINT "PK_{_monthly}" PRIMARY KEY ({KeyColumns})
        ) WITHOUT ROWID;
        """;

    private string Row(string row, string sign, bool postgres) =>
        $"INSERT INTO \"{_monthly}\" ({Columns}) VALUES ({string.Join(", ", _key.Select(k => KeyValue(row, k, postgres)))}, " +
        $"{string.Join(", ", _measures.Select(m => $"{sign}{row}.\"{m}\""))}) ON CONFLICT ({KeyColumns}) DO UPDATE SET {AddExcluded};";

    public IReadOnlyList<string> CreateTriggers(bool postgres) => postgres
        ?
        [
            $"""
            CREATE OR REPLACE FUNCTION {Function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {Row("OLD", "-", true)} END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {Row("NEW", "", true)} END IF;
                RETURN NULL;
            END $$;
            """,
            $"DROP TRIGGER IF EXISTS \"{Trigger}\" ON \"{_daily}\";",
            $"CREATE TRIGGER \"{Trigger}\" AFTER INSERT OR UPDATE OR DELETE ON \"{_daily}\" FOR EACH ROW EXECUTE FUNCTION {Function}();",
        ]
        :
        [
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Insert\" AFTER INSERT ON \"{_daily}\" BEGIN {Row("NEW", "", false)} END;",
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Update\" AFTER UPDATE ON \"{_daily}\" BEGIN {Row("OLD", "-", false)} {Row("NEW", "", false)} END;",
            $"CREATE TRIGGER IF NOT EXISTS \"{Trigger}_Delete\" AFTER DELETE ON \"{_daily}\" BEGIN {Row("OLD", "-", false)} END;",
        ];

    /// <summary>Recomputes every month from the days (the migration's first fill, and after triggers had to be re-created).</summary>
    public IReadOnlyList<string> Refill(bool postgres) =>
    [
        $"DELETE FROM \"{_monthly}\";",
        $"INSERT INTO \"{_monthly}\" ({Columns}) SELECT {string.Join(", ", _key.Select(k => k == "Month" ? Month("\"Day\"", postgres) : $"\"{k}\""))}, " +
        $"{string.Join(", ", _measures.Select(m => $"SUM(\"{m}\")"))} FROM \"{_daily}\" GROUP BY {string.Join(", ", _key.Select((_, i) => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))};",
    ];

    public IReadOnlyList<string> DropTriggers(bool postgres) => postgres
        ? [$"DROP TRIGGER IF EXISTS \"{Trigger}\" ON \"{_daily}\";", $"DROP FUNCTION IF EXISTS {Function}();"]
        : [.. new[] { "Insert", "Update", "Delete" }.Select(t => $"DROP TRIGGER IF EXISTS \"{Trigger}_{t}\";")];

    /// <summary>SQL counting this table's triggers, with its parameter.</summary>
    public (string Sql, string Parameter) CountTriggers(bool postgres) => postgres
        ? ("SELECT count(*)::int AS \"Value\" FROM pg_trigger WHERE tgname = {0} AND NOT tgisinternal", Trigger)
        : ("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name GLOB {0}", Trigger + "_*");
}
