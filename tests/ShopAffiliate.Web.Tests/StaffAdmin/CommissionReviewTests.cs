using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Explanations;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>
/// The commissions review queue: self-referrals held with their reason, decisions one by one and in bulk through the
/// engine's ledger, CSV, manual commissions and adjustments to the øre, and the Analyst who can only look.
/// </summary>
public abstract class CommissionReviewTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task ASelfReferralWaitsInTheQueueWithItsReasonAndApprovingItIsAuditedAndBooked()
    {
        var p = new AdminProgram(App);
        var (ws, shop) = await p.DanishAsync();
        var ann = await p.AffiliateAsync("Ann Self");
        var (orderId, number, commissionId) = await p.OrderAsync(shop, ann.Code, ann.Email);
        var (owner, login) = await p.StaffAsync(StaffRole.Owner);

        var queue = await AdminProgram.PageAsync(owner, $"/admin/commissions?ws={ws}");
        Assert.Contains($"data-testid=\"commission-row\" data-id=\"{commissionId}\"", queue);
        Assert.Contains("Self-referral: held until staff review it.", queue);
        Assert.Contains(number, queue);
        var token = await Forms.TokenAsync(owner, $"/admin/commissions?ws={ws}");
        var approve = await AdminProgram.PostAsync(owner, $"/admin/commissions?ws={ws}&handler=Decide", token,
            ("decision", "approve"), ("commissionId", commissionId.ToString()), ("reasonTemplate", "Checked: the referral is genuine."));

        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        var commission = await p.DbAsync(db => db.Commissions.AsNoTracking().SingleAsync(c => c.Id == commissionId));
        Assert.Equal((CommissionStatus.Approved, false, 59.99m), (commission.Status, commission.HeldForReview, commission.Amount));
        // Booked as a transfer pair (Pending -59.99, Approved +59.99) after the earning: nothing was edited.
        var ledger = await p.DbAsync(db => db.Ledger.AsNoTracking().Where(l => l.OrderId == orderId && l.AffiliateId == ann.Id).OrderBy(l => l.Id).ToListAsync());
        Assert.Equal([(LedgerEntryKind.Earned, LedgerBucket.Pending, 59.99m), (LedgerEntryKind.Approved, LedgerBucket.Pending, -59.99m), (LedgerEntryKind.Approved, LedgerBucket.Approved, 59.99m)],
            ledger.Select(l => (l.Kind, l.Bucket, l.Amount)));
        var audit = await p.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.EntityId == commissionId.ToString()));
        Assert.Equal((AuditActions.CommissionApproved, login.Email, "Checked: the referral is genuine."), (audit.Action, audit.ActorName, audit.Reason));
        Assert.Contains("\"heldForReview\":true", audit.Before!, StringComparison.Ordinal);
        Assert.DoesNotContain(commissionId.ToString(), await AdminProgram.PageAsync(owner, $"/admin/commissions?ws={ws}"));
    }

    [Fact]
    public async Task BulkRejectReversesEachTickedCommissionWithTheReasonAndTheCsvFollowsTheFilters()
    {
        var p = new AdminProgram(App);
        var (ws, shop) = await p.DanishAsync();
        var bo = await p.AffiliateAsync("Bo Bulk");
        var one = await p.OrderAsync(shop, bo.Code, bo.Email);
        var two = await p.OrderAsync(shop, bo.Code, bo.Email);
        var (owner, _) = await p.StaffAsync(StaffRole.Manager);
        var url = $"/admin/commissions?ws={ws}&affiliate={bo.Id}";
        var token = await Forms.TokenAsync(owner, url);

        var reject = await AdminProgram.PostAsync(owner, $"{url}&handler=Decide", token, ("decision", "reject"),
            ("ids", one.CommissionId.ToString()), ("ids", two.CommissionId.ToString()), ("reasonText", "Bought with his own card"));
        var noReason = await AdminProgram.PostAsync(owner, $"{url}&handler=Decide", token, ("decision", "approve"), ("ids", one.CommissionId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, reject.StatusCode);
        var rows = await p.DbAsync(db => db.Commissions.AsNoTracking().Where(c => c.AffiliateId == bo.Id).ToListAsync());
        Assert.All(rows, c => Assert.Equal((CommissionStatus.Rejected, 0m), (c.Status, c.Amount)));
        // Each order's ledger nets to zero: the earning and its reversal.
        var sums = await p.DbAsync(db => db.Ledger.Where(l => l.AffiliateId == bo.Id).GroupBy(l => l.OrderId).Select(g => g.Sum(l => l.Amount)).ToListAsync());
        Assert.Equal([0m, 0m], sums);
        Assert.Equal(2, await p.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.CommissionRejected && e.Reason == "Bought with his own card")));
        Assert.Equal(HttpStatusCode.Redirect, noReason.StatusCode); // sent back with a warning, nothing decided
        Assert.Equal(CommissionStatus.Rejected, await p.DbAsync(db => db.Commissions.Where(c => c.Id == one.CommissionId).Select(c => c.Status).SingleAsync()));

        var csv = await owner.GetAsync($"/admin/commissions?ws={ws}&view=all&affiliate={bo.Id}&status=Rejected&handler=Csv");
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines[1..], l => Assert.Contains(",Rejected,DKK,0", l));
        var held = await owner.GetAsync($"/admin/commissions?ws={ws}&affiliate={bo.Id}&handler=Csv"); // the review view: none left
        Assert.Single((await held.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The queue and the affiliate's page explain in the reader's language from the stored parts (ADR 0051).</summary>
    [Fact]
    public async Task ExplanationsAreInDanishForADanishReaderAndInTheStoredEnglishForAnEnglishOne()
    {
        var p = new AdminProgram(App);
        var (ws, shop) = await p.DanishAsync();
        var dee = await p.AffiliateAsync("Dee Dansk");
        var (orderId, _, commissionId) = await p.OrderAsync(shop, dee.Code, $"buyer.{Guid.NewGuid():N}@example.dk");
        var (danish, _) = await p.StaffAsync(StaffRole.Owner);
        danish.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var (english, _) = await p.StaffAsync(StaffRole.Owner);
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var order = await p.DbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));
        var commission = await p.DbAsync(db => db.Commissions.AsNoTracking().SingleAsync(c => c.Id == commissionId));
        var why = ExplanationRenderer.Render(order.AttributionExplanationJson, order.AttributionExplanation, "da");
        var how = ExplanationRenderer.Render(commission.ExplanationJson, commission.Explanation, "da");
        Assert.StartsWith("Henvisning fra Dee Dansk: henvisningslink gemt i kurven", why, StringComparison.Ordinal);
        Assert.Contains(" kr.", how, StringComparison.Ordinal);

        foreach (var path in new[] { $"/admin/commissions?ws={ws}&view=all&affiliate={dee.Id}", $"/admin/affiliates/{dee.Id}?ws={ws}" })
        {
            var inDanish = WebUtility.HtmlDecode(await AdminProgram.PageAsync(danish, path));
            var inEnglish = WebUtility.HtmlDecode(await AdminProgram.PageAsync(english, path));
            Assert.Contains(why, inDanish, StringComparison.Ordinal);
            Assert.DoesNotContain(order.AttributionExplanation, inDanish, StringComparison.Ordinal);
            Assert.Contains(order.AttributionExplanation, inEnglish, StringComparison.Ordinal);
        }
        var queue = WebUtility.HtmlDecode(await AdminProgram.PageAsync(danish, $"/admin/commissions?ws={ws}&view=all&affiliate={dee.Id}"));
        Assert.Contains(how, queue, StringComparison.Ordinal);

        // The engine's reason for a status too (a self-referral held under the Hold policy); English is the stored one.
        var (_, _, held) = await p.OrderAsync(shop, dee.Code, dee.Email);
        Assert.Equal("Self-referral: held until staff review it.", await p.DbAsync(db => db.Commissions.Where(c => c.Id == held).Select(c => c.StatusReason).SingleAsync()));
        var reviewPath = $"/admin/commissions?ws={ws}&affiliate={dee.Id}";
        Assert.Contains("<div data-testid=\"reason\">Selvhenvisning: holdes tilbage, til personalet har gennemgået den.</div>",
            WebUtility.HtmlDecode(await AdminProgram.PageAsync(danish, reviewPath)), StringComparison.Ordinal);
        Assert.Contains("<div data-testid=\"reason\">Self-referral: held until staff review it.</div>",
            WebUtility.HtmlDecode(await AdminProgram.PageAsync(english, reviewPath)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManualCommissionAndAnAdjustmentAreNewLedgerEntriesToTheOereThatTheNextPayoutSettles()
    {
        var p = new AdminProgram(App);
        var (ws, shop) = await p.DanishAsync();
        var cy = await p.AffiliateAsync("Cy Manual");
        var order = await p.OrderAsync(shop, cy.Code, $"buyer.{Guid.NewGuid():N}@example.dk");
        var (owner, login) = await p.StaffAsync(StaffRole.Owner);
        owner.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var url = $"/admin/commissions?ws={ws}";
        var token = await Forms.TokenAsync(owner, url);
        var currency = await p.DbAsync(db => db.Workspaces.Where(w => w.Id == ws).Select(w => w.Currency).SingleAsync());

        // 10 % of the order's 399,96 kr. without moms (499,95 kr. with 25 % moms), typed the Danish way.
        var commission = await AdminProgram.PostAsync(owner, $"{url}&handler=Manual", token, ("Manual.Kind", "Commission"), ("Manual.Affiliate", cy.Email),
            ("Manual.Amount", "40,00"), ("Manual.Order", order.Number.TrimStart('#')), ("Manual.Reason", "Extra 10 % agreed for the launch week"));
        var adjustment = await AdminProgram.PostAsync(owner, $"{url}&handler=Manual", token, ("Manual.Kind", "Adjustment"), ("Manual.Affiliate", cy.Code),
            ("Manual.Amount", "-12,50"), ("Manual.Reason", "Shipping fee charged twice"));
        var tooFine = await AdminProgram.PostAsync(owner, $"{url}&handler=Manual", token, ("Manual.Kind", "Adjustment"), ("Manual.Affiliate", cy.Code),
            ("Manual.Amount", "1,005"), ("Manual.Reason", "Half an øre"));
        var noReason = await AdminProgram.PostAsync(owner, $"{url}&handler=Manual", token, ("Manual.Kind", "Commission"), ("Manual.Affiliate", cy.Code),
            ("Manual.Amount", "5,00"), ("Manual.Reason", " "));

        Assert.Equal(HttpStatusCode.Redirect, commission.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, adjustment.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooFine.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var manual = await p.DbAsync(db => db.Ledger.AsNoTracking().Where(l => l.AffiliateId == cy.Id && l.Reference == "manual").OrderBy(l => l.Id).ToListAsync());
        Assert.Equal([(LedgerEntryKind.Earned, LedgerBucket.Carried, 40.00m, "DKK", (Guid?)order.OrderId), (LedgerEntryKind.Adjusted, LedgerBucket.Carried, -12.50m, currency, null)],
            manual.Select(l => (l.Kind, l.Bucket, l.Amount, l.Currency, l.OrderId)));
        Assert.Contains("Extra 10 % agreed for the launch week", manual[0].Description, StringComparison.Ordinal);
        // The order's own commission is untouched: the manual one is beside it, not an edit of it.
        Assert.Equal(59.99m, await p.DbAsync(db => db.Commissions.Where(c => c.Id == order.CommissionId).Select(c => c.Amount).SingleAsync()));
        var audits = await p.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.ActorName == login.Email).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditActions.ManualCommission, AuditActions.ManualAdjustment], audits.Select(a => a.Action));
        Assert.Equal("Shipping fee charged twice", audits[1].Reason);

        // The next DKK payout pays the 40,00 kr. with the rest of what Cy is owed.
        var batch = await p.S.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "DKK" });
        Assert.Equal(HttpStatusCode.Created, batch.StatusCode);
        var body = await batch.Content.ReadFromJsonAsync<JsonElement>();
        var line = body.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("affiliateId").GetGuid() == cy.Id);
        Assert.Equal("40.00", line.GetProperty("amount").GetProperty("amount").GetString());
        Assert.Equal(HttpStatusCode.OK, (await p.S.Api.PostAsync($"/api/v1/payouts/batches/{body.GetProperty("id").GetGuid()}/mark-paid", null)).StatusCode);
        var dkk = await p.DbAsync(db => db.Ledger.Where(l => l.AffiliateId == cy.Id && l.Currency == "DKK").GroupBy(l => l.Bucket).Select(g => new { g.Key, Sum = g.Sum(l => l.Amount) }).ToListAsync());
        Assert.Equal(0m, dkk.Single(b => b.Key == LedgerBucket.Carried).Sum);
        Assert.Equal(40.00m, dkk.Single(b => b.Key == LedgerBucket.Paid).Sum);
    }

    [Fact]
    public async Task AnAnalystSeesTheQueueWithoutItsFormsAndTheSameFormsPostedByHandAreRefused()
    {
        var p = new AdminProgram(App);
        var (ws, shop) = await p.DanishAsync();
        var di = await p.AffiliateAsync("Di Viewer");
        var order = await p.OrderAsync(shop, di.Code, di.Email);
        var (analyst, _) = await p.StaffAsync(StaffRole.Analyst);
        var url = $"/admin/commissions?ws={ws}&affiliate={di.Id}";

        var html = await AdminProgram.PageAsync(analyst, url);
        var token = await Forms.TokenAsync(analyst, $"/admin/password");
        var decide = await AdminProgram.PostAsync(analyst, $"{url}&handler=Decide", token, ("ws", ws.ToString()), ("decision", "approve"),
            ("commissionId", order.CommissionId.ToString()), ("reasonText", "Looks fine"));
        var manual = await AdminProgram.PostAsync(analyst, $"{url}&handler=Manual", token, ("ws", ws.ToString()), ("Manual.Kind", "Adjustment"),
            ("Manual.Affiliate", di.Code), ("Manual.Amount", "100"), ("Manual.Reason", "Analyst bonus"));

        Assert.Contains(order.CommissionId.ToString(), html);
        Assert.DoesNotContain("data-testid=\"bulk\"", html);
        Assert.DoesNotContain("data-testid=\"manual\"", html);
        Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manual.StatusCode);
        Assert.True(await p.DbAsync(db => db.Commissions.AnyAsync(c => c.Id == order.CommissionId && c.HeldForReview)));
        Assert.False(await p.DbAsync(db => db.Ledger.AnyAsync(l => l.AffiliateId == di.Id && l.Reference == "manual")));
    }
}

public sealed class CommissionReviewOnSqlite(SqliteApp fixture) : CommissionReviewTests(fixture), IClassFixture<SqliteApp>;

public sealed class CommissionReviewOnPostgres(PostgresApp fixture) : CommissionReviewTests(fixture), IClassFixture<PostgresApp>;
