using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>The engine end to end through the host, on each database.</summary>
public abstract class EngineFlowTests(Db provider)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    private Task<TestApp> AppAsync() => TestApp.BootstrappedAsync(provider,
        new Dictionary<string, string?> { ["Commissions:ApprovalIntervalSeconds"] = "3600" },
        services => services.AddSingleton<TimeProvider>(_clock));

    [Fact]
    public async Task ClickToPaidCommissionAndARefundAfterPayoutCarriesANegativeBalance()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shop = await s.ShopAsync("knits.myshopify.com");
        await s.Api.PutAsJsonAsync("/api/v1/settings/program", new { holdDays = 30, payoutThreshold = 5m, defaultCommissionRate = 0.1m });
        var jane = await s.ApprovedAffiliateAsync("Jane Doe", "jane");
        var janeId = jane.GetProperty("id").GetGuid();
        var link = await s.LinkAsync(janeId, "https://knits.myshopify.com/products/hoodie?color=red");

        // 1. A shopper clicks the tracking link.
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var redirect = await browser.GetAsync($"/r/{link.GetProperty("code").GetString()}");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.Equal("knits.myshopify.com", location.Host);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("red", query["color"]);
        Assert.Equal("jane", query["ref"]);
        Assert.Equal("aff-jane", query["utm_source"]);
        var clickId = Guid.Parse(query["sa_click"]!);
        await Eventually.HoldsAsync(() => s.WithDbAsync(db => db.Clicks.AnyAsync(c => c.Id == clickId)), stored => stored, "the click to be stored");

        // 2. The shop reports the order, carrying the click in its cart attributes, two days later.
        _clock.Advance(TimeSpan.FromDays(2));
        var placed = _clock.GetUtcNow().UtcDateTime;
        var order = Scenario.Order(shop, "5812345678901", placed, OrderState.Paid, 90m,
            touches: [new ReferralTouch("jane", clickId, null, TouchSource.CartAttribute)]);
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default));

        var pending = await s.Api.GetFromJsonAsync<JsonElement>($"/api/v1/commissions?affiliateId={janeId}");
        var commission = Assert.Single(pending.GetProperty("items").EnumerateArray());
        Assert.Equal("Pending", commission.GetProperty("status").GetString());
        Assert.Equal("9.00", commission.GetProperty("amount").GetProperty("amount").GetString());
        Assert.Equal("USD", commission.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Contains("Jane Doe", commission.GetProperty("explanation").GetString());
        var commissionId = commission.GetProperty("id").GetGuid();

        // 3. The hold period passes; the approval job approves it.
        _clock.Advance(TimeSpan.FromDays(31));
        await Eventually.HoldsAsync(
            async () => (await s.Api.GetFromJsonAsync<JsonElement>($"/api/v1/commissions/{commissionId}")).GetProperty("status").GetString(),
            status => status == "Approved", "the approval job to approve the commission");

        // 4. A payout batch, its PayPal file, and marking it paid.
        var batchResponse = await s.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "USD" });
        Assert.True(batchResponse.StatusCode == HttpStatusCode.Created, await batchResponse.Content.ReadAsStringAsync());
        var batch = await batchResponse.Content.ReadFromJsonAsync<JsonElement>();
        var batchId = batch.GetProperty("id").GetGuid();
        Assert.Equal("9.00", batch.GetProperty("total").GetProperty("amount").GetString());

        var csv = await s.Api.GetStringAsync($"/api/v1/payouts/batches/{batchId}/export?format=paypal");
        var row = Assert.Single(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(jane.GetProperty("email").GetString() + ",9.00,USD,", row.TrimEnd('\r'));

        var paid = await s.Api.PostAsync($"/api/v1/payouts/batches/{batchId}/mark-paid", null);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var balance = Assert.Single((await s.Api.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates/{janeId}/balance")).EnumerateArray());
        Assert.Equal("9.00", balance.GetProperty("paid").GetProperty("amount").GetString());
        Assert.Equal("0.00", balance.GetProperty("approved").GetProperty("amount").GetString());
        Assert.Equal("Paid", (await s.Api.GetFromJsonAsync<JsonElement>($"/api/v1/commissions/{commissionId}")).GetProperty("status").GetString());
        var payoutMail = await s.WithDbAsync(db => db.OutboxMessages.Where(m => m.Topic == "PayoutSent").ToListAsync());
        var paidMail = JsonSerializer.Deserialize<ShopAffiliate.Core.Email.EmailPayload>(Assert.Single(payoutMail).Payload, JsonSerializerOptions.Web)!;
        Assert.Equal(jane.GetProperty("email").GetString(), paidMail.To);
        Assert.Contains("9.00 USD", paidMail.Text, StringComparison.Ordinal);

        // 5. After payment the buyer returns one of the two hoodies: a clawback carried into the next payout.
        _clock.Advance(TimeSpan.FromDays(1));
        var refund = new RefundEvent(shop, order.ExternalOrderId, "R-1", _clock.GetUtcNow().UtcDateTime, [new RefundLine("L1", 1, 45m)]);
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyRefundAsync(refund, default));

        balance = Assert.Single((await s.Api.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates/{janeId}/balance")).EnumerateArray());
        Assert.Equal("-4.50", balance.GetProperty("carried").GetProperty("amount").GetString());
        Assert.Equal("-4.50", balance.GetProperty("payable").GetProperty("amount").GetString());
        Assert.Equal("9.00", balance.GetProperty("paid").GetProperty("amount").GetString());
        var clawback = await s.WithDbAsync(db => db.Ledger.Where(l => l.AffiliateId == janeId && l.Kind == LedgerEntryKind.Clawback).ToListAsync());
        Assert.Equal(-4.5m, Assert.Single(clawback).Amount);
    }

    [Fact]
    public async Task TheSameOrderTwiceAndAnOlderVersionChangeNothing()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shop = await s.ShopAsync("dupes.myshopify.com");
        var jane = (await s.ApprovedAffiliateAsync("Jane Dupe", "janed")).GetProperty("id").GetGuid();
        var at = _clock.GetUtcNow().UtcDateTime;
        var touch = new ReferralTouch("janed", null, null, TouchSource.CartAttribute);
        var v2 = Scenario.Order(shop, "1001", at, OrderState.Paid, 100m, [touch], updatedAt: at.AddMinutes(5));
        var v1 = Scenario.Order(shop, "1001", at, OrderState.Pending, 100m, [touch], updatedAt: at);

        var outcomes = new List<ApplyOutcome>();
        foreach (var e in (OrderEvent[])[v2, v2, v1])
            outcomes.Add(await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(e, default)));

        Assert.Equal([ApplyOutcome.Applied, ApplyOutcome.Unchanged, ApplyOutcome.Unchanged], outcomes);
        var commissions = await s.WithDbAsync(db => db.Commissions.Where(c => c.AffiliateId == jane).ToListAsync());
        Assert.Equal(10m, Assert.Single(commissions).Amount);
        var ledger = await s.WithDbAsync(db => db.Ledger.Where(l => l.AffiliateId == jane).ToListAsync());
        Assert.Equal(10m, Assert.Single(ledger).Amount);
        var held = await s.WithDbAsync(db => db.Orders.SingleAsync(o => o.ExternalId == "1001"));
        Assert.Equal(OrderState.Paid, held.State); // the older Pending version did not overwrite it
    }

    [Fact]
    public async Task ARefundBeforeItsOrderIsAppliedWhenTheOrderArrives()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shop = await s.ShopAsync("early.myshopify.com");
        var jane = (await s.ApprovedAffiliateAsync("Jane Early", "janee")).GetProperty("id").GetGuid();
        var at = _clock.GetUtcNow().UtcDateTime;

        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyRefundAsync(
            new RefundEvent(shop, new ExternalOrderId("2002"), "R-9", at.AddHours(1), [new RefundLine("L1", 1, 50m)]), default));
        Assert.Equal(0, await s.WithDbAsync(db => db.Commissions.CountAsync(c => c.AffiliateId == jane)));

        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(
            Scenario.Order(shop, "2002", at, OrderState.Paid, 100m, [new ReferralTouch("janee", null, null, TouchSource.LandingUrl)]), default));

        var commission = await s.WithDbAsync(db => db.Commissions.SingleAsync(c => c.AffiliateId == jane));
        Assert.Equal(5m, commission.Amount); // 10% of 100, halved by the refund of one of two units
    }

    [Fact]
    public async Task ACouponWinsOverALinkAndTheOrderSaysWhy()
    {
        await using var app = await AppAsync();
        var s = new Scenario(app);
        var shop = await s.ShopAsync("coupons.myshopify.com");
        var jane = (await s.ApprovedAffiliateAsync("Jane Coupon", "janec")).GetProperty("id").GetGuid();
        var bob = (await s.ApprovedAffiliateAsync("Bob Link", "bobl")).GetProperty("id").GetGuid();
        await s.WithDbAsync(async db =>
        {
            db.Coupons.Add(new ShopAffiliate.Core.Coupons.Coupon
            {
                WorkspaceId = await s.WorkspaceIdAsync(), AffiliateId = jane, Code = "JANE10", NormalizedCode = "jane10", Amount = 10,
            });
            return await db.SaveChangesAsync();
        });

        var at = _clock.GetUtcNow().UtcDateTime;
        await s.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(Scenario.Order(shop, "3003", at, OrderState.Paid, 80m,
            [new ReferralTouch("bobl", null, null, TouchSource.LandingUrl)], coupons: ["JANE10"]), default));

        var orders = await s.Api.GetFromJsonAsync<JsonElement>("/api/v1/orders?externalId=3003");
        var attribution = Assert.Single(orders.GetProperty("items").EnumerateArray()).GetProperty("attribution");
        Assert.Equal(jane, attribution.GetProperty("affiliateId").GetGuid());
        Assert.Equal("Coupon", attribution.GetProperty("method").GetString());
        Assert.Contains("JANE10", attribution.GetProperty("explanation").GetString());
        Assert.Equal(0, await s.WithDbAsync(db => db.Commissions.CountAsync(c => c.AffiliateId == bob)));
    }
}

public sealed class EngineFlowOnSqlite() : EngineFlowTests(Db.Sqlite);

public sealed class EngineFlowOnPostgres() : EngineFlowTests(Db.Postgres);
