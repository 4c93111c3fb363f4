using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Inbox;

/// <summary>
/// The intake's write: new deliveries in one multi-row <c>INSERT … ON CONFLICT ("Platform", "DeliveryId") DO NOTHING
/// RETURNING</c>, written by hand for both databases. Values are bound as EF stores them: enums as names, and on SQLite
/// GUIDs as upper-case text and times as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> (Microsoft.Data.Sqlite's format for a
/// DateTime, the same as EF's), so EF reads these rows like its own.
/// </summary>
internal static class InboxInsert
{
    private const string Columns =
        "\"Platform\", \"ShopId\", \"WorkspaceId\", \"ShopDomain\", \"Topic\", \"DeliveryId\", \"EventId\", \"TriggeredAt\", \"Body\", \"ReceivedAt\", \"NextAttemptAt\", \"Status\", \"Attempts\"";

    private const int ValuesPerRow = 11;

    /// <summary>Inserts <paramref name="messages"/> (distinct delivery ids) and returns the (platform, delivery id) of those that were new.</summary>
    public static async Task<HashSet<(ShopPlatform Platform, string DeliveryId)>> InsertNewAsync(AppDbContext db, List<InboxMessage> messages, CancellationToken ct)
    {
        var inserted = new HashSet<(ShopPlatform, string)>();
        if (messages.Count == 0) return inserted;
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var sql = new StringBuilder("INSERT INTO \"Inbox\" (").Append(Columns).Append(") VALUES ");
            for (var row = 0; row < messages.Count; row++)
            {
                var m = messages[row];
                sql.Append(row == 0 ? "(" : ", (");
                object?[] values =
                [
                    m.Platform.ToString(), Id(m.ShopId, sqlite), Id(m.WorkspaceId, sqlite), m.ShopDomain, m.Topic, m.DeliveryId, m.EventId,
                    m.TriggeredAt, m.Body, m.ReceivedAt, m.NextAttemptAt,
                ];
                for (var i = 0; i < ValuesPerRow; i++)
                {
                    var name = $"@p{row * ValuesPerRow + i}";
                    sql.Append(name).Append(", ");
                    Add(command, name, values[i]);
                }
                sql.Append('\'').Append(nameof(InboxStatus.Pending)).Append("', 0)");
            }
            sql.Append(" ON CONFLICT (\"Platform\", \"DeliveryId\") DO NOTHING RETURNING \"Platform\", \"DeliveryId\"");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) inserted.Add((Enum.Parse<ShopPlatform>(reader.GetString(0)), reader.GetString(1)));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return inserted;
    }

    private static object? Id(Guid? id, bool sqlite) => id is { } value && sqlite ? value.ToString().ToUpperInvariant() : id;

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            DateTime t => DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }
}
