using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Simulation;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Simulation;

/// <summary>POST /api/v1/simulations on the seeded program (see <see cref="SeededProgram"/> for its orders).</summary>
public abstract class SimulationHostTests(SeededProgram program)
{
    /// <summary>5% on everything, 8% once the affiliate sold 250 in the (UTC) month before the order; 10% second tier;
    /// a 60-day cookie window and first click.</summary>
    private static object Proposal(Guid? groupId = null, decimal rate = 0.05m) => new
    {
        from = "2026-11-01", to = "2026-11-30", groupId, cookieWindowDays = 60, attributionModel = "FirstClick",
        plan = new
        {
            name = "Tiered", secondTierRate = 0.10m, tierPeriod = "Month",
            rules = new[] { new { scope = "all", kind = "Percent", value = rate, tiers = new[] { new { salesThreshold = 250m, value = 0.08m } } } },
        },
    };

    private async Task<JsonElement> SimulateAsync(object body, HttpClient? client = null)
    {
        var response = await (client ?? program.S.Api).PostAsJsonAsync("/api/v1/simulations", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Row(JsonElement result, Guid affiliate, string currency) =>
        result.GetProperty("affiliates").EnumerateArray()
            .Single(a => a.GetProperty("affiliateId").GetGuid() == affiliate && a.GetProperty("currency").GetString() == currency);

    private static JsonElement Total(JsonElement result, string currency) =>
        result.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == currency);

    private static decimal Money(JsonElement e, string side, string field) => decimal.Parse(e.GetProperty(side).GetProperty(field).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheCurrentPlansCommissionEqualsWhatTheLedgerHoldsForTheMonthsOrders()
    {
        var result = await SimulateAsync(Proposal());

        // From the ledger itself: every entry that changed a total (not the approval and payment transfers), for the
        // orders placed in November in Copenhagen (O1 .. O11 without O0 and O7).
        var ledger = await program.S.WithDbAsync(db => db.Ledger
            .Where(e => e.Kind != LedgerEntryKind.Approved && e.Kind != LedgerEntryKind.Paid)
            .Join(db.Orders.Where(o => o.ExternalId != "O0" && o.ExternalId != "O7"), e => e.OrderId, o => o.Id, (e, o) => new { e.AffiliateId, e.Currency, e.Amount })
            .ToListAsync());
        Assert.Equal(10, result.GetProperty("ordersReplayed").GetInt32());
        foreach (var group in ledger.GroupBy(e => (e.AffiliateId, e.Currency)))
        {
            var row = Row(result, group.Key.AffiliateId, group.Key.Currency);
            Assert.Equal(group.Sum(e => e.Amount), Money(row, "current", "commission"));
            Assert.Equal(group.Sum(e => e.Amount).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("booked").GetString());
        }

        // ...and by hand: 10% of what each kept, Ann 5% of Cid's sales.
        Assert.Equal(0.10m * 100m + 0.10m * 100m + 0.05m * 300m + 0.10m * 100m + 0.05m * 60m, Money(Row(result, program.Ann, "USD"), "current", "commission"));
        Assert.Equal(0.10m * 200m + 0.10m * 100m, Money(Row(result, program.Bob, "USD"), "current", "commission"));
        Assert.Equal(0.10m * 300m + 0.10m * 60m, Money(Row(result, program.Cid, "USD"), "current", "commission"));
        Assert.Equal(0.10m * 80m, Money(Row(result, program.Ann, "EUR"), "current", "commission"));
    }

    [Fact]
    public async Task AProposedPlansFiguresAreTheOnesComputedByHandFromTheOrders()
    {
        var result = await SimulateAsync(Proposal());

        // First click and a 60-day window: O2 goes to Bob (his touch is first), O4's 40-day-old touch now counts.
        // Tiers count the affiliate's sales after refunds in the UTC month before the order.
        // Ann: O1 (31 Oct UTC) sees her October sale O0 (300 >= 250): 8% of 200, halved by the refund; O9 sees no
        // November sale of hers (O2 is Bob's now): 5%; second tier 10% of Cid's O3 and O11.
        var ann = 0.08m * 200m / 2 + 0.05m * 100m + 0.10m * 300m + 0.10m * 60m;
        // Bob: O2 5%, O4 5% (sales before 100), O5 5% (150) halved by its refund, O10 8% (100 + 50 + 200 = 350).
        var bob = 0.05m * 100m + 0.05m * 50m + 0.05m * 400m / 2 + 0.08m * 100m;
        // Cid: O3 5%, O11 8% (O3's 300 before it).
        var cid = 0.05m * 300m + 0.08m * 60m;
        Assert.Equal(ann, Money(Row(result, program.Ann, "USD"), "proposed", "commission"));
        Assert.Equal(bob, Money(Row(result, program.Bob, "USD"), "proposed", "commission"));
        Assert.Equal(cid, Money(Row(result, program.Cid, "USD"), "proposed", "commission"));
        Assert.Equal(0.05m * 80m, Money(Row(result, program.Ann, "EUR"), "proposed", "commission"));

        // Revenue = merchandise after refunds of the orders each is credited with; orders = those, less the cancelled O8.
        var annRow = Row(result, program.Ann, "USD");
        Assert.Equal(100m + 100m, Money(annRow, "proposed", "revenue"));
        Assert.Equal(2, annRow.GetProperty("proposed").GetProperty("orders").GetInt32());
        Assert.Equal(100m + 100m + 100m, Money(annRow, "current", "revenue"));
        Assert.Equal(3, annRow.GetProperty("current").GetProperty("orders").GetInt32());
        var bobRow = Row(result, program.Bob, "USD");
        Assert.Equal(100m + 50m + 200m + 100m, Money(bobRow, "proposed", "revenue"));
        Assert.Equal(4, bobRow.GetProperty("proposed").GetProperty("orders").GetInt32());

        var currentAnn = 0.10m * 100m + 0.10m * 100m + 0.05m * 300m + 0.10m * 100m + 0.05m * 60m;
        Assert.Equal((ann - currentAnn).ToString("F2", System.Globalization.CultureInfo.InvariantCulture), annRow.GetProperty("change").GetString());

        // Totals per currency, never across: USD and EUR apart, ROI = (revenue - commission) / commission.
        var usd = Total(result, "USD");
        var proposedCommission = ann + bob + cid;
        var proposedRevenue = 200m + 450m + 360m;
        Assert.Equal(proposedCommission, Money(usd, "proposed", "commission"));
        Assert.Equal(proposedRevenue, Money(usd, "proposed", "revenue"));
        Assert.Equal(8, usd.GetProperty("proposed").GetProperty("orders").GetInt32());
        Assert.Equal(decimal.Round((proposedRevenue - proposedCommission) / proposedCommission, 6, MidpointRounding.AwayFromZero), usd.GetProperty("proposed").GetProperty("roi").GetDecimal());
        var currentCommission = currentAnn + 30m + 36m;
        Assert.Equal(decimal.Round((960m - currentCommission) / currentCommission, 6, MidpointRounding.AwayFromZero), usd.GetProperty("current").GetProperty("roi").GetDecimal());
        var eur = Total(result, "EUR");
        Assert.Equal(9m, eur.GetProperty("current").GetProperty("roi").GetDecimal()); // (80 - 8) / 8
        Assert.Equal("Europe/Copenhagen", result.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task AProposalForOneGroupLeavesTheOtherGroupsAffiliatesOnTheirPlan()
    {
        // A group nobody is in: every affiliate stays on Standard, and only the cookie window and model change.
        var empty = await program.S.Api.PostAsJsonAsync("/api/v1/groups", new { name = "Nobody's", rules = new[] { new { scope = "all", kind = "Percent", value = 0.5m } } });
        var emptyId = (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        try
        {
            var result = await SimulateAsync(Proposal(emptyId));
            // Bob under Standard's 10%, with O2 (first click) and O4 (60 days) now his.
            Assert.Equal(0.10m * 100m + 0.10m * 50m + 0.10m * 200m + 0.10m * 100m, Money(Row(result, program.Bob, "USD"), "proposed", "commission"));

            // Standard is the default group: a proposal for it reaches everyone (nobody names another group).
            var standard = await SimulateAsync(Proposal(program.StandardGroup));
            Assert.Equal(0.05m * 100m + 0.05m * 50m + 0.05m * 400m / 2 + 0.08m * 100m, Money(Row(standard, program.Bob, "USD"), "proposed", "commission"));
        }
        finally
        {
            await program.S.Api.DeleteAsync($"/api/v1/groups/{emptyId}");
        }
    }

    [Fact]
    public async Task ASimulationWritesNothingRowForRow()
    {
        var before = await SnapshotAsync();
        await SimulateAsync(Proposal());
        Assert.Equal(before, await SnapshotAsync());
    }

    private Task<string> SnapshotAsync() => program.S.WithDbAsync(async db => JsonSerializer.Serialize(new
    {
        ledger = await db.Ledger.AsNoTracking().OrderBy(e => e.Id).ToListAsync(),
        commissions = await db.Commissions.AsNoTracking().OrderBy(c => c.Id).ToListAsync(),
        orders = await db.Orders.AsNoTracking().OrderBy(o => o.Id).ToListAsync(),
        lifetime = await db.LifetimeCustomers.AsNoTracking().OrderBy(l => l.Id).ToListAsync(),
    }));

    [Fact]
    public async Task PagesOfAnySizeGiveTheSameFiguresAsOnePage()
    {
        var plan = new CommissionPlan("Flat", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.05m)
        {
            Tiers = [new PerformanceTier(250m, 0.08m)],
        }]);
        var proposal = new ProposedPlan(plan, TierPeriod.Month, null, 60, AttributionModel.FirstClick);
        async Task<string> RunAsync(int pageSize)
        {
            await using var scope = program.App.Scope(program.WorkspaceId);
            var simulator = new PlanSimulator(scope.ServiceProvider.GetRequiredService<AppDbContext>()) { PageSize = pageSize };
            return JsonSerializer.Serialize(await simulator.RunAsync(program.WorkspaceId, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), proposal, default));
        }

        var whole = await RunAsync(500);
        Assert.Contains("\"OrdersReplayed\":10", whole);
        // Page size 1 ends a page between O10 and O11, which share one instant.
        foreach (var size in (int[])[1, 2, 3])
            Assert.Equal(whole, await RunAsync(size));
    }

    [Fact]
    public async Task ACancelledRequestStopsTheReplay()
    {
        await using var scope = program.App.Scope(program.WorkspaceId);
        var simulator = scope.ServiceProvider.GetRequiredService<PlanSimulator>();
        var plan = new CommissionPlan("P", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.05m)]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => simulator.RunAsync(program.WorkspaceId,
            new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), new ProposedPlan(plan, TierPeriod.Month, null, null, null), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task AnInvalidPlanIsRefusedAsTheGroupsApiRefusesIt()
    {
        var bad = new { name = "Too generous", rules = new[] { new { scope = "all", kind = "Percent", value = 1.5m } } };
        var asGroup = await program.S.Api.PostAsJsonAsync("/api/v1/groups", bad);
        var asProposal = await program.S.Api.PostAsJsonAsync("/api/v1/simulations", new { from = "2026-11-01", to = "2026-11-30", plan = bad });

        Assert.Equal(HttpStatusCode.BadRequest, asGroup.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, asProposal.StatusCode);
        Assert.Equal("application/problem+json", asProposal.Content.Headers.ContentType?.MediaType);
        var groupErrors = (await asGroup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").ToString();
        var proposalErrors = (await asProposal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").ToString();
        Assert.Contains("between 0 and 1", proposalErrors);
        Assert.Equal(groupErrors, proposalErrors);
    }

    [Theory]
    [InlineData("2026-11-01", "2025-10-01", "to")] // ends before it starts
    [InlineData("2025-01-01", "2026-01-02", "to")] // 367 days
    [InlineData("1 Nov 2026", "2026-11-30", "from")]
    public async Task ABadPeriodIsA400NamingTheField(string from, string to, string field)
    {
        var response = await program.S.Api.PostAsJsonAsync("/api/v1/simulations", new
        {
            from, to, plan = new { rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task AnotherWorkspacesKeyReplaysNoneOfThisProgramsOrders()
    {
        var result = await SimulateAsync(Proposal(), await program.OtherWorkspaceClientAsync());
        Assert.Equal(0, result.GetProperty("ordersReplayed").GetInt32());
        Assert.Empty(result.GetProperty("affiliates").EnumerateArray());
    }
}

public sealed class SimulationHostOnSqlite(SeededProgramOnSqlite program) : SimulationHostTests(program), IClassFixture<SeededProgramOnSqlite>;

public sealed class SimulationHostOnPostgres(SeededProgramOnPostgres program) : SimulationHostTests(program), IClassFixture<SeededProgramOnPostgres>;
