using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Tracking;

/// <summary>
/// Bulk insert of clicks, the one write on the redirect's behalf. EF change tracking cost more per click than the
/// whole redirect (measured with tests/ShopAffiliate.Benchmarks), so clicks go in with a prepared INSERT in one
/// transaction on SQLite and binary COPY on PostgreSQL. A click id stored already (a repeated landing beacon) is
/// skipped, never an error. Values are written in the formats EF uses, so EF reads and filters them as usual.
/// </summary>
internal static class ClickStore
{
    /// <summary>Every column of <c>Clicks</c>, in the order both inserts write them (a test holds it to the EF model).</summary>
    internal const string Columns =
        "\"Id\", \"WorkspaceId\", \"AffiliateId\", \"LinkId\", \"ReferralCode\", \"SubId\", \"At\", \"Source\", \"IpHash\", \"UserAgent\", \"Referrer\", \"LandingUrl\", \"IsBot\", \"IsDuplicate\", \"CreativeId\"";

    public static async Task InsertAsync(AppDbContext db, IReadOnlyList<Click> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            switch (db.Database.GetDbConnection())
            {
                case NpgsqlConnection pg:
                    await PostgresAsync(pg, rows, ct);
                    break;
                case SqliteConnection sqlite:
                    // In line with this process's other writers (the rollups, the engine, the intake): meeting them
                    // inside SQLite instead made Microsoft.Data.Sqlite sleep a pool thread 150 ms per busy retry,
                    // which starved the redirect's threads. Urgent: a full click queue makes redirects wait.
                    using (await SqliteWriteGate.EnterAsync(db, ct, urgent: true)) Sqlite(sqlite, rows);
                    break;
                default:
                    throw new NotSupportedException("Clicks are stored on SQLite or PostgreSQL.");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Sqlite(SqliteConnection connection, IReadOnlyList<Click> rows)
    {
        // In WAL mode NORMAL is still crash-safe (a power cut may lose the last commits, never corrupt the file)
        // and saves an fsync per batch.
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            pragma.ExecuteNonQuery();
        }
        // BeginTransaction is BEGIN IMMEDIATE, retried while another writer holds the lock (up to the connection's
        // DefaultTimeout). With the write lock held, the raw steps below cannot meet SQLITE_BUSY in WAL mode, so they
        // need no busy loop of their own (SqliteCommand had one).
        using var tx = connection.BeginTransaction();
        // One statement prepared per batch, bound by position straight from UTF-8 spans: SqliteCommand looked every
        // parameter up by name and built a data reader for each row, which cost more than SQLite's own insert.
        var db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, $"INSERT OR IGNORE INTO \"Clicks\" ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", out var insert), db);
        try
        {
            var text = new byte[256];
            Span<byte> at = stackalloc byte[SqliteFormat.TimeLength];
            foreach (var c in rows)
            {
                BindGuid(insert, 1, c.Id);
                BindGuid(insert, 2, c.WorkspaceId);
                BindGuid(insert, 3, c.AffiliateId);
                if (c.LinkId is { } link) BindGuid(insert, 4, link); else raw.sqlite3_bind_null(insert, 4);
                BindText(insert, 5, c.ReferralCode, ref text);
                BindText(insert, 6, c.SubId, ref text);
                raw.sqlite3_bind_text(insert, 7, at[..SqliteFormat.Time(c.At, at)]);
                raw.sqlite3_bind_text(insert, 8, SqliteFormat.Source(c.Source));
                BindText(insert, 9, c.IpHash, ref text);
                BindText(insert, 10, c.UserAgent, ref text);
                BindText(insert, 11, c.Referrer, ref text);
                BindText(insert, 12, c.LandingUrl, ref text);
                raw.sqlite3_bind_int(insert, 13, c.IsBot ? 1 : 0);
                raw.sqlite3_bind_int(insert, 14, c.IsDuplicate ? 1 : 0);
                if (c.CreativeId is { } creative) BindGuid(insert, 15, creative); else raw.sqlite3_bind_null(insert, 15);
                var rc = raw.sqlite3_step(insert);
                raw.sqlite3_reset(insert);
                if (rc != raw.SQLITE_DONE) Check(rc, db);
            }
        }
        finally
        {
            raw.sqlite3_finalize(insert);
        }
        tx.Commit();
    }

    private static void BindGuid(sqlite3_stmt statement, int index, Guid value)
    {
        Span<byte> utf8 = stackalloc byte[SqliteFormat.GuidLength];
        raw.sqlite3_bind_text(statement, index, utf8[..SqliteFormat.Guid(value, utf8)]);
    }

    private static void BindText(sqlite3_stmt statement, int index, string? value, ref byte[] buffer)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (buffer.Length < max) buffer = new byte[Math.Max(max, buffer.Length * 2)];
        raw.sqlite3_bind_text(statement, index, buffer.AsSpan(0, Encoding.UTF8.GetBytes(value, buffer)));
    }

    /// <summary>The same <see cref="SqliteException"/> SqliteCommand throws, so <see cref="IsTransient"/> still applies.</summary>
    private static void Check(int rc, sqlite3 db) => SqliteException.ThrowExceptionForRC(rc, db);

    private static async Task PostgresAsync(NpgsqlConnection connection, IReadOnlyList<Click> rows, CancellationToken ct)
    {
        try
        {
            await using var copy = await connection.BeginBinaryImportAsync($"COPY \"Clicks\" ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var c in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(c.WorkspaceId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(c.AffiliateId, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(copy, c.LinkId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(c.ReferralCode, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, c.SubId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(DateTime.SpecifyKind(c.At, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(c.Source.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, c.IpHash, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, c.UserAgent, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, c.Referrer, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, c.LandingUrl, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(c.IsBot, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(c.IsDuplicate, NpgsqlDbType.Boolean, ct);
                await WriteNullableAsync(copy, c.CreativeId, NpgsqlDbType.Uuid, ct);
            }
            await copy.CompleteAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // COPY is all or nothing: a batch holding a stored click id goes in row by row, skipping the known ones.
            foreach (var c in rows) await PostgresOneAsync(connection, c, ct);
        }
    }

    private static async Task PostgresOneAsync(NpgsqlConnection connection, Click c, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO \"Clicks\" ({Columns}) VALUES (@id, @ws, @aff, @link, @ref, @sub, @at, @src, @ip, @ua, @referrer, @landing, @bot, @dup, @creative) ON CONFLICT (\"Id\") DO NOTHING",
            connection);
        command.Parameters.AddWithValue("id", c.Id);
        command.Parameters.AddWithValue("ws", c.WorkspaceId);
        command.Parameters.AddWithValue("aff", c.AffiliateId);
        command.Parameters.Add(new NpgsqlParameter("link", NpgsqlDbType.Uuid) { Value = (object?)c.LinkId ?? DBNull.Value });
        command.Parameters.AddWithValue("ref", c.ReferralCode);
        command.Parameters.Add(new NpgsqlParameter("sub", NpgsqlDbType.Varchar) { Value = (object?)c.SubId ?? DBNull.Value });
        command.Parameters.AddWithValue("at", DateTime.SpecifyKind(c.At, DateTimeKind.Utc));
        command.Parameters.AddWithValue("src", c.Source.ToString());
        command.Parameters.Add(new NpgsqlParameter("ip", NpgsqlDbType.Varchar) { Value = (object?)c.IpHash ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("ua", NpgsqlDbType.Varchar) { Value = (object?)c.UserAgent ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("referrer", NpgsqlDbType.Varchar) { Value = (object?)c.Referrer ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("landing", NpgsqlDbType.Varchar) { Value = (object?)c.LandingUrl ?? DBNull.Value });
        command.Parameters.AddWithValue("bot", c.IsBot);
        command.Parameters.AddWithValue("dup", c.IsDuplicate);
        command.Parameters.Add(new NpgsqlParameter("creative", NpgsqlDbType.Uuid) { Value = (object?)c.CreativeId ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    /// <summary>Worth retrying: SQLite busy/locked, a dropped PostgreSQL connection.</summary>
    public static bool IsTransient(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        NpgsqlException n => n.IsTransient,
        _ => false,
    };
}
