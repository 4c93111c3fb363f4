using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Reports;

namespace ShopAffiliate.Web.Tests.Privacy;

/// <summary>
/// Raw clicks and impressions older than Privacy:RawDataRetentionDays (180 by default; a program's cookie window and 60 days at least)
/// are deleted once the rollup worker has read them, and the reports show the same figures afterwards, also after a
/// rebuild of a purged day.
/// </summary>
public abstract class RawDataRetentionTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    private PrivacyRetention Retention => App.Services.GetRequiredService<PrivacyRetention>();

    private static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<List<DateTime>> ClickTimesAsync(ReportProgram p) =>
        await p.WithAsync<List<DateTime>, AppDbContext>(db => db.Clicks.IgnoreQueryFilters().Where(c => c.WorkspaceId == p.WorkspaceId)
            .OrderBy(c => c.At).Select(c => c.At).ToListAsync());

    [Fact]
    public async Task ClicksOlderThanTheRetentionAreDeletedAndTheReportsAndARebuildShowTheSameFigures()
    {
        var p = await ReportProgram.CreateAsync(App, "UTC");
        var shop = await p.ShopAsync("retained", "DKK");
        var (jane, code) = await p.AffiliateAsync("Jane");
        var link = await p.LinkAsync(jane, "retained");
        var now = DateTime.UtcNow;
        var old = now.Date.AddDays(-400).AddHours(12);
        await p.ClicksAsync(jane, code, link, old, 3);
        await p.ClicksAsync(jane, code, link, old.AddMinutes(30), 1, repeat: true);
        await p.ClicksAsync(jane, code, link, now.AddDays(-200), 2);
        await p.ClicksAsync(jane, code, link, now.AddDays(-100), 2);
        await p.ClicksAsync(jane, code, link, now.AddHours(-1), 1);
        await p.OrderAsync(shop, "old" + p.Suffix, old.AddHours(2), 500m, code, "DKK");
        // Banner views are raw rows of the same kind: two on the old day, one an hour ago.
        var creative = Guid.NewGuid();
        await p.WithAsync<int, AppDbContext>(db =>
        {
            foreach (var at in (DateTime[])[old, old.AddMinutes(5), now.AddHours(-1)])
                db.Impressions.Add(new ShopAffiliate.Core.Creatives.Impression { Id = Guid.CreateVersion7(), WorkspaceId = p.WorkspaceId, CreativeId = creative, AffiliateId = jane, At = at });
            return db.SaveChangesAsync();
        });
        await p.CaughtUpAsync();

        var whole = $"/api/v1/reports/summary?from={Day(now.AddDays(-410))}&to={Day(now)}";
        var oldDay = $"/api/v1/reports/summary?from={Day(old)}&to={Day(old)}";
        var before = (await p.GetJsonAsync(whole)).GetRawText();
        var oldBefore = await p.GetJsonAsync(oldDay);
        Assert.Equal((4, 3, 2), (oldBefore.GetProperty("clicks").GetInt64(), oldBefore.GetProperty("uniqueClicks").GetInt64(), oldBefore.GetProperty("impressions").GetInt64()));

        var deleted = await Retention.PurgeRawDataAsync(default);

        Assert.True(deleted >= 8, $"{deleted} deleted");
        var kept = await ClickTimesAsync(p);
        Assert.Equal(3, kept.Count);
        Assert.All(kept, at => Assert.True(at > now.AddDays(-180), $"{at:O} is older than 180 days"));
        var keptViews = await p.WithAsync<List<DateTime>, AppDbContext>(db => db.Impressions.IgnoreQueryFilters().Where(i => i.WorkspaceId == p.WorkspaceId).Select(i => i.At).ToListAsync());
        Assert.True(now.AddHours(-1) - Assert.Single(keptViews) < TimeSpan.FromSeconds(1), "the recent impression stays");
        Assert.Equal(before, (await p.GetJsonAsync(whole)).GetRawText());

        // A rebuild of the purged day recomputes its order and keeps its click and impression figures (not counted twice);
        // the whole period is unchanged.
        var rebuilt = await p.Api.PostAsync($"/api/v1/reports/rebuild?day={Day(old)}", null);
        Assert.True(rebuilt.StatusCode == HttpStatusCode.OK, await rebuilt.Content.ReadAsStringAsync());
        Assert.Equal(oldBefore.GetRawText(), (await p.GetJsonAsync(oldDay)).GetRawText());
        Assert.Equal(before, (await p.GetJsonAsync(whole)).GetRawText());
    }

    [Fact]
    public async Task AProgramWithALongCookieWindowKeepsItsClicksForTheWindowAndSixtyDays()
    {
        var p = await ReportProgram.CreateAsync(App, "UTC");
        Assert.Equal(HttpStatusCode.OK, (await p.Api.PutAsync("/api/v1/settings/program",
            new StringContent("""{"cookieWindowDays":300}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        await p.ShopAsync("long", "DKK");
        var (jane, code) = await p.AffiliateAsync("Jane");
        var link = await p.LinkAsync(jane, "long");
        var now = DateTime.UtcNow;
        await p.ClicksAsync(jane, code, link, now.AddDays(-365), 1); // older than 300 + 60 days: deleted
        await p.ClicksAsync(jane, code, link, now.AddDays(-350), 1); // within 360 days: kept although older than 180
        await p.CaughtUpAsync();

        await Retention.PurgeRawDataAsync(default);

        var kept = Assert.Single(await ClickTimesAsync(p));
        Assert.True(kept > now.AddDays(-351) && kept < now.AddDays(-349), $"{kept:O}");
    }

    [Fact]
    public async Task AClickTheRollupWorkerHasNotReadIsNotDeletedHoweverOld()
    {
        var p = await ReportProgram.CreateAsync(App, "UTC");
        await p.ShopAsync("unread", "DKK");
        var (jane, code) = await p.AffiliateAsync("Jane");
        var link = await p.LinkAsync(jane, "unread");
        await p.CaughtUpAsync();
        // The watermark as it stands before the clicks exist: to it, they are clicks it has not read yet.
        // (No row yet: the worker has never read a click in this app.)
        var mark = await p.WithAsync<RollupWatermark?, AppDbContext>(db => db.RollupWatermarks.AsNoTracking().SingleOrDefaultAsync(m => m.Source == RollupSources.Clicks))
                   ?? new RollupWatermark { Source = RollupSources.Clicks };
        var now = DateTime.UtcNow;
        await p.ClicksAsync(jane, code, link, now.AddDays(-500), 2);

        var deleted = await p.WithAsync<int, AppDbContext>(db => PrivacyRetention.DeleteReadClicksAsync(db, p.WorkspaceId, now.AddDays(-180), mark, default));

        Assert.Equal(0, deleted);
        Assert.Equal(2, (await ClickTimesAsync(p)).Count);

        // Once the worker has counted them they go, and the report keeps them.
        await p.CaughtUpAsync();
        await Retention.PurgeRawDataAsync(default);
        Assert.Empty(await ClickTimesAsync(p));
        var day = Day(now.AddDays(-500));
        Assert.Equal(2, (await p.GetJsonAsync($"/api/v1/reports/summary?from={day}&to={day}")).GetProperty("clicks").GetInt64());
    }
}

public sealed class RawDataRetentionOnSqlite(SqliteApp fixture) : RawDataRetentionTests(fixture), IClassFixture<SqliteApp>;

public sealed class RawDataRetentionOnPostgres(PostgresApp fixture) : RawDataRetentionTests(fixture), IClassFixture<PostgresApp>;
