using System.Net;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>The affiliate's page: what it shows, internal notes, and suspend/reinstate with a reason template.</summary>
public abstract class AffiliateDetailTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task ThePageShowsTheAffiliatesCommissionsLedgerAndLinksAndTheListLinksToIt()
    {
        var p = new AdminProgram(App);
        var (ws, shop) = await p.DanishAsync();
        var eva = await p.AffiliateAsync("Eva Detail");
        var order = await p.OrderAsync(shop, eva.Code, $"buyer.{Guid.NewGuid():N}@example.dk");
        await p.S.LinkAsync(eva.Id, "https://" + (await p.DbAsync(db => db.Shops.Where(s => s.Id == shop.Value).Select(s => s.Domain).SingleAsync())) + "/products/lamp");
        var (owner, _) = await p.StaffAsync(StaffRole.Manager);

        var html = await AdminProgram.PageAsync(owner, $"/admin/affiliates/{eva.Id}?ws={ws}&days=90");
        var list = await AdminProgram.PageAsync(owner, $"/admin/affiliates?ws={ws}&q={eva.Code}");

        Assert.Contains("Eva Detail", html);
        Assert.Contains($"data-testid=\"affiliate-commission-row\" data-id=\"{order.CommissionId}\"", html);
        Assert.Contains(order.Number, html);
        Assert.Contains("data-testid=\"ledger-row\"", html);
        Assert.Contains("/products/lamp", html);
        Assert.Contains("option value=\"90\" selected", html);
        Assert.Contains($"href=\"/admin/affiliates/{eva.Id}?ws={ws}\"", list);
    }

    [Fact]
    public async Task AnInternalNoteIsSavedWithItsAuthorAndAuditedAndAnEmptyOneIsRefused()
    {
        var p = new AdminProgram(App);
        var ws = await p.S.WorkspaceIdAsync();
        var fay = await p.AffiliateAsync("Fay Noted");
        var (owner, login) = await p.StaffAsync(StaffRole.Owner);
        var url = $"/admin/affiliates/{fay.Id}?ws={ws}";
        var token = await Forms.TokenAsync(owner, url);

        var saved = await AdminProgram.PostAsync(owner, $"/admin/affiliates/{fay.Id}?ws={ws}&handler=Note", token, ("note", "Runs a cycling blog; call before the spring campaign."));
        var empty = await AdminProgram.PostAsync(owner, $"/admin/affiliates/{fay.Id}?ws={ws}&handler=Note", token, ("note", "   "));
        var forged = await owner.PostAsync($"/admin/affiliates/{fay.Id}?ws={ws}&handler=Note", new FormUrlEncodedContent([new("note", "no token")]));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var note = Assert.Single(await p.DbAsync(db => db.AffiliateNotes.AsNoTracking().Where(n => n.AffiliateId == fay.Id).ToListAsync()));
        Assert.Equal(login.Email, note.AuthorName);
        Assert.Contains("Runs a cycling blog", await AdminProgram.PageAsync(owner, url));
        var audit = Assert.Single(await p.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.AffiliateNoteAdded && e.EntityId == fay.Id.ToString()).ToListAsync()));
        Assert.Contains("cycling blog", audit.After!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendingTakesAReasonTemplateInThePagesLanguageAndReinstatingBringsTheAffiliateBack()
    {
        var p = new AdminProgram(App);
        var ws = await p.S.WorkspaceIdAsync();
        var gil = await p.AffiliateAsync("Gil Suspended");
        var (owner, login) = await p.StaffAsync(StaffRole.Manager);
        owner.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var url = $"/admin/affiliates/{gil.Id}?ws={ws}";
        var token = await Forms.TokenAsync(owner, url);

        var noReason = await AdminProgram.PostAsync(owner, $"{url}&handler=Decide", token, ("decision", "suspend"));
        var statusAfterRefusal = await p.DbAsync(db => db.Affiliates.Where(a => a.Id == gil.Id).Select(a => a.Status).SingleAsync());
        await AdminProgram.PostAsync(owner, $"{url}&handler=Decide", token, ("decision", "suspend"), ("reasonTemplate", "Advertising not marked as advertising."));
        var suspended = await p.DbAsync(db => db.Affiliates.AsNoTracking().SingleAsync(a => a.Id == gil.Id));
        await AdminProgram.PostAsync(owner, $"{url}&handler=Decide", token, ("decision", "reinstate"));

        Assert.Equal(HttpStatusCode.Redirect, noReason.StatusCode);
        Assert.Equal(AffiliateStatus.Approved, statusAfterRefusal);
        Assert.Equal(AffiliateStatus.Suspended, suspended.Status);
        Assert.Equal("Reklame uden tydelig markering som reklame.", suspended.StatusReason);
        Assert.Equal(AffiliateStatus.Approved, await p.DbAsync(db => db.Affiliates.Where(a => a.Id == gil.Id).Select(a => a.Status).SingleAsync()));
        var actions = await p.DbAsync(db => db.AuditEntries.Where(e => e.EntityId == gil.Id.ToString() && e.ActorName == login.Email).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.AffiliateSuspended, AuditActions.AffiliateReinstated], actions);
    }

    [Fact]
    public async Task AnAffiliateIdThatIsNotInTheProgramIsNotFound()
    {
        var p = new AdminProgram(App);
        var ws = await p.S.WorkspaceIdAsync();
        var (owner, _) = await p.StaffAsync(StaffRole.Owner);

        var response = await owner.GetAsync($"/admin/affiliates/{Guid.NewGuid()}?ws={ws}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class AffiliateDetailOnSqlite(SqliteApp fixture) : AffiliateDetailTests(fixture), IClassFixture<SqliteApp>;

public sealed class AffiliateDetailOnPostgres(PostgresApp fixture) : AffiliateDetailTests(fixture), IClassFixture<PostgresApp>;
