using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// One program with a known month, for the simulator and statement tests (read-only on it), on one app per class.
/// Time zone Europe/Copenhagen (UTC+1 in November): 2026-10-31 23:30 UTC is already 1 November there and
/// 2026-11-30 23:30 UTC is 1 December. Plan "Standard" (the default group): 10% on everything, 5% second tier.
/// Ann recruited Cid. Orders (USD unless said, one line of 2 units):
/// <list type="bullet">
/// <item>O0 2026-10-20, Ann, 300: before the month (Ann's October sales).</item>
/// <item>O1 2026-10-31 23:30Z (1 Nov local), Ann, 200; approved and paid on 25 Nov, then one unit refunded on 26 Nov (a clawback).</item>
/// <item>O2 2026-11-05, touches Bob (20 days before) and Ann (5 days before): Ann's by last click, Bob's by first click; 100.</item>
/// <item>O3 2026-11-08, Cid, 300 (Ann earns the second tier).</item>
/// <item>O4 2026-11-10, Bob's touch 40 days before: outside the 30-day window; 50.</item>
/// <item>O5 2026-11-12, Bob, 400; one unit refunded before payment.</item>
/// <item>O6 2026-11-14, Ann, 80 EUR (another shop).</item>
/// <item>O8 2026-11-16, Ann, 100, cancelled.</item>
/// <item>O9 2026-11-20, Ann, 100. O10 2026-11-22, Bob, 100. O11 2026-11-22 (the same instant as O10), Cid, 60.</item>
/// <item>O7 2026-11-30 23:30Z (1 Dec local), Ann, 1000: after the month.</item>
/// </list>
/// Clicks of Ann: two in November (local) and one a minute before it starts.
/// </summary>
public abstract class SeededProgram(Db provider) : IAsyncLifetime
{
    public static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));
    public TestApp App { get; private set; } = null!;
    public Scenario S { get; private set; } = null!;
    public Guid Ann { get; private set; }
    public Guid Bob { get; private set; }
    public Guid Cid { get; private set; }
    public Guid StandardGroup { get; private set; }
    public Guid WorkspaceId { get; private set; }

    public async Task InitializeAsync()
    {
        App = await TestApp.BootstrappedAsync(provider,
            new Dictionary<string, string?> { ["Commissions:ApprovalIntervalSeconds"] = "3600" },
            services => services.AddSingleton<TimeProvider>(Clock));
        S = new Scenario(App);
        WorkspaceId = await S.WorkspaceIdAsync();
        Ok(await S.Api.PutAsJsonAsync("/api/v1/settings/program",
            new { holdDays = 60, payoutThreshold = 1m, defaultCommissionRate = 0.1m, cookieWindowDays = 30, timeZone = "Europe/Copenhagen" }));
        var group = await S.Api.PostAsJsonAsync("/api/v1/groups", new
        {
            name = "Standard", isDefault = true, secondTierRate = 0.05m,
            rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } },
        });
        Ok(group);
        StandardGroup = (await group.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Ann = (await S.ApprovedAffiliateAsync("Ann Able", "ann")).GetProperty("id").GetGuid();
        Bob = (await S.ApprovedAffiliateAsync("Bob Best", "bob")).GetProperty("id").GetGuid();
        Cid = (await S.ApprovedAffiliateAsync("Cid Cole", "cid", parent: Ann)).GetProperty("id").GetGuid();
        var usd = await S.ShopAsync("usd-shop.myshopify.com");
        var eur = await S.ShopAsync("eur-shop.myshopify.com", "EUR");

        static DateTime Nov(int day, int hour = 12) => new(2026, 11, day, hour, 0, 0, DateTimeKind.Utc);
        static ReferralTouch Touch(string code, DateTime at) => new(code, null, at, TouchSource.CartAttribute);
        await ApplyAsync(Scenario.Order(usd, "O0", new DateTime(2026, 10, 20, 12, 0, 0, DateTimeKind.Utc), OrderState.Paid, 300m,
            [Touch("ann", new DateTime(2026, 10, 19, 12, 0, 0, DateTimeKind.Utc))]));
        var o1At = new DateTime(2026, 10, 31, 23, 30, 0, DateTimeKind.Utc);
        await ApplyAsync(Scenario.Order(usd, "O1", o1At, OrderState.Paid, 200m, [Touch("ann", o1At.AddHours(-1))]));
        await ApplyAsync(Scenario.Order(usd, "O2", Nov(5), OrderState.Paid, 100m, [Touch("bob", Nov(5).AddDays(-20)), Touch("ann", Nov(5).AddDays(-5))]));
        await ApplyAsync(Scenario.Order(usd, "O3", Nov(8), OrderState.Paid, 300m, [Touch("cid", Nov(7))]));
        await ApplyAsync(Scenario.Order(usd, "O4", Nov(10), OrderState.Paid, 50m, [Touch("bob", Nov(10).AddDays(-40))]));
        await ApplyAsync(Scenario.Order(usd, "O5", Nov(12), OrderState.Paid, 400m, [Touch("bob", Nov(11))]));
        await RefundAsync(new RefundEvent(usd, new ExternalOrderId("O5"), "R-5", Nov(13), [new RefundLine("L1", 1, 200m)]));
        await ApplyAsync(Scenario.Order(eur, "O6", Nov(14), OrderState.Paid, 80m, [Touch("ann", Nov(13))], currency: "EUR"));
        await ApplyAsync(Scenario.Order(usd, "O8", Nov(16), OrderState.Cancelled, 100m, [Touch("ann", Nov(15))]));
        await ApplyAsync(Scenario.Order(usd, "O9", Nov(20), OrderState.Paid, 100m, [Touch("ann", Nov(19))]));
        await ApplyAsync(Scenario.Order(usd, "O10", Nov(22), OrderState.Paid, 100m, [Touch("bob", Nov(21))]));
        await ApplyAsync(Scenario.Order(usd, "O11", Nov(22), OrderState.Paid, 60m, [Touch("cid", Nov(21))]));
        var o7At = new DateTime(2026, 11, 30, 23, 30, 0, DateTimeKind.Utc);
        await ApplyAsync(Scenario.Order(usd, "O7", o7At, OrderState.Paid, 1000m, [Touch("ann", o7At.AddHours(-1))]));

        // 25 Nov: staff approve Ann's O0 and O1 commissions and pay them; 26 Nov: one unit of O1 comes back.
        foreach (var order in (string[])["O0", "O1"])
        {
            var id = await S.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == Ann && c.Tier == 1)
                .Join(db.Orders.Where(o => o.ExternalId == order), c => c.OrderId, o => o.Id, (c, o) => c.Id).SingleAsync());
            Ok(await S.Api.PostAsJsonAsync($"/api/v1/commissions/{id}/approve", new { reason = "Checked" }));
        }
        var batch = await S.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "USD" });
        Ok(batch);
        var batchId = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Ok(await S.Api.PostAsync($"/api/v1/payouts/batches/{batchId}/mark-paid", null));
        Clock.Advance(TimeSpan.FromDays(1));
        await RefundAsync(new RefundEvent(usd, new ExternalOrderId("O1"), "R-1", Clock.GetUtcNow().UtcDateTime, [new RefundLine("L1", 1, 100m)]));

        await S.WithDbAsync(async db =>
        {
            foreach (var at in (DateTime[])[new(2026, 10, 31, 22, 59, 0, DateTimeKind.Utc), Nov(3), Nov(4)])
            {
                db.Clicks.Add(new Click { Id = Guid.CreateVersion7(), WorkspaceId = WorkspaceId, AffiliateId = Ann, ReferralCode = "ann", At = at });
            }
            return await db.SaveChangesAsync();
        });
        // Statements read clicks and orders from the report rollups, which a background worker keeps.
        await App.Services.GetRequiredService<ShopAffiliate.Core.Reports.RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>An API client of a new, second workspace (for the tenant isolation tests).</summary>
    public async Task<HttpClient> OtherWorkspaceClientAsync()
    {
        await using var scope = App.Scope();
        var created = await scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Workspaces.WorkspaceProvisioner>()
            .CreateAsync("Other Program", "EUR", $"other.{Guid.NewGuid():N}@example.com", "another-password-1");
        return App.ApiClient(created.ApiKey);
    }

    private Task ApplyAsync(OrderEvent order) => S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));

    private Task RefundAsync(RefundEvent refund) => S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyRefundAsync(refund, default));

    private static void Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
}

public sealed class SeededProgramOnSqlite() : SeededProgram(Db.Sqlite);

public sealed class SeededProgramOnPostgres() : SeededProgram(Db.Postgres);
