using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>What the platform host tests read back from the database (across workspaces).</summary>
public static class HostQueries
{
    public static async Task<int> CountAsync<T>(TestApp app, Func<AppDbContext, IQueryable<T>> set)
    {
        await using var scope = app.Scope();
        return await set(scope.ServiceProvider.GetRequiredService<AppDbContext>()).CountAsync();
    }

    public static async Task<List<Commission>> CommissionsAsync(TestApp app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Commissions.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    public static async Task<List<LedgerRecord>> LedgerAsync(TestApp app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Ledger.IgnoreQueryFilters().AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    public static Task WaitForInboxAsync(TestApp app) =>
        Eventually.HoldsAsync(() => CountAsync(app, db => db.Inbox.Where(m => m.Status == InboxStatus.Pending)), n => n == 0, "the inbox to be processed");
}
