using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Settings;

public static class SettingsStore
{
    /// <summary>The workspace's settings; a workspace that never saved any gets the defaults (stored on first write).</summary>
    public static async Task<WorkspaceSettings> GetAsync(AppDbContext db, Guid workspaceId, CancellationToken ct) =>
        await db.WorkspaceSettings.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct)
        ?? new WorkspaceSettings { WorkspaceId = workspaceId };

    /// <summary>The program's time zone: its own setting, else the time zone of its first shop, else UTC.</summary>
    public static async Task<string> TimeZoneAsync(AppDbContext db, WorkspaceSettings settings, CancellationToken ct)
    {
        if (settings.TimeZone is { } chosen)
            return chosen;
        var first = await db.Shops.IgnoreQueryFilters().Where(s => s.WorkspaceId == settings.WorkspaceId && s.TimeZone != null)
            .OrderBy(s => s.CreatedAt).Select(s => s.TimeZone).FirstOrDefaultAsync(ct);
        return ProgramTimeZone.Normalize(first) ?? ProgramTimeZone.Default;
    }

    /// <summary>Lowercase hosts of the workspace's shops plus the allowed extra hosts: where links may point.</summary>
    public static async Task<HashSet<string>> AllowedHostsAsync(AppDbContext db, WorkspaceSettings settings, CancellationToken ct)
    {
        var shopDomains = await db.Shops.IgnoreQueryFilters().Where(s => s.WorkspaceId == settings.WorkspaceId)
            .Select(s => s.Domain).ToListAsync(ct);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in shopDomains.Concat(settings.AllowedDestinationHosts))
        {
            var host = domain.Split('/')[0].Trim().ToLowerInvariant();
            if (host.Length == 0) continue;
            hosts.Add(host);
            hosts.Add(host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : "www." + host);
        }
        return hosts;
    }
}
