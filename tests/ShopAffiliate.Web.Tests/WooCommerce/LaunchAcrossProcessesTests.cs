using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Features.WooCommerce;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.WooCommerce;

/// <summary>
/// Issue 17's acceptance, with two real app processes on one PostgreSQL (as two nodes behind a load balancer): a launch
/// link used on one is refused by the other, and the account a launch creates is staff of that program only, in the
/// role the program grants store admins (<c>storeAdminRole</c>, Manager unless changed).
/// </summary>
public sealed class LaunchAcrossProcessesTests
{
    [Fact]
    public async Task ALaunchLinkUsedOnOneProcessIsRefusedOnAnotherAndItsAccountGetsOnlyTheStoreAdminRole()
    {
        // The test reads and seeds the database through a host of its own; the two processes are the nodes under test.
        await using var seed = await TestApp.BootstrappedAsync(Db.Postgres);
        var launchSecret = TestSecrets.Record(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        Guid workspaceId;
        Shop shop;
        await using (var scope = seed.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            workspaceId = (await db.Workspaces.SingleAsync()).Id;
            shop = new Shop
            {
                WorkspaceId = workspaceId, Platform = ShopPlatform.WooCommerce, Domain = "launch-store.example", BaseUrl = "https://launch-store.example",
                Name = "Launch store", EncryptedLaunchSecret = scope.ServiceProvider.GetRequiredService<ShopSecrets>().ProtectLaunchSecret(launchSecret),
            };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
        }
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = seed.ConnectionString,
            ["WooCommerce__ReconcileInterval"] = "1.00:00:00",
        };
        await using var nodeA = AppProcess.Start(environment);
        await using var nodeB = AppProcess.Start(environment);
        var healthy = await Task.WhenAll(nodeA.WaitUntilHealthyAsync(), nodeB.WaitUntilHealthyAsync());
        Assert.True(healthy[0], "Node A did not become healthy:\n" + nodeA.Output);
        Assert.True(healthy[1], "Node B did not become healthy:\n" + nodeB.Output);

        var manager = $"wp.manager.{Guid.NewGuid():N}@example.com";
        var link = Link(shop, launchSecret, manager);
        var onA = await Browser(nodeA).GetAsync(link);
        var replayedOnB = await Browser(nodeB).GetAsync(link);
        var replayedOnA = await Browser(nodeA).GetAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, onA.StatusCode);
        Assert.Contains(onA.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sa_staff=", StringComparison.Ordinal));
        foreach (var replay in (HttpResponseMessage[])[replayedOnB, replayedOnA])
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
            Assert.Contains("already used", await replay.Content.ReadAsStringAsync());
            Assert.False(replay.Headers.Contains("Set-Cookie") && replay.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sa_staff=", StringComparison.Ordinal)));
        }
        Assert.Equal([StaffRole.Manager], await RolesAsync(seed, manager));

        // The program lowers what store admins get; the next new account, launched on the other node, is an Analyst.
        using var api = new HttpClient { BaseAddress = new Uri(nodeA.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/program", new { storeAdminRole = "Analyst" })).StatusCode);
        var analyst = $"wp.analyst.{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(nodeB).GetAsync(Link(shop, launchSecret, analyst))).StatusCode);
        Assert.Equal([StaffRole.Analyst], await RolesAsync(seed, analyst));
    }

    /// <summary>The account's staff roles, in every program: one row, in the launch's program, is all a launch may make.</summary>
    private static async Task<List<StaffRole>> RolesAsync(TestApp seed, string email)
    {
        await using var scope = seed.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var shopLinks = await db.StoreAdmins.IgnoreQueryFilters().CountAsync(a => a.UserId == user.Id);
        Assert.Equal(1, shopLinks);
        return await db.StaffMembers.IgnoreQueryFilters().Where(s => s.UserId == user.Id).Select(s => s.Role).ToListAsync();
    }

    private static HttpClient Browser(AppProcess node) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(node.BaseUrl) };

    /// <summary>A launch link as the plugin signs it: a fresh nonce, now.</summary>
    private static string Link(Shop shop, string secret, string email)
    {
        var parameters = new Dictionary<string, string>
        {
            ["shop"] = shop.Id.ToString(), ["user"] = "3", ["email"] = email, ["nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
        };
        return "/woocommerce/launch?" + WooLaunchLink.Canonical(parameters) + "&sig=" + WooLaunchLink.Sign(parameters, secret);
    }
}
