using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>An approved affiliate of the bootstrapped program with a portal account, and a browser signed in as them.</summary>
public static class PortalAccount
{
    public const string Password = "an-affiliate-passphrase";

    /// <summary>Created and approved through the API, then given a confirmed account with <see cref="Password"/>.</summary>
    public static async Task<(Guid Id, string Email)> CreateAsync(BrowserApp app, Guid workspaceId, string name, string referralCode)
    {
        var api = app.ApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email = $"{referralCode}.{Guid.NewGuid():N}@example.com", referralCode });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True((await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Fine" })).IsSuccessStatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var affiliate = await db.Affiliates.SingleAsync(a => a.Id == id);
        var user = new AppUser { UserName = affiliate.Email, Email = affiliate.Email, EmailConfirmed = true, DisplayName = affiliate.Name };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user, Password)).Succeeded);
        affiliate.UserId = user.Id;
        await db.SaveChangesAsync();
        return (id, affiliate.Email);
    }

    /// <summary>A browser context signed in through the portal's form (the caller disposes it).</summary>
    public static async Task<IBrowserContext> SignedInAsync(ChromiumFixture chromium, BrowserApp app, string email, string slug)
    {
        var context = await chromium.NewContextAsync();
        var tab = await context.NewPageAsync();
        await tab.GotoAsync($"{app.BaseUrl}/portal/login");
        await tab.GetByLabel("Email").FillAsync(email);
        await tab.GetByLabel("Password").FillAsync(Password);
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.WaitForURLAsync($"{app.BaseUrl}/portal/p/{slug}");
        await tab.CloseAsync();
        return context;
    }
}
