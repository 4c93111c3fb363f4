using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Orders;

namespace ShopAffiliate.Web.Tests.StaffAdmin;

/// <summary>
/// The bootstrapped program as the admin pages' tests use it: a DKK shop with self-referrals held for review, approved
/// affiliates and their orders applied by the engine, and signed-in staff.
/// </summary>
public sealed class AdminProgram(TestApp app)
{
    public Scenario S { get; } = new(app);

    public async Task<(Guid Ws, ShopId Shop)> DanishAsync()
    {
        var settings = await S.Api.PutAsJsonAsync("/api/v1/settings/program",
            new { defaultCommissionRate = 0.15m, holdDays = 30, selfReferralPolicy = "Hold", payoutThreshold = 10m });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        return (await S.WorkspaceIdAsync(), await S.ShopAsync($"dk-{Guid.NewGuid():N}.myshopify.com", "DKK"));
    }

    /// <summary>An approved affiliate: their id, email and referral code.</summary>
    public async Task<(Guid Id, string Email, string Code)> AffiliateAsync(string name)
    {
        var code = ("a" + Guid.NewGuid().ToString("N"))[..12];
        var created = await S.ApprovedAffiliateAsync(name, code);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("email").GetString()!, code);
    }

    /// <summary>
    /// An order of 499.95 DKK incl. 25 % moms (399.96 without) through the affiliate's code, bought by
    /// <paramref name="buyer"/> (the affiliate's own email makes it a self-referral); its id and its tier-1 commission's id.
    /// </summary>
    public async Task<(Guid OrderId, string Number, Guid CommissionId)> OrderAsync(ShopId shop, string code, string buyer)
    {
        var id = $"dk-{Guid.NewGuid():N}"[..16];
        var order = OrderAssignmentTests.DanishOrder(shop, id, DateTime.UtcNow.AddDays(-2), [new ReferralTouch(code, null, null, TouchSource.CartAttribute)])
            with { CustomerEmail = buyer };
        Assert.Equal(ApplyOutcome.Applied, await S.WithServiceAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default)));
        return await S.WithDbAsync(async db =>
        {
            var orderId = await db.Orders.Where(o => o.ExternalId == id).Select(o => o.Id).SingleAsync();
            return (orderId, "#" + id, await db.Commissions.Where(c => c.OrderId == orderId && c.Tier == 1).Select(c => c.Id).SingleAsync());
        });
    }

    public async Task<(HttpClient Browser, StaffLogin Login)> StaffAsync(StaffRole role)
    {
        var login = await Staff.CreateAsync(app, role);
        return ((await Staff.SignedInAsync(app, login)).Browser, login);
    }

    public Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> use) => S.WithDbAsync(use);

    public static async Task<string> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string token, params (string Key, string Value)[] fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Append(new("__RequestVerificationToken", token))));
}
