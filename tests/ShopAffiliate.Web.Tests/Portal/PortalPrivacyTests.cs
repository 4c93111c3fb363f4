using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Explanations;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

/// <summary>
/// /portal/p/{slug}/privacy: an affiliate's copy of their own data (JSON) holds theirs and nobody else's, and their
/// erasure removes their personal fields everywhere while the money records stay and sum to the same.
/// </summary>
public abstract class PortalPrivacyTests(PortalApp fixture)
{
    private TestApp App => fixture.App;

    private sealed record Person(HttpClient Portal, Affiliate Affiliate, string Name, string Link, string Coupon, string Order, string Note);

    /// <summary>A signed-in affiliate with a distinctive name, website, payout details, a link, a coupon, a credited order and a claim.</summary>
    private async Task<Person> PersonAsync(string name)
    {
        var (portal, affiliate) = await fixture.SignedInAffiliateAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (link, coupon, order, note) = ($"lnk{tag}", $"CPN{tag}".ToUpperInvariant(), $"ord-{tag}", $"note {tag} from {name}");
        var s = new Scenario(App);
        var shop = await s.ShopAsync($"privacy-{tag}.myshopify.com");
        await fixture.WithDbAsync(async db =>
        {
            var a = await db.Affiliates.SingleAsync(x => x.Id == affiliate.Id);
            a.Name = name;
            a.Website = $"https://{tag}.example.org/";
            a.PayoutDetails = $"paypal-{tag}@example.net";
            db.TrackingLinks.Add(new TrackingLink { WorkspaceId = a.WorkspaceId, AffiliateId = a.Id, Code = link, Destination = $"https://privacy-{tag}.myshopify.com/" });
            db.Coupons.Add(new Coupon { WorkspaceId = a.WorkspaceId, AffiliateId = a.Id, Code = coupon, NormalizedCode = Coupon.Normalize(coupon), Amount = 10m });
            var dispute = new Dispute { WorkspaceId = a.WorkspaceId, AffiliateId = a.Id, OrderNumber = "#999" + tag, OrderDate = new DateOnly(2026, 11, 1), Note = note };
            db.Disputes.Add(dispute);
            db.DisputeEntries.Add(new DisputeEntry
            {
                WorkspaceId = a.WorkspaceId, DisputeId = dispute.Id, Kind = DisputeEntryKind.Opened, Author = DisputeAuthor.Affiliate, ActorName = name, Text = note, At = DateTime.UtcNow,
            });
            // A mail still waiting to go out to them.
            db.OutboxMessages.Add(new OutboxMessage
            {
                WorkspaceId = a.WorkspaceId, Kind = OutboxKinds.Email, IdempotencyKey = "test:" + tag, Topic = "Announcement", Recipient = a.Email,
                Payload = JsonSerializer.Serialize(new { to = a.Email, text = "Hi " + name }), CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow.AddDays(30),
            });
            return await db.SaveChangesAsync();
        });
        var applied = await s.WithServiceAsync<ShopAffiliate.Core.Orders.ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(
            Scenario.Order(shop, order, DateTime.UtcNow.AddHours(-1), OrderState.Paid, 200m, coupons: [coupon]), default));
        Assert.Equal(ShopAffiliate.Core.Orders.ApplyOutcome.Applied, applied);
        return new Person(portal, await fixture.AffiliateAsync(affiliate.Email), name, link, coupon, order, note);
    }

    private async Task<string> PrivacyUrlAsync() => $"/portal/p/{(await fixture.WorkspaceAsync()).Slug}/privacy";

    [Fact]
    public async Task TheExportHoldsTheAffiliatesOwnDataAndNoneOfAnotherAffiliatesOrPrograms()
    {
        var ann = await PersonAsync("Annelise Exportsen");
        var bob = await PersonAsync("Bobby Otherperson");
        var other = await fixture.OtherProgramAsync("Other program " + Guid.NewGuid().ToString("N")[..6]);
        var stranger = $"stranger.{Guid.NewGuid():N}@example.com";
        await fixture.WithDbAsync(db =>
        {
            db.Affiliates.Add(new Affiliate { WorkspaceId = other.Id, Name = "Stranger Elsewhere", Email = stranger, ReferralCode = "stranger" + Guid.NewGuid().ToString("N")[..6], UserId = ann.Affiliate.UserId });
            return db.SaveChangesAsync();
        }, other.Id);

        var page = await ann.Portal.GetAsync(await PrivacyUrlAsync());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var response = await ann.Portal.GetAsync(await PrivacyUrlAsync() + "?handler=json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(text).RootElement;

        var profile = json.GetProperty("profile");
        Assert.Equal((ann.Name, ann.Affiliate.Email), (profile.GetProperty("name").GetString(), profile.GetProperty("email").GetString()));
        Assert.Equal(ann.Affiliate.PayoutDetails, profile.GetProperty("payoutDetails").GetString());
        Assert.Equal([ann.Link], json.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("code").GetString()));
        Assert.Equal([ann.Coupon], json.GetProperty("coupons").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        var commission = Assert.Single(json.GetProperty("commissions").EnumerateArray());
        Assert.Equal(("#" + ann.Order, "20.00"), (commission.GetProperty("order").GetString(), commission.GetProperty("amount").GetString()));
        Assert.Equal(ann.Note, Assert.Single(json.GetProperty("disputes").EnumerateArray()).GetProperty("messages")[0].GetProperty("text").GetString());
        Assert.Single(json.GetProperty("applications").EnumerateArray());
        Assert.Contains(json.GetProperty("emails").EnumerateArray(), m => m.GetProperty("kind").GetString() == "ApplicationApproved");
        foreach (var foreign in new[] { bob.Name, bob.Affiliate.Email, bob.Link, bob.Coupon, bob.Order, bob.Note, stranger, "Stranger Elsewhere" })
            Assert.DoesNotContain(foreign, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ErasingNeedsThePasswordAndTheTickAndThenLeavesNoPersonalFieldWhileTheLedgerSumsTheSame()
    {
        var ann = await PersonAsync("Annelise Erasmussen");
        var bob = await PersonAsync("Bobby Keepsdata");
        var url = await PrivacyUrlAsync();
        var ws = ann.Affiliate.WorkspaceId;
        async Task<Dictionary<string, decimal>> LedgerAsync() => await fixture.WithDbAsync(async db =>
            (await db.Ledger.Where(l => l.AffiliateId == ann.Affiliate.Id).Select(l => new { l.Currency, l.Amount }).ToListAsync())
            .GroupBy(l => l.Currency).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount)));
        var ledgerBefore = await LedgerAsync();
        Assert.Equal(20m, ledgerBefore["USD"]);
        var commissionsBefore = await fixture.WithDbAsync(db => db.Commissions.CountAsync(c => c.AffiliateId == ann.Affiliate.Id));
        async Task<List<string?>> PartsAsync() => await fixture.WithDbAsync(async db =>
            (await db.Commissions.Where(c => c.AffiliateId == ann.Affiliate.Id).Select(c => c.ExplanationJson).ToListAsync())
            .Concat(await db.Orders.Where(o => o.AffiliateId == ann.Affiliate.Id).Select(o => o.AttributionExplanationJson).ToListAsync()).ToList());
        // The explanations' parts (ADR 0051) name her before the erasure.
        var partsBefore = await PartsAsync();
        Assert.Equal(commissionsBefore + 1, partsBefore.Count);
        Assert.All(partsBefore, json => Assert.Contains(ann.Name, json!, StringComparison.Ordinal));

        var token = await Forms.TokenAsync(ann.Portal, url);
        var wrong = await Forms.PostAsync(ann.Portal, url + "?handler=erase", new Dictionary<string, string> { ["Password"] = "not-it", ["Confirm"] = "true" }, token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var unticked = await Forms.PostAsync(ann.Portal, url + "?handler=erase", new Dictionary<string, string> { ["Password"] = PortalApp.AffiliatePassword }, token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unticked.StatusCode);
        Assert.Null((await fixture.AffiliateAsync(ann.Affiliate.Email)).ErasedAt);

        var erased = await Forms.PostAsync(ann.Portal, url + "?handler=erase",
            new Dictionary<string, string> { ["Password"] = PortalApp.AffiliatePassword, ["Confirm"] = "true" }, token);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("data-testid=\"erased\"", await erased.Content.ReadAsStringAsync());

        // The login is closed: the session is gone and the program is out of reach.
        Assert.NotEqual(HttpStatusCode.OK, (await ann.Portal.GetAsync(url)).StatusCode);

        var pseudonym = AffiliatePrivacy.Pseudonym(ann.Affiliate.Id);
        var row = await fixture.WithDbAsync(db => db.Affiliates.AsNoTracking().SingleAsync(a => a.Id == ann.Affiliate.Id));
        Assert.Equal((pseudonym, null, null, null), (row.Name, row.Website, row.PayoutDetails, row.UserId));
        Assert.NotNull(row.ErasedAt);

        // No trace of the name, the email, the website or the payout details in any table that held them.
        var personal = new[] { ann.Name, ann.Affiliate.Email, ann.Affiliate.Website!, ann.Affiliate.PayoutDetails!, ann.Note };
        var dump = await fixture.WithDbAsync(async db => JsonSerializer.Serialize(new object[]
        {
            await db.Affiliates.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.AffiliateApplications.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.Orders.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.Commissions.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.Ledger.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.PayoutItems.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.Disputes.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.DisputeEntries.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.OutboxMessages.AsNoTracking().Where(m => m.Topic != "AccountErased").ToListAsync(),
            await db.EmailSuppressions.IgnoreQueryFilters().AsNoTracking().ToListAsync(),
            await db.Users.AsNoTracking().Select(u => new { u.Email, u.UserName, u.DisplayName }).ToListAsync(),
        }));
        foreach (var value in personal) Assert.DoesNotContain(value, dump, StringComparison.OrdinalIgnoreCase);
        // The parts name the pseudonym instead, in both languages.
        Assert.All(await PartsAsync(), json =>
        {
            Assert.DoesNotContain(ann.Name, json!, StringComparison.Ordinal);
            Assert.Contains(pseudonym, ExplanationRenderer.Render(json, "", "da"), StringComparison.Ordinal);
            Assert.Contains(pseudonym, ExplanationRenderer.Render(json, "", "en"), StringComparison.Ordinal);
        });
        // Bob's data is untouched.
        Assert.Contains(bob.Name, dump);
        Assert.Contains(bob.Note, dump);

        // The one mail left to their address is the notice of the erasure; what waited for them is gone.
        var queued = await fixture.QueuedMailAsync(ann.Affiliate.Email);
        Assert.Equal(["AccountErased"], queued);
        await Mailbox.SingleAsync(fixture.MailFolder, ann.Affiliate.Email, "is erased");

        // The money stays: same ledger, same commissions, links and coupons archived, the erasure recorded.
        Assert.Equal(ledgerBefore, await LedgerAsync());
        Assert.Equal(commissionsBefore, await fixture.WithDbAsync(db => db.Commissions.CountAsync(c => c.AffiliateId == ann.Affiliate.Id)));
        Assert.True(await fixture.WithDbAsync(db => db.TrackingLinks.Where(l => l.AffiliateId == ann.Affiliate.Id).AllAsync(l => l.IsArchived)));
        Assert.True(await fixture.WithDbAsync(db => db.Coupons.Where(c => c.AffiliateId == ann.Affiliate.Id).AllAsync(c => c.IsArchived)));
        var recorded = await fixture.WithDbAsync(db => db.PrivacyRequests.Where(p => p.Kind == PrivacyRequestKind.AffiliateErasure && p.CustomerReference == pseudonym).ToListAsync());
        Assert.Equal(ws, Assert.Single(recorded).WorkspaceId);
    }
}

public sealed class PortalPrivacyOnSqlite(PortalAppOnSqlite fixture) : PortalPrivacyTests(fixture), IClassFixture<PortalAppOnSqlite>;

public sealed class PortalPrivacyOnPostgres(PortalAppOnPostgres fixture) : PortalPrivacyTests(fixture), IClassFixture<PortalAppOnPostgres>;
