using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>
/// Roles are enforced by the server for every admin form: the handlers are found by reflection, so a page added later
/// is covered without anyone remembering to add it here.
/// </summary>
public abstract class RoleTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    /// <summary>An admin page's POST handler and the address it answers at.</summary>
    public sealed record PostHandler(Type Page, MethodInfo Method, string Url)
    {
        public override string ToString() => $"{Page.Name}.{Method.Name}";
    }

    [Fact]
    public async Task AnAnalystIsRefusedEveryPostHandlerOfEveryAdminPageEvenWithAValidAntiforgeryToken()
    {
        var ws = await new Scenario(App).WorkspaceIdAsync();
        var (analyst, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Analyst));
        var token = await Forms.TokenAsync(analyst, "/admin/password");
        var handlers = ProgramHandlers();
        // The pages of this issue so far; a page that lost its handlers would shrink the test without anyone noticing.
        Assert.Contains(handlers, h => h.ToString() == "ApplicationsModel.OnPostApproveAsync");
        Assert.Contains(handlers, h => h.ToString() == "IndexModel.OnPostConnectCodeAsync");
        Assert.Contains(handlers, h => h.ToString() == "AffiliatesModel.OnPostBulkAsync");
        Assert.Contains(handlers, h => h.ToString() == "AnnouncementsModel.OnPostSendAsync");

        var answers = new List<string>();
        foreach (var handler in handlers)
        {
            var response = await Forms.PostAsync(analyst, handler.Url + (handler.Url.Contains('?') ? "&" : "?") + $"ws={ws}",
                new Dictionary<string, string> { ["ws"] = ws.ToString() }, token);
            answers.Add($"{handler} {(int)response.StatusCode}");
        }

        Assert.All(answers, a => Assert.EndsWith(" 403", a));
    }

    [Fact]
    public void OnlyThePagesThatActOnTheSignedInPersonSkipTheRoleCheck()
    {
        var personal = AdminPages().Where(t => t.IsDefined(typeof(PersonalActionAttribute))).Select(t => t.Name).Order();

        Assert.Equal(["InvitationModel", "LoginModel", "LogoutModel", "PasswordModel", "SetupModel"], personal);
    }

    [Fact]
    public async Task AManagerGetsPastTheRoleCheckButNotToAnOwnersForm()
    {
        var ws = await new Scenario(App).WorkspaceIdAsync();
        var (manager, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Manager));
        var token = await Forms.TokenAsync(manager, "/admin/password");
        var fields = new Dictionary<string, string> { ["ws"] = ws.ToString(), ["affiliateId"] = Guid.NewGuid().ToString(), ["storeAdminId"] = Guid.NewGuid().ToString() };

        // Past the filter, the page itself answers: there is no such affiliate.
        var approve = await Forms.PostAsync(manager, "/admin/applications?handler=Approve", fields, token);
        var unlink = await Forms.PostAsync(manager, "/admin?handler=UnlinkStoreAdmin", fields, token);

        Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unlink.StatusCode);
    }

    [Fact]
    public async Task APostForAProgramTheStaffMemberIsNotInIsNotFound()
    {
        var (owner, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Owner));
        var token = await Forms.TokenAsync(owner, "/admin/password");

        var response = await Forms.PostAsync(owner, "/admin?handler=ConnectCode", new Dictionary<string, string> { ["ws"] = Guid.NewGuid().ToString() }, token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The page models of the admin's pages, with the view engine path of each (<c>/Admin/Affiliates/Index</c>).</summary>
    private static Dictionary<Type, string> AdminPageModels() =>
        typeof(StaffRoleFilter).Assembly.GetCustomAttributes<RazorCompiledItemAttribute>()
            .Where(i => i.Kind == "mvc.1.0.razor-page" && i.Identifier.StartsWith("/Pages/Admin/", StringComparison.Ordinal))
            .Select(i => (Model: i.Type.GetProperty("Model")!.PropertyType, Path: i.Identifier["/Pages".Length..^".cshtml".Length]))
            .Where(p => p.Model.IsSubclassOf(typeof(PageModel)))
            .ToDictionary(p => p.Model, p => p.Path);

    private static IEnumerable<Type> AdminPages() => AdminPageModels().Keys;

    /// <summary>Every POST handler of every admin page that acts on a program, with its URL from the app's own routes.</summary>
    private List<PostHandler> ProgramHandlers()
    {
        var routes = App.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>()
            // A route value such as {id:guid} gets an id of no program: the role check comes before any lookup.
            .ToDictionary(d => d.ViewEnginePath, d => "/" + System.Text.RegularExpressions.Regex.Replace(d.AttributeRouteInfo!.Template!, "\\{[^}]+\\}", Guid.NewGuid().ToString()));
        var handlers = new List<PostHandler>();
        foreach (var (page, path) in AdminPageModels().Where(p => !p.Key.IsDefined(typeof(PersonalActionAttribute))))
        {
            Assert.True(routes.TryGetValue(path, out var url), $"{page.Name} has no page at {path}");
            foreach (var method in page.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal)))
            {
                var name = method.Name["OnPost".Length..];
                if (name.EndsWith("Async", StringComparison.Ordinal)) name = name[..^"Async".Length];
                handlers.Add(new PostHandler(page, method, name.Length == 0 ? url : $"{url}?handler={name}"));
            }
        }
        return handlers;
    }
}

public sealed class RoleOnSqlite(SqliteApp fixture) : RoleTests(fixture), IClassFixture<SqliteApp>;

public sealed class RoleOnPostgres(PostgresApp fixture) : RoleTests(fixture), IClassFixture<PostgresApp>;
