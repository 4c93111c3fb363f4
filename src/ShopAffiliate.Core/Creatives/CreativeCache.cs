using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Creatives;

/// <summary>What the pixel and the redirect need to know about a creative that affiliates may show.</summary>
public sealed record CreativeTarget(Guid Id, Guid WorkspaceId, CreativeKind Kind, CreativeStatus Status, string? Hash, ImageFormatKind Format)
{
    /// <summary>The content-addressed URL of the first image, or null for text creatives.</summary>
    public string? FilePath => Hash is null ? null : CreativeUrls.File(Hash, Format);
}

/// <summary>
/// Published and archived creatives (drafts are never shown) and affiliates' referral codes, in memory, so the
/// impression pixel touches no database, as the redirect does with <see cref="Tracking.LinkCache"/>. Updated when a
/// creative changes on this node and refreshed periodically for changes made on other nodes; an id or code not in
/// memory is looked up once and a miss remembered briefly, so guessed ids cannot hammer the database.
/// </summary>
public sealed class CreativeCache(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, CreativeTarget> _creatives = new();
    private readonly ConcurrentDictionary<(Guid Workspace, string Code), Guid> _affiliates = new();
    private readonly ConcurrentDictionary<object, long> _misses = new();
    private DateTime _refreshedUpTo = DateTime.MinValue;

    public async ValueTask<CreativeTarget?> FindAsync(Guid id, CancellationToken ct)
    {
        if (_creatives.TryGetValue(id, out var target)) return target;
        if (RecentMiss(id)) return null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var found = await Query(db, id: id).FirstOrDefaultAsync(ct);
        if (found is null || found.Status == CreativeStatus.Draft) return Miss<CreativeTarget>(id);
        return _creatives[id] = found;
    }

    /// <summary>The affiliate of a referral code in a program, unless rejected.</summary>
    public async ValueTask<Guid?> AffiliateAsync(Guid workspaceId, string referralCode, CancellationToken ct)
    {
        var key = (workspaceId, referralCode.ToLowerInvariant());
        if (_affiliates.TryGetValue(key, out var known)) return known;
        if (RecentMiss(key)) return null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var affiliate = await db.Affiliates.IgnoreQueryFilters()
            .Where(a => a.WorkspaceId == workspaceId && a.ReferralCode == key.Item2 && a.Status != AffiliateStatus.Rejected)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        if (affiliate is not { } id) return Miss<Guid?>(key);
        if (_affiliates.Count > 200_000) _affiliates.Clear();
        return _affiliates[key] = id;
    }

    /// <summary>After a change on this node: the pixel answers the new state at once.</summary>
    public void Set(Creative creative, CreativeFile? first)
    {
        if (creative.Status == CreativeStatus.Draft)
        {
            _creatives.TryRemove(creative.Id, out _);
            return;
        }
        _creatives[creative.Id] = new CreativeTarget(creative.Id, creative.WorkspaceId, creative.Kind, creative.Status, first?.Hash, first?.Format ?? default);
        _misses.TryRemove(creative.Id, out _);
    }

    public void Remove(Guid creativeId) => _creatives.TryRemove(creativeId, out _);

    /// <summary>Picks up creatives changed since the last refresh (on any node), and forgets affiliates' codes now and then.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var startedAt = clock.GetUtcNow().UtcDateTime;
        foreach (var row in await Query(db, since: _refreshedUpTo).ToListAsync(ct))
        {
            if (row.Status == CreativeStatus.Draft) _creatives.TryRemove(row.Id, out _);
            else _creatives[row.Id] = row;
        }
        // Deleted drafts were never cached; a rejected affiliate's code is forgotten within a refresh.
        _affiliates.Clear();
        _refreshedUpTo = startedAt.AddMinutes(-1);
    }

    private bool RecentMiss(object key) =>
        _misses.TryGetValue(key, out var at) && clock.GetElapsedTime(at) < MissLifetime;

    private T? Miss<T>(object key)
    {
        if (_misses.Count > 100_000) _misses.Clear();
        _misses[key] = clock.GetTimestamp();
        return default;
    }

    private static IQueryable<CreativeTarget> Query(AppDbContext db, Guid? id = null, DateTime? since = null)
    {
        var creatives = db.Creatives.IgnoreQueryFilters();
        creatives = id is { } one ? creatives.Where(c => c.Id == one) : creatives.Where(c => c.UpdatedAt >= since);
        return from c in creatives
               let first = db.CreativeFiles.IgnoreQueryFilters().Where(f => f.CreativeId == c.Id).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).FirstOrDefault()
               select new CreativeTarget(c.Id, c.WorkspaceId, c.Kind, c.Status, first == null ? null : first.Hash, first == null ? default : first.Format);
    }
}

/// <summary>The public URLs of creatives.</summary>
public static class CreativeUrls
{
    public const string FilePrefix = "/c/";
    public const string PixelPrefix = "/i/";

    public static string File(string hash, ImageFormatKind format) => $"{FilePrefix}{hash}.{ImageFormats.Extension(format)}";

    public static string Pixel(Guid creativeId, string referralCode) => $"{PixelPrefix}{creativeId:D}/{Uri.EscapeDataString(referralCode)}";
}
