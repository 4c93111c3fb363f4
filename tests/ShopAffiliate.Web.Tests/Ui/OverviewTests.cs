using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>The admin's overview: the set-up checklist until it is done, the task list, the figures and the program switcher.</summary>
public abstract class OverviewTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task ANewProgramsChecklistTicksEachStepAsItIsDoneAndGoesAwayWhenAllAre()
    {
        var program = await NewProgramAsync("Checklist Knitwear");
        var (browser, _) = await Staff.SignedInAsync(App, program.Owner);

        var fresh = await OverviewAsync(browser);
        Assert.Contains("0 of 4 done", fresh);
        Assert.Contains("data-testid=\"no-tasks\"", fresh);

        await AddShopAsync(program.WorkspaceId, "checklist.myshopify.com");
        using var api = App.ApiClient(program.ApiKey);
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Anna Jensen", email = $"anna.{Guid.NewGuid():N}@example.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var two = await OverviewAsync(browser);
        Assert.Contains("2 of 4 done", two);
        Assert.Contains("<li class=\"done\" data-testid=\"step-shop\">", two);
        Assert.Contains("<li class=\"done\" data-testid=\"step-affiliate\">", two);
        Assert.Contains("<li data-testid=\"step-commission\">", two);
        Assert.Contains("Applications to review: 1", two); // the affiliate added over the API waits for approval

        var saved = await api.PutAsJsonAsync("/api/v1/settings/program", new { holdDays = 14 });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var three = await OverviewAsync(browser);
        Assert.Contains("3 of 4 done", three);
        Assert.Contains("<li data-testid=\"step-program-page\">", three);

        await using (var scope = App.Scope(program.WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.ProgramPages.Add(new ShopAffiliate.Core.Affiliates.ProgramPage { WorkspaceId = program.WorkspaceId, Pitch = "Knit with us" });
            await db.SaveChangesAsync();
        }
        var done = await OverviewAsync(browser);
        Assert.DoesNotContain("data-testid=\"checklist\"", done);
    }

    [Fact]
    public async Task OnlyAnOwnerIsOfferedTheApiKeysAndTheProgramSectionIsInDanish()
    {
        var program = await NewProgramAsync("Roles Knitwear");
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        var manager = await Staff.CreateAsync(App, StaffRole.Manager);
        await using (var scope = App.Scope(program.WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.StaffMembers.Add(new StaffMember { WorkspaceId = program.WorkspaceId, UserId = manager.UserId, Role = StaffRole.Manager });
            await db.SaveChangesAsync();
        }
        var (managerBrowser, _) = await Staff.SignedInAsync(App, manager);

        var asOwner = await OverviewAsync(owner, query: $"?ws={program.WorkspaceId}");
        var asManager = await OverviewAsync(managerBrowser, "da", $"?ws={program.WorkspaceId}");

        Assert.Contains($"data-testid=\"api-keys-button\"", asOwner);
        Assert.DoesNotContain("api-keys-button", asManager);
        Assert.DoesNotContain(">API keys<", asManager);
        Assert.Contains("Forbind en WooCommerce-butik", asManager);
        Assert.Contains("Opret en forbindelseskode", asManager);
        Assert.DoesNotContain("Connect a WooCommerce store", asManager);
        Assert.DoesNotContain("shops connected", asManager);
        Assert.Contains("forbundne webshops", asManager);
    }

    [Fact]
    public async Task TheOverviewIsInDanishWithTheProgramsFiguresAsKpis()
    {
        var program = await NewProgramAsync("Dansk Strik", "DKK");
        var (browser, _) = await Staff.SignedInAsync(App, program.Owner);

        var html = await OverviewAsync(browser, "da");

        Assert.Contains("<h1>Overblik</h1>", html);
        Assert.Contains("Gør dit program klar", html);
        Assert.Contains("<p class=\"label\">Omsætning</p><p class=\"value\">0,00 kr.</p>", html);
        Assert.Contains("Intet salg endnu", html);
    }

    [Fact]
    public async Task AnAgencyUserSwitchesBetweenTheirProgramsAndEachShowsItsOwn()
    {
        var first = await NewProgramAsync("Agency Client One");
        var second = await NewProgramAsync("Agency Client Two", owner: first.Owner);
        var (browser, _) = await Staff.SignedInAsync(App, first.Owner);
        await AddShopAsync(second.WorkspaceId, "client-two.myshopify.com");

        var one = await OverviewAsync(browser, query: $"?ws={first.WorkspaceId}");
        var two = await OverviewAsync(browser, query: $"?ws={second.WorkspaceId}");

        Assert.Contains("data-testid=\"program-switcher\"", one);
        Assert.Contains($"{first.Name} · the last 30 days", one);
        Assert.Contains("<li data-testid=\"step-shop\">", one);
        Assert.Contains($"{second.Name} · the last 30 days", two);
        Assert.Contains("<li class=\"done\" data-testid=\"step-shop\">", two);
        // Its navigation stays in the program chosen.
        Assert.Contains($"href=\"/admin/affiliates?ws={second.WorkspaceId}\"", two);
    }

    [Fact]
    public async Task AProgramTheUserIsNotStaffOfIsNotFound()
    {
        var mine = await NewProgramAsync("Mine Only");
        var theirs = await NewProgramAsync("Not Mine");
        var (browser, _) = await Staff.SignedInAsync(App, mine.Owner);

        var refused = await browser.GetAsync($"/admin?ws={theirs.WorkspaceId}");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain(theirs.Name, await refused.Content.ReadAsStringAsync());
        Assert.Contains($"{mine.Name} · the last 30 days", await OverviewAsync(browser));
    }

    private sealed record NewProgram(Guid WorkspaceId, string Name, string ApiKey, StaffLogin Owner);

    private async Task<NewProgram> NewProgramAsync(string name, string currency = "USD", StaffLogin? owner = null)
    {
        await using var scope = App.Scope();
        var provisioner = scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ShopAffiliate.Core.Identity.AppUser>>();
        var email = owner?.Email ?? $"owner.{Guid.NewGuid():N}@example.com";
        var existing = owner is null ? null : await users.FindByIdAsync(owner.UserId.ToString());
        var created = await provisioner.CreateAsync($"{name} {Guid.NewGuid():N}"[..(name.Length + 9)], currency,
            existing is null ? email : null, existing is null ? Staff.Password : null, existingOwner: existing);
        return new NewProgram(created.Workspace.Id, created.Workspace.Name, created.ApiKey, owner ?? new StaffLogin(created.Owner.Id, email, Staff.Password));
    }

    private async Task AddShopAsync(Guid workspaceId, string domain)
    {
        await using var scope = App.Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Shops.Add(new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = $"{Guid.NewGuid():N}"[..6] + domain, Currency = "USD", Name = domain });
        await db.SaveChangesAsync();
    }

    private static async Task<string> OverviewAsync(HttpClient browser, string language = "en", string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin" + query);
        request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class OverviewOnSqlite(SqliteApp fixture) : OverviewTests(fixture), IClassFixture<SqliteApp>;

public sealed class OverviewOnPostgres(PostgresApp fixture) : OverviewTests(fixture), IClassFixture<PostgresApp>;
