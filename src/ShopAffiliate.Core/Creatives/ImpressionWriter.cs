using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Creatives;

/// <summary>
/// Stores queued impressions in batches, as <see cref="ClickWriter"/> stores clicks: the pixel answers from memory and
/// never waits for the database. On SQLite each batch takes the write gate, in line with the process's other writers.
/// </summary>
public sealed partial class ImpressionWriter(ImpressionChannel channel, IServiceScopeFactory scopes, ILogger<ImpressionWriter> logger)
    : BatchWriter<PendingImpression>(channel)
{
    // Six values a row, 150 rows a statement: far below both databases' parameter limits.
    private const int RowsPerStatement = 150;

    protected override void OnBatchFailed(Exception e, int count) => LogBatchFailed(e, count);

    protected override async Task WriteSerializedAsync(IReadOnlyList<PendingImpression> impressions)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await InsertAsync(impressions);
                return;
            }
            catch (System.Data.Common.DbException e) when (attempt < 5 && ClickStore.IsTransient(e))
            {
                LogRetry(e, impressions.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt));
            }
        }
    }

    /// <summary>Multi-row INSERTs in one transaction; an id stored already is skipped (ids are time-ordered v7 GUIDs).</summary>
    private async Task InsertAsync(IReadOnlyList<PendingImpression> impressions)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        using var gate = await SqliteWriteGate.EnterAsync(db, CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync();
        foreach (var chunk in impressions.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder("INSERT INTO \"Impressions\" (\"Id\", \"WorkspaceId\", \"CreativeId\", \"AffiliateId\", \"At\", \"IsBot\") VALUES ");
            var values = new List<object>(chunk.Length * 6);
            foreach (var i in chunk)
            {
                if (values.Count > 0) sql.Append(", ");
                sql.Append('(');
                object[] row = [i.Id, i.WorkspaceId, i.CreativeId, i.AffiliateId, i.At, ClickClassifier.IsBot(i.UserAgent)];
                for (var c = 0; c < row.Length; c++)
                {
                    sql.Append(c == 0 ? "{" : ", {").Append(values.Count.ToString(CultureInfo.InvariantCulture)).Append('}');
                    values.Add(row[c]);
                }
                sql.Append(')');
            }
            sql.Append(" ON CONFLICT (\"Id\") DO NOTHING");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), values);
        }
        await tx.CommitAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} impressions could not be written")]
    private partial void LogBatchFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} impressions failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception e, int count, int attempt);
}
