using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>/admin/settings over HTTP: the program's rules saved through the settings API's own rules.</summary>
public abstract class SettingsPageTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task SavingTheFormChangesTheRulesTheApiReads()
    {
        var (program, browser, url) = await OpenAsync("Settings Save");

        var saved = await Forms.SubmitAsync(browser, url, Form(new() { ["Input.CommissionPercent"] = "12.5", ["Input.DefaultLanguage"] = "da" }));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var api = await program.Api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program");
        Assert.Equal(45, api.GetProperty("cookieWindowDays").GetInt32());
        Assert.Equal("FirstClick", api.GetProperty("attributionModel").GetString());
        Assert.Equal(14, api.GetProperty("holdDays").GetInt32());
        Assert.Equal("0.125", api.GetProperty("defaultCommissionRate").GetString());
        Assert.Equal("NetRevenueIncludingTax", api.GetProperty("commissionBasis").GetString());
        Assert.Equal("Hold", api.GetProperty("selfReferralPolicy").GetString());
        Assert.Equal("OptIn", api.GetProperty("consentMode").GetString());
        Assert.Equal("25.00", api.GetProperty("payoutThreshold").GetString());
        Assert.Equal("Europe/Copenhagen", api.GetProperty("timeZone").GetString());
        Assert.Equal("da", api.GetProperty("defaultLanguage").GetString());
        Assert.True(api.GetProperty("lifetimeCommissions").GetBoolean());
        Assert.False(api.GetProperty("excludeTestOrders").GetBoolean()); // left unticked: a browser sends nothing for it
        Assert.Equal(["blog.example.com"], api.GetProperty("allowedDestinationHosts").EnumerateArray().Select(h => h.GetString()));
        // The page shows what was saved, now in the program's default language (Danish); the outcome was written in
        // the language of the request that saved it (English, before the default changed).
        var page = await browser.GetStringAsync(url);
        Assert.Contains("<html lang=\"da\"", page);
        Assert.Contains("rules are saved. New orders and clicks follow them from now on.", page);
        Assert.Contains("value=\"12,5\"", page);
    }

    [Fact]
    public async Task AValueTheApiRefusesIsRefusedOnThePageByTheSameRuleAndNothingIsSaved()
    {
        var (program, browser, url) = await OpenAsync("Settings Refused");

        var refused = await Forms.SubmitAsync(browser, url, Form(new() { ["Input.TimeZone"] = "Mars/Olympus", ["Input.CookieWindowDays"] = "0" }));
        var viaApi = await program.Api.PutAsJsonAsync("/api/v1/settings/program", new { timeZone = "Mars/Olympus" });

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("'Mars/Olympus' is not an IANA time zone id (write Europe/Copenhagen, America/New_York or UTC).", html);
        Assert.Contains("The cookie window is 1 to 365 days.", html);
        Assert.Contains("'Mars/Olympus' is not an IANA time zone id", await viaApi.Content.ReadAsStringAsync());
        var api = await program.Api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program");
        Assert.Equal(30, api.GetProperty("cookieWindowDays").GetInt32());
        Assert.Equal(30, api.GetProperty("holdDays").GetInt32()); // the valid fields of the refused form were not saved either
    }

    [Fact]
    public async Task InDanishTheCommissionIsReadWithADecimalComma()
    {
        var (program, browser, url) = await OpenAsync("Settings Dansk");
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");

        var saved = await Forms.SubmitAsync(browser, url, Form(new() { ["Input.CommissionPercent"] = "7,5", ["Input.PayoutThreshold"] = "100,50" }));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var api = await program.Api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program");
        Assert.Equal("0.075", api.GetProperty("defaultCommissionRate").GetString());
        Assert.Equal("100.50", api.GetProperty("payoutThreshold").GetString());
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefusedAndSavesNothing()
    {
        var (program, browser, url) = await OpenAsync("Settings Forgery");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url)).StatusCode);

        var forged = await browser.PostAsync(url, new FormUrlEncodedContent(Form([])));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(30, (await program.Api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("cookieWindowDays").GetInt32());
    }

    [Fact]
    public async Task AnAnalystReadsTheRulesButMayNotChangeThem()
    {
        var program = await NewProgram.CreateAsync(App, "Settings Analyst");
        var (analyst, _) = await Staff.SignedInAsync(App, await program.StaffAsync(StaffRole.Analyst));
        var url = $"/admin/settings?ws={program.WorkspaceId}";

        var page = await analyst.GetStringAsync(url);
        var refused = await Forms.SubmitAsync(analyst, url, Form([]));

        Assert.Contains("<fieldset disabled=\"disabled\">", page);
        Assert.DoesNotContain("Save the rules", page);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(30, (await program.Api.GetFromJsonAsync<JsonElement>("/api/v1/settings/program")).GetProperty("cookieWindowDays").GetInt32());
    }

    [Theory]
    [InlineData(StaffRole.Owner, true)]
    [InlineData(StaffRole.Manager, true)]
    [InlineData(StaffRole.Analyst, false)]
    public async Task TheApiKeysSectionIsOfferedOnlyToTheRoleThatMayOpenIt(StaffRole role, bool offered)
    {
        var program = await NewProgram.CreateAsync(App, "Settings Nav " + role);
        var (browser, _) = await Staff.SignedInAsync(App, role == StaffRole.Owner ? program.Owner : await program.StaffAsync(role));

        var page = await browser.GetStringAsync($"/admin/settings?ws={program.WorkspaceId}");
        var keys = await browser.GetAsync($"/admin/api-keys?ws={program.WorkspaceId}");

        var nav = System.Text.RegularExpressions.Regex.Match(page, "data-testid=\"settings-nav\".*?</nav>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("/admin/settings", nav);
        Assert.Equal(offered, nav.Contains("/admin/api-keys", StringComparison.Ordinal));
        Assert.Equal(offered, keys.IsSuccessStatusCode); // what is offered opens; what is not, the server refuses
    }

    private async Task<(NewProgram Program, HttpClient Browser, string Url)> OpenAsync(string name)
    {
        var program = await NewProgram.CreateAsync(App, name);
        var (browser, _) = await Staff.SignedInAsync(App, program.Owner);
        return (program, browser, $"/admin/settings?ws={program.WorkspaceId}");
    }

    /// <summary>A whole form as a browser sends it (unticked boxes absent), with <paramref name="overrides"/>.</summary>
    private static Dictionary<string, string> Form(Dictionary<string, string> overrides)
    {
        var form = new Dictionary<string, string>
        {
            ["Input.CookieWindowDays"] = "45", ["Input.AttributionModel"] = "FirstClick", ["Input.HoldDays"] = "14",
            ["Input.CommissionPercent"] = "10", ["Input.CommissionBasis"] = "NetRevenueIncludingTax", ["Input.SelfReferralPolicy"] = "Hold",
            ["Input.LifetimeCommissions"] = "true", ["Input.ConsentMode"] = "OptIn", ["Input.DuplicateClickWindowMinutes"] = "10",
            ["Input.AllowedDestinationHosts"] = "blog.example.com", ["Input.PayoutThreshold"] = "25", ["Input.TimeZone"] = "Europe/Copenhagen",
            ["Input.DefaultLanguage"] = "",
        };
        foreach (var (key, value) in overrides) form[key] = value;
        return form;
    }
}

public sealed class SettingsPageOnSqlite(SqliteApp fixture) : SettingsPageTests(fixture), IClassFixture<SqliteApp>;

public sealed class SettingsPageOnPostgres(PostgresApp fixture) : SettingsPageTests(fixture), IClassFixture<PostgresApp>;
