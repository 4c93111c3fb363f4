using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ShopAffiliate.Core.Data;

/// <summary>Applies the provider's migrations. SQLite is switched to WAL so readers never block the click writer.</summary>
public sealed partial class DatabaseMigrator(AppDbContext db, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, db.Database.ProviderName ?? "?", string.Join(", ", pending));
        }
        await db.Database.MigrateAsync(cancellationToken);

        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await EnsureMonthlyRollupTriggersAsync(cancellationToken);
    }

    /// <summary>
    /// The triggers that keep the monthly rollups (ADR 0041). SQLite drops a table's triggers when a migration rebuilds
    /// the table; if any is missing, they are created again and the months recomputed from the days, in one transaction.
    /// </summary>
    public async Task EnsureMonthlyRollupTriggersAsync(CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        foreach (var table in Reports.MonthlyRollupSql.Kept)
        {
            var (count, parameter) = table.CountTriggers(postgres);
            if (await db.Database.SqlQueryRaw<int>(count, parameter).SingleAsync(cancellationToken) == table.TriggerCount(postgres)) continue;
            LogTriggersMissing(table.Trigger);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var sql in table.DropTriggers(postgres).Concat(table.CreateTriggers(postgres)).Concat(table.Refill(postgres)))
                await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The monthly rollup triggers {Trigger} were missing (a table rebuild drops them): created again and the months recomputed from the days")]
    private partial void LogTriggersMissing(string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s) on {Provider}: {Migrations}")]
    private partial void LogApplying(int count, string provider, string migrations);
}
