using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Reports;

// The SQL below interpolates only constants of this file (table and column names, the watermark condition); every
// value is a parameter ({0}, {1}...).
#pragma warning disable EF1002

/// <summary>
/// Keeps <see cref="DailyRollup"/> up to date from new clicks and new ledger entries, read by watermark (ADR 0019),
/// off the redirect's and the engine's write paths. Each step claims its source's watermark row (a row lock on
/// PostgreSQL, the write lock on SQLite), applies the deltas of one batch and moves the watermark in one transaction:
/// a step that fails leaves nothing behind, and two nodes never apply the same rows.
/// </summary>
public sealed class RollupUpdater(AppDbContext db, TimeProvider clock)
{
    public const int ClickBatch = 20_000;
    public const int LedgerBatch = 2000;

    private readonly Dictionary<Guid, TimeZoneInfo> _zones = [];

    private bool Postgres => db.Database.IsNpgsql();

    /// <summary>Applies up to <see cref="ClickBatch"/> new clicks; returns how many it read.</summary>
    public Task<int> ApplyClicksAsync(CancellationToken ct) => ApplyMinutesAsync<ClickGroup>(RollupSources.Clicks, NewClickGroupsAsync, (g, day) =>
        (new RollupKey(g.WorkspaceId, day, g.AffiliateId, g.LinkId ?? Guid.Empty, g.SubId ?? "", Guid.Empty, "", g.CreativeId ?? Guid.Empty),
         new RollupDelta { Clicks = g.Clicks, UniqueClicks = g.UniqueClicks }), ct);

    /// <summary>Applies up to <see cref="ClickBatch"/> new impressions, as clicks are applied; returns how many it read.</summary>
    public Task<int> ApplyImpressionsAsync(CancellationToken ct) => ApplyMinutesAsync<ImpressionGroup>(RollupSources.Impressions, NewImpressionGroupsAsync, (g, day) =>
        (new RollupKey(g.WorkspaceId, day, g.AffiliateId, Guid.Empty, "", Guid.Empty, "", g.CreativeId), new RollupDelta { Impressions = g.Impressions }), ct);

    /// <summary>
    /// One step of a source counted per UTC minute in SQL: claims its watermark, adds the batch's counts onto their
    /// days in the program's time zone and moves the watermark, in one transaction.
    /// </summary>
    private async Task<int> ApplyMinutesAsync<TGroup>(
        string source, Func<RollupWatermark, CancellationToken, Task<List<TGroup>>> read, Func<TGroup, DateOnly, (RollupKey Key, RollupDelta Delta)> count,
        CancellationToken ct) where TGroup : MinuteGroup
    {
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var mark = await ClaimAsync(source, ct);
        var groups = await read(mark, ct);
        if (groups.Count == 0) return 0;

        var deltas = new Dictionary<RollupKey, RollupDelta>();
        foreach (var g in groups)
        {
            var zone = await ZoneAsync(g.WorkspaceId, ct);
            var minute = DateTime.SpecifyKind(DateTime.ParseExact(g.Minute, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);
            var (key, delta) = count(g, ReportCalendar.DayOf(minute, zone));
            deltas[key] = deltas.GetValueOrDefault(key) + delta;
        }
        await AddAsync(deltas, ct);
        Advance(mark, groups[0].Seq, groups[0].Key);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (int)groups.Sum(g => g.Rows);
    }

    /// <summary>
    /// The next clicks after the watermark (as <see cref="NewRowsAsync{T}"/> picks them), counted in the database per
    /// workspace, affiliate, link, sub-ID and UTC minute, with the watermark position of the batch's last click on every
    /// row. Counting in SQL instead of reading every click into memory keeps the rollups cheap while the redirect
    /// stores tens of thousands of clicks a second on the same cores. A minute lies within one day in every time zone
    /// (all offsets in use are whole minutes), so the day is still decided exactly.
    /// </summary>
    private async Task<List<ClickGroup>> NewClickGroupsAsync(RollupWatermark mark, CancellationToken ct)
    {
        const string Counts = """
            SUM(CASE WHEN "IsBot" THEN 0 ELSE 1 END) AS "Clicks",
            SUM(CASE WHEN "IsBot" OR "IsDuplicate" THEN 0 ELSE 1 END) AS "UniqueClicks", COUNT(*) AS "Rows"
            """;
        if (!Postgres)
        {
            return await db.Database.SqlQueryRaw<ClickGroup>(
                    $$"""
                    WITH batch AS (
                        SELECT rowid AS seq, "WorkspaceId", "AffiliateId", "LinkId", "SubId", "CreativeId", "At", "IsBot", "IsDuplicate"
                        FROM "Clicks" WHERE rowid > {0} ORDER BY rowid LIMIT {1})
                    SELECT "WorkspaceId", "AffiliateId", "LinkId", "SubId", "CreativeId", substr("At", 1, 16) AS "Minute", {{Counts}},
                        (SELECT MAX(seq) FROM batch) AS "Seq", '' AS "Key"
                    FROM batch GROUP BY "WorkspaceId", "AffiliateId", "LinkId", "SubId", "CreativeId", substr("At", 1, 16)
                    """,
                    mark.Position, ClickBatch)
                .ToListAsync(ct);
        }
        return await db.Database.SqlQueryRaw<ClickGroup>(
                $$"""
                WITH batch AS (
                    SELECT "RollupTx", "Id", "WorkspaceId", "AffiliateId", "LinkId", "SubId", "CreativeId", "At", "IsBot", "IsDuplicate"
                    FROM "Clicks"
                    WHERE ("RollupTx", "Id") > ({0}, {1}) AND "RollupTx" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                    ORDER BY "RollupTx", "Id" LIMIT {2}),
                last AS (SELECT "RollupTx", "Id" FROM batch ORDER BY "RollupTx" DESC, "Id" DESC LIMIT 1)
                SELECT "WorkspaceId", "AffiliateId", "LinkId", "SubId", "CreativeId", to_char("At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS "Minute",
                    {{Counts}}, (SELECT "RollupTx" FROM last) AS "Seq", (SELECT "Id"::text FROM last) AS "Key"
                FROM batch GROUP BY "WorkspaceId", "AffiliateId", "LinkId", "SubId", "CreativeId", to_char("At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
                """,
                mark.Position, Guid.Parse(OrZeroGuid(mark.LastKey)), ClickBatch)
            .ToListAsync(ct);
    }

    /// <summary>The next impressions after the watermark, counted per workspace, affiliate, creative and UTC minute (as clicks are).</summary>
    private async Task<List<ImpressionGroup>> NewImpressionGroupsAsync(RollupWatermark mark, CancellationToken ct)
    {
        const string Counts = """SUM(CASE WHEN "IsBot" THEN 0 ELSE 1 END) AS "Impressions", COUNT(*) AS "Rows" """;
        if (!Postgres)
        {
            return await db.Database.SqlQueryRaw<ImpressionGroup>(
                    $$"""
                    WITH batch AS (
                        SELECT rowid AS seq, "WorkspaceId", "AffiliateId", "CreativeId", "At", "IsBot"
                        FROM "Impressions" WHERE rowid > {0} ORDER BY rowid LIMIT {1})
                    SELECT "WorkspaceId", "AffiliateId", "CreativeId", substr("At", 1, 16) AS "Minute", {{Counts}},
                        (SELECT MAX(seq) FROM batch) AS "Seq", '' AS "Key"
                    FROM batch GROUP BY "WorkspaceId", "AffiliateId", "CreativeId", substr("At", 1, 16)
                    """,
                    mark.Position, ClickBatch)
                .ToListAsync(ct);
        }
        return await db.Database.SqlQueryRaw<ImpressionGroup>(
                $$"""
                WITH batch AS (
                    SELECT "RollupTx", "Id", "WorkspaceId", "AffiliateId", "CreativeId", "At", "IsBot"
                    FROM "Impressions"
                    WHERE ("RollupTx", "Id") > ({0}, {1}) AND "RollupTx" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                    ORDER BY "RollupTx", "Id" LIMIT {2}),
                last AS (SELECT "RollupTx", "Id" FROM batch ORDER BY "RollupTx" DESC, "Id" DESC LIMIT 1)
                SELECT "WorkspaceId", "AffiliateId", "CreativeId", to_char("At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS "Minute",
                    {{Counts}}, (SELECT "RollupTx" FROM last) AS "Seq", (SELECT "Id"::text FROM last) AS "Key"
                FROM batch GROUP BY "WorkspaceId", "AffiliateId", "CreativeId", to_char("At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
                """,
                mark.Position, Guid.Parse(OrZeroGuid(mark.LastKey)), ClickBatch)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Reads up to <see cref="LedgerBatch"/> new ledger entries and re-applies every order they belong to; returns how
    /// many entries it read.
    /// </summary>
    public async Task<int> ApplyLedgerAsync(CancellationToken ct)
    {
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var mark = await ClaimAsync(RollupSources.Ledger, ct);
        var rows = await NewRowsAsync<LedgerRow>(mark, RollupSources.Ledger, "\"OrderId\"", LedgerBatch, ct);
        if (rows.Count == 0) return 0;

        await RefreshOrdersAsync(rows.Where(r => r.OrderId is not null).Select(r => r.OrderId!.Value).Distinct().ToList(), ct);
        Advance(mark, rows[^1].Seq, rows[^1].Key);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>
    /// Recomputes one day of one workspace from the raw tables: the day's clicks (those the worker has read, so that
    /// it does not count them again) and the orders placed that day, recomputed from their rows and ledger entries.
    /// Gives the same figures as the incremental path (a host test holds it to that). A day that starts before the
    /// program's <see cref="Workspaces.Workspace.RawDataPurgedBefore"/> may have lost raw clicks to the raw-data
    /// retention: its click and impression rows (currency "") are kept as they are, and only its orders are recomputed.
    /// </summary>
    public async Task RebuildDayAsync(Guid workspaceId, DateOnly day, CancellationToken ct)
    {
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ledgerMark = await ClaimAsync(RollupSources.Ledger, ct);
        var clickMark = await ClaimAsync(RollupSources.Clicks, ct);
        var impressionMark = await ClaimAsync(RollupSources.Impressions, ct);
        var zone = await ZoneAsync(workspaceId, ct);
        var (start, end) = ReportCalendar.UtcRange(day, day, zone);

        // Orders first, through the incremental path: an order whose day moved is taken off its old day too.
        var onDay = await db.OrderContributions.IgnoreQueryFilters()
            .Where(c => c.WorkspaceId == workspaceId && c.Day == day).Select(c => c.OrderId).ToListAsync(ct);
        var placed = await db.Orders.IgnoreQueryFilters()
            .Where(o => o.WorkspaceId == workspaceId && o.PlacedAt >= start && o.PlacedAt < end).Select(o => o.Id).ToListAsync(ct);
        await RefreshOrdersAsync(onDay.Union(placed).ToList(), ct);
        await db.SaveChangesAsync(ct);

        await new ProductRollups(db).RebuildDayAsync(workspaceId, day, ct);
        var purgedBefore = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.RawDataPurgedBefore).FirstOrDefaultAsync(ct);
        var keepClicks = purgedBefore is { } purged && start < purged;
        await db.DailyRollups.IgnoreQueryFilters().Where(r => r.WorkspaceId == workspaceId && r.Day == day && (!keepClicks || r.Currency != ""))
            .ExecuteDeleteAsync(ct);
        var read = Postgres
            ? "(\"RollupTx\", \"Id\") <= ({5}, {6})"
            : "rowid <= {5}";
        if (!keepClicks) await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO "DailyRollups" ({{Columns}})
            SELECT {0}, {1}, "AffiliateId", COALESCE("LinkId", {2}), COALESCE("SubId", ''), {2}, '', COALESCE("CreativeId", {2}),
                   SUM(CASE WHEN "IsBot" THEN 0 ELSE 1 END), SUM(CASE WHEN "IsBot" OR "IsDuplicate" THEN 0 ELSE 1 END),
                   0, 0, 0, 0, 0, 0, 0, 0
            FROM "Clicks"
            WHERE "WorkspaceId" = {0} AND "At" >= {3} AND "At" < {4} AND {{read}}
            GROUP BY "AffiliateId", COALESCE("LinkId", {2}), COALESCE("SubId", ''), COALESCE("CreativeId", {2})
            """,
            [workspaceId, day, Guid.Empty, start, end, clickMark.Position, Postgres ? Guid.Parse(OrZeroGuid(clickMark.LastKey)) : 0L], ct);
        // Impressions are raw rows of the same kind: a purged day keeps its (currency "") rows, impressions included.
        if (!keepClicks) await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO "DailyRollups" ({{Columns}})
            SELECT {0}, {1}, "AffiliateId", {2}, '', {2}, '', "CreativeId", 0, 0, SUM(CASE WHEN "IsBot" THEN 0 ELSE 1 END), 0, 0, 0, 0, 0, 0, 0
            FROM "Impressions"
            WHERE "WorkspaceId" = {0} AND "At" >= {3} AND "At" < {4} AND {{read}}
            GROUP BY "AffiliateId", "CreativeId"
            ON CONFLICT ({{KeyColumns}}) DO UPDATE SET "Impressions" = "DailyRollups"."Impressions" + excluded."Impressions"
            """,
            [workspaceId, day, Guid.Empty, start, end, impressionMark.Position, Postgres ? Guid.Parse(OrZeroGuid(impressionMark.LastKey)) : 0L], ct);
        await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO "DailyRollups" ({{Columns}})
            SELECT {0}, {1}, "AffiliateId", {2}, '', "ShopId", "Currency", "CreativeId", 0, 0, 0,
                   SUM("Orders"), SUM("RevenueMinor"), SUM("RefundsMinor"), SUM("CommissionMinor"), SUM("SecondTierMinor"),
                   SUM("EarnedMinor"), SUM("ReversedMinor")
            FROM "OrderContributions"
            WHERE "WorkspaceId" = {0} AND "Day" = {1}
            GROUP BY "AffiliateId", "ShopId", "Currency", "CreativeId"
            """,
            [workspaceId, day, Guid.Empty], ct);
        await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO "DailyRollups" ({{Columns}})
            SELECT {0}, {1}, {2}, {2}, '', "ShopId", "Currency", {2}, {{SumOfMeasures}}
            FROM "DailyRollups"
            WHERE "WorkspaceId" = {0} AND "Day" = {1} AND "AffiliateId" <> {2}{{(keepClicks ? " AND \"Currency\" <> ''" : "")}}
            GROUP BY "ShopId", "Currency"
            """,
            [workspaceId, day, Guid.Empty], ct);
        ledgerMark.UpdatedAt = clickMark.UpdatedAt = impressionMark.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Recomputes what each order contributes (from its row and all its ledger entries) and applies the difference
    /// from what it last contributed. Idempotent: applying an unchanged order again adds nothing.
    /// </summary>
    private async Task RefreshOrdersAsync(List<Guid> orderIds, CancellationToken ct)
    {
        if (orderIds.Count == 0) return;
        var orders = await db.Orders.IgnoreQueryFilters().AsNoTracking().Where(o => orderIds.Contains(o.Id))
            .Select(o => new { o.Id, o.WorkspaceId, o.ShopId, o.HasOrder, o.PlacedAt, o.ReceivedAt, o.Currency, o.State, o.IsTest, o.NetRevenue, o.RefundedAmount, o.AffiliateId, o.CreativeId })
            .ToListAsync(ct);
        var entries = (await db.Ledger.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.OrderId != null && orderIds.Contains(e.OrderId.Value)
                            && e.Kind != LedgerEntryKind.Approved && e.Kind != LedgerEntryKind.Paid)
                .Select(e => new { OrderId = e.OrderId!.Value, e.AffiliateId, e.Tier, e.Kind, e.Amount, e.Currency })
                .ToListAsync(ct))
            .ToLookup(e => e.OrderId);
        var old = await db.OrderContributions.IgnoreQueryFilters().Where(c => orderIds.Contains(c.OrderId)).ToListAsync(ct);

        var deltas = new Dictionary<RollupKey, RollupDelta>();
        foreach (var c in old)
        {
            var key = new RollupKey(c.WorkspaceId, c.Day, c.AffiliateId, Guid.Empty, "", c.ShopId, c.Currency, c.CreativeId);
            deltas[key] = deltas.GetValueOrDefault(key) - RollupDelta.Of(c);
        }
        var fresh = new List<OrderContribution>();
        var productOrders = new List<OrderDay>(orders.Count);
        foreach (var o in orders)
        {
            var zone = await ZoneAsync(o.WorkspaceId, ct);
            var day = ReportCalendar.DayOf(o.PlacedAt ?? o.ReceivedAt, zone);
            var byAffiliate = new Dictionary<Guid, OrderContribution>();
            OrderContribution For(Guid affiliate, string currency) =>
                byAffiliate.TryGetValue(affiliate, out var c) ? c : byAffiliate[affiliate] = new OrderContribution
                {
                    WorkspaceId = o.WorkspaceId, OrderId = o.Id, AffiliateId = affiliate, Day = day, ShopId = o.ShopId,
                    Currency = o.Currency.Length == 3 ? o.Currency : currency,
                    // The winning click's creative goes with the credited affiliate's figures only (tier 1), not the recruiter's.
                    CreativeId = affiliate == o.AffiliateId ? o.CreativeId ?? Guid.Empty : Guid.Empty,
                };
            if (o is { HasOrder: true, IsTest: false, AffiliateId: { } credited } && o.State != OrderState.Cancelled && o.Currency.Length == 3)
            {
                var c = For(credited, o.Currency);
                c.Orders = 1;
                c.RevenueMinor = ReportMath.ToMinor(Math.Max(0m, o.NetRevenue - o.RefundedAmount), o.Currency);
                c.RefundsMinor = ReportMath.ToMinor(o.RefundedAmount, o.Currency);
            }
            productOrders.Add(byAffiliate.TryGetValue(o.AffiliateId ?? Guid.Empty, out var sold) && sold.Orders == 1
                ? new OrderDay(o.WorkspaceId, o.Id, day, o.ShopId, o.Currency, o.AffiliateId, sold.RevenueMinor)
                : new OrderDay(o.WorkspaceId, o.Id, day, o.ShopId, o.Currency, null, 0));
            foreach (var e in entries[o.Id])
            {
                var c = For(e.AffiliateId, e.Currency);
                var minor = ReportMath.ToMinor(e.Amount, e.Currency);
                c.CommissionMinor += minor;
                if (e.Tier == 2) c.SecondTierMinor += minor;
                if (e.Kind == LedgerEntryKind.Earned || (e.Kind == LedgerEntryKind.Adjusted && minor > 0)) c.EarnedMinor += minor;
                else c.ReversedMinor += minor;
            }
            fresh.AddRange(byAffiliate.Values.Where(c => !RollupDelta.Of(c).IsZero));
        }
        foreach (var c in fresh)
        {
            var key = new RollupKey(c.WorkspaceId, c.Day, c.AffiliateId, Guid.Empty, "", c.ShopId, c.Currency, c.CreativeId);
            deltas[key] = deltas.GetValueOrDefault(key) + RollupDelta.Of(c);
        }
        await AddAsync(deltas, ct);
        await new ProductRollups(db).RefreshAsync(orderIds, productOrders, ct);

        // Replace the contributions in place (same key: order and affiliate), so EF never tracks two rows for one key.
        var oldByKey = old.ToDictionary(c => (c.OrderId, c.AffiliateId));
        foreach (var c in fresh)
        {
            if (oldByKey.Remove((c.OrderId, c.AffiliateId), out var existing))
            {
                existing.Day = c.Day;
                existing.ShopId = c.ShopId;
                existing.Currency = c.Currency;
                existing.CreativeId = c.CreativeId;
                existing.CopyOrderMeasures(c);
            }
            else
            {
                db.OrderContributions.Add(c);
            }
        }
        db.OrderContributions.RemoveRange(oldByKey.Values);
    }

    private const string KeyColumns = "\"WorkspaceId\", \"Day\", \"AffiliateId\", \"LinkId\", \"SubId\", \"ShopId\", \"Currency\", \"CreativeId\"";

    private static readonly string[] Measures =
        ["Clicks", "UniqueClicks", "Impressions", "Orders", "RevenueMinor", "RefundsMinor", "CommissionMinor", "SecondTierMinor", "EarnedMinor", "ReversedMinor"];

    private static readonly string Columns = KeyColumns + ", " + string.Join(", ", Measures.Select(m => $"\"{m}\""));

    private static readonly string SumOfMeasures = string.Join(", ", Measures.Select(m => $"SUM(\"{m}\")"));

    private static readonly string OnConflict =
        $" ON CONFLICT ({KeyColumns}) DO UPDATE SET " + string.Join(", ", Measures.Select(m => $"\"{m}\" = \"DailyRollups\".\"{m}\" + excluded.\"{m}\""));

    /// <summary>
    /// Adds the deltas onto their rows (an upsert both databases run), 100 rows a statement, and onto the day's
    /// totals rows (affiliate <see cref="Guid.Empty"/>, per shop and currency), which the program-wide reports read so
    /// that a year by day sums a few hundred rows, not one per affiliate.
    /// </summary>
    private async Task AddAsync(Dictionary<RollupKey, RollupDelta> deltas, CancellationToken ct)
    {
        var all = new Dictionary<RollupKey, RollupDelta>(deltas);
        foreach (var (key, d) in deltas)
        {
            var total = key with { AffiliateId = Guid.Empty, LinkId = Guid.Empty, SubId = "", CreativeId = Guid.Empty };
            all[total] = all.GetValueOrDefault(total) + d;
        }
        await RollupSql.UpsertAsync(db, "DailyRollups", Columns, OnConflict, all.Where(d => !d.Value.IsZero).Select(x => new object[]
        {
            x.Key.WorkspaceId, x.Key.Day, x.Key.AffiliateId, x.Key.LinkId, x.Key.SubId, x.Key.ShopId, x.Key.Currency, x.Key.CreativeId, x.Value.Clicks, x.Value.UniqueClicks,
            x.Value.Impressions, x.Value.Orders, x.Value.RevenueMinor, x.Value.RefundsMinor, x.Value.CommissionMinor, x.Value.SecondTierMinor,
            x.Value.EarnedMinor, x.Value.ReversedMinor,
        }), ct);
    }

    /// <summary>
    /// True when committed rows lie after a watermark that a pass could not read yet: on PostgreSQL a pass reads only
    /// rows of transactions older than every one still running anywhere on the server (transaction ids are
    /// server-wide), so another database's open transaction can hold rows back for a while. The worker is then not
    /// caught up, and waiters (tests, the rebuild route) keep waiting instead of reading figures without those rows.
    /// SQLite reads every committed row.
    /// </summary>
    public async Task<bool> AnyHeldBackAsync(CancellationToken ct)
    {
        if (!Postgres) return false;
        var marks = await db.RollupWatermarks.AsNoTracking().ToDictionaryAsync(m => m.Source, ct);
        var clicks = marks.GetValueOrDefault(RollupSources.Clicks);
        var ledger = marks.GetValueOrDefault(RollupSources.Ledger);
        var impressions = marks.GetValueOrDefault(RollupSources.Impressions);
        return await db.Database.SqlQueryRaw<bool>(
                """
                SELECT EXISTS (SELECT 1 FROM "Clicks" WHERE ("RollupTx", "Id") > ({0}, {1}))
                    OR EXISTS (SELECT 1 FROM "Ledger" WHERE ("RollupTx", "Id") > ({2}, {3}))
                    OR EXISTS (SELECT 1 FROM "Impressions" WHERE ("RollupTx", "Id") > ({4}, {5})) AS "Value"
                """,
                clicks?.Position ?? 0, Guid.Parse(OrZeroGuid(clicks?.LastKey ?? "")),
                ledger?.Position ?? 0, long.Parse(ledger is null || ledger.LastKey.Length == 0 ? "0" : ledger.LastKey, CultureInfo.InvariantCulture),
                impressions?.Position ?? 0, Guid.Parse(OrZeroGuid(impressions?.LastKey ?? "")))
            .SingleAsync(ct);
    }

    internal async Task<RollupWatermark> ClaimAsync(string source, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"RollupWatermarks\" (\"Source\", \"Position\", \"LastKey\", \"UpdatedAt\") VALUES ({0}, 0, '', {1}) ON CONFLICT (\"Source\") DO NOTHING",
            [source, clock.GetUtcNow().UtcDateTime], ct);
        // FOR UPDATE: a second node waits here until this transaction commits, then reads the moved watermark.
        var sql = "SELECT * FROM \"RollupWatermarks\" WHERE \"Source\" = {0}" + (Postgres ? " FOR UPDATE" : "");
        return (await db.RollupWatermarks.FromSqlRaw(sql, source).ToListAsync(ct)).Single();
    }

    /// <summary>
    /// Rows after the watermark, in watermark order. SQLite commits one writer at a time, so rowid order is commit
    /// order. PostgreSQL commits concurrent transactions in any order, so rows are read by the id of the transaction
    /// that inserted them (column <c>RollupTx</c>), and only from transactions older than every one still running:
    /// no row can later appear behind the watermark.
    /// </summary>
    internal async Task<List<T>> NewRowsAsync<T>(RollupWatermark mark, string source, string columns, int limit, CancellationToken ct)
    {
        var table = source == RollupSources.Clicks ? "\"Clicks\"" : "\"Ledger\"";
        if (!Postgres)
        {
            return await db.Database.SqlQueryRaw<T>(
                    $"SELECT rowid AS \"Seq\", '' AS \"Key\", {columns} FROM {table} WHERE rowid > {{0}} ORDER BY rowid LIMIT {{1}}",
                    mark.Position, limit)
                .ToListAsync(ct);
        }
        object last = source == RollupSources.Clicks ? Guid.Parse(OrZeroGuid(mark.LastKey)) : long.Parse(mark.LastKey.Length == 0 ? "0" : mark.LastKey, CultureInfo.InvariantCulture);
        return await db.Database.SqlQueryRaw<T>(
                $$"""
                SELECT "RollupTx" AS "Seq", "Id"::text AS "Key", {{columns}} FROM {{table}}
                WHERE ("RollupTx", "Id") > ({0}, {1}) AND "RollupTx" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                ORDER BY "RollupTx", "Id" LIMIT {2}
                """,
                mark.Position, last, limit)
            .ToListAsync(ct);
    }

    private static string OrZeroGuid(string key) => key.Length == 0 ? Guid.Empty.ToString() : key;

    internal void Advance(RollupWatermark mark, long seq, string key)
    {
        mark.Position = seq;
        mark.LastKey = key;
        mark.UpdatedAt = clock.GetUtcNow().UtcDateTime;
    }

    private async Task<TimeZoneInfo> ZoneAsync(Guid workspaceId, CancellationToken ct)
    {
        if (_zones.TryGetValue(workspaceId, out var zone)) return zone;
        var settings = await db.WorkspaceSettings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct)
                       ?? new WorkspaceSettings { WorkspaceId = workspaceId };
        return _zones[workspaceId] = TimeZoneInfo.FindSystemTimeZoneById(await SettingsStore.TimeZoneAsync(db, settings, ct));
    }

    /// <summary>A count of one source's rows in one UTC minute, with the watermark position of the batch's last row.</summary>
    internal abstract class MinuteGroup
    {
        public Guid WorkspaceId { get; init; }
        public string Minute { get; init; } = "";
        public long Rows { get; init; }
        public long Seq { get; init; }
        public string Key { get; init; } = "";
    }

    internal sealed class ClickGroup : MinuteGroup
    {
        public Guid AffiliateId { get; init; }
        public Guid? LinkId { get; init; }
        public string? SubId { get; init; }
        public Guid? CreativeId { get; init; }
        public long Clicks { get; init; }
        public long UniqueClicks { get; init; }
    }

    internal sealed class ImpressionGroup : MinuteGroup
    {
        public Guid AffiliateId { get; init; }
        public Guid CreativeId { get; init; }
        public long Impressions { get; init; }
    }

    internal sealed class LedgerRow
    {
        public long Seq { get; init; }
        public string Key { get; init; } = "";
        public Guid? OrderId { get; init; }
    }
}

internal readonly record struct RollupKey(Guid WorkspaceId, DateOnly Day, Guid AffiliateId, Guid LinkId, string SubId, Guid ShopId, string Currency, Guid CreativeId);

internal readonly record struct RollupDelta
{
    public long Clicks { get; init; }
    public long UniqueClicks { get; init; }
    public long Impressions { get; init; }
    public long Orders { get; init; }
    public long RevenueMinor { get; init; }
    public long RefundsMinor { get; init; }
    public long CommissionMinor { get; init; }
    public long SecondTierMinor { get; init; }
    public long EarnedMinor { get; init; }
    public long ReversedMinor { get; init; }

    public bool IsZero => this == default;

    public static RollupDelta Of(OrderMeasures c) => new()
    {
        Orders = c.Orders, RevenueMinor = c.RevenueMinor, RefundsMinor = c.RefundsMinor, CommissionMinor = c.CommissionMinor,
        SecondTierMinor = c.SecondTierMinor, EarnedMinor = c.EarnedMinor, ReversedMinor = c.ReversedMinor,
    };

    public static RollupDelta operator +(RollupDelta a, RollupDelta b) => new()
    {
        Clicks = a.Clicks + b.Clicks, UniqueClicks = a.UniqueClicks + b.UniqueClicks, Impressions = a.Impressions + b.Impressions,
        Orders = a.Orders + b.Orders, RevenueMinor = a.RevenueMinor + b.RevenueMinor, RefundsMinor = a.RefundsMinor + b.RefundsMinor,
        CommissionMinor = a.CommissionMinor + b.CommissionMinor, SecondTierMinor = a.SecondTierMinor + b.SecondTierMinor,
        EarnedMinor = a.EarnedMinor + b.EarnedMinor, ReversedMinor = a.ReversedMinor + b.ReversedMinor,
    };

    public static RollupDelta operator -(RollupDelta a, RollupDelta b) => a + new RollupDelta
    {
        Clicks = -b.Clicks, UniqueClicks = -b.UniqueClicks, Impressions = -b.Impressions, Orders = -b.Orders, RevenueMinor = -b.RevenueMinor,
        RefundsMinor = -b.RefundsMinor, CommissionMinor = -b.CommissionMinor, SecondTierMinor = -b.SecondTierMinor,
        EarnedMinor = -b.EarnedMinor, ReversedMinor = -b.ReversedMinor,
    };
}
