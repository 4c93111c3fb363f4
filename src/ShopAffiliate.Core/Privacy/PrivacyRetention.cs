using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Settings;

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

    /// <summary>
    /// Days raw clicks are kept. Reports read the daily rollups, which stay; raw clicks serve a day's rebuild, the plan
    /// simulator and support questions for a while. A program whose cookie window needs a click longer keeps it longer
    /// (<see cref="PrivacyRetention.DaysKept"/>).
    /// </summary>
    [Range(7, 3650, ErrorMessage = "Privacy:RawDataRetentionDays must be between 7 and 3650.")]
    public int RawDataRetentionDays { get; set; } = 180;
}

/// <summary>
/// Clears the IP hashes of clicks and of applications older than <see cref="PrivacyOptions.IpHashRetentionDays"/> (the
/// rows stay: staff read applications), and deletes raw clicks older than <see cref="PrivacyOptions.RawDataRetentionDays"/>
/// once the rollup worker has read them (the reports' figures stay in the rollups). Runs hourly on every node; both
/// steps are idempotent.
/// </summary>
public sealed partial class PrivacyRetention(IServiceScopeFactory scopes, IOptions<PrivacyOptions> options, TimeProvider clock, ILogger<PrivacyRetention> logger)
    : HourlyJob(clock)
{
    private const int Chunk = 5000;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var (clicks, applications) = await PurgeIpHashesAsync(ct);
        if (clicks + applications > 0) LogPurged(clicks, applications, options.Value.IpHashRetentionDays);
        var deleted = await PurgeRawDataAsync(ct);
        if (deleted > 0) LogRawPurged(deleted, options.Value.RawDataRetentionDays);
    }

    /// <summary>
    /// The longest an order can arrive after it was placed and still be credited: the first import of a newly
    /// connected shop reads 60 days back (Shopify without read_all_orders, the WooCommerce reconcile's first run).
    /// </summary>
    public const int LateOrderDays = 60;

    /// <summary>
    /// Days a program's raw clicks are kept: the setting, but never less than the engine may still need a click. An
    /// order's referral touch names its click (<c>sa_click</c>), and the engine reads that click back for its affiliate
    /// and time when the order arrives: up to the cookie window after the click, plus <see cref="LateOrderDays"/> for
    /// an order imported late. Attribution is sticky once made (ADR 0006) and lifetime links live in their own table,
    /// so no later event of an order needs its click.
    /// </summary>
    public static int DaysKept(int rawDataRetentionDays, int cookieWindowDays) => Math.Max(rawDataRetentionDays, cookieWindowDays + LateOrderDays);

    /// <summary>
    /// Deletes raw clicks and impressions older than each program's <see cref="DaysKept"/>, in chunks, and only those the
    /// rollup worker has read (at or behind each source's watermark, ADR 0019): a row it has not counted yet stays until
    /// it has. The program's <see cref="Workspaces.Workspace.RawDataPurgedBefore"/> moves first, so a day's rebuild never
    /// recounts a day whose raw rows are going. Returns how many rows were deleted.
    /// </summary>
    public async Task<int> PurgeRawDataAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        List<(Guid Id, int Window)> programs;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var windows = await db.WorkspaceSettings.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(w => w.WorkspaceId, w => w.CookieWindowDays, ct);
            var defaultWindow = new WorkspaceSettings().CookieWindowDays;
            programs = (await db.Workspaces.AsNoTracking().Select(w => w.Id).ToListAsync(ct))
                .Select(id => (id, windows.GetValueOrDefault(id, defaultWindow))).ToList();
        }
        var deleted = 0;
        foreach (var (workspaceId, window) in programs)
        {
            var before = now.AddDays(-DaysKept(options.Value.RawDataRetentionDays, window));
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await db.Workspaces.Where(w => w.Id == workspaceId && (w.RawDataPurgedBefore == null || w.RawDataPurgedBefore < before))
                    .ExecuteUpdateAsync(s => s.SetProperty(w => w.RawDataPurgedBefore, before), ct);
            }
            foreach (var (table, source) in RawTables)
            {
                int chunk;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    // The watermark only moves forward, so reading it without its lock is safe: at worst a chunk deletes less.
                    var mark = await db.RollupWatermarks.AsNoTracking().FirstOrDefaultAsync(m => m.Source == source, ct);
                    chunk = mark is null ? 0 : await DeleteReadRowsAsync(db, table, workspaceId, before, mark, ct);
                    deleted += chunk;
                }
                while (chunk == Chunk);
            }
        }
        return deleted;
    }

    // Only this class's constants (the chunk size, a table of RawTables) are interpolated into the SQL; every value is a parameter.
#pragma warning disable EF1002
    /// <summary>The raw tables the retention deletes from, each read by the rollup worker behind its own watermark.</summary>
    private static readonly (string Table, string Source)[] RawTables = [("Clicks", RollupSources.Clicks), ("Impressions", RollupSources.Impressions)];

    internal static Task<int> DeleteReadClicksAsync(AppDbContext db, Guid workspaceId, DateTime before, RollupWatermark mark, CancellationToken ct) =>
        DeleteReadRowsAsync(db, "Clicks", workspaceId, before, mark, ct);

    /// <summary>
    /// Deletes up to one chunk of the program's rows of <paramref name="table"/> (one of <see cref="RawTables"/>) before
    /// <paramref name="before"/> at or behind <paramref name="mark"/>.
    /// </summary>
    internal static async Task<int> DeleteReadRowsAsync(AppDbContext db, string table, Guid workspaceId, DateTime before, RollupWatermark mark, CancellationToken ct)
    {
        if (!RawTables.Any(t => t.Table == table)) throw new ArgumentOutOfRangeException(nameof(table), table, "Not a raw table.");
        // On SQLite through the process's write gate, as every background writer, so the click writer is never starved.
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        if (db.Database.IsNpgsql())
        {
            return await db.Database.ExecuteSqlRawAsync(
                $$"""
                DELETE FROM "{{table}}" WHERE "Id" IN (
                    SELECT "Id" FROM "{{table}}"
                    WHERE "WorkspaceId" = {0} AND "At" < {1} AND ("RollupTx", "Id") <= ({2}, {3})
                    LIMIT {{Chunk}})
                """,
                [workspaceId, before, mark.Position, mark.LastKey.Length == 0 ? Guid.Empty : Guid.Parse(mark.LastKey)], ct);
        }
        return await db.Database.ExecuteSqlRawAsync(
            $$"""
            DELETE FROM "{{table}}" WHERE rowid IN (
                SELECT rowid FROM "{{table}}" WHERE "WorkspaceId" = {0} AND "At" < {1} AND rowid <= {2} LIMIT {{Chunk}})
            """,
            [workspaceId, before, mark.Position], ct);
    }
#pragma warning restore EF1002

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy: {Count} raw clicks older than {Days} days (or than their program's cookie window and 60 days) were deleted; the rollups keep their figures")]
    private partial void LogRawPurged(int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Privacy retention (IP hashes, raw clicks) failed; trying again in an hour")]
    private partial void LogFailed(Exception e);
}
