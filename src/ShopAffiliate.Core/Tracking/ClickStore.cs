using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
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
    private const string Columns =
        "\"Id\", \"WorkspaceId\", \"AffiliateId\", \"LinkId\", \"ReferralCode\", \"SubId\", \"At\", \"Source\", \"IpHash\", \"UserAgent\", \"Referrer\", \"LandingUrl\", \"IsBot\", \"IsDuplicate\"";

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
                    Sqlite(sqlite, rows);
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
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT OR IGNORE INTO \"Clicks\" ({Columns}) VALUES ($id, $ws, $aff, $link, $ref, $sub, $at, $src, $ip, $ua, $referrer, $landing, $bot, $dup)";
        var p = new[] { "$id", "$ws", "$aff", "$link", "$ref", "$sub", "$at", "$src", "$ip", "$ua", "$referrer", "$landing", "$bot", "$dup" }
            .Select(name => command.Parameters.Add(name, SqliteType.Text)).ToArray();
        p[12].SqliteType = SqliteType.Integer;
        p[13].SqliteType = SqliteType.Integer;
        command.Prepare();
        foreach (var c in rows)
        {
            // EF's SQLite formats: GUIDs as uppercase text, times as "yyyy-MM-dd HH:mm:ss.FFFFFFF" (UTC), enums by name.
            p[0].Value = Guid(c.Id);
            p[1].Value = Guid(c.WorkspaceId);
            p[2].Value = Guid(c.AffiliateId);
            p[3].Value = c.LinkId is { } link ? Guid(link) : DBNull.Value;
            p[4].Value = c.ReferralCode;
            p[5].Value = (object?)c.SubId ?? DBNull.Value;
            p[6].Value = c.At.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            p[7].Value = c.Source.ToString();
            p[8].Value = (object?)c.IpHash ?? DBNull.Value;
            p[9].Value = (object?)c.UserAgent ?? DBNull.Value;
            p[10].Value = (object?)c.Referrer ?? DBNull.Value;
            p[11].Value = (object?)c.LandingUrl ?? DBNull.Value;
            p[12].Value = c.IsBot ? 1 : 0;
            p[13].Value = c.IsDuplicate ? 1 : 0;
            command.ExecuteNonQuery();
        }
        tx.Commit();

        static string Guid(Guid id) => id.ToString().ToUpperInvariant();
    }

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
            $"INSERT INTO \"Clicks\" ({Columns}) VALUES (@id, @ws, @aff, @link, @ref, @sub, @at, @src, @ip, @ua, @referrer, @landing, @bot, @dup) ON CONFLICT (\"Id\") DO NOTHING",
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
