using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>A staff cookie stops working when its user signs out, changes the password or loses a role, wherever a copy of it is.</summary>
public abstract class StaffSessionTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task SigningOutFromTheLayoutEndsTheSessionAndACookieCopiedBefore()
    {
        var (browser, cookie) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Manager));
        using var copy = Staff.WithCookie(App, cookie);
        await Staff.AssertSignedInAsync(copy, expected: true);

        // The layout's sign-out form, with the antiforgery token the page gives it.
        var signedOut = await Forms.SubmitAsync(browser, "/admin", new Dictionary<string, string>(), action: "/admin/logout");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/admin/login", signedOut.Headers.Location!.OriginalString);
        await Staff.AssertSignedInAsync(browser, expected: false);
        await Staff.AssertSignedInAsync(copy, expected: false);
        Staff.AssertSentToSignIn(await copy.GetAsync("/admin/api-keys"));
    }

    [Fact]
    public async Task ASignOutWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var (browser, cookie) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Manager));

        var forged = await browser.PostAsync("/admin/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var copy = Staff.WithCookie(App, cookie);
        await Staff.AssertSignedInAsync(copy, expected: true);
    }

    [Fact]
    public async Task ChangingThePasswordEndsOtherSessionsAndKeepsThisOne()
    {
        var staff = await Staff.CreateAsync(App, StaffRole.Manager);
        var (browser, cookie) = await Staff.SignedInAsync(App, staff);
        using var copy = Staff.WithCookie(App, cookie);
        await Staff.AssertSignedInAsync(copy, expected: true);

        var changed = await ChangePasswordAsync(browser, staff.Password, "a-brand-new-passphrase");

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/admin/password?Changed=True", changed.Headers.Location!.OriginalString);
        Assert.Contains("Every other place you were signed in has been signed out.", await (await browser.GetAsync("/admin/password?Changed=True")).Content.ReadAsStringAsync());
        await Staff.AssertSignedInAsync(browser, expected: true);
        await Staff.AssertSignedInAsync(copy, expected: false);
        Assert.Equal(HttpStatusCode.OK, (await Staff.SignInAsync(Staff.Client(App), staff.Email, staff.Password)).StatusCode); // refused
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(Staff.Client(App), staff.Email, "a-brand-new-passphrase")).StatusCode);
    }

    [Fact]
    public async Task APasswordChangeWithTheWrongCurrentPasswordChangesNothing()
    {
        var staff = await Staff.CreateAsync(App, StaffRole.Manager);
        var (browser, cookie) = await Staff.SignedInAsync(App, staff);

        var refused = await ChangePasswordAsync(browser, "not-my-password", "a-brand-new-passphrase");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("That is not your current password.", await refused.Content.ReadAsStringAsync());
        using var copy = Staff.WithCookie(App, cookie);
        await Staff.AssertSignedInAsync(copy, expected: true);
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(Staff.Client(App), staff.Email, staff.Password)).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(StaffRole.Analyst)]
    public async Task ARemovedOrLoweredStaffRoleEndsTheUsersSessions(StaffRole? newRole)
    {
        var staff = await Staff.CreateAsync(App, StaffRole.Manager);
        var (_, cookie) = await Staff.SignedInAsync(App, staff);
        using var copy = Staff.WithCookie(App, cookie);
        await Staff.AssertSignedInAsync(copy, expected: true);

        await ChangeRoleAsync(staff.UserId, newRole);

        await Staff.AssertSignedInAsync(copy, expected: false);
    }

    [Fact]
    public async Task ARaisedStaffRoleKeepsTheSession()
    {
        var staff = await Staff.CreateAsync(App, StaffRole.Analyst);
        var (_, cookie) = await Staff.SignedInAsync(App, staff);
        using var copy = Staff.WithCookie(App, cookie);

        await ChangeRoleAsync(staff.UserId, StaffRole.Manager);

        await Staff.AssertSignedInAsync(copy, expected: true);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/admin/api-keys")).StatusCode); // and acts with the new role
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient browser, string current, string next) =>
        Forms.SubmitAsync(browser, "/admin/password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        });

    /// <summary>What a staff page or API that revokes or changes a role does: through the change tracker.</summary>
    private async Task ChangeRoleAsync(Guid userId, StaffRole? role)
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var member = await db.StaffMembers.IgnoreQueryFilters().SingleAsync(s => s.UserId == userId);
        if (role is { } r) member.Role = r;
        else db.StaffMembers.Remove(member);
        await db.SaveChangesAsync();
    }
}

public sealed class StaffSessionOnSqlite(SqliteApp fixture) : StaffSessionTests(fixture), IClassFixture<SqliteApp>;

public sealed class StaffSessionOnPostgres(PostgresApp fixture) : StaffSessionTests(fixture), IClassFixture<PostgresApp>;
