using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Admin.Pages.Admin.Audit;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>The audit trail: each hooked staff action writes its row (who, what, the changed fields), the log reads and filters, and nothing changes it.</summary>
public abstract class AuditTrailTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task ApiActionsOnAnAffiliateAndTheSettingsAreRecordedWithTheKeyAndTheChangedFields()
    {
        var p = new AdminProgram(App);
        var email = $"audited.{Guid.NewGuid():N}@example.com";
        var created = await p.S.Api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Audra Audited", email });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await p.S.Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fits the program" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await p.S.Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/suspend", new { reason = "Brand bidding" })).StatusCode);
        var holdBefore = await p.S.Api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program");
        var newHold = holdBefore.GetProperty("holdDays").GetInt32() == 44 ? 45 : 44;
        Assert.True((await p.S.Api.PutAsJsonAsync("/api/v1/settings/program", new { holdDays = newHold })).IsSuccessStatusCode);

        var rows = await EntriesAsync(p, e => e.EntityId == id.ToString());
        Assert.Equal([AuditActions.AffiliateCreated, AuditActions.AffiliateApproved, AuditActions.AffiliateSuspended], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal(AuditActorKind.ApiKey, r.ActorKind));
        Assert.All(rows, r => Assert.StartsWith("API key ", r.ActorName, StringComparison.Ordinal));
        Assert.Null(rows[0].Before);
        Assert.Equal(email, Json(rows[0].After!).GetProperty("Email").GetString());
        Assert.Equal("Pending", Json(rows[1].Before!).GetProperty("Status").GetString());
        Assert.Equal("Approved", Json(rows[1].After!).GetProperty("Status").GetString());
        Assert.False(Json(rows[1].After!).TryGetProperty("Name", out _)); // only what changed
        Assert.Equal("Brand bidding", rows[2].Reason);
        Assert.Equal("Suspended", Json(rows[2].After!).GetProperty("Status").GetString());

        var settings = (await EntriesAsync(p, e => e.Action == AuditActions.SettingsUpdated)).Last();
        Assert.Equal(newHold, Json(settings.After!).GetProperty("HoldDays").GetInt32());
        Assert.Equal(holdBefore.GetProperty("holdDays").GetInt32(), Json(settings.Before!).GetProperty("HoldDays").GetInt32());
    }

    [Fact]
    public async Task AdminFormsRecordTheStaffMemberAndNeverTheSecretOfAKey()
    {
        var p = new AdminProgram(App);
        var ws = await p.S.WorkspaceIdAsync();
        var (owner, login) = await p.StaffAsync(StaffRole.Owner);
        var keyName = "Audit key " + Guid.NewGuid().ToString("N")[..6];
        var token = await Forms.TokenAsync(owner, $"/admin/api-keys?ws={ws}");

        var create = await AdminProgram.PostAsync(owner, $"/admin/api-keys?ws={ws}&handler=Create", token, ("Name", keyName));
        var html = await create.Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "sa_[A-Za-z0-9_-]{40,}").Value;
        var keyId = await p.DbAsync(db => db.ApiKeys.Where(k => k.Name == keyName).Select(k => k.Id).SingleAsync());
        await AdminProgram.PostAsync(owner, $"/admin/api-keys?ws={ws}&handler=Revoke", token, ("keyId", keyId.ToString()));
        var affiliate = await p.AffiliateAsync("Gus Grouped");
        var group = await p.DbAsync(async db =>
        {
            var g = new ShopAffiliate.Core.Commissions.CommissionGroup { WorkspaceId = ws, Name = "Audited group " + Guid.NewGuid().ToString("N")[..4], RulesJson = "[]" };
            db.CommissionGroups.Add(g);
            await db.SaveChangesAsync();
            return g.Id;
        });
        var listToken = await Forms.TokenAsync(owner, $"/admin/affiliates?ws={ws}");
        await AdminProgram.PostAsync(owner, $"/admin/affiliates?ws={ws}&handler=Bulk", listToken, ("bulkAction", "group"), ("targetGroup", group.ToString()), ("ids", affiliate.Id.ToString()));

        var keyRows = await EntriesAsync(p, e => e.EntityId == keyId.ToString());
        Assert.Equal([AuditActions.ApiKeyCreated, AuditActions.ApiKeyRevoked], keyRows.Select(r => r.Action));
        Assert.All(keyRows, r => Assert.Equal((AuditActorKind.Staff, login.UserId, login.Email), (r.ActorKind, r.ActorId!.Value, r.ActorName)));
        Assert.Equal(keyName, Json(keyRows[0].After!).GetProperty("Name").GetString());
        Assert.True(secret.Length > 40, "the new key was not shown");
        Assert.All(keyRows, r => Assert.DoesNotContain(ApiKey.HashOf(secret), (r.Before ?? "") + r.After, StringComparison.Ordinal));
        Assert.False(Json(keyRows[0].After!).TryGetProperty("Hash", out _));
        Assert.Equal(JsonValueKind.Null, Json(keyRows[1].Before!).GetProperty("RevokedAt").ValueKind);
        var moved = Assert.Single(await EntriesAsync(p, e => e.EntityId == affiliate.Id.ToString() && e.Action == AuditActions.AffiliateGroupChanged));
        Assert.Equal(group, Json(moved.After!).GetProperty("GroupId").GetGuid());
        Assert.Equal(login.Email, moved.ActorName);
    }

    [Fact]
    public async Task PayoutBatchesAreRecordedWhenCreatedAndCancelled()
    {
        var p = new AdminProgram(App);
        await p.DanishAsync();
        var affiliate = await p.AffiliateAsync("Pia Payout");
        await p.S.WithServiceAsync<ShopAffiliate.Core.Commissions.LedgerRecord, ShopAffiliate.Core.Commissions.ManualLedger>(
            m => m.CommissionAsync(affiliate.Id, 150m, "DKK", null, "Launch bonus", default));

        var created = await p.S.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "DKK" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var batchId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await p.S.Api.DeleteAsync($"/api/v1/payouts/batches/{batchId}")).IsSuccessStatusCode);

        var rows = await EntriesAsync(p, e => e.EntityId == batchId.ToString());
        Assert.Equal([AuditActions.PayoutBatchCreated, AuditActions.PayoutBatchCancelled], rows.Select(r => r.Action));
        Assert.Equal("DKK", Json(rows[0].After!).GetProperty("Currency").GetString());
        Assert.Null(rows[1].After);
        var bonus = Assert.Single(await EntriesAsync(p, e => e.Action == AuditActions.ManualCommission && e.Reason == "Launch bonus" && e.After!.Contains(affiliate.Id.ToString())));
        Assert.Equal(AuditActorKind.System, bonus.ActorKind); // booked by a service outside any request
    }

    [Fact]
    public async Task AnAnalystReadsAndFiltersTheLogButNothingChangesOrDeletesARow()
    {
        var p = new AdminProgram(App);
        var ws = await p.S.WorkspaceIdAsync();
        var (owner, login) = await p.StaffAsync(StaffRole.Owner);
        var token = await Forms.TokenAsync(owner, $"/admin/api-keys?ws={ws}");
        await AdminProgram.PostAsync(owner, $"/admin/api-keys?ws={ws}&handler=Create", token, ("Name", "Filtered key"));
        var (analyst, _) = await p.StaffAsync(StaffRole.Analyst);

        var filtered = await AdminProgram.PageAsync(analyst, $"/admin/audit?ws={ws}&who={Uri.EscapeDataString(login.Email)}&action={AuditActions.ApiKeyCreated}");
        var other = await AdminProgram.PageAsync(analyst, $"/admin/audit?ws={ws}&who={Uri.EscapeDataString(login.Email)}&action={AuditActions.SettingsUpdated}");
        var csv = await analyst.GetAsync($"/admin/audit?ws={ws}&who={Uri.EscapeDataString(login.Email)}&handler=Csv");

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(filtered, "data-testid=\"audit-row\" data-action=\"api-key.created\""));
        Assert.Contains("Filtered key", filtered);
        Assert.DoesNotContain("data-testid=\"audit-row\"", other);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(login.Email, lines[1]);

        // No route writes to the trail: the page has no POST handler, no API route is about it, and a POST is refused.
        Assert.DoesNotContain(typeof(AuditModel).GetMethods(BindingFlags.Public | BindingFlags.Instance), m => m.Name.StartsWith("OnPost", StringComparison.Ordinal));
        Assert.DoesNotContain(AppRoutes.WriteRoutes(App), r => r.Pattern.RawText!.Contains("audit", StringComparison.OrdinalIgnoreCase));
        var count = await p.DbAsync(db => db.AuditEntries.CountAsync());
        var analystToken = await Forms.TokenAsync(analyst, $"/admin/audit?ws={ws}");
        var post = await AdminProgram.PostAsync(analyst, $"/admin/audit?ws={ws}", analystToken, ("ws", ws.ToString()));
        var ownerPost = await AdminProgram.PostAsync(owner, $"/admin/audit?ws={ws}&handler=Delete", token, ("ws", ws.ToString()));
        Assert.False(post.IsSuccessStatusCode, $"a POST to the audit page answered {(int)post.StatusCode}");
        Assert.False(ownerPost.IsSuccessStatusCode, $"an owner's POST to the audit page answered {(int)ownerPost.StatusCode}");
        Assert.Equal(count, await p.DbAsync(db => db.AuditEntries.CountAsync()));

        // Nor can code: the save that would change or delete a row is refused.
        await using var scope = App.Scope(ws);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.AuditEntries.OrderBy(e => e.Id).FirstAsync();
        db.Entry(row).Property(e => e.Reason).CurrentValue = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.OrderBy(e => e.Id).FirstAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task ANewRowRecordsItsCreationTimeAndTheDanishLogNamesFieldsActionsAndValuesInDanish()
    {
        var p = new AdminProgram(App);
        var ws = await p.S.WorkspaceIdAsync();
        var email = $"dansk.{Guid.NewGuid():N}@example.com";
        var created = await p.S.Api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Dorte Dansk", email });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await p.S.Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Passer til programmet" })).StatusCode);

        // The creation's row carries the time the row was stored with, not the default the tracker held before the save.
        var row = (await EntriesAsync(p, e => e.EntityId == id.ToString() && e.Action == AuditActions.AffiliateCreated)).Single();
        var recorded = Json(row.After!).GetProperty("CreatedAt").GetDateTime();
        var stored = await p.DbAsync(db => db.Affiliates.Where(a => a.Id == id).Select(a => a.CreatedAt).SingleAsync());
        Assert.NotEqual(default, recorded);
        Assert.Equal(stored, recorded, TimeSpan.FromMilliseconds(1));

        var (owner, _) = await p.StaffAsync(StaffRole.Owner);
        owner.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var html = System.Net.WebUtility.HtmlDecode(await AdminProgram.PageAsync(owner, $"/admin/audit?ws={ws}&entityId={id}"));
        Assert.DoesNotContain("0001-01-01", html);
        Assert.Contains("Affiliate oprettet", html);
        Assert.Contains("Affiliate godkendt", html);
        Assert.Contains("Oprettet:", html);
        Assert.Contains("Henvisningskode:", html);
        Assert.Contains("<del>Afventer</del>", html);
        Assert.Contains("<ins>Godkendt</ins>", html);
        Assert.DoesNotContain("CreatedAt:", html);
        Assert.DoesNotContain("ReferralCode:", html);
        Assert.DoesNotContain(">Status.", html);

        // Every field and value label the page can show has its Danish text.
        var localizer = App.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<ShopAffiliate.Admin.AdminText>>();
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("da");
        try
        {
            var fields = (Dictionary<string, string>)typeof(ShopAffiliate.Admin.Ui.AuditLabels)
                .GetField("FieldLabels", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
            var missing = fields.Values.Append("Yes").Append("No").Where(k => localizer[k].ResourceNotFound).ToList();
            Assert.True(missing.Count == 0, "no Danish text for: " + string.Join(", ", missing));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static Task<List<AuditEntry>> EntriesAsync(AdminProgram p, System.Linq.Expressions.Expression<Func<AuditEntry, bool>> where) =>
        p.DbAsync(db => db.AuditEntries.AsNoTracking().Where(where).OrderBy(e => e.Id).ToListAsync());
}

public sealed class AuditTrailOnSqlite(SqliteApp fixture) : AuditTrailTests(fixture), IClassFixture<SqliteApp>;

public sealed class AuditTrailOnPostgres(PostgresApp fixture) : AuditTrailTests(fixture), IClassFixture<PostgresApp>;
