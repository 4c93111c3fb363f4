using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>First start without Bootstrap settings: /admin offers the set-up page.</summary>
public abstract partial class AdminSetupTests(Db provider)
{
    [Fact]
    public async Task EmptyDatabaseSendsAdminToSetupWhichCreatesOwnerProgramAndAWorkingKey()
    {
        await using var app = await TestApp.CreateAsync(provider);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // A second visitor opens the set-up form too, and sends it after the first has finished.
        var latecomer = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var latecomersToken = await Forms.TokenAsync(latecomer, "/admin/setup");

        var admin = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Equal("/admin/setup", admin.Headers.Location?.OriginalString);

        var done = await Forms.SubmitAsync(browser, "/admin/setup", new Dictionary<string, string>
        {
            ["Input.WorkspaceName"] = "Nordic Knitwear Partners",
            ["Input.Currency"] = "dkk",
            ["Input.Email"] = "owner@knitwear.example",
            ["Input.Password"] = "a-long-passphrase",
            ["Input.ConfirmPassword"] = "a-long-passphrase",
        });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var html = await done.Content.ReadAsStringAsync();
        var key = KeyPattern().Match(html);
        Assert.True(key.Success, "The set-up page did not show the new API key");

        // The key shown once works on the API...
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(key.Groups[1].Value).GetAsync("/api/v1/affiliates")).StatusCode);
        // ...the owner is signed in and sees the program...
        var dashboard = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Nordic Knitwear Partners", await dashboard.Content.ReadAsStringAsync());
        // ...and set-up cannot be run a second time: the page is gone, and a form opened before is refused.
        var again = await browser.GetAsync("/admin/setup");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var second = await Forms.PostAsync(latecomer, "/admin/setup", new Dictionary<string, string>
        {
            ["Input.WorkspaceName"] = "Hijacked Program",
            ["Input.Currency"] = "EUR",
            ["Input.Email"] = "intruder@example.net",
            ["Input.Password"] = "another-long-passphrase",
            ["Input.ConfirmPassword"] = "another-long-passphrase",
        }, latecomersToken);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal("/admin", second.Headers.Location?.OriginalString);
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(["Nordic Knitwear Partners"], await db.Workspaces.Select(w => w.Name).ToListAsync());
        Assert.Equal(["owner@knitwear.example"], await db.Users.Select(u => u.Email).ToListAsync());
        Assert.Equal(1, await db.ApiKeys.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task SetupWithAShortPasswordExplainsAndCreatesNothing()
    {
        await using var app = await TestApp.CreateAsync(provider);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await Forms.SubmitAsync(browser, "/admin/setup", new Dictionary<string, string>
        {
            ["Input.WorkspaceName"] = "Shop",
            ["Input.Currency"] = "EUR",
            ["Input.Email"] = "owner@shop.example",
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Use at least 10 characters.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/setup")).StatusCode); // still not set up
    }

    [Fact]
    public async Task StaffSignInWithTheWrongPasswordIsRefusedAndTheRightOneWorks()
    {
        await using var app = await TestApp.BootstrappedAsync(provider);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var wrong = await Forms.SubmitAsync(browser, "/admin/login",
            new Dictionary<string, string> { ["Input.Email"] = TestApp.OwnerEmail, ["Input.Password"] = "not-the-password" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains(ShopAffiliate.Admin.Pages.Admin.LoginModel.Refused, await wrong.Content.ReadAsStringAsync());

        var right = await Forms.SubmitAsync(browser, "/admin/login",
            new Dictionary<string, string> { ["Input.Email"] = TestApp.OwnerEmail, ["Input.Password"] = TestApp.OwnerPassword });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var dashboard = await browser.GetAsync("/admin");
        Assert.Contains("Test Program", await dashboard.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("data-testid=\"api-key\">(sa_[A-Za-z0-9_-]+)<")]
    private static partial Regex KeyPattern();
}

public sealed class AdminSetupOnSqlite() : AdminSetupTests(Db.Sqlite);

public sealed class AdminSetupOnPostgres() : AdminSetupTests(Db.Postgres);
