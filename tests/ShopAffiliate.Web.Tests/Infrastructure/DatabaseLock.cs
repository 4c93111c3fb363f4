using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// Another client holding the database still, as a long transaction or a stalled disk would: SQLite's write lock
/// (BEGIN IMMEDIATE), or on PostgreSQL an EXCLUSIVE lock on <c>Inbox</c> (reads go on, writes wait). Disposing releases it.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private bool _committed;

    private DatabaseLock(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<DatabaseLock> HoldInboxAsync(TestApp app)
    {
        var connection = ConnectionTo(app);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync(); // SQLite: BEGIN IMMEDIATE, the write lock
        if (connection is NpgsqlConnection)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "LOCK TABLE \"Inbox\" IN EXCLUSIVE MODE";
            await command.ExecuteNonQueryAsync();
        }
        return new DatabaseLock(connection, transaction);
    }

    /// <summary>Runs <paramref name="sql"/> inside the held transaction and commits it (the other client's write lands now).</summary>
    public async Task CommitWithAsync(string sql)
    {
        await using (var command = _connection.CreateCommand())
        {
            command.Transaction = _transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
        await _transaction.CommitAsync();
        _committed = true;
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection to the app's database.</summary>
    public static async Task ExecuteAsync(TestApp app, string sql)
    {
        await using var connection = ConnectionTo(app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static DbConnection ConnectionTo(TestApp app)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        return options.ParsedProvider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(options.ConnectionString)
            : new SqliteConnection(options.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed) await _transaction.RollbackAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
