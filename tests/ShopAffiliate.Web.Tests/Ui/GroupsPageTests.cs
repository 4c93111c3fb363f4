using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>/admin/settings/groups over HTTP: groups saved through the groups API's own service, the live example priced by the engine.</summary>
public abstract class GroupsPageTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task AnOwnerCreatesAGroupTheApiThenReadsAndTheSaveIsAudited()
    {
        var (program, browser) = await OpenAsync("Groups Create");
        var url = $"/admin/settings/groups/edit?ws={program.WorkspaceId}";

        var saved = await Forms.SubmitAsync(browser, url, Rules(("Name", "Bloggers"), ("Rules[0].Value", "12.5"),
            ("Rules[1].Scope", "product"), ("Rules[1].Ids", "mug, 42"), ("Rules[1].Kind", "Flat"), ("Rules[1].Value", "25"), ("Rules[1].Tiers", "10000: 30")));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var group = Assert.Single(await program.Api.GetFromJsonAsync<JsonElement[]>("/api/v1/groups") ?? []);
        Assert.Equal("Bloggers", group.GetProperty("name").GetString());
        var rules = group.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(2, rules.Count);
        Assert.Equal(("all", "Percent", 0.125m), (rules[0].GetProperty("scope").GetString(), rules[0].GetProperty("kind").GetString(), rules[0].GetProperty("value").GetDecimal()));
        Assert.Equal(("product", "Flat", 25m), (rules[1].GetProperty("scope").GetString(), rules[1].GetProperty("kind").GetString(), rules[1].GetProperty("value").GetDecimal()));
        Assert.Equal(["mug", "42"], rules[1].GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(30m, rules[1].GetProperty("tiers")[0].GetProperty("value").GetDecimal());
        var audit = await DbAsync(program, db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.GroupCreated));
        Assert.Equal(program.Owner.Email, audit.ActorName);
        Assert.Contains("Bloggers", audit.After);
        var list = await browser.GetStringAsync($"/admin/settings/groups?ws={program.WorkspaceId}");
        Assert.Contains("12.5% on all products", list);
        Assert.Contains("DKK 25.00 per item of products mug, 42", list);
    }

    [Fact]
    public async Task ThePreviewPricesTheExampleAsTheEngineWouldWithVatTakenOutAndSavesNothing()
    {
        var (program, browser) = await OpenAsync("Groups Preview");
        var url = $"/admin/settings/groups/edit?ws={program.WorkspaceId}";
        var token = await Forms.TokenAsync(browser, url);

        var preview = await FetchPreviewAsync(browser, program, token, Rules(("Name", "Try"), ("Rules[0].Value", "10"), ("Example.Amount", "500"), ("Example.Product", "mug")));
        var tiered = await FetchPreviewAsync(browser, program, token, Rules(("Name", "Try"), ("Rules[0].Value", "10"), ("Rules[0].Tiers", "1000: 15"),
            ("Input.SecondTierPercent", "5"), ("Example.Amount", "500"), ("Example.SalesBefore", "2000")));

        Assert.Contains("An order of DKK 500.00 (incl. 25% VAT) with product mug pays DKK 40.00.", preview); // 10 % of 400.00
        Assert.Contains("Commission is paid on DKK 400.00: the goods after discounts, without the VAT (DKK 100.00) and shipping.", preview);
        Assert.DoesNotContain("<html", preview); // the fragment only
        Assert.Contains("pays DKK 60.00.", tiered); // the 15 % step
        Assert.Contains("earns DKK 20.00 more (second tier, 5%)", tiered);
        Assert.Empty(await program.Api.GetFromJsonAsync<JsonElement[]>("/api/v1/groups") ?? []);
        Assert.Equal(0, await DbAsync(program, db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.GroupCreated)));
    }

    [Fact]
    public async Task TheBasisIncludesVatWhenTheProgramPaysOnItAndThePreviewButtonWorksWithoutScript()
    {
        var (program, browser) = await OpenAsync("Groups Basis");
        await program.SettingsAsync(new { commissionBasis = "NetRevenueIncludingTax" });
        var url = $"/admin/settings/groups/edit?ws={program.WorkspaceId}";

        var page = await Forms.SubmitAsync(browser, url, Rules(("Name", "Gross"), ("Rules[0].Value", "10"), ("Example.Amount", "500")), url + "&handler=Preview");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("<html", html); // the whole page, as a browser without script gets it
        Assert.Contains("An order of DKK 500.00 (incl. 25% VAT) pays DKK 50.00.", html);
        Assert.Contains("VAT included, shipping never", html);
    }

    [Fact]
    public async Task ANegativeRateARateOver100PercentAndAnAmountWithTooManyDecimalsAreRefusedAtTheirFields()
    {
        var (program, browser) = await OpenAsync("Groups Refused");
        var url = $"/admin/settings/groups/edit?ws={program.WorkspaceId}";

        var refused = await Forms.SubmitAsync(browser, url, Rules(("Name", "Bad"), ("Rules[0].Value", "-5"),
            ("Rules[1].Scope", "product"), ("Rules[1].Ids", "mug"), ("Rules[1].Value", "120"),
            ("Rules[2].Scope", "coupon"), ("Rules[2].Ids", "SUMMER"), ("Rules[2].Kind", "Flat"), ("Rules[2].Value", "9.999")));
        var api = await program.Api.PostAsJsonAsync("/api/v1/groups", new { name = "Bad", rules = new[] { new { scope = "all", kind = "Flat", value = 9.999m } } });

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("A rate or an amount cannot be negative.", html);
        Assert.Contains("A percentage is at most 100 % (a fraction between 0 and 1).", html);
        Assert.Contains("An amount in DKK has at most 2 decimals.", html);
        Assert.Contains("Fix the rules above to see what an order pays.", html);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Contains("An amount in DKK has at most 2 decimals.", await api.Content.ReadAsStringAsync());
        Assert.Empty(await program.Api.GetFromJsonAsync<JsonElement[]>("/api/v1/groups") ?? []);
    }

    [Fact]
    public async Task InDanishTheRulesAndTheExampleAreReadAndWrittenWithADecimalComma()
    {
        var (program, browser) = await OpenAsync("Groups Dansk");
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var url = $"/admin/settings/groups/edit?ws={program.WorkspaceId}";
        var token = await Forms.TokenAsync(browser, url);

        var preview = await FetchPreviewAsync(browser, program, token, Rules(("Name", "Dansk"), ("Rules[0].Value", "7,5"), ("Example.Amount", "1.000,00")));
        var saved = await Forms.SubmitAsync(browser, url, Rules(("Name", "Dansk"), ("Rules[0].Value", "7,5")));

        Assert.Contains("En ordre på 1.000,00 kr. (inkl. 25 % moms) giver 60,00 kr. i provision.", preview);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var group = Assert.Single(await program.Api.GetFromJsonAsync<JsonElement[]>("/api/v1/groups") ?? []);
        Assert.Equal(0.075m, group.GetProperty("rules")[0].GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task AnAnalystReadsTheGroupButAHandPostedSaveOrDeleteIsRefusedAndChangesNothing()
    {
        var (program, _) = await OpenAsync("Groups Analyst");
        var created = await program.Api.PostAsJsonAsync("/api/v1/groups", new { name = "Read only", rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (analyst, _) = await Staff.SignedInAsync(App, await program.StaffAsync(StaffRole.Analyst));
        var url = $"/admin/settings/groups/edit?ws={program.WorkspaceId}&id={id}";

        var page = WebUtility.HtmlDecode(await analyst.GetStringAsync(url + "&Example.Amount=250"));
        var token = await Forms.TokenAsync(analyst, url);
        var save = await Forms.PostAsync(analyst, url, Rules(("Name", "Changed"), ("Rules[0].Value", "50")), token);
        var preview = await Forms.PostAsync(analyst, url + "&handler=Preview", Rules(("Name", "Changed"), ("Rules[0].Value", "50")), token);
        var delete = await Forms.PostAsync(analyst, $"/admin/settings/groups?ws={program.WorkspaceId}&handler=Delete", new Dictionary<string, string> { ["id"] = id.ToString() }, token);

        Assert.Contains("<fieldset disabled=\"disabled\">", page);
        Assert.DoesNotContain("Save the group", page);
        Assert.Contains("An order of DKK 250.00 (incl. 25% VAT) pays DKK 20.00.", page); // the saved rules, the analyst's own example
        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, preview.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        var group = await program.Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{id}");
        Assert.Equal("Read only", group.GetProperty("name").GetString());
        Assert.Equal(0.1m, group.GetProperty("rules")[0].GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task AGroupWithAffiliatesIsNotDeletedAnEmptyOneIsAndTheDeleteIsAudited()
    {
        var (program, browser) = await OpenAsync("Groups Delete");
        var full = await CreateGroupAsync(program, "Full");
        var empty = await CreateGroupAsync(program, "Empty");
        var (affiliate, _) = await program.ApprovedAffiliateAsync("Member", "member" + Guid.NewGuid().ToString("N")[..6]);
        Assert.True((await program.Api.PatchAsJsonAsync($"/api/v1/affiliates/{affiliate}", new { groupId = full })).IsSuccessStatusCode);
        var list = $"/admin/settings/groups?ws={program.WorkspaceId}";
        var token = await Forms.TokenAsync(browser, list);

        var refused = await Forms.PostAsync(browser, list + "&handler=Delete", new Dictionary<string, string> { ["id"] = full.ToString() }, token);
        var deleted = await Forms.PostAsync(browser, list + "&handler=Delete", new Dictionary<string, string> { ["id"] = empty.ToString() }, token);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("This group still has 1 affiliate(s)", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(["Full"], (await program.Api.GetFromJsonAsync<JsonElement[]>("/api/v1/groups") ?? []).Select(g => g.GetProperty("name").GetString()));
        var audit = await DbAsync(program, db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.GroupDeleted));
        Assert.Equal(empty.ToString(), audit.EntityId);
        Assert.Contains("Empty", audit.Before);
        var html = await browser.GetStringAsync(list);
        Assert.Contains("data-testid=\"group-affiliates\">1<", html);
    }

    [Fact]
    public async Task AnAffiliatesPageShowsTheRulesTheyEarnByInWordsWithALinkToTheirGroup()
    {
        var (program, browser) = await OpenAsync("Groups Affiliate");
        var created = await program.Api.PostAsJsonAsync("/api/v1/groups", new
        {
            name = "Partners", secondTierRate = 0.05m,
            rules = new object[] { new { scope = "all", kind = "Percent", value = 0.125m }, new { scope = "coupon", ids = new[] { "summer" }, kind = "Flat", value = 30m } },
        });
        var group = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (member, _) = await program.ApprovedAffiliateAsync("In a group", "ingroup" + Guid.NewGuid().ToString("N")[..6]);
        var (loner, _) = await program.ApprovedAffiliateAsync("In none", "innone" + Guid.NewGuid().ToString("N")[..6]);
        Assert.True((await program.Api.PatchAsJsonAsync($"/api/v1/affiliates/{member}", new { groupId = group })).IsSuccessStatusCode);

        var inGroup = WebUtility.HtmlDecode(await browser.GetStringAsync($"/admin/affiliates/{member}?ws={program.WorkspaceId}"));
        var inNone = WebUtility.HtmlDecode(await browser.GetStringAsync($"/admin/affiliates/{loner}?ws={program.WorkspaceId}"));

        Assert.Contains("12.5% on all products", inGroup);
        Assert.Contains("DKK 30.00 per order with coupons SUMMER", inGroup);
        Assert.Contains("The recruiting affiliate earns 5.0% of the same sales (second tier).", inGroup);
        Assert.Contains($"/admin/settings/groups/edit?id={group}", inGroup);
        Assert.Contains("10% on all products", inNone); // no default group: the program's own rate, as the engine pays it
        Assert.Contains("/admin/settings/groups?ws=", inNone);
    }

    [Fact]
    public async Task AnotherProgramsGroupIsNotFound()
    {
        var (program, browser) = await OpenAsync("Groups Mine");
        var other = await NewProgram.CreateAsync(App, "Groups Theirs", "DKK");
        var theirs = await CreateGroupAsync(other, "Theirs");

        var page = await browser.GetAsync($"/admin/settings/groups/edit?ws={program.WorkspaceId}&id={theirs}");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    private async Task<(NewProgram Program, HttpClient Browser)> OpenAsync(string name)
    {
        var program = await NewProgram.CreateAsync(App, name, "DKK");
        var (browser, _) = await Staff.SignedInAsync(App, program.Owner);
        return (program, browser);
    }

    private static async Task<Guid> CreateGroupAsync(NewProgram program, string name)
    {
        var created = await program.Api.PostAsJsonAsync("/api/v1/groups", new { name, rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<string> FetchPreviewAsync(HttpClient browser, NewProgram program, string token, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/settings/groups/edit?ws={program.WorkspaceId}&handler=Preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("X-Requested-With", "fetch");
        var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The group form's fields: <c>Name</c> and <c>Rules[i].*</c> under <c>Input.</c>, the example's as given.</summary>
    private static Dictionary<string, string> Rules(params (string Field, string Value)[] fields) =>
        fields.ToDictionary(f => f.Field.StartsWith("Example.", StringComparison.Ordinal) || f.Field.StartsWith("Input.", StringComparison.Ordinal) ? f.Field : "Input." + f.Field, f => f.Value);

    private async Task<T> DbAsync<T>(NewProgram program, Func<ShopAffiliate.Core.Data.AppDbContext, Task<T>> read)
    {
        await using var scope = App.Scope(program.WorkspaceId);
        return await read(scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Data.AppDbContext>());
    }
}

public sealed class GroupsPageOnSqlite(SqliteApp fixture) : GroupsPageTests(fixture), IClassFixture<SqliteApp>;

public sealed class GroupsPageOnPostgres(PostgresApp fixture) : GroupsPageTests(fixture), IClassFixture<PostgresApp>;
