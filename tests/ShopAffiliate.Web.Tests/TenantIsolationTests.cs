using System.Linq.Expressions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

public abstract class TenantIsolationTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task AnotherWorkspacesKeySeesNoneOfThisWorkspacesData()
    {
        var mine = await App.ApiClient().PostAsJsonAsync("/api/v1/affiliates",
            new { name = "Mine Only", email = $"mine.{Guid.NewGuid():N}@example.com" });
        var myAffiliateId = (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        string otherKey;
        await using (var scope = App.Scope())
        {
            var provisioner = scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>();
            otherKey = (await provisioner.CreateAsync("Other Program", "EUR", $"other.{Guid.NewGuid():N}@example.com", "another-password-1")).ApiKey;
        }
        var other = App.ApiClient(otherKey);

        var list = await other.GetFromJsonAsync<JsonElement>("/api/v1/affiliates");
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/affiliates/{myAffiliateId}")).StatusCode);

        // ...while the owner's key still sees it, so the 404 above is isolation and not a broken lookup.
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient().GetAsync($"/api/v1/affiliates/{myAffiliateId}")).StatusCode);
    }

    [Fact]
    public async Task WithoutATenantTenantOwnedSetsAreEmpty()
    {
        await using (var scope = App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var workspace = await db.Workspaces.FirstAsync();
            db.Affiliates.Add(new Affiliate { WorkspaceId = workspace.Id, Name = "Filtered", Email = $"f.{Guid.NewGuid():N}@example.com", ReferralCode = $"f{Guid.NewGuid():N}"[..20] });
            await db.SaveChangesAsync();
        }

        await using var noTenant = App.Scope(workspaceId: null);
        var filtered = noTenant.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await filtered.Affiliates.CountAsync());
        Assert.NotEqual(0, await filtered.Affiliates.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task EveryTenantOwnedEntityHasTheWorkspaceFilter()
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var tenantOwned = db.Model.GetEntityTypes().Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType)).ToList();

        Assert.NotEmpty(tenantOwned);
        Assert.All(tenantOwned, e =>
        {
            // Exactly e => e.WorkspaceId == context.CurrentWorkspaceId: any other filter (an empty one, one on another
            // column, one that a null tenant satisfies) is not isolation.
            var filter = Assert.Single(e.GetDeclaredQueryFilters()).Expression!;
            var body = Assert.IsAssignableFrom<BinaryExpression>(filter.Body);
            Assert.Equal(ExpressionType.Equal, body.NodeType);
            var entity = Assert.IsAssignableFrom<MemberExpression>(Unconvert(body.Left));
            Assert.Equal((nameof(ITenantOwned.WorkspaceId), filter.Parameters[0]), (entity.Member.Name, entity.Expression));
            var current = Assert.IsAssignableFrom<MemberExpression>(Unconvert(body.Right));
            Assert.Equal((nameof(AppDbContext.CurrentWorkspaceId), typeof(AppDbContext)), (current.Member.Name, current.Member.DeclaringType));
        });
    }

    private static Expression Unconvert(Expression e) => e is UnaryExpression { NodeType: ExpressionType.Convert } c ? c.Operand : e;
}

public sealed class TenantIsolationOnSqlite(SqliteApp fixture) : TenantIsolationTests(fixture), IClassFixture<SqliteApp>;

public sealed class TenantIsolationOnPostgres(PostgresApp fixture) : TenantIsolationTests(fixture), IClassFixture<PostgresApp>;
