using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Inbox;

/// <summary>Processed deliveries lose their body after the retention period (30 days by default); the rest keep it.</summary>
public abstract class InboxRetentionTests(TestApp app)
{
    [Fact]
    public async Task DeliveriesDoneMoreThan30DaysAgoAreCompactedAndFailedPendingAndRecentOnesKeepTheirBody()
    {
        var now = DateTime.UtcNow;
        var run = Guid.NewGuid().ToString("N");
        InboxMessage Message(string name, InboxStatus status, int daysAgo) => new()
        {
            Platform = ShopPlatform.Shopify, ShopDomain = "retention.myshopify.com", Topic = "orders/create", DeliveryId = $"{run}-{name}",
            Body = """{"id":1}""", ReceivedAt = now.AddDays(-daysAgo), NextAttemptAt = now.AddDays(-daysAgo), Status = status,
            ProcessedAt = status is InboxStatus.Processed or InboxStatus.Ignored ? now.AddDays(-daysAgo) : null,
        };
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Inbox.AddRange(
                Message("old-processed", InboxStatus.Processed, 31), Message("old-ignored", InboxStatus.Ignored, 45),
                Message("recent-processed", InboxStatus.Processed, 29), Message("old-failed", InboxStatus.Failed, 60),
                Message("old-pending", InboxStatus.Pending, 40));
            await db.SaveChangesAsync();
        }

        var compacted = await app.Services.GetRequiredService<InboxRetention>().CompactAsync(default);

        await using var read = app.Scope();
        var bodies = await read.ServiceProvider.GetRequiredService<AppDbContext>().Inbox.AsNoTracking()
            .Where(m => m.DeliveryId.StartsWith(run)).ToDictionaryAsync(m => m.DeliveryId[(run.Length + 1)..], m => m.Body);
        Assert.True(compacted >= 2, $"compacted {compacted}");
        Assert.Equal("", bodies["old-processed"]);
        Assert.Equal("", bodies["old-ignored"]);
        Assert.Equal("""{"id":1}""", bodies["recent-processed"]);
        Assert.Equal("""{"id":1}""", bodies["old-failed"]);
        Assert.Equal("""{"id":1}""", bodies["old-pending"]);
        Assert.Equal(5, bodies.Count); // compacted, not deleted: the delivery ids still make a late retry a no-op
    }
}

public sealed class InboxRetentionOnSqlite(SqliteApp fixture) : InboxRetentionTests(fixture.App), IClassFixture<SqliteApp>;

public sealed class InboxRetentionOnPostgres(PostgresApp fixture) : InboxRetentionTests(fixture.App), IClassFixture<PostgresApp>;
