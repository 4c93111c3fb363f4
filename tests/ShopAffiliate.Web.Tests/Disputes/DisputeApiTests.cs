using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Orders;

namespace ShopAffiliate.Web.Tests.Disputes;

/// <summary>Disputes through <c>/api/v1/disputes</c> and the service the portal uses, on a Danish program (15 %, 25 % moms in prices).</summary>
public abstract class DisputeApiTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    private sealed record Program(Scenario S, ShopId Shop, Guid Ann, string AnnName, string AnnEmail);

    private async Task<Program> ProgramAsync()
    {
        var (s, shop) = await OrderAssignmentTests.DanishProgramAsync(App);
        var ann = await s.ApprovedAffiliateAsync("Ann Claimant");
        return new Program(s, shop, ann.GetProperty("id").GetGuid(), ann.GetProperty("name").GetString()!, ann.GetProperty("email").GetString()!);
    }

    private static async Task<(string Number, Guid OrderId)> OrderAsync(Program p, IReadOnlyList<ReferralTouch> touches)
    {
        var id = $"{Guid.NewGuid():N}"[..12];
        var order = OrderAssignmentTests.DanishOrder(p.Shop, id, DateTime.UtcNow.AddDays(-3), touches);
        await p.S.WithServiceAsync<ApplyOutcome, OrderProcessor>(o => o.ApplyOrderAsync(order, default));
        return (id, await p.S.WithDbAsync(db => db.Orders.Where(o => o.ExternalId == id).Select(o => o.Id).SingleAsync()));
    }

    private static async Task<Guid> ClaimAsync(Program p, string number, string note = "My reader bought with my link but nothing showed up")
    {
        // The affiliate files it in the portal; the portal calls the same service as the affiliate.
        var dispute = await p.S.WithServiceAsync<Dispute, DisputeService>(d => d.OpenAsync(
            p.Ann, number, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)), note, DisputeActor.Affiliate(p.Ann, p.AnnName), default));
        return dispute.Id;
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<List<EmailPayload>> MailsAsync(Program p) => p.S.WithDbAsync(async db =>
        (await db.OutboxMessages.Where(m => m.Topic == nameof(EmailKind.DisputeUpdated)).Select(m => m.Payload).ToListAsync())
        .Select(json => JsonSerializer.Deserialize<EmailPayload>(json, JsonSerializerOptions.Web)!).Where(m => m.To == p.AnnEmail).ToList());

    [Fact]
    public async Task AcceptingAClaimCreditsTheOrderToTheAffiliateToTheOereAndMailsThem()
    {
        var p = await ProgramAsync();
        var (number, orderId) = await OrderAsync(p, []);
        var disputeId = await ClaimAsync(p, "#" + number);

        var detail = await OkJsonAsync(await p.S.Api.GetAsync($"/api/v1/disputes/{disputeId}"));
        var match = Assert.Single(detail.GetProperty("matchingOrders").EnumerateArray());
        Assert.Equal(orderId, match.GetProperty("orderId").GetGuid());
        Assert.Contains("No affiliate", match.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.False(match.TryGetProperty("explanationJson", out _), "The API answers the English text alone, as before the parts.");

        var accepted = await OkJsonAsync(await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/accept", new { reason = "The reader confirmed it" }));

        Assert.Equal("Accepted", accepted.GetProperty("dispute").GetProperty("status").GetString());
        Assert.Equal(orderId, accepted.GetProperty("dispute").GetProperty("orderId").GetGuid());
        var commission = await p.S.WithDbAsync(db => db.Commissions.SingleAsync(c => c.OrderId == orderId));
        Assert.Equal((p.Ann, 59.99m, "DKK", CommissionStatus.Pending), (commission.AffiliateId, commission.Amount, commission.Currency, commission.Status));
        // SQLite cannot sum decimals in SQL: the entries are summed here.
        Assert.Equal(59.99m, (await p.S.WithDbAsync(db => db.Ledger.Where(l => l.OrderId == orderId).Select(l => l.Amount).ToListAsync())).Sum());
        var order = await p.S.WithDbAsync(db => db.Orders.SingleAsync(o => o.Id == orderId));
        Assert.Equal(AttributionMethod.Manual, order.AttributionMethod);
        Assert.Contains("The reader confirmed it", order.AttributionExplanation, StringComparison.Ordinal);

        // Every step is on the thread, with who took it.
        var thread = accepted.GetProperty("thread").EnumerateArray().ToList();
        Assert.Equal(["Opened", "Accepted"], thread.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(p.AnnName, thread[0].GetProperty("actorName").GetString());
        Assert.StartsWith("API key ", thread[1].GetProperty("actorName").GetString(), StringComparison.Ordinal);

        var mail = Assert.Single(await MailsAsync(p));
        Assert.Contains("accepted", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("The reader confirmed it", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"/disputes/{disputeId}", mail.Text, StringComparison.Ordinal);

        // A settled claim cannot be settled again.
        var again = await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/decline", new { reason = "Changed my mind" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task DecliningAClaimLeavesTheLedgerUnchangedAndMailsTheReason()
    {
        var p = await ProgramAsync();
        var bobCode = $"bob{Guid.NewGuid():N}"[..12];
        var bob = (await p.S.ApprovedAffiliateAsync("Bob Credited", bobCode)).GetProperty("id").GetGuid();
        var (number, orderId) = await OrderAsync(p, [new ReferralTouch(bobCode, null, null, TouchSource.CartAttribute)]);
        var before = await p.S.WithDbAsync(db => db.Ledger.Where(l => l.OrderId == orderId).Select(l => new { l.Key, l.Amount }).ToListAsync());
        var disputeId = await ClaimAsync(p, number);

        var declined = await OkJsonAsync(await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/decline",
            new { reason = "Bob's link was the last one the buyer clicked" }));

        Assert.Equal("Declined", declined.GetProperty("dispute").GetProperty("status").GetString());
        var after = await p.S.WithDbAsync(db => db.Ledger.Where(l => l.OrderId == orderId).Select(l => new { l.Key, l.Amount }).ToListAsync());
        Assert.Equal(before, after);
        Assert.Equal(bob, (await p.S.WithDbAsync(db => db.Orders.SingleAsync(o => o.Id == orderId))).AffiliateId);
        var mail = Assert.Single(await MailsAsync(p));
        Assert.Contains("declined", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Bob's link was the last one the buyer clicked", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptingAClaimForAWronglyRejectedCommissionApprovesIt()
    {
        var p = await ProgramAsync();
        var code = $"ann{Guid.NewGuid():N}"[..12];
        var carl = (await p.S.ApprovedAffiliateAsync("Carl Rejected", code)).GetProperty("id").GetGuid();
        var (number, orderId) = await OrderAsync(p, [new ReferralTouch(code, null, null, TouchSource.CartAttribute)]);
        var commissionId = await p.S.WithDbAsync(db => db.Commissions.Where(c => c.OrderId == orderId).Select(c => c.Id).SingleAsync());
        await OkJsonAsync(await p.S.Api.PostAsJsonAsync($"/api/v1/commissions/{commissionId}/reject", new { reason = "Looks like fraud" }));
        var dispute = await p.S.WithServiceAsync<Dispute, DisputeService>(d => d.OpenAsync(
            carl, number, DateOnly.FromDateTime(DateTime.UtcNow), "It was a real customer", DisputeActor.Affiliate(carl, "Carl Rejected"), default));

        await OkJsonAsync(await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{dispute.Id}/accept", new { reason = "The customer called us" }));

        var commission = await p.S.WithDbAsync(db => db.Commissions.SingleAsync(c => c.Id == commissionId));
        Assert.Equal((CommissionStatus.Approved, 59.99m), (commission.Status, commission.Amount));
    }

    [Fact]
    public async Task BothSidesWriteOnTheThreadAndAnotherAffiliateCanNeitherReadNorWriteOnIt()
    {
        var p = await ProgramAsync();
        var (number, _) = await OrderAsync(p, []);
        var disputeId = await ClaimAsync(p, number);
        var eve = (await p.S.ApprovedAffiliateAsync("Eve Elsewhere")).GetProperty("id").GetGuid();

        await OkJsonAsync(await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/messages", new { text = "Which link did you share?" }));
        await p.S.WithServiceAsync<DisputeEntry, DisputeService>(d => d.AddMessageAsync(disputeId, "The one on my blog", DisputeActor.Affiliate(p.Ann, p.AnnName), default));
        var asEve = DisputeActor.Affiliate(eve, "Eve Elsewhere");
        await Assert.ThrowsAsync<NotFoundException>(() => p.S.WithServiceAsync<Dispute, DisputeService>(d => d.GetAsync(disputeId, asEve, default)));
        await Assert.ThrowsAsync<NotFoundException>(() => p.S.WithServiceAsync<DisputeEntry, DisputeService>(d => d.AddMessageAsync(disputeId, "Mine!", asEve, default)));
        // An affiliate cannot settle a claim, not even their own.
        await Assert.ThrowsAsync<NotFoundException>(() => p.S.WithServiceAsync<Dispute, DisputeService>(d =>
            d.AcceptAsync(disputeId, null, "I approve myself", DisputeActor.Affiliate(p.Ann, p.AnnName), default)));

        var detail = await OkJsonAsync(await p.S.Api.GetAsync($"/api/v1/disputes/{disputeId}"));
        var thread = detail.GetProperty("thread").EnumerateArray().ToList();
        Assert.Equal(["Opened:Affiliate", "Message:Staff", "Message:Affiliate"],
            thread.Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("author").GetString()}"));
        Assert.Equal("The one on my blog", thread[2].GetProperty("text").GetString());
        Assert.Equal("Open", detail.GetProperty("dispute").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnotherProgramCannotSeeOrActOnAClaim()
    {
        var p = await ProgramAsync();
        var (number, orderId) = await OrderAsync(p, []);
        var disputeId = await ClaimAsync(p, number);
        var other = await OrderAssignmentTests.OtherProgramAsync(App);

        Assert.Equal(0, (await OkJsonAsync(await other.GetAsync("/api/v1/disputes"))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/disputes/{disputeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/accept", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/decline", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/messages", new { text = "x" })).StatusCode);
        var filed = await other.PostAsJsonAsync("/api/v1/disputes", new { affiliateId = p.Ann, orderNumber = number, orderDate = "2026-11-01", note = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, filed.StatusCode);

        var mine = await OkJsonAsync(await p.S.Api.GetAsync($"/api/v1/disputes/{disputeId}"));
        Assert.Equal(["Opened"], mine.GetProperty("thread").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(0, await p.S.WithDbAsync(db => db.Commissions.IgnoreQueryFilters().CountAsync(c => c.OrderId == orderId)));
    }

    [Fact]
    public async Task AnIncompleteOrDuplicateClaimOrADecisionWithoutAReasonIsRefusedWithAProblem()
    {
        var p = await ProgramAsync();
        var incomplete = await p.S.Api.PostAsJsonAsync("/api/v1/disputes", new { affiliateId = p.Ann, orderNumber = "", orderDate = "2999-01-01", note = "" });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        var problem = await incomplete.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
        Assert.Equal(["note", "orderDate", "orderNumber"], fields);

        var filed = await p.S.Api.PostAsJsonAsync("/api/v1/disputes", new { affiliateId = p.Ann, orderNumber = "#7001", orderDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), note = "Missing" });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dispute").GetProperty("id").GetGuid();
        var duplicate = await p.S.Api.PostAsJsonAsync("/api/v1/disputes", new { affiliateId = p.Ann, orderNumber = "7001", orderDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), note = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var noReason = await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{id}/accept", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        // No order numbered 7001 has arrived: accepting says so instead of crediting nothing.
        var noOrder = await p.S.Api.PostAsJsonAsync($"/api/v1/disputes/{id}/accept", new { reason = "Fine" });
        Assert.Equal(HttpStatusCode.Conflict, noOrder.StatusCode);
        Assert.Contains("No order numbered", await noOrder.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var listed = await OkJsonAsync(await p.S.Api.GetAsync($"/api/v1/disputes?status=Open&affiliateId={p.Ann}"));
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }
}

public sealed class DisputeApiOnSqlite(SqliteApp fixture) : DisputeApiTests(fixture), IClassFixture<SqliteApp>;

public sealed class DisputeApiOnPostgres(PostgresApp fixture) : DisputeApiTests(fixture), IClassFixture<PostgresApp>;
