using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Reports;

// The SQL interpolates only the callers' constants (table, columns, conflict clause); every value is a parameter.
#pragma warning disable EF1002

internal static class RollupSql
{
    /// <summary>
    /// Inserts <paramref name="rows"/> (values in <paramref name="columns"/> order) into <paramref name="table"/>, 100 rows
    /// a statement, each statement ending in <paramref name="onConflict"/> (an upsert both databases run).
    /// </summary>
    public static async Task UpsertAsync(AppDbContext db, string table, string columns, string onConflict, IEnumerable<object[]> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            var sql = new StringBuilder("INSERT INTO \"").Append(table).Append("\" (").Append(columns).Append(") VALUES ");
            var values = new List<object>(chunk.Length * chunk[0].Length);
            foreach (var row in chunk)
            {
                if (values.Count > 0) sql.Append(", ");
                sql.Append('(');
                for (var i = 0; i < row.Length; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append('{').Append(values.Count.ToString(CultureInfo.InvariantCulture)).Append('}');
                    values.Add(row[i]);
                }
                sql.Append(')');
            }
            sql.Append(onConflict);
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, ct);
        }
    }
}
