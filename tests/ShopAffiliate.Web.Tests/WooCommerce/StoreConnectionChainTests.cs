using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Features.WooCommerce;
using ShopAffiliate.Web.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ShopAffiliate.Web.Tests.WooCommerce;

/// <summary>
/// One app (and a second node on the same database) and one fake WooCommerce for a test class. Every store is a path
/// on the fake (<c>http://127.0.0.1:port/{name}</c>, which WooCommerce allows for a WordPress in a subfolder), so each
/// test connects stores of its own.
/// </summary>
public abstract class StoreChainApp(Db provider) : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://affiliates.example.com";

    public WireMockServer Store { get; } = WireMockServer.Start();
    public TestApp App { get; private set; } = null!;
    public TestApp OtherNode { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        StubStores();
        App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
        {
            ["App:PublicBaseUrl"] = PublicBaseUrl,
            ["WooCommerce:AllowHttpStores"] = "true",
            ["WooCommerce:ReconcileInterval"] = "1.00:00:00",
        },
        // Every request re-validates the security stamp and re-issues the principal, so each test also shows what a
        // launched session keeps across a refresh.
        services => services.Configure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero));
        OtherNode = App.SecondNode();
    }

    public async Task DisposeAsync()
    {
        await OtherNode.DisposeAsync();
        await App.DisposeAsync();
        Store.Stop();
        Store.Dispose();
    }

    /// <summary>Any <c>/{store}/…</c>: WordPress with WooCommerce and the plugin, working keys, no webhooks, no orders.</summary>
    private void StubStores()
    {
        void Json(string pathPattern, string method, string body, int status = 201) =>
            Store.Given(Request.Create().WithPath(new RegexMatcher(pathPattern)).UsingMethod(method)).RespondWith(Response.Create()
                .WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("X-WP-TotalPages", "1").WithHeader("X-WP-Total", "0").WithBody(body));
        Json("^/[^/]+/wp-json/$", "GET", """{"name":"A shop","namespaces":["wc/v3","shopaffiliate/v1"]}""", 200);
        Json("^/[^/]+/wp-json/wc/v3/orders$", "GET", "[]", 200);
        Json("^/[^/]+/wp-json/wc/v3/webhooks$", "GET", "[]", 200);
        Json("^/[^/]+/wp-json/wc/v3/webhooks$", "POST", """{"id":91,"name":"ShopAffiliate","status":"active","topic":"order.created","resource":"order","event":"created","delivery_url":"x"}""");
        Json("^/[^/]+/wp-json/shopaffiliate/v1/config$", "POST", """{"plugin_version":"1.0.0","updated":["shop_id"]}""", 200);
    }
}

public sealed class StoreChainAppOnSqlite() : StoreChainApp(Db.Sqlite);

public sealed class StoreChainAppOnPostgres() : StoreChainApp(Db.Postgres);

/// <summary>
/// Issue 18's takeover chain, replayed: a signed-in owner opens someone's connect link (nothing may happen without their
/// confirmed POST), and a store's launch secret signs a link for the owner's e-mail (it must sign no one in).
/// </summary>
public abstract class StoreConnectionChainTests(StoreChainApp fixture)
{
    private const string Password = "a-long-enough-password";
    private TestApp App => fixture.App;

    private sealed record Program(Guid Id, string Name, string Slug, string OwnerEmail);

    /// <summary>A fresh program of its own, with an owner who has a password.</summary>
    private async Task<Program> ProgramAsync(string name)
    {
        await using var scope = App.Scope();
        var email = $"owner.{Guid.NewGuid():N}@example.com";
        var created = await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>().CreateAsync(name, "EUR", email, Password);
        return new Program(created.Workspace.Id, created.Workspace.Name, created.Workspace.Slug, email);
    }

    /// <summary>A store of its own on the fake: its address, and the path prefix its requests arrive under.</summary>
    private string NewStore() => $"http://127.0.0.1:{fixture.Store.Port}/shop-{Guid.NewGuid().ToString("N")[..12]}";

    private int RequestsTo(string store) =>
        fixture.Store.LogEntries.Count(e => e.RequestMessage!.Path.StartsWith(new Uri(store).AbsolutePath + "/", StringComparison.Ordinal));

    private static HttpClient Browser(TestApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<HttpClient> SignedInAsync(string email, string password = Password)
    {
        var browser = Browser(App);
        var signedIn = await Forms.SubmitAsync(browser, "/admin/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    private static string ConnectUrl(string store, string? workspace = null, string? code = null) =>
        $"/woocommerce/connect?store_url={Uri.EscapeDataString(store)}"
        + (workspace is null ? "" : "&workspace=" + Uri.EscapeDataString(workspace)) + (code is null ? "" : "&code=" + Uri.EscapeDataString(code));

    /// <summary>WooCommerce's key callback for the approval the confirmed POST redirected to; returns the connected shop.</summary>
    private async Task<Shop> FinishAsync(HttpResponseMessage confirmed)
    {
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.EndsWith("/wc-auth/v1/authorize", confirmed.Headers.Location!.GetLeftPart(UriPartial.Path));
        var userId = HttpUtility.ParseQueryString(confirmed.Headers.Location.Query)["user_id"]!;
        var content = new StringContent(JsonSerializer.Serialize(new
        {
            key_id = 1, user_id = userId, consumer_key = "ck_0123456789abcdef", consumer_secret = "cs_fedcba9876543210", key_permissions = "read_write",
        }), Encoding.UTF8, "application/json");
        var keys = await App.CreateClient().PostAsync("/woocommerce/keys", content);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        var shopId = (await keys.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shopId").GetGuid();
        return await WithDbAsync(db => db.Shops.IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.Id == shopId));
    }

    private async Task<Shop> ConnectAsync(Program program, string store) =>
        await FinishAsync(await Forms.ConfirmAsync(await SignedInAsync(program.OwnerEmail), ConnectUrl(store, program.Slug), "/woocommerce/connect"));

    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> use)
    {
        await using var scope = App.Scope();
        return await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private async Task<int> ShopsOfAsync(Program program) => await WithDbAsync(db => db.Shops.IgnoreQueryFilters().CountAsync(s => s.WorkspaceId == program.Id));

    /// <summary>A launch link as the plugin signs it with the store's launch secret (which the store, or whoever runs it, holds).</summary>
    private async Task<string> LaunchLinkAsync(Shop shop, string email, string? nonce = null)
    {
        string secret;
        await using (var scope = App.Scope())
            secret = scope.ServiceProvider.GetRequiredService<ShopSecrets>().LaunchSecret(shop)!;
        var parameters = new Dictionary<string, string>
        {
            ["shop"] = shop.Id.ToString(), ["user"] = "1", ["email"] = email, ["nonce"] = nonce ?? Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]),
            ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
        };
        return "/woocommerce/launch?" + WooLaunchLink.Canonical(parameters) + "&sig=" + WooLaunchLink.Sign(parameters, secret);
    }

    /// <summary>What the browser sees at /admin: the page (signed in) or null (sent to sign in).</summary>
    private static async Task<string?> AdminPageAsync(HttpClient browser)
    {
        var admin = await browser.GetAsync("/admin");
        if (admin.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/admin/login", admin.Headers.Location!.OriginalString);
            return null;
        }
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        return await admin.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task ACrossSiteGetToConnectOnlyShowsAConfirmationAndConnectsNothing()
    {
        var program = await ProgramAsync("Victim Program");
        var owner = await SignedInAsync(program.OwnerEmail);
        var attackersStore = NewStore();

        // The link an attacker mails to a signed-in owner.
        var opened = await owner.GetAsync(ConnectUrl(attackersStore, program.Slug));

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var html = await opened.Content.ReadAsStringAsync();
        Assert.Contains("Victim Program", html);
        Assert.Contains(new Uri(attackersStore).Host, html);
        Assert.Equal("DENY", opened.Headers.GetValues("X-Frame-Options").Single()); // not to be clicked through in a frame
        Assert.Equal(0, RequestsTo(attackersStore)); // not even probed
        Assert.Equal(0, await ShopsOfAsync(program));

        // A cross-site form POST carries the owner's cookie but not the page's antiforgery token.
        var forged = await owner.PostAsync("/woocommerce/connect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["store_url"] = attackersStore, ["workspace"] = program.Slug,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, RequestsTo(attackersStore));
        Assert.Equal(0, await ShopsOfAsync(program));
    }

    [Fact]
    public async Task TheConfirmedPostConnectsTheStore()
    {
        var program = await ProgramAsync("Confirmed Program");
        var store = NewStore();

        var confirmed = await Forms.ConfirmAsync(await SignedInAsync(program.OwnerEmail), ConnectUrl(store, program.Slug), "/woocommerce/connect");
        var shop = await FinishAsync(confirmed);

        Assert.Equal(program.Id, shop.WorkspaceId);
        Assert.Equal(store, shop.BaseUrl);
        Assert.Equal(ShopStatus.Active, shop.Status);
    }

    [Fact]
    public async Task AConnectCodeConnectsOnceThroughTheConfirmationPage()
    {
        var program = await ProgramAsync("Code Program");
        var owner = await SignedInAsync(program.OwnerEmail);
        var created = await Forms.SubmitAsync(owner, "/admin", new Dictionary<string, string> { ["ws"] = program.Id.ToString() }, "/admin?handler=ConnectCode");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var code = Regex.Match(await created.Content.ReadAsStringAsync(), "data-testid=\"connect-code\">(sac_[a-z0-9]+)<").Groups[1].Value;
        Assert.NotEmpty(code);
        var hash = ApiKey.HashOf(code);
        Assert.True(await WithDbAsync(db => db.ConnectCodes.IgnoreQueryFilters().AnyAsync(c => c.Hash == hash && c.WorkspaceId == program.Id))); // only its hash is kept

        // The plugin's Connect button, in a browser that is not signed in to ShopAffiliate.
        var store = NewStore();
        var merchant = Browser(App);
        var page = await merchant.GetAsync(ConnectUrl(store, code: code));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Code Program", await page.Content.ReadAsStringAsync());
        Assert.Equal(0, RequestsTo(store));

        var shop = await FinishAsync(await Forms.ConfirmAsync(merchant, ConnectUrl(store, code: code), "/woocommerce/connect"));
        Assert.Equal(program.Id, shop.WorkspaceId);

        // Spent: neither this browser nor another node takes it again.
        Assert.Equal(HttpStatusCode.Unauthorized, (await merchant.GetAsync(ConnectUrl(NewStore(), code: code))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser(fixture.OtherNode).GetAsync(ConnectUrl(NewStore(), code: code))).StatusCode);
    }

    [Fact]
    public async Task TheWorkspaceKeyConnectWorksByDefaultAndIsRefusedWhenTurnedOffWhileConnectCodesStillWork()
    {
        var store = NewStore();
        var keyUrl = ConnectUrl(store, TestApp.ApiKey);
        await using var off = App.SecondNode(new Dictionary<string, string?> { ["WooCommerce:AllowWorkspaceKeyConnect"] = "false" });

        Assert.Equal(HttpStatusCode.OK, (await Browser(App).GetAsync(keyUrl)).StatusCode); // the default: true
        var page = await Browser(off).GetAsync(keyUrl);
        var bearer = Browser(off);
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestApp.ApiKey);
        var byHeader = await bearer.GetAsync(ConnectUrl(store));

        foreach (var refused in new[] { page, byHeader })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("WooCommerce:AllowWorkspaceKeyConnect", problem.GetProperty("detail").GetString());
        }
        // The POST is refused the same way, so a page opened before the switch cannot finish either.
        var opened = await Browser(App).GetAsync(keyUrl);
        var carried = off.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        carried.DefaultRequestHeaders.Add("Cookie", string.Join("; ", opened.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        Assert.Equal(HttpStatusCode.Forbidden, (await Forms.PostHiddenFieldsAsync(carried, opened, "/woocommerce/connect")).StatusCode);
        Assert.Equal(0, RequestsTo(store)); // the store was never probed

        var program = await ProgramAsync("Code Only Program");
        var (code, row) = ConnectCode.Create(program.Id, Guid.Empty, DateTime.UtcNow);
        await WithDbAsync(async db =>
        {
            db.ConnectCodes.Add(row);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.OK, (await Browser(off).GetAsync(ConnectUrl(store, code: code))).StatusCode);
    }

    [Fact]
    public async Task AConnectCodeIsSpentOnceEvenWhenTwoConfirmationsRace()
    {
        var program = await ProgramAsync("Race Program");
        var (code, row) = ConnectCode.Create(program.Id, Guid.Empty, DateTime.UtcNow);
        await WithDbAsync(async db =>
        {
            db.ConnectCodes.Add(row);
            return await db.SaveChangesAsync();
        });
        var store = NewStore();
        // Both pages were opened (and so both forms hold a live code) before either was confirmed, one per node.
        var first = Browser(App);
        var second = Browser(fixture.OtherNode);
        var pages = await Task.WhenAll(first.GetAsync(ConnectUrl(store, code: code)), second.GetAsync(ConnectUrl(store, code: code)));
        Assert.All(pages, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));

        var answers = await Task.WhenAll(Forms.PostHiddenFieldsAsync(first, pages[0], "/woocommerce/connect"), Forms.PostHiddenFieldsAsync(second, pages[1], "/woocommerce/connect"));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Unauthorized], answers.Select(a => a.StatusCode).Order());
    }

    [Fact]
    public async Task AnExpiredConnectCodeIsRefused()
    {
        var program = await ProgramAsync("Expired Code Program");
        var (code, row) = ConnectCode.Create(program.Id, Guid.Empty, DateTime.UtcNow - ConnectCode.Lifetime - TimeSpan.FromSeconds(1));
        await WithDbAsync(async db =>
        {
            db.ConnectCodes.Add(row);
            return await db.SaveChangesAsync();
        });

        var page = await Browser(App).GetAsync(ConnectUrl(NewStore(), code: code));

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("15 minutes", (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheConfirmationWarnsOfASecondStoreAndRefusesAStoreConnectedToAnotherProgram()
    {
        var program = await ProgramAsync("Two Store Program");
        var first = NewStore();
        await ConnectAsync(program, first);

        var owner = await SignedInAsync(program.OwnerEmail);
        var second = await (await owner.GetAsync(ConnectUrl(NewStore(), program.Slug))).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"second-store\"", second);
        Assert.Contains(new Uri(first).Host, second);
        Assert.Contains("Connect ", second); // still offered, once confirmed

        var other = await ProgramAsync("Other Program");
        var otherOwner = await SignedInAsync(other.OwnerEmail);
        var taken = await (await otherOwner.GetAsync(ConnectUrl(first, other.Slug))).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"elsewhere\"", taken);
        Assert.DoesNotContain("Two Store Program", taken); // which program has it is not told
        Assert.DoesNotContain("action=\"/woocommerce/connect\"", taken);

        // Posting anyway (with a token from another page of the admin) is refused before the store is contacted.
        var before = RequestsTo(first);
        var posted = await Forms.SubmitAsync(otherOwner, "/admin",
            new Dictionary<string, string> { ["store_url"] = first, ["workspace"] = other.Slug }, "/woocommerce/connect");
        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        Assert.Equal(before, RequestsTo(first));
        Assert.Equal(program.Id, await WithDbAsync(db => db.Shops.IgnoreQueryFilters().Where(s => s.BaseUrl == first).Select(s => s.WorkspaceId).SingleAsync()));
    }

    [Fact]
    public async Task ALaunchLinkNamingTheOwnersEmailIsRefusedAndSignsNoOneIn()
    {
        var program = await ProgramAsync("Owned Program");
        var shop = await ConnectAsync(program, NewStore());
        var browser = Browser(App);

        var launch = await browser.GetAsync(await LaunchLinkAsync(shop, program.OwnerEmail));

        Assert.Equal(HttpStatusCode.Forbidden, launch.StatusCode);
        Assert.Equal("application/problem+json", launch.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(launch.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("sa_staff=", StringComparison.Ordinal));
        Assert.Null(await AdminPageAsync(browser));
    }

    [Fact]
    public async Task ALaunchLinkForAUserWhoIsNotStaffOfTheStoresProgramIsRefused()
    {
        var program = await ProgramAsync("Store Program");
        var shop = await ConnectAsync(program, NewStore());
        var stranger = await ProgramAsync("Someone Else's Program"); // a user with an account, staff elsewhere only
        // And staff of this program whom no owner linked to the store.
        var manager = await StaffAsync(program, StaffRole.Manager);

        foreach (var email in (string[])[stranger.OwnerEmail, manager])
        {
            var browser = Browser(App);
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(await LaunchLinkAsync(shop, email))).StatusCode);
            Assert.Null(await AdminPageAsync(browser));
        }
        Assert.Equal(2, await WithDbAsync(db => db.StaffMembers.IgnoreQueryFilters().CountAsync(s => s.WorkspaceId == program.Id))); // nobody was added
    }

    /// <summary>A staff member of <paramref name="program"/> with a password; returns their e-mail.</summary>
    private async Task<string> StaffAsync(Program program, StaffRole role)
    {
        await using var scope = App.Scope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ShopAffiliate.Core.Identity.AppUser>>();
        var email = $"staff.{Guid.NewGuid():N}@example.com";
        var user = new ShopAffiliate.Core.Identity.AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.StaffMembers.Add(new StaffMember { WorkspaceId = program.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return email;
    }

    [Fact]
    public async Task AFirstLaunchCreatesAStoreAdminWhoSeesOnlyThatProgramAsAManager()
    {
        var program = await ProgramAsync("Launch Program");
        var shop = await ConnectAsync(program, NewStore());
        var email = $"wp.admin.{Guid.NewGuid():N}@example.com";
        var browser = Browser(App);

        var launch = await browser.GetAsync(await LaunchLinkAsync(shop, email));

        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        var admin = await AdminPageAsync(browser);
        Assert.Contains("Launch Program <span class=\"muted\">· Manager", admin);
        var userId = await WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.True(await WithDbAsync(db => db.StoreAdmins.IgnoreQueryFilters().AnyAsync(a => a.ShopId == shop.Id && a.UserId == userId && a.CreatedByLaunch)));

        // The same person is later made staff of another program, and promoted to Owner here: a launched session
        // still sees this program only, and as no more than a Manager.
        var agency = await ProgramAsync("Agency Program");
        await WithDbAsync(async db =>
        {
            db.StaffMembers.Add(new StaffMember { WorkspaceId = agency.Id, UserId = userId, Role = StaffRole.Owner });
            await db.StaffMembers.IgnoreQueryFilters().Where(s => s.UserId == userId && s.WorkspaceId == program.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, StaffRole.Owner));
            return await db.SaveChangesAsync();
        });
        var again = Browser(App);
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync(await LaunchLinkAsync(shop, email))).StatusCode);
        var scoped = await AdminPageAsync(again);
        Assert.Contains("Launch Program <span class=\"muted\">· Manager", scoped);
        Assert.DoesNotContain("Agency Program", scoped);
        Assert.DoesNotContain("Link to the store", scoped); // an owner's form
    }

    [Fact]
    public async Task TheProgramsStoreAdminRoleCapsLaunchesAndCannotBeOwner()
    {
        var program = await ProgramAsync("Analyst Program");
        var shop = await ConnectAsync(program, NewStore());
        var api = App.ApiClient(await WithDbAsync(async db =>
        {
            var key = ApiKey.Generate();
            db.ApiKeys.Add(ApiKey.For(program.Id, "test", key));
            await db.SaveChangesAsync();
            return key;
        }));

        var owner = await api.PutAsJsonAsync("/api/v1/settings/program", new { storeAdminRole = "Owner" });
        Assert.Equal(HttpStatusCode.BadRequest, owner.StatusCode);
        Assert.Contains("storeAdminRole", await owner.Content.ReadAsStringAsync());
        var analyst = await api.PutAsJsonAsync("/api/v1/settings/program", new { storeAdminRole = "Analyst" });
        Assert.Equal("Analyst", (await analyst.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("storeAdminRole").GetString());

        var browser = Browser(App);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(await LaunchLinkAsync(shop, $"wp.{Guid.NewGuid():N}@example.com"))).StatusCode);
        Assert.Contains("Analyst Program <span class=\"muted\">· Analyst", await AdminPageAsync(browser));
    }

    [Fact]
    public async Task AnOwnerLinksAStaffMemberToTheStoreWhoCanThenLaunch()
    {
        var program = await ProgramAsync("Linked Program");
        var shop = await ConnectAsync(program, NewStore());
        var manager = await StaffAsync(program, StaffRole.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser(App).GetAsync(await LaunchLinkAsync(shop, manager))).StatusCode);

        // A manager may not link (only owners decide who the store signs in), the owner may.
        var asManager = await Forms.SubmitAsync(await SignedInAsync(manager), "/admin",
            new Dictionary<string, string> { ["ws"] = program.Id.ToString(), ["shopId"] = shop.Id.ToString(), ["email"] = manager }, "/admin?handler=LinkStoreAdmin");
        Assert.Equal(HttpStatusCode.Forbidden, asManager.StatusCode); // the admin role filter (ADR 0029)
        Assert.Equal(0, await WithDbAsync(db => db.StoreAdmins.IgnoreQueryFilters().CountAsync(a => a.ShopId == shop.Id)));
        var owner = await SignedInAsync(program.OwnerEmail);
        var linked = await Forms.SubmitAsync(owner, "/admin",
            new Dictionary<string, string> { ["ws"] = program.Id.ToString(), ["shopId"] = shop.Id.ToString(), ["email"] = manager }, "/admin?handler=LinkStoreAdmin");
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        Assert.Contains("can now open the program", await linked.Content.ReadAsStringAsync());

        var browser = Browser(App);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(await LaunchLinkAsync(shop, manager))).StatusCode);
        Assert.Contains("Linked Program", await AdminPageAsync(browser));

        // Removed again: the store no longer signs them in (they stay staff, with their password).
        var link = await WithDbAsync(db => db.StoreAdmins.IgnoreQueryFilters().Where(a => a.ShopId == shop.Id).Select(a => a.Id).SingleAsync());
        var unlinked = await Forms.SubmitAsync(owner, "/admin",
            new Dictionary<string, string> { ["ws"] = program.Id.ToString(), ["storeAdminId"] = link.ToString() }, "/admin?handler=UnlinkStoreAdmin");
        Assert.Equal(HttpStatusCode.OK, unlinked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Browser(App).GetAsync(await LaunchLinkAsync(shop, manager))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(Browser(App), "/admin/login",
            new Dictionary<string, string> { ["Input.Email"] = manager, ["Input.Password"] = Password })).StatusCode);
    }

    [Fact]
    public async Task AnAnalystCannotCreateAConnectCode()
    {
        var program = await ProgramAsync("Analyst Code Program");
        var analyst = await SignedInAsync(await StaffAsync(program, StaffRole.Analyst));

        // Their start page offers no such form; a token from any page of theirs still gets the POST through antiforgery.
        var answer = await Forms.SubmitAsync(analyst, "/admin/login", new Dictionary<string, string> { ["ws"] = program.Id.ToString() }, "/admin?handler=ConnectCode");

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode); // the admin role filter (ADR 0029)
        Assert.Equal(0, await WithDbAsync(db => db.ConnectCodes.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == program.Id)));
    }

    [Fact]
    public async Task ALaunchLinkUsedOnOneNodeIsRefusedOnTheOther()
    {
        var program = await ProgramAsync("Two Node Program");
        var shop = await ConnectAsync(program, NewStore());
        var link = await LaunchLinkAsync(shop, $"wp.{Guid.NewGuid():N}@example.com");

        Assert.Equal(HttpStatusCode.Redirect, (await Browser(App).GetAsync(link)).StatusCode);
        var replay = Browser(fixture.OtherNode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync(link)).StatusCode);
        Assert.Null(await AdminPageAsync(replay));
    }
}

public sealed class StoreConnectionChainOnSqlite(StoreChainAppOnSqlite fixture) : StoreConnectionChainTests(fixture), IClassFixture<StoreChainAppOnSqlite>;

public sealed class StoreConnectionChainOnPostgres(StoreChainAppOnPostgres fixture) : StoreConnectionChainTests(fixture), IClassFixture<StoreChainAppOnPostgres>;
