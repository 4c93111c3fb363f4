using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ShopAffiliate.Core.Data;

/// <summary>
/// Serializes the start-up work (migrations, then the headless bootstrap) of app nodes that share one PostgreSQL
/// database. Two nodes started at once on an empty database both ran the first migration and one failed on the
/// tables the other had just created, and both could bootstrap a workspace. A session-level advisory lock, held on a
/// connection of its own, makes the second node wait and then find the schema current and the workspace made.
/// SQLite is one node's file, so there is nothing to take there.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The advisory lock's key: any fixed number that nothing else in the database locks.</summary>
    internal const long Key = 0x5A_AFF1_1A7E_0001;

    private readonly NpgsqlConnection? _connection;

    private StartupLock(NpgsqlConnection? connection) => _connection = connection;

    public static async Task<StartupLock> AcquireAsync(AppDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return new StartupLock(null);
        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            command.CommandTimeout = 0; // wait as long as the other node's migrations take
            await command.ExecuteNonQueryAsync(ct);
            return new StartupLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        // Closing the session releases a session-level advisory lock; the pool would keep the session open, so the
        // lock is released explicitly first.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection))
        {
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync();
        }
        await _connection.DisposeAsync();
    }
}
