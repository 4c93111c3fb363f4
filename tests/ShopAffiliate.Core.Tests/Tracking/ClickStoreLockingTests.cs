using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Tests.Tracking;

/// <summary>The direct SQLite insert shares the database with EF's writers: it must wait for them, never fail.</summary>
public sealed class ClickStoreLockingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sa-clickstore-").FullName;

    [Fact]
    public async Task ABatchWaitsForAnotherWritersTransactionAndThenGoesIn()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "clicks.db")};Foreign Keys=False;Pooling=False";
        await using (var setup = Context(connectionString))
        {
            await setup.Database.EnsureCreatedAsync();
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        // Another writer (an admin saving something) holds the write lock for a while.
        await using var other = new SqliteConnection(connectionString);
        await other.OpenAsync();
        var otherTransaction = other.BeginTransaction();
        await using (var write = other.CreateCommand())
        {
            write.Transaction = otherTransaction;
            write.CommandText = "UPDATE \"Clicks\" SET \"IsBot\" = 0 WHERE 0";
            await write.ExecuteNonQueryAsync();
        }

        await using var db = Context(connectionString);
        await db.Database.OpenConnectionAsync(); // InsertAsync's own open and close then leave it open for us to watch
        var atTheLock = WhenStatementStarts((SqliteConnection)db.Database.GetDbConnection(), "BEGIN IMMEDIATE");
        var click = new Click
        {
            Id = ClickIds.Next(DateTimeOffset.UtcNow), WorkspaceId = Guid.NewGuid(), AffiliateId = Guid.NewGuid(),
            ReferralCode = "jane", At = DateTime.UtcNow, Source = ClickSource.Redirect,
        };
        var insert = Task.Run(() => ClickStore.InsertAsync(db, [click], CancellationToken.None));
        // Not a sleep: the insert has asked SQLite for the write lock (and been told it is busy) before we go on.
        await atTheLock.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(insert.IsCompleted, "the insert went in while another writer held the lock");

        otherTransaction.Commit();
        await insert.WaitAsync(TimeSpan.FromSeconds(20));

        await using var check = Context(connectionString);
        Assert.True(await check.Clicks.IgnoreQueryFilters().AnyAsync(c => c.Id == click.Id));
    }

    [Fact]
    public async Task ABatchWaitsInLineWithThisProcesssOtherWritersWithoutAskingSqliteForTheLock()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "gate.db")};Foreign Keys=False;Pooling=False";
        await using (var setup = Context(connectionString))
        {
            await setup.Database.EnsureCreatedAsync();
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        await using var writer = Context(connectionString);
        await using var db = Context(connectionString);
        await db.Database.OpenConnectionAsync();
        var asked = WhenStatementStarts((SqliteConnection)db.Database.GetDbConnection(), "BEGIN IMMEDIATE");
        var click = new Click
        {
            Id = ClickIds.Next(DateTimeOffset.UtcNow), WorkspaceId = Guid.NewGuid(), AffiliateId = Guid.NewGuid(),
            ReferralCode = "jane", At = DateTime.UtcNow, Source = ClickSource.Redirect,
        };

        Task insert;
        // Another writer of this process (the rollups, the engine) holds the gate.
        using (await SqliteWriteGate.EnterAsync(writer, CancellationToken.None))
        {
            insert = Task.Run(() => ClickStore.InsertAsync(db, [click], CancellationToken.None));
            // Not a sleep: the insert is queued at the gate before we look.
            while (SqliteWriteGate.Waiting(connectionString) == 0 && !insert.IsCompleted) await Task.Delay(5);
            Assert.Equal(1, SqliteWriteGate.Waiting(connectionString));
            Assert.False(asked.IsCompleted, "the insert asked SQLite for the lock (a busy retry sleeps) instead of waiting at the gate");
            Assert.False(insert.IsCompleted);
        }
        await insert.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(asked.IsCompleted);
        await using var check = Context(connectionString);
        Assert.True(await check.Clicks.IgnoreQueryFilters().AnyAsync(c => c.Id == click.Id));
    }

    /// <summary>Completes when SQLite starts running a statement on the connection that begins with <paramref name="sql"/>.</summary>
    private static Task WhenStatementStarts(SqliteConnection connection, string sql)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SQLitePCL.raw.sqlite3_trace(connection.Handle, (_, statement) =>
        {
            if (statement.TrimStart().StartsWith(sql, StringComparison.OrdinalIgnoreCase)) started.TrySetResult();
        }, null);
        return started.Task;
    }

    private static SqliteAppDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).Options);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
