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
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s) on {Provider}: {Migrations}")]
    private partial void LogApplying(int count, string provider, string migrations);
}
