using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>Builds a program through the public API (and a shop row, until the platform plug-ins connect shops).</summary>
public sealed class Scenario(TestApp app)
{
    public HttpClient Api { get; } = app.ApiClient();

    public async Task<Guid> WorkspaceIdAsync()
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.IgnoreQueryFilters()
            .Where(k => k.Hash == ShopAffiliate.Core.Workspaces.ApiKey.HashOf(TestApp.ApiKey)).Select(k => k.WorkspaceId).SingleAsync();
    }

    public async Task<ShopId> ShopAsync(string domain, string currency = "USD")
    {
        var workspaceId = await WorkspaceIdAsync();
        await using var scope = app.Scope(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var shop = new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = domain, Currency = currency, Name = domain };
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        return new ShopId(shop.Id);
    }

    public async Task<JsonElement> ApprovedAffiliateAsync(string name, string? code = null, Guid? parent = null)
    {
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}.{Guid.NewGuid():N}@example.com";
        var created = await Api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, referralCode = code, parentAffiliateId = parent });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var approved = await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Looks good" });
        Assert.Equal(System.Net.HttpStatusCode.OK, approved.StatusCode);
        return await approved.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> LinkAsync(Guid affiliateId, string destination)
    {
        var created = await Api.PostAsJsonAsync("/api/v1/links", new { affiliateId, destination });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<T> WithServiceAsync<T, TService>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = app.Scope(await WorkspaceIdAsync());
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> use)
    {
        await using var scope = app.Scope(await WorkspaceIdAsync());
        return await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public static OrderEvent Order(
        ShopId shop, string id, DateTime at, OrderState state, decimal lineRevenue, IReadOnlyList<ReferralTouch>? touches = null,
        IReadOnlyList<string>? coupons = null, string currency = "USD", DateTime? updatedAt = null, string? email = "buyer@example.com") =>
        new(shop, new ExternalOrderId(id), "#" + id, at, updatedAt ?? at, currency, state, IsTest: false, CustomerId: "c-" + id, CustomerEmail: email,
            Lines: [new OrderLine("L1", "P1", [], 2, lineRevenue, 0m)], DiscountCodes: coupons ?? [], Touches: touches ?? [],
            ShippingTotal: 5m, TaxTotal: 0m);
}
