using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Orders;

/// <summary><c>POST /api/v1/orders/{id}/assign</c>: staff credit an order by hand, through the engine.</summary>
public abstract class OrderAssignmentTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    /// <summary>
    /// A Danish order with 25 % moms in its prices: 499.95 kr. on the receipt is 399.96 kr. of goods and 99.99 kr. of moms.
    /// At 15 % the commission is 59.994, so 59.99 kr. (on the gross it would wrongly be 74.99).
    /// </summary>
    internal static OrderEvent DanishOrder(ShopId shop, string id, DateTime at, IReadOnlyList<ReferralTouch> touches) =>
        new(shop, new ExternalOrderId(id), "#" + id, at, at, "DKK", OrderState.Paid, IsTest: false, CustomerId: "c-" + id,
            CustomerEmail: $"buyer.{id}@example.dk", Lines: [new OrderLine("L1", "P1", [], 1, 399.96m, 99.99m)], DiscountCodes: [],
            Touches: touches, ShippingTotal: 39m, TaxTotal: 99.99m, TaxesIncluded: true);

    internal static async Task<(Scenario S, ShopId Shop)> DanishProgramAsync(TestApp app)
    {
        var s = new Scenario(app);
        var settings = await s.Api.PutAsJsonAsync("/api/v1/settings/program", new { defaultCommissionRate = 0.15m, holdDays = 30 });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        return (s, await s.ShopAsync($"dk-{Guid.NewGuid():N}.myshopify.com", "DKK"));
    }

    [Fact]
    public async Task AssigningAnOrderByHandReversesTheOtherAffiliatesCommissionAndCreditsTheNewOneToTheOere()
    {
        var (s, shop) = await DanishProgramAsync(App);
        var bobCode = $"bob{Guid.NewGuid():N}"[..12];
        var bob = (await s.ApprovedAffiliateAsync("Bob Before", bobCode)).GetProperty("id").GetGuid();
        var ann = (await s.ApprovedAffiliateAsync("Ann After")).GetProperty("id").GetGuid();
        var order = DanishOrder(shop, $"dk-{Guid.NewGuid():N}"[..16], DateTime.UtcNow.AddDays(-2), [new ReferralTouch(bobCode, null, null, TouchSource.CartAttribute)]);
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));
        var orderId = await s.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == order.ExternalOrderId.Value).Select(o => o.Id).SingleAsync());
        Assert.Equal(59.99m, await s.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == bob).Select(c => c.Amount).SingleAsync()));

        var assigned = await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = ann, reason = "Phone order taken for Ann" });

        Assert.True(assigned.StatusCode == HttpStatusCode.OK, await assigned.Content.ReadAsStringAsync());
        var detail = await assigned.Content.ReadFromJsonAsync<JsonElement>();
        var attribution = detail.GetProperty("order").GetProperty("attribution");
        Assert.Equal(ann, attribution.GetProperty("affiliateId").GetGuid());
        Assert.Equal("Manual", attribution.GetProperty("method").GetString());
        Assert.Contains("Phone order taken for Ann", attribution.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        var commissions = detail.GetProperty("commissions").EnumerateArray().ToDictionary(c => c.GetProperty("affiliateId").GetGuid());
        Assert.Equal("59.99", commissions[ann].GetProperty("amount").GetProperty("amount").GetString());
        Assert.Equal("DKK", commissions[ann].GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("Pending", commissions[ann].GetProperty("status").GetString());
        Assert.Equal("Reversed", commissions[bob].GetProperty("status").GetString());
        Assert.Equal("0.00", commissions[bob].GetProperty("amount").GetProperty("amount").GetString());

        // The ledger: Bob's earning and its reversal cancel out; Ann's one earning is the commission.
        var ledger = await s.WithDbAsync(db => db.Ledger.Where(l => l.OrderId == orderId).ToListAsync());
        Assert.Equal([59.99m, -59.99m], ledger.Where(l => l.AffiliateId == bob).OrderBy(l => l.Key).Select(l => l.Amount));
        Assert.Equal(LedgerEntryKind.Reversed, ledger.Single(l => l.AffiliateId == bob && l.Amount < 0).Kind);
        var annEntry = Assert.Single(ledger, l => l.AffiliateId == ann);
        Assert.Equal((LedgerEntryKind.Earned, 59.99m), (annEntry.Kind, annEntry.Amount));

        // The same assignment again books nothing more.
        var again = await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = ann, reason = "Phone order taken for Ann" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(ledger.Count, await s.WithDbAsync(db => db.Ledger.CountAsync(l => l.OrderId == orderId)));
    }

    [Fact]
    public async Task ANewerVersionOfAnAssignedOrderKeepsTheManualAssignment()
    {
        var (s, shop) = await DanishProgramAsync(App);
        var code = $"cid{Guid.NewGuid():N}"[..12];
        await s.ApprovedAffiliateAsync("Cid Touch", code);
        var dan = (await s.ApprovedAffiliateAsync("Dan Manual")).GetProperty("id").GetGuid();
        var placed = DateTime.UtcNow.AddDays(-1);
        var order = DanishOrder(shop, $"dk-{Guid.NewGuid():N}"[..16], placed, [new ReferralTouch(code, null, null, TouchSource.CartAttribute)]);
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));
        var orderId = await s.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == order.ExternalOrderId.Value).Select(o => o.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = dan, reason = "Dispute accepted" })).StatusCode);

        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order with { UpdatedAt = placed.AddHours(1) }, default));

        var row = await s.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));
        Assert.Equal((dan, AttributionMethod.Manual), (row.AffiliateId!.Value, row.AttributionMethod));
        Assert.Equal(59.99m, await s.WithDbAsync(db => db.Commissions.Where(c => c.OrderId == orderId && c.AffiliateId == dan).Select(c => c.Amount).SingleAsync()));
    }

    [Fact]
    public async Task AssigningWithoutAReasonOrToAnAffiliateWhoIsNotApprovedIsRefusedAndChangesNothing()
    {
        var (s, shop) = await DanishProgramAsync(App);
        var ann = (await s.ApprovedAffiliateAsync("Ann Reasonless")).GetProperty("id").GetGuid();
        var pending = await s.Api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Pia Pending", email = $"pia.{Guid.NewGuid():N}@example.com" });
        var piaId = (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var order = DanishOrder(shop, $"dk-{Guid.NewGuid():N}"[..16], DateTime.UtcNow.AddDays(-1), []);
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));
        var orderId = await s.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == order.ExternalOrderId.Value).Select(o => o.Id).SingleAsync());

        var noReason = await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = ann, reason = "  " });
        var notApproved = await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = piaId, reason = "Because" });
        var noAffiliate = await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { reason = "Because" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, notApproved.StatusCode);
        Assert.Contains("only an approved affiliate", await notApproved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noAffiliate.StatusCode);
        Assert.Equal("application/problem+json", noAffiliate.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await s.WithDbAsync(db => db.Commissions.CountAsync(c => c.OrderId == orderId)));
    }

    [Fact]
    public async Task AnotherProgramCannotAssignThisProgramsOrderNorCreditItsOwnAffiliateWithIt()
    {
        var (s, shop) = await DanishProgramAsync(App);
        var order = DanishOrder(shop, $"dk-{Guid.NewGuid():N}"[..16], DateTime.UtcNow.AddDays(-1), []);
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));
        var orderId = await s.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == order.ExternalOrderId.Value).Select(o => o.Id).SingleAsync());
        var mine = (await s.ApprovedAffiliateAsync("Mia Mine")).GetProperty("id").GetGuid();
        var other = await OtherProgramAsync(App);
        var theirs = await other.PostAsJsonAsync("/api/v1/affiliates", new { name = "Tom Theirs", email = $"tom.{Guid.NewGuid():N}@example.com" });
        var theirId = (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync($"/api/v1/affiliates/{theirId}/approve", new { reason = "ok" })).StatusCode);

        var foreignCall = await other.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = theirId, reason = "Mine now" });
        var foreignAffiliate = await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = theirId, reason = "Theirs" });

        Assert.Equal(HttpStatusCode.NotFound, foreignCall.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreignAffiliate.StatusCode);
        Assert.Equal(0, await s.WithDbAsync(db => db.Commissions.IgnoreQueryFilters().CountAsync(c => c.OrderId == orderId)));
        // ...while this program's own key and affiliate can, so the refusals above are isolation and not a broken route.
        Assert.Equal(HttpStatusCode.OK, (await s.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/assign", new { affiliateId = mine, reason = "Ours" })).StatusCode);
    }

    internal static async Task<HttpClient> OtherProgramAsync(TestApp app)
    {
        await using var scope = app.Scope();
        var created = await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync("Other Program", "DKK", $"other.{Guid.NewGuid():N}@example.com", "another-password-1");
        return app.ApiClient(created.ApiKey);
    }
}

public sealed class OrderAssignmentOnSqlite(SqliteApp fixture) : OrderAssignmentTests(fixture), IClassFixture<SqliteApp>;

public sealed class OrderAssignmentOnPostgres(PostgresApp fixture) : OrderAssignmentTests(fixture), IClassFixture<PostgresApp>;
