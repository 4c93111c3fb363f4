using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// A program of its own for one test (its owner, API key and shops), so tests sharing an app never see each other's
/// batches, settings or staff. Built through the provisioner and the public API, as a merchant's would be.
/// </summary>
public sealed class NewProgram
{
    private readonly TestApp _app;

    private NewProgram(TestApp app, Guid workspaceId, string name, string apiKey, StaffLogin owner)
    {
        _app = app;
        WorkspaceId = workspaceId;
        Name = name;
        Owner = owner;
        Api = app.ApiClient(apiKey);
    }

    public Guid WorkspaceId { get; }
    public string Name { get; }
    public StaffLogin Owner { get; }
    public HttpClient Api { get; }

    public static async Task<NewProgram> CreateAsync(TestApp app, string name, string currency = "USD", StaffLogin? owner = null)
    {
        await using var scope = app.Scope();
        var provisioner = scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = owner?.Email ?? $"owner.{Guid.NewGuid():N}@example.com";
        var existing = owner is null ? null : await users.FindByIdAsync(owner.UserId.ToString());
        var created = await provisioner.CreateAsync($"{name} {Guid.NewGuid():N}"[..(name.Length + 9)], currency,
            existing is null ? email : null, existing is null ? Staff.Password : null, existingOwner: existing);
        return new NewProgram(app, created.Workspace.Id, created.Workspace.Name, created.ApiKey,
            owner ?? new StaffLogin(created.Owner.Id, email, Staff.Password));
    }

    /// <summary>A staff member of this program with <paramref name="role"/>.</summary>
    public async Task<StaffLogin> StaffAsync(StaffRole role)
    {
        await using var scope = _app.Scope(WorkspaceId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"staff.{Guid.NewGuid():N}@example.com";
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Staff.Password)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.StaffMembers.Add(new StaffMember { WorkspaceId = WorkspaceId, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return new StaffLogin(user.Id, email, Staff.Password);
    }

    public async Task<ShopId> ShopAsync(string currency = "USD")
    {
        await using var scope = _app.Scope(WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var domain = $"{Guid.NewGuid():N}"[..10] + ".myshopify.com";
        var shop = new Shop { WorkspaceId = WorkspaceId, Platform = ShopPlatform.Shopify, Domain = domain, Currency = currency, Name = domain };
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        return new ShopId(shop.Id);
    }

    /// <summary>An approved affiliate (id, e-mail) with the referral code <paramref name="code"/>.</summary>
    public async Task<(Guid Id, string Email)> ApprovedAffiliateAsync(string name, string code)
    {
        var email = $"{code}.{Guid.NewGuid():N}@example.com";
        var created = await Api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, referralCode = code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fine" })).StatusCode);
        return (id, email);
    }

    /// <summary>
    /// An order of <paramref name="revenue"/> (two units) referred by <paramref name="code"/>, credited by the engine, and
    /// its commission approved by staff over the API: money a payout batch can pay.
    /// </summary>
    public async Task ApprovedCommissionAsync(ShopId shop, string code, decimal revenue, string currency = "USD")
    {
        var orderId = "O-" + Guid.NewGuid().ToString("N")[..10];
        var at = DateTime.UtcNow.AddHours(-1);
        await using (var scope = _app.Scope(WorkspaceId))
        {
            await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ApplyOrderAsync(Scenario.Order(shop, orderId, at, OrderState.Paid, revenue,
                [new ReferralTouch(code, null, at.AddMinutes(-10), TouchSource.CartAttribute)], currency: currency), default);
        }
        Guid commissionId;
        await using (var scope = _app.Scope(WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            commissionId = await db.Commissions.Join(db.Orders.Where(o => o.ExternalId == orderId), c => c.OrderId, o => o.Id, (c, o) => c.Id).SingleAsync();
        }
        var approved = await Api.PostAsJsonAsync($"/api/v1/commissions/{commissionId}/approve", new { reason = "Checked" });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
    }

    public async Task SettingsAsync(object settings)
    {
        var saved = await Api.PutAsJsonAsync("/api/v1/settings/program", settings);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }
}
