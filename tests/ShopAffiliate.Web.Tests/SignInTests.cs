using ShopAffiliate.Web.Hosting;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Admin.Pages.Admin;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Auth;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// The real password hasher, counted: what the sign-in page does for an account (one hash) is what it must do
/// for no account too.
/// </summary>
public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
{
    private readonly PasswordHasher<AppUser> _real = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public string HashPassword(AppUser user, string password)
    {
        Interlocked.Increment(ref _count);
        return _real.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _count);
        return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>The bootstrapped app with a counted hasher and a small per-client limit: 3 sign-in attempts an hour.</summary>
public abstract class SignInApp(Db provider) : IAsyncLifetime
{
    public const int Limit = 3;

    public CountingPasswordHasher Hasher { get; } = new();
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.BootstrappedAsync(provider,
        new Dictionary<string, string?> { ["RateLimits:SignIn:PermitLimit"] = Limit.ToString(), ["RateLimits:SignIn:Window"] = "01:00:00" },
        services => services.AddSingleton<IPasswordHasher<AppUser>>(Hasher));

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class SignInAppOnSqlite() : SignInApp(Db.Sqlite);

public sealed class SignInAppOnPostgres() : SignInApp(Db.Postgres);

public abstract partial class SignInTests(SignInApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task UnknownWrongAndLockedSignInsGetTheSameAnswerForTheSameWork()
    {
        var known = await Staff.CreateAsync(App, StaffRole.Owner);
        var locked = await Staff.CreateAsync(App, StaffRole.Owner);
        await WithUserAsync(locked.UserId, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1)));

        var answers = new List<string>();
        foreach (var (email, password) in (IEnumerable<(string, string)>)[
            ($"nobody.{Guid.NewGuid():N}@example.com", "some-password-here"), // no such account
            (known.Email, "not-the-password"),                                 // wrong password
            (locked.Email, locked.Password)])                                  // locked, even with the right password
        {
            var hashes = fixture.Hasher.Count;
            var response = await Staff.SignInAsync(Staff.Client(App), email, password);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(Staff.StaffCookie(response));
            Assert.Equal(hashes + 1, fixture.Hasher.Count);
            answers.Add(WithoutValues(await response.Content.ReadAsStringAsync()));
        }

        Assert.Contains(LoginModel.Refused, answers[0]);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
    }

    [Fact]
    public async Task AClientOverTheSignInLimitGets429WithRetryAfterBeforeAnyAccountIsChecked()
    {
        var staff = await Staff.CreateAsync(App, StaffRole.Owner);
        var attacker = Staff.Client(App);
        for (var i = 0; i < SignInApp.Limit; i++)
            Assert.Equal(HttpStatusCode.OK, (await Staff.SignInAsync(attacker, staff.Email, "wrong-password-" + i)).StatusCode);
        var hashes = fixture.Hasher.Count;

        var limited = await Staff.SignInAsync(attacker, staff.Email, staff.Password); // even the right password

        await RateLimitTests.AssertLimitedAsync(limited);
        Assert.Null(Staff.StaffCookie(limited));
        // In front of the lockout: the account was not looked at, so the refused attempt did not count against it.
        Assert.Equal(hashes, fixture.Hasher.Count);
        Assert.Equal(SignInApp.Limit, await WithUserAsync(staff.UserId, (users, user) => users.GetAccessFailedCountAsync(user)));

        // Per client: the owner elsewhere signs in.
        var owner = await Staff.SignInAsync(Staff.Client(App), staff.Email, staff.Password);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
    }

    [Fact]
    public async Task AddressesOfOneIpv6SlashSixtyFourShareOneSignInLimit()
    {
        var prefix = $"2001:db8:{Random.Shared.Next(0x10000):x}:1::";
        for (var i = 1; i <= SignInApp.Limit; i++)
            Assert.Equal(HttpStatusCode.OK, (await Staff.SignInAsync(Staff.Client(App, prefix + i), "nobody@example.com", "some-password")).StatusCode);

        var sameBlock = await Staff.SignInAsync(Staff.Client(App, prefix + "ffff"), "nobody@example.com", "some-password");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameBlock.StatusCode);
    }

    [Fact]
    public void TheDefaultPerClientLimitIsBelowTheAccountLockout()
    {
        var lockout = App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout;

        Assert.True(RateLimits.Policies.Single(p => p.Section == "SignIn").PermitLimit < lockout.MaxFailedAccessAttempts,
            "One client could lock an account within one window of the per-client limit.");
    }

    private async Task<T> WithUserAsync<T>(Guid id, Func<UserManager<AppUser>, AppUser, Task<T>> use)
    {
        await using var scope = App.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await use(users, (await users.FindByIdAsync(id.ToString()))!);
    }

    /// <summary>The page without its attribute values (the antiforgery token, the email typed in).</summary>
    /// <summary>The page without its per-response values: form values (the antiforgery token) and the CSP nonce.</summary>
    private static string WithoutValues(string html) => ValuePattern().Replace(html, m => m.Value.StartsWith("nonce", StringComparison.Ordinal) ? "nonce=\"\"" : "value=\"\"");

    [GeneratedRegex("(?:value|nonce)=\"[^\"]*\"")]
    private static partial Regex ValuePattern();
}

public sealed class SignInOnSqlite(SignInAppOnSqlite fixture) : SignInTests(fixture), IClassFixture<SignInAppOnSqlite>;

public sealed class SignInOnPostgres(SignInAppOnPostgres fixture) : SignInTests(fixture), IClassFixture<SignInAppOnPostgres>;
