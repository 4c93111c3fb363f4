using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Privacy;

/// <summary>The <c>Privacy</c> settings: how long personal traces are kept.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Days a click and an application keep the salted hash of the visitor's address. Repeat-click detection (minutes)
    /// and duplicate-signup screening need it only for a while; after that it is a trace of a person for nothing.
    /// </summary>
    [Range(1, 3650, ErrorMessage = "Privacy:IpHashRetentionDays must be between 1 and 3650.")]
    public int IpHashRetentionDays { get; set; } = 30;
}

/// <summary>
/// Clears the IP hashes of clicks and of applications older than <see cref="PrivacyOptions.IpHashRetentionDays"/>. The
/// rows stay (reports count clicks; staff read applications). Runs hourly on every node; the update is idempotent.
/// </summary>
public sealed partial class PrivacyRetention(IServiceScopeFactory scopes, IOptions<PrivacyOptions> options, TimeProvider clock, ILogger<PrivacyRetention> logger)
    : HourlyJob(clock)
{
    private const int Chunk = 5000;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var (clicks, applications) = await PurgeIpHashesAsync(ct);
        if (clicks + applications > 0) LogPurged(clicks, applications, options.Value.IpHashRetentionDays);
    }

    protected override void ReportFailure(Exception e) => LogFailed(e);

    /// <summary>Sets the IP hashes older than the retention period to null; returns how many clicks and applications.</summary>
    public async Task<(int Clicks, int Applications)> PurgeIpHashesAsync(CancellationToken ct)
    {
        var before = Clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.IpHashRetentionDays);
        var clicks = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // In chunks, so a first run over years of clicks never holds SQLite's write lock for long.
            var ids = await db.Clicks.IgnoreQueryFilters().Where(c => c.At < before && c.IpHash != null)
                .Select(c => c.Id).Take(Chunk).ToListAsync(ct);
            if (ids.Count == 0) break;
            clicks += await db.Clicks.IgnoreQueryFilters().Where(c => ids.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.IpHash, (string?)null), ct);
        }
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var applications = await db.AffiliateApplications.IgnoreQueryFilters().Where(a => a.CreatedAt < before && a.IpHash != null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.IpHash, (string?)null), ct);
            return (clicks, applications);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy: the IP hashes of {Clicks} clicks and {Applications} applications older than {Days} days were cleared")]
    private partial void LogPurged(int clicks, int applications, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clearing old IP hashes failed; trying again in an hour")]
    private partial void LogFailed(Exception e);
}
