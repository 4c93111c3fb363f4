using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Tests.Infrastructure;

public sealed record StaffLogin(Guid UserId, string Email, string Password);

/// <summary>Staff users of the bootstrapped program and browser-like clients that sign them in.</summary>
public static class Staff
{
    public const string Password = "a-staff-passphrase";

    public static async Task<StaffLogin> CreateAsync(TestApp app, StaffRole role)
    {
        var workspaceId = await new Scenario(app).WorkspaceIdAsync();
        await using var scope = app.Scope(workspaceId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"staff.{Guid.NewGuid():N}@example.com";
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.StaffMembers.Add(new StaffMember { WorkspaceId = workspaceId, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return new StaffLogin(user.Id, email, Password);
    }

    /// <summary>A client from an address of its own, so one test's sign-ins do not use up another's per-client limit.</summary>
    public static HttpClient Client(TestApp app, string? ip = null)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Test-Client-Ip", ip ?? $"198.18.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        Forms.SubmitAsync(client, "/admin/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Signs in; returns the client and the staff cookie it was given, to replay from elsewhere.</summary>
    public static async Task<(HttpClient Browser, string Cookie)> SignedInAsync(TestApp app, StaffLogin login)
    {
        var browser = Client(app);
        var response = await SignInAsync(browser, login.Email, login.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (browser, StaffCookie(response) ?? throw new Xunit.Sdk.XunitException("Signing in set no sa_staff cookie"));
    }

    public static string? StaffCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith("sa_staff=", StringComparison.Ordinal)).Select(c => c.Split(';')[0]).FirstOrDefault()
            : null;

    /// <summary>A client that sends only <paramref name="cookie"/>, as someone who copied it would.</summary>
    public static HttpClient WithCookie(TestApp app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>200 when the cookie still signs someone in; a redirect to sign-in when it does not.</summary>
    public static async Task AssertSignedInAsync(HttpClient client, bool expected)
    {
        var admin = await client.GetAsync("/admin");
        if (expected)
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            return;
        }
        AssertSentToSignIn(admin);
    }

    /// <summary>A redirect to the sign-in page (relative from a page, absolute from the cookie handler's challenge).</summary>
    public static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login", new Uri(new Uri("http://app.invalid"), response.Headers.Location!).AbsolutePath);
    }
}
