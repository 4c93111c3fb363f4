using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Tracking;

/// <summary>
/// Stores queued clicks in batches (<see cref="BatchWriter{T}"/>: drained on shutdown, writes serialized, so the
/// repeat-detection state needs no concurrent collections).
/// </summary>
public sealed partial class ClickWriter(ClickChannel channel, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ClickWriter> logger)
    : BatchWriter<PendingClick>(channel)
{
    private readonly Dictionary<Guid, WorkspaceFacts> _workspaces = [];
    private readonly Dictionary<(Guid LinkOrAffiliate, string IpHash, string? UserAgent), DateTime> _lastSeen = [];

    // Browsers share a small set of User-Agent strings, so the bot verdict is worth remembering.
    private readonly Dictionary<string, bool> _botVerdicts = new(StringComparer.Ordinal);
    private DateTime _nextPrune;

    protected override void OnBatchFailed(Exception e, int count) => LogBatchFailed(e, count);

    protected override async Task WriteSerializedAsync(IReadOnlyList<PendingClick> clicks)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Click>? rows = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                // Classified once, on the first attempt that got the workspaces' facts: repeat detection remembers
                // every click it sees, so a retry that classified again would take each click for a repeat of itself.
                rows ??= Classify(clicks, await FactsAsync(db, clicks, now), now);
                await ClickStore.InsertAsync(db, rows, CancellationToken.None);
                return;
            }
            catch (System.Data.Common.DbException e) when (attempt < 5 && ClickStore.IsTransient(e))
            {
                // SQLite busy or a dropped connection: back off and retry; the clicks are still in hand.
                LogRetry(e, clicks.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt));
            }
        }
    }

    /// <summary>Clicks of workspaces deleted since are dropped: there is nothing left to credit.</summary>
    private List<Click> Classify(IReadOnlyList<PendingClick> clicks, Dictionary<Guid, WorkspaceFacts> facts, DateTime now)
    {
        var rows = new List<Click>(clicks.Count);
        foreach (var pending in clicks)
        {
            if (facts.TryGetValue(pending.WorkspaceId, out var workspace)) rows.Add(ToRow(pending, workspace));
        }
        if (now >= _nextPrune)
        {
            // Forget visitors older than any window, so memory stays bounded by recent traffic.
            foreach (var old in _lastSeen.Where(e => now - e.Value > TimeSpan.FromDays(1)).Select(e => e.Key).ToList()) _lastSeen.Remove(old);
            _nextPrune = now.AddMinutes(10);
        }
        return rows;
    }

    private Click ToRow(PendingClick p, WorkspaceFacts facts)
    {
        var ipHash = facts.IpHasher.Hash(p.Ip);
        var isBot = IsBot(p.UserAgent);
        var isDuplicate = !isBot && IsRepeat(p, ipHash, facts.DuplicateWindow);
        return new Click
        {
            Id = p.Id,
            WorkspaceId = p.WorkspaceId,
            AffiliateId = p.AffiliateId,
            LinkId = p.LinkId,
            ReferralCode = p.ReferralCode,
            SubId = Truncate(p.SubId, 100),
            At = p.At,
            Source = p.Source,
            IpHash = ipHash,
            UserAgent = Truncate(p.UserAgent, 512),
            Referrer = Truncate(p.Referrer, 1000),
            LandingUrl = Truncate(p.LandingUrl, 2000),
            IsBot = isBot,
            IsDuplicate = isDuplicate,
            CreativeId = p.CreativeId,
        };
    }

    private bool IsRepeat(PendingClick p, string? ipHash, TimeSpan window)
    {
        if (ipHash is null || window <= TimeSpan.Zero) return false;
        var key = (p.LinkId ?? p.AffiliateId, ipHash, p.UserAgent);
        var repeat = _lastSeen.TryGetValue(key, out var last) && p.At - last < window;
        if (!repeat) _lastSeen[key] = p.At;
        return repeat;
    }

    private bool IsBot(string? userAgent)
    {
        if (userAgent is null) return true;
        if (_botVerdicts.TryGetValue(userAgent, out var known)) return known;
        if (_botVerdicts.Count > 10_000) _botVerdicts.Clear();
        return _botVerdicts[userAgent] = ClickClassifier.IsBot(userAgent);
    }

    /// <summary>
    /// The facts of every workspace in the batch, from memory when loaded in the last five minutes. A workspace deleted
    /// since its clicks were queued is missing from the result.
    /// </summary>
    private async Task<Dictionary<Guid, WorkspaceFacts>> FactsAsync(AppDbContext db, IReadOnlyList<PendingClick> clicks, DateTime now)
    {
        var result = new Dictionary<Guid, WorkspaceFacts>();
        foreach (var pending in clicks)
        {
            var id = pending.WorkspaceId;
            if (result.ContainsKey(id)) continue;
            if (_workspaces.TryGetValue(id, out var cached) && cached.LoadedAt > now.AddMinutes(-5))
            {
                result[id] = cached;
                continue;
            }
            if (await LoadFactsAsync(db, id, cached, now) is { } loaded) result[id] = loaded;
        }
        return result;
    }

    private async Task<WorkspaceFacts?> LoadFactsAsync(AppDbContext db, Guid workspaceId, WorkspaceFacts? cached, DateTime now)
    {
        var salt = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.IpHashSalt).FirstOrDefaultAsync();
        if (salt is null)
        {
            if (_workspaces.Remove(workspaceId)) cached!.IpHasher.Dispose();
            return null;
        }
        var minutes = await db.WorkspaceSettings.IgnoreQueryFilters().Where(s => s.WorkspaceId == workspaceId)
            .Select(s => (int?)s.DuplicateClickWindowMinutes).FirstOrDefaultAsync() ?? 30;
        if (cached is not null && cached.Salt.AsSpan().SequenceEqual(salt))
        {
            return _workspaces[workspaceId] = cached with { DuplicateWindow = TimeSpan.FromMinutes(minutes), LoadedAt = now };
        }
        cached?.IpHasher.Dispose();
        return _workspaces[workspaceId] = new WorkspaceFacts(salt, new IpHasher(salt), TimeSpan.FromMinutes(minutes), now);
    }

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } v && v.Length > max ? v[..max] : value;

    private sealed record WorkspaceFacts(byte[] Salt, IpHasher IpHasher, TimeSpan DuplicateWindow, DateTime LoadedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} clicks could not be written")]
    private partial void LogBatchFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} clicks failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception e, int count, int attempt);

}
