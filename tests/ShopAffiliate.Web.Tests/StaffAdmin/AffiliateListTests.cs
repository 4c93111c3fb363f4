using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>The admin's affiliates list: filters, sorting by the rollups' figures in SQL, paging, bulk actions, CSV and invitations.</summary>
public abstract class AffiliateListTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task SortingByRevenueUsesThePeriodsFiguresInTheProgramsCurrencyOnly()
    {
        var tag = Tag();
        var (ws, currency) = await ProgramAsync();
        var low = await AffiliateAsync(ws, tag + " Low");
        var high = await AffiliateAsync(ws, tag + " High");
        var old = await AffiliateAsync(ws, tag + " Old");
        var today = await TodayAsync();
        await RollupAsync(ws, low, today, currency, revenue: 10_000, commission: 1_000, orders: 1, uniqueClicks: 4);
        await RollupAsync(ws, low, today, "XXX", revenue: 9_000_000, commission: 900_000, orders: 9); // another currency: not added in
        await RollupAsync(ws, high, today.AddDays(-3), currency, revenue: 30_000, commission: 3_000, orders: 2, uniqueClicks: 10);
        await RollupAsync(ws, old, today.AddDays(-200), currency, revenue: 50_000, commission: 5_000, orders: 5);
        var staff = await OwnerAsync();

        var month = await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&sort=revenue&dir=desc");
        var year = await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&sort=revenue&dir=desc&days=365");
        var ascending = await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&sort=revenue&dir=asc");

        Assert.Equal([high.Email, low.Email, old.Email], RowEmails(month));
        Assert.Equal([old.Email, high.Email, low.Email], RowEmails(year));
        Assert.Equal([old.Email, low.Email, high.Email], RowEmails(ascending));
        Assert.Contains("aria-sort=\"descending\"", month);
    }

    /// <summary>
    /// The figures come from the ranking's blocks: read for every affiliate when the list sorts by a figure, for the
    /// page's affiliates only otherwise. Whatever the sort and the period's shape (whole months, days around them), each
    /// row shows the sums of that affiliate's daily rows in the period, in the program's currency.
    /// </summary>
    [Fact]
    public async Task EachRowShowsThePeriodsFiguresWhateverTheSortAndThePeriod()
    {
        var tag = Tag();
        var (ws, currency) = await ProgramAsync();
        var anna = await AffiliateAsync(ws, tag + " Anna");
        var bo = await AffiliateAsync(ws, tag + " Bo");
        var quiet = await AffiliateAsync(ws, tag + " Quiet"); // no figures at all
        var today = await TodayAsync();
        var rows = new List<(Affiliate Who, DateOnly Day, string Currency, long Revenue, long Commission, long Orders, long Unique)>
        {
            (anna, today, currency, 10_000, 1_000, 1, 4),
            (anna, today.AddDays(-40), currency, 20_000, 2_500, 2, 6),
            (anna, today.AddDays(-200), currency, 70_000, 7_000, 3, 0),
            (anna, today.AddDays(-400), currency, 99_000, 9_900, 9, 9), // before every period
            (bo, today.AddDays(-1), currency, 5_000, 500, 1, 50),
            (bo, today.AddDays(-75), currency, 40_000, 4_000, 4, 3),
            (bo, today.AddDays(-100), "XXX", 9_000_000, 900_000, 9, 0), // another currency: not added in
        };
        foreach (var r in rows) await RollupAsync(ws, r.Who, r.Day, r.Currency, r.Revenue, r.Commission, r.Orders, r.Unique);

        foreach (var days in new[] { 7, 30, 90, 365 })
        foreach (var sort in Enum.GetValues<AffiliateSort>())
        foreach (var descending in new[] { true, false })
        {
            var period = new ReportPeriod(today.AddDays(1 - days), today);
            var page = await WithDbAsync(ws, db => new AffiliateDirectory(db).PageAsync(
                new AffiliateFilter(tag, null, null), period, currency, sort, descending, ShopAffiliate.Core.Paging.PageRequest.Of(1), CancellationToken.None));
            Assert.Equal(3, page.Total);
            foreach (var who in new[] { anna, bo, quiet })
            {
                var mine = rows.Where(r => r.Who == who && r.Currency == currency && r.Day >= period.From && r.Day <= period.To).ToList();
                long unique = mine.Sum(r => r.Unique), commission = mine.Sum(r => r.Commission);
                var expected = $"{unique} {unique} {mine.Sum(r => r.Orders)} {mine.Sum(r => r.Revenue)} {commission} {(unique == 0 ? 0 : commission * 1_000_000 / unique)}";
                var row = Assert.Single(page.Items, x => x.Id == who.Id);
                Assert.True(expected == $"{row.Clicks} {row.UniqueClicks} {row.Orders} {row.RevenueMinor} {row.CommissionMinor} {row.EpcMicros}",
                    $"{who.Name}, {days} days, by {sort} {(descending ? "desc" : "asc")}: expected {expected}, got {row.Clicks} {row.UniqueClicks} {row.Orders} {row.RevenueMinor} {row.CommissionMinor} {row.EpcMicros}");
            }
        }
    }

    [Fact]
    public async Task SearchStatusAndGroupFiltersNarrowTheListAndTheCsvFollowsThem()
    {
        var tag = Tag();
        var (ws, currency) = await ProgramAsync();
        var group = await GroupAsync(ws, tag + " VIP");
        var pending = await AffiliateAsync(ws, tag + " Pending");
        var approved = await AffiliateAsync(ws, tag + " Approved", AffiliateStatus.Approved);
        var vip = await AffiliateAsync(ws, tag + " Vip", AffiliateStatus.Approved, group);
        await RollupAsync(ws, vip, await TodayAsync(), currency, revenue: 12_345, commission: 1_234, orders: 3, uniqueClicks: 2);
        var staff = await OwnerAsync();

        Assert.Equal([approved.Email], RowEmails(await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&status=Approved&group={Guid.Empty}")));
        Assert.Equal([vip.Email], RowEmails(await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&group={group}")));
        Assert.Equal([pending.Email], RowEmails(await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={pending.ReferralCode}")));

        var csv = await staff.GetAsync($"/admin/affiliates?ws={ws}&q={tag}&group={group}&handler=Csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var fields = lines[1].Split(',');
        Assert.Equal(vip.Email, fields[2]);
        Assert.Equal(tag + " VIP", fields[5]);
        Assert.Equal(3, int.Parse(fields[9], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ReportMath.FromMinor(12_345, currency), decimal.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ReportMath.FromMinor(1_234, currency) / 2, decimal.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TheListPagesOnTheServerAndThePagerKeepsTheFilters()
    {
        var tag = Tag();
        var (ws, _) = await ProgramAsync();
        await using (var scope = App.Scope(ws))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            for (var i = 0; i < 27; i++)
                db.Affiliates.Add(new Affiliate { WorkspaceId = ws, Name = $"{tag} {i:00}", Email = $"{tag.ToLowerInvariant()}.{i}@example.com", ReferralCode = $"{tag.ToLowerInvariant()}{i}" });
            await db.SaveChangesAsync();
        }
        var staff = await OwnerAsync();

        var first = await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&sort=name&dir=asc");
        var second = await PageAsync(staff, $"/admin/affiliates?ws={ws}&q={tag}&sort=name&dir=asc&page=2");

        Assert.Equal(25, RowEmails(first).Count);
        Assert.Equal([$"{tag.ToLowerInvariant()}.25@example.com", $"{tag.ToLowerInvariant()}.26@example.com"], RowEmails(second));
        Assert.Contains("26–27 of 27", second);
        var next = System.Text.RegularExpressions.Regex.Match(first, "<a href=\"([^\"]+)\" rel=\"next\"");
        Assert.True(next.Success, "no link to the next page");
        Assert.Contains($"q={tag}", next.Groups[1].Value);
        Assert.Contains("page=2", next.Groups[1].Value);
    }

    [Fact]
    public async Task BulkApproveApprovesTheTickedApplicantsAndMoveToGroupMovesTheTicked()
    {
        var tag = Tag();
        var (ws, _) = await ProgramAsync();
        var group = await GroupAsync(ws, tag + " Partners");
        var one = await AffiliateAsync(ws, tag + " One");
        var two = await AffiliateAsync(ws, tag + " Two");
        var untouched = await AffiliateAsync(ws, tag + " Untouched");
        var staff = await OwnerAsync();
        var url = $"/admin/affiliates?ws={ws}&q={tag}";
        var token = await Forms.TokenAsync(staff, url);

        var approve = await PostAsync(staff, $"{url}&handler=Bulk", token, ("bulkAction", "approve"), ("ids", one.Id.ToString()), ("ids", two.Id.ToString()));
        var move = await PostAsync(staff, $"{url}&handler=Bulk", token, ("bulkAction", "group"), ("targetGroup", group.ToString()), ("ids", one.Id.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, move.StatusCode);
        var after = await WithDbAsync(ws, db => db.Affiliates.AsNoTracking().Where(a => a.Name.StartsWith(tag)).ToDictionaryAsync(a => a.Id));
        Assert.Equal(AffiliateStatus.Approved, after[one.Id].Status);
        Assert.Equal(AffiliateStatus.Approved, after[two.Id].Status);
        Assert.NotNull(after[one.Id].UserId); // approval made their portal account, as the applications queue does
        Assert.Equal(AffiliateStatus.Pending, after[untouched.Id].Status);
        Assert.Equal(group, after[one.Id].GroupId);
        Assert.Null(after[two.Id].GroupId);
    }

    [Fact]
    public async Task ABulkActionWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var tag = Tag();
        var (ws, _) = await ProgramAsync();
        var one = await AffiliateAsync(ws, tag + " One");
        var staff = await OwnerAsync();

        var response = await staff.PostAsync($"/admin/affiliates?ws={ws}&handler=Bulk",
            new FormUrlEncodedContent([new("bulkAction", "approve"), new("ids", one.Id.ToString())]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(AffiliateStatus.Pending, await WithDbAsync(ws, db => db.Affiliates.Where(a => a.Id == one.Id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task InvitingByEmailAddsAnApprovedAffiliateWithAnAccountAndRefusesTheSameEmailTwice()
    {
        var (ws, _) = await ProgramAsync();
        var email = $"invited.{Guid.NewGuid():N}@example.com";
        var staff = await OwnerAsync();
        var url = $"/admin/affiliates?ws={ws}";
        var token = await Forms.TokenAsync(staff, url);

        var invited = await PostAsync(staff, $"{url}&handler=Invite", token, ("Invite.Name", "Ida Invited"), ("Invite.Email", email.ToUpperInvariant()));
        var again = await PostAsync(staff, $"{url}&handler=Invite", token, ("Invite.Name", "Ida Again"), ("Invite.Email", email));
        var empty = await PostAsync(staff, $"{url}&handler=Invite", token, ("Invite.Name", ""), ("Invite.Email", "not an email"));

        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var affiliate = await WithDbAsync(ws, db => db.Affiliates.AsNoTracking().SingleAsync(a => a.Email == email));
        Assert.Equal(AffiliateStatus.Approved, affiliate.Status);
        Assert.NotNull(affiliate.UserId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("is already an affiliate or applicant", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("Enter a valid email address.", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheListIsInDanishAndItsEmptyStateSaysHowToFillIt()
    {
        var (ws, _) = await ProgramAsync();
        var staff = await OwnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/affiliates?ws={ws}&q=nobody-{Guid.NewGuid():N}");
        request.Headers.AcceptLanguage.ParseAdd("da");

        var html = await (await staff.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("Ingen affiliates matcher", html);
        Assert.Contains("Inviter en affiliate", html);
    }

    private static string Tag() => "T" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(Guid Ws, string Currency)> ProgramAsync()
    {
        var ws = await new Scenario(App).WorkspaceIdAsync();
        return (ws, await WithDbAsync(ws, db => db.Workspaces.Where(w => w.Id == ws).Select(w => w.Currency).SingleAsync()));
    }

    private async Task<HttpClient> OwnerAsync() => (await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Owner))).Browser;

    private async Task<Affiliate> AffiliateAsync(Guid ws, string name, AffiliateStatus status = AffiliateStatus.Pending, Guid? group = null)
    {
        var code = name.Replace(" ", "").ToLowerInvariant();
        var affiliate = new Affiliate { WorkspaceId = ws, Name = name, Email = $"{code}@example.com", ReferralCode = code, Status = status, GroupId = group };
        await WithDbAsync(ws, async db =>
        {
            db.Affiliates.Add(affiliate);
            return await db.SaveChangesAsync();
        });
        return affiliate;
    }

    private Task<Guid> GroupAsync(Guid ws, string name) => WithDbAsync(ws, async db =>
    {
        var group = new CommissionGroup { WorkspaceId = ws, Name = name, RulesJson = "[]" };
        db.CommissionGroups.Add(group);
        await db.SaveChangesAsync();
        return group.Id;
    });

    private Task<int> RollupAsync(Guid ws, Affiliate affiliate, DateOnly day, string currency, long revenue, long commission, long orders, long uniqueClicks = 0) =>
        WithDbAsync(ws, async db =>
        {
            db.DailyRollups.Add(new DailyRollup
            {
                WorkspaceId = ws, Day = day, AffiliateId = affiliate.Id, Currency = currency, ShopId = Guid.NewGuid(),
                Orders = orders, RevenueMinor = revenue, CommissionMinor = commission,
            });
            if (uniqueClicks > 0)
                db.DailyRollups.Add(new DailyRollup { WorkspaceId = ws, Day = day, AffiliateId = affiliate.Id, LinkId = Guid.NewGuid(), Clicks = uniqueClicks, UniqueClicks = uniqueClicks });
            return await db.SaveChangesAsync();
        });

    private async Task<DateOnly> TodayAsync()
    {
        var ws = await new Scenario(App).WorkspaceIdAsync();
        await using var scope = App.Scope(ws);
        return await scope.ServiceProvider.GetRequiredService<ReportService>().TodayAsync(CancellationToken.None);
    }

    private async Task<T> WithDbAsync<T>(Guid ws, Func<AppDbContext, Task<T>> use)
    {
        await using var scope = App.Scope(ws);
        return await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string token, params (string Key, string Value)[] fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Append(new("__RequestVerificationToken", token))));

    private static List<string> RowEmails(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"affiliate-row\" data-email=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
}

public sealed class AffiliateListOnSqlite(SqliteApp fixture) : AffiliateListTests(fixture), IClassFixture<SqliteApp>;

public sealed class AffiliateListOnPostgres(PostgresApp fixture) : AffiliateListTests(fixture), IClassFixture<PostgresApp>;
