using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>
/// Which language a page is in: the person's saved choice, then their program's default, then the browser's; and the
/// language switcher that saves the choice (a POST with antiforgery; nothing on a GET).
/// </summary>
public abstract class LocalizationTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task WithNothingSavedTheBrowsersLanguageIsUsed()
    {
        Assert.Contains("<h1>Log ind</h1>", await SignInPageAsync(Staff.Client(App), "da-DK,da;q=0.9,en;q=0.5"));
        Assert.Contains("<h1>Sign in</h1>", await SignInPageAsync(Staff.Client(App), "en-GB"));
        Assert.Contains("<h1>Sign in</h1>", await SignInPageAsync(Staff.Client(App), "fr-FR")); // not offered: English
    }

    [Fact]
    public async Task TheLanguageSwitcherSavesTheChoiceWhichThenWinsOverTheBrowser()
    {
        var client = Staff.Client(App);
        var token = await Forms.TokenAsync(client, "/admin/login");

        var switched = await Forms.PostAsync(client, "/ui/culture", new Dictionary<string, string> { ["culture"] = "da", ["returnUrl"] = "/admin/login?ReturnUrl=%2Fadmin" }, token);

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/admin/login?ReturnUrl=%2Fadmin", switched.Headers.Location!.OriginalString);
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sa_culture=c%3Dda%7Cuic%3Dda;", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var page = await SignInPageAsync(client, "en-US");
        Assert.Contains("<html lang=\"da\"", page);
        Assert.Contains("<h1>Log ind</h1>", page);
    }

    [Fact]
    public async Task TheSwitcherGoesBackOnlyToAPageOfThisApp()
    {
        var client = Staff.Client(App);
        var token = await Forms.TokenAsync(client, "/admin/login");
        var switched = await Forms.PostAsync(client, "/ui/culture", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "https://evil.example/" }, token);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/admin", switched.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ASwitchWithoutTheAntiforgeryTokenIsRefusedAndSavesNothing()
    {
        var forged = await Staff.Client(App).PostAsync("/ui/culture", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "da" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sa_culture=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnUnknownLanguageIsAProblemNotACookie()
    {
        var client = Staff.Client(App);
        var token = await Forms.TokenAsync(client, "/admin/login");
        var refused = await Forms.PostAsync(client, "/ui/culture", new Dictionary<string, string> { ["culture"] = "xx" }, token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("Choose one of: en, da.", problem!.Detail);
        Assert.False(refused.Headers.Contains("Set-Cookie") && refused.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sa_culture=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AGetOfTheSwitcherChangesNothing()
    {
        var get = await Staff.Client(App).GetAsync("/ui/culture?culture=da");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.False(get.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TheProgramsDefaultLanguageComesBeforeTheBrowsersAndAfterThePersonsOwnChoice()
    {
        var (browser, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Manager));
        await SetDefaultLanguageAsync("da");
        try
        {
            Assert.Contains("<html lang=\"da\"", await PageAsync(browser, "/admin/api-keys", "en-US"));

            var token = await Forms.TokenAsync(browser, "/admin/api-keys");
            await Forms.PostAsync(browser, "/ui/culture", new Dictionary<string, string> { ["culture"] = "en" }, token);
            Assert.Contains("<html lang=\"en\"", await PageAsync(browser, "/admin/api-keys", "da-DK"));
        }
        finally
        {
            await SetDefaultLanguageAsync(null);
        }
    }

    [Fact]
    public async Task ValidationMessagesAreInThePagesLanguage()
    {
        var client = Staff.Client(App);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("da");
        var answer = await Forms.SubmitAsync(client, "/admin/login", new Dictionary<string, string> { ["Input.Email"] = "", ["Input.Password"] = "" });
        var html = await answer.Content.ReadAsStringAsync();
        Assert.Contains("Skriv din e-mail.", html);
        Assert.Contains("Skriv din adgangskode.", html);
    }

    private async Task SetDefaultLanguageAsync(string? language)
    {
        var workspaceId = await new Scenario(App).WorkspaceIdAsync();
        await using var scope = App.Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var settings = await SettingsStore.GetAsync(db, workspaceId, default);
        settings.DefaultLanguage = language;
        if (db.Entry(settings).State == EntityState.Detached) db.WorkspaceSettings.Add(settings);
        await db.SaveChangesAsync();
    }

    private static Task<string> SignInPageAsync(HttpClient client, string acceptLanguage) => PageAsync(client, "/admin/login", acceptLanguage);

    private static async Task<string> PageAsync(HttpClient client, string url, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class LocalizationOnSqlite(SqliteApp fixture) : LocalizationTests(fixture), IClassFixture<SqliteApp>;

public sealed class LocalizationOnPostgres(PostgresApp fixture) : LocalizationTests(fixture), IClassFixture<PostgresApp>;
