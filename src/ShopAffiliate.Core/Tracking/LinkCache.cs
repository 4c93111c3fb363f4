using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Tracking;

/// <summary>What the redirect needs to know about a link, with the redirect URL precomputed up to the click id.</summary>
public sealed record LinkTarget(Guid LinkId, Guid WorkspaceId, Guid AffiliateId, string ReferralCode, string? SubId, string RedirectPrefix, string Fragment)
{
    public string RedirectUrl(Guid clickId) => string.Concat(RedirectPrefix, clickId.ToString("D"), Fragment);

    /// <summary>
    /// The destination with our parameters added: <c>ref</c> and <c>sa_click</c> always (replacing any there), and
    /// <c>utm_source=aff-{code}</c> / <c>utm_medium=affiliate</c> unless the merchant set their own UTM source,
    /// so WooCommerce's built-in order attribution also carries the referral.
    /// </summary>
    public static LinkTarget For(Guid linkId, Guid workspaceId, Guid affiliateId, string referralCode, string? subId, string destination)
    {
        var uri = new Uri(destination, UriKind.Absolute);
        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsOurs(p.Split('=')[0]))
            .ToList();
        var hasUtmSource = kept.Any(p => p.Split('=')[0].Equals("utm_source", StringComparison.OrdinalIgnoreCase));
        var code = Uri.EscapeDataString(referralCode);
        if (!hasUtmSource)
        {
            kept.Add("utm_source=aff-" + code);
            if (!kept.Any(p => p.Split('=')[0].Equals("utm_medium", StringComparison.OrdinalIgnoreCase))) kept.Add("utm_medium=affiliate");
        }
        kept.Add("ref=" + code);
        var prefix = new StringBuilder(uri.GetLeftPart(UriPartial.Path)).Append('?').AppendJoin('&', kept).Append("&sa_click=");
        return new LinkTarget(linkId, workspaceId, affiliateId, referralCode, subId, prefix.ToString(), uri.Fragment);
    }

    private static bool IsOurs(string key) => key is "ref" or "sa_click";
}

/// <summary>
/// Link code to <see cref="LinkTarget"/> in memory, so the redirect touches no database. Warmed at start, updated
/// when links change on this node, refreshed periodically for changes made on other nodes. A code not in memory is
/// looked up once (indexed) and a miss is remembered briefly, so unknown codes cannot hammer the database.
/// </summary>
public sealed class LinkCache(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, LinkTarget> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _misses = new(StringComparer.Ordinal);
    private DateTime _refreshedUpTo = DateTime.MinValue;

    public int Count => _links.Count;

    public bool TryGet(string code, out LinkTarget target) => _links.TryGetValue(code, out target!);

    public async ValueTask<LinkTarget?> FindAsync(string code, CancellationToken ct)
    {
        if (_links.TryGetValue(code, out var target)) return target;
        var now = clock.GetTimestamp();
        if (_misses.TryGetValue(code, out var missedAt) && clock.GetElapsedTime(missedAt, now) < MissLifetime) return null;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var found = await Query(db, code: code).ToListAsync(ct);
        if (found.Count == 0)
        {
            if (_misses.Count > 100_000) _misses.Clear();
            _misses[code] = now;
            return null;
        }
        Set(found[0]);
        return _links[code];
    }

    /// <summary>Loads every live link (at start) or the ones changed since the last refresh.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var since = _refreshedUpTo;
        var startedAt = clock.GetUtcNow().UtcDateTime;
        var changed = await Query(db, since: since).ToListAsync(ct);
        foreach (var row in changed) Set(row);
        // Overlap by a minute: a row committed late with an earlier UpdatedAt is still picked up next time.
        _refreshedUpTo = startedAt.AddMinutes(-1);
    }

    public void Upsert(TrackingLink link, string referralCode) =>
        Set(new LinkRow(link.Id, link.WorkspaceId, link.AffiliateId, link.Code, referralCode, link.SubId, link.Destination, link.IsArchived, link.UpdatedAt));

    private void Set(LinkRow row)
    {
        if (row.IsArchived)
        {
            _links.TryRemove(row.Code, out _);
            return;
        }
        _links[row.Code] = LinkTarget.For(row.Id, row.WorkspaceId, row.AffiliateId, row.ReferralCode, row.SubId, row.Destination);
        _misses.TryRemove(row.Code, out _);
    }

    /// <summary>One live link by code, or every link (archived ones too, to drop them) changed since a time.</summary>
    private static IQueryable<LinkRow> Query(AppDbContext db, string? code = null, DateTime? since = null)
    {
        var links = db.TrackingLinks.IgnoreQueryFilters();
        links = code is not null ? links.Where(l => l.Code == code && !l.IsArchived) : links.Where(l => l.UpdatedAt >= since);
        return from l in links
               join a in db.Affiliates.IgnoreQueryFilters() on l.AffiliateId equals a.Id
               select new LinkRow(l.Id, l.WorkspaceId, l.AffiliateId, l.Code, a.ReferralCode, l.SubId, l.Destination, l.IsArchived, l.UpdatedAt);
    }

    private sealed record LinkRow(Guid Id, Guid WorkspaceId, Guid AffiliateId, string Code, string ReferralCode, string? SubId, string Destination, bool IsArchived, DateTime UpdatedAt);
}
