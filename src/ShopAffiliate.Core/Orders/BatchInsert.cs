using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Orders;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…), (…)</c> statements, on both
/// databases, instead of EF's change tracking (the engine's batches: new orders, commissions and ledger entries).
/// Columns and values come from the EF model: each value is bound through its property's type mapping, the same
/// <c>CreateParameter</c> EF's own commands use, so converters (UTC times, enums as names, SQLite's text GUIDs and
/// decimals) store exactly what SaveChanges stored. A key the database generates (the ledger's identity) is left to
/// it. Statements are chunked under the parameter limits (SQLite 32,766, PostgreSQL 65,535). Runs in the context's
/// current transaction; nothing is tracked, so no save interceptor sees these rows: they are for entities none of the
/// interceptors acts on (not <see cref="IAuditable"/>, no webhook event from the tracker). Database triggers (the
/// rollups') fire as for any insert. A refused row (a unique key) is raised as a <see cref="DbUpdateException"/>, as
/// SaveChanges would raise it, so the callers' conflict handling is unchanged.
/// </summary>
internal static class BatchInsert
{
    private const int MaxParameters = 30_000;
    private const int MaxRows = 1_000;

    public static async Task InsertAsync<T>(AppDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties().Where(p => !StoreGenerated(p)).Select(p =>
        {
            if (p.IsShadowProperty()) throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} is a shadow property: not supported here.");
            return (Property: p, Column: p.GetColumnName(table)!, Mapping: (RelationalTypeMapping)p.GetRelationalTypeMapping(), Getter: p.GetGetter());
        }).ToList();
        var perStatement = Math.Max(1, Math.Min(MaxRows, MaxParameters / columns.Count));
        var head = $"INSERT INTO {Quote(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => Quote(c.Column)))}) VALUES ";

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                var sql = new StringBuilder(head);
                var n = 0;
                for (var i = start; i < Math.Min(rows.Count, start + perStatement); i++)
                {
                    sql.Append(i == start ? "(" : ", (");
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var name = "@p" + n++;
                        if (c > 0) sql.Append(", ");
                        sql.Append(name);
                        var column = columns[c];
                        command.Parameters.Add(column.Mapping.CreateParameter(command, name, column.Getter.GetClrValueUsingContainingEntity(rows[i]), column.Property.IsNullable));
                    }
                    sql.Append(')');
                }
                command.CommandText = sql.ToString();
                try
                {
                    await command.ExecuteNonQueryAsync(ct);
                }
                catch (DbException e)
                {
                    throw new DbUpdateException($"A batch insert into {table.Name} was refused.", e);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A key the database assigns (an identity or autoincrement integer), not one the entity brings (GUIDs).</summary>
    private static bool StoreGenerated(IProperty p) =>
        p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(long) || p.ClrType == typeof(int));

    private static string Quote(string name, string? schema = null) =>
        (schema is null ? "" : $"\"{schema}\".") + $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
