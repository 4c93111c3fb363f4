using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Privacy;

/// <summary>Clicks and applications older than Privacy:IpHashRetentionDays (30 by default) lose their IP hash and stay.</summary>
public abstract class PrivacyRetentionTests(TestApp app)
{
    [Fact]
    public async Task IpHashesOlderThan30DaysAreClearedAndTheRowsAndNewerHashesStay()
    {
        var s = new Scenario(app);
        var workspace = await s.WorkspaceIdAsync();
        var affiliate = (await s.ApprovedAffiliateAsync("Ida Hash")).GetProperty("id").GetGuid();
        var now = DateTime.UtcNow;
        Click Click(int daysAgo) => new()
        {
            Id = Guid.NewGuid(), WorkspaceId = workspace, AffiliateId = affiliate, ReferralCode = "ida", At = now.AddDays(-daysAgo),
            IpHash = $"hash-{daysAgo}", Source = ClickSource.Redirect,
        };
        var clicks = new[] { Click(31), Click(400), Click(29), Click(0) };
        var applicant = (await s.ApprovedAffiliateAsync("Ned Newer")).GetProperty("id").GetGuid(); // one application per affiliate
        var applications = new[] { (Days: 45, Ip: "old", Affiliate: affiliate), (Days: 2, Ip: "new", Affiliate: applicant) }.Select(a => new AffiliateApplication
        {
            WorkspaceId = workspace, AffiliateId = a.Affiliate, IpHash = $"signup-{a.Ip}", CreatedAt = now.AddDays(-a.Days),
        }).ToArray();
        await s.WithDbAsync(db =>
        {
            db.Clicks.AddRange(clicks);
            db.AffiliateApplications.AddRange(applications);
            return db.SaveChangesAsync();
        });

        var (purgedClicks, purgedApplications) = await app.Services.GetRequiredService<PrivacyRetention>().PurgeIpHashesAsync(default);

        var clickIds = clicks.Select(c => c.Id).ToList();
        var hashes = await s.WithDbAsync(db => db.Clicks.IgnoreQueryFilters().Where(c => clickIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.IpHash));
        Assert.Equal([null, null, "hash-29", "hash-0"], clicks.Select(c => hashes[c.Id]));
        var applicationIds = applications.Select(a => a.Id).ToList();
        var signups = await s.WithDbAsync(db => db.AffiliateApplications.IgnoreQueryFilters().Where(a => applicationIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.IpHash));
        Assert.Equal([null, "signup-new"], applications.Select(a => signups[a.Id]));
        Assert.True(purgedClicks >= 2 && purgedApplications >= 1, $"{purgedClicks} clicks, {purgedApplications} applications");
    }
}

public sealed class PrivacyRetentionOnSqlite(SqliteApp fixture) : PrivacyRetentionTests(fixture.App), IClassFixture<SqliteApp>;

public sealed class PrivacyRetentionOnPostgres(PostgresApp fixture) : PrivacyRetentionTests(fixture.App), IClassFixture<PostgresApp>;
