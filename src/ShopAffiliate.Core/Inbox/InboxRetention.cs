using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Inbox;

/// <summary>
/// Compacts the inbox: a delivery processed (or ignored) more than <see cref="InboxOptions.RetentionDays"/> ago loses
/// its body, so the table does not grow by every payload forever. The row stays: its delivery id still turns a late
/// retry into a no-op, and its topic, times and status remain for support. Failed and pending deliveries keep their
/// body until they are handled. Runs hourly on every node; the update is idempotent.
/// </summary>
public sealed partial class InboxRetention(IServiceScopeFactory scopes, IOptions<InboxOptions> options, TimeProvider clock, ILogger<InboxRetention> logger)
    : HourlyJob(clock)
{
    private const int Chunk = 5000;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var compacted = await CompactAsync(ct);
        if (compacted > 0) LogCompacted(compacted, options.Value.RetentionDays);
    }

    protected override void ReportFailure(Exception e) => LogFailed(e);

    /// <summary>Empties the bodies of deliveries done before the retention period; returns how many.</summary>
    public async Task<int> CompactAsync(CancellationToken ct)
    {
        var before = Clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // In chunks, so a first run over a large inbox never holds the write lock for long.
            var ids = await db.Inbox
                .Where(m => (m.Status == InboxStatus.Processed || m.Status == InboxStatus.Ignored) && m.ProcessedAt < before && m.Body != "")
                .OrderBy(m => m.Id).Select(m => m.Id).Take(Chunk).ToListAsync(ct);
            if (ids.Count == 0) return total;
            total += await db.Inbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.Body, ""), ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox: the bodies of {Count} deliveries older than {Days} days were compacted")]
    private partial void LogCompacted(int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox compaction failed; trying again in an hour")]
    private partial void LogFailed(Exception e);
}
