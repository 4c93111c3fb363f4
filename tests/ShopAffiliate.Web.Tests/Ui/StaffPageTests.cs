using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>/admin/settings/staff and the invitation link over HTTP: owners only, the last owner kept, every step audited.</summary>
public abstract partial class StaffPageTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Theory]
    [InlineData(StaffRole.Manager)]
    [InlineData(StaffRole.Analyst)]
    public async Task OnlyAnOwnerOpensThePageOrPostsItsFormsAndOnlyAnOwnerIsOfferedIt(StaffRole role)
    {
        var program = await NewProgram.CreateAsync(App, "Staff Roles " + role);
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        var (other, _) = await Staff.SignedInAsync(App, await program.StaffAsync(role));
        var url = $"/admin/settings/staff?ws={program.WorkspaceId}";
        var token = await Forms.TokenAsync(other, $"/admin/settings?ws={program.WorkspaceId}");

        var page = await other.GetAsync(url);
        var invite = await Forms.PostAsync(other, url + "&handler=Invite", new Dictionary<string, string> { ["Email"] = "sneaky@example.com", ["Role"] = "Owner" }, token);
        var settings = await other.GetStringAsync($"/admin/settings?ws={program.WorkspaceId}");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        Assert.DoesNotContain("/admin/settings/staff", settings);
        Assert.Contains("/admin/settings/staff", await owner.GetStringAsync($"/admin/settings?ws={program.WorkspaceId}"));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(url)).StatusCode);
        Assert.Equal(0, await DbAsync(program, db => db.StaffInvitations.CountAsync()));
    }

    [Fact]
    public async Task AnInvitedNewPersonSetsAPasswordJoinsInTheRoleAndTheLinkThenNoLongerWorks()
    {
        var program = await NewProgram.CreateAsync(App, "Staff Invite");
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        var email = $"new.{Guid.NewGuid():N}@example.com";

        var invited = await Forms.SubmitAsync(owner, $"/admin/settings/staff?ws={program.WorkspaceId}", new Dictionary<string, string> { ["Email"] = email, ["Role"] = "Manager" },
            $"/admin/settings/staff?ws={program.WorkspaceId}&handler=Invite");
        var link = await InvitationLinkAsync(program, email);
        var visitor = Staff.Client(App);
        var joined = await Forms.SubmitAsync(visitor, link, new Dictionary<string, string> { ["Name"] = "Nina", ["Password"] = "a-new-staff-passphrase", ["ConfirmPassword"] = "a-new-staff-passphrase" });

        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal($"/admin?ws={program.WorkspaceId}", joined.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/admin/affiliates?ws={program.WorkspaceId}")).StatusCode); // signed in, as staff
        var member = await DbAsync(program, db => db.StaffMembers.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == email)).SingleAsync());
        Assert.Equal(StaffRole.Manager, member.Role);
        // Joining signs them in, and the staff list's "last sign-in" says so (not only a password sign-in counts).
        Assert.NotNull(await DbAsync(program, db => db.Users.Where(u => u.Email == email).Select(u => u.LastSignInAt).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await Staff.Client(App).GetAsync(link)).StatusCode); // used
        var actions = await DbAsync(program, db => db.AuditEntries.Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditActions.StaffInvited, actions);
        Assert.Contains(AuditActions.StaffJoined, actions);
        var list = await owner.GetStringAsync($"/admin/settings/staff?ws={program.WorkspaceId}");
        Assert.Contains(email, list);
        Assert.DoesNotContain("data-testid=\"invitation-row\"", list);
    }

    [Fact]
    public async Task AnExistingAccountJoinsWithItsOwnPasswordAndAWrongOneJoinsNothing()
    {
        var program = await NewProgram.CreateAsync(App, "Staff Existing");
        var elsewhere = await NewProgram.CreateAsync(App, "Staff Elsewhere");
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        await Forms.SubmitAsync(owner, $"/admin/settings/staff?ws={program.WorkspaceId}", new Dictionary<string, string> { ["Email"] = elsewhere.Owner.Email, ["Role"] = "Analyst" },
            $"/admin/settings/staff?ws={program.WorkspaceId}&handler=Invite");
        var link = await InvitationLinkAsync(program, elsewhere.Owner.Email);

        var page = WebUtility.HtmlDecode(await Staff.Client(App).GetStringAsync(link));
        var wrong = await Forms.SubmitAsync(Staff.Client(App), link, new Dictionary<string, string> { ["Password"] = "not-the-password" });
        var right = await Forms.SubmitAsync(Staff.Client(App), link, new Dictionary<string, string> { ["Password"] = elsewhere.Owner.Password });

        Assert.Contains("You already have an account", page);
        Assert.Equal((HttpStatusCode)422, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(StaffRole.Analyst, await DbAsync(program, db => db.StaffMembers.Where(s => s.UserId == elsewhere.Owner.UserId).Select(s => s.Role).SingleAsync()));
    }

    [Fact]
    public async Task AnExpiredInvitationIsRefused()
    {
        var program = await NewProgram.CreateAsync(App, "Staff Expired");
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        var email = $"late.{Guid.NewGuid():N}@example.com";
        await Forms.SubmitAsync(owner, $"/admin/settings/staff?ws={program.WorkspaceId}", new Dictionary<string, string> { ["Email"] = email, ["Role"] = "Manager" },
            $"/admin/settings/staff?ws={program.WorkspaceId}&handler=Invite");
        var link = await InvitationLinkAsync(program, email);
        await DbAsync(program, db => db.StaffInvitations.Where(i => i.Email == email).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

        var page = await Staff.Client(App).GetAsync(link);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("used, expired or not known", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheLastOwnerCannotBeDemotedOrRemovedButWithASecondOwnerTheChangeIsMadeAndAudited()
    {
        var program = await NewProgram.CreateAsync(App, "Staff Owner");
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        var url = $"/admin/settings/staff?ws={program.WorkspaceId}";
        var me = await DbAsync(program, db => db.StaffMembers.Where(s => s.UserId == program.Owner.UserId).Select(s => s.Id).SingleAsync());
        var token = await Forms.TokenAsync(owner, url);

        var demoted = await Forms.PostAsync(owner, url + "&handler=Role", new Dictionary<string, string> { ["staffId"] = me.ToString(), ["role"] = "Manager" }, token);
        var removed = await Forms.PostAsync(owner, url + "&handler=Remove", new Dictionary<string, string> { ["staffId"] = me.ToString() }, token);
        var second = await program.StaffAsync(StaffRole.Manager);
        var secondRow = await DbAsync(program, db => db.StaffMembers.Where(s => s.UserId == second.UserId).Select(s => s.Id).SingleAsync());
        var promoted = await Forms.PostAsync(owner, url + "&handler=Role", new Dictionary<string, string> { ["staffId"] = secondRow.ToString(), ["role"] = "Owner" }, token);
        var demotedNow = await Forms.PostAsync(owner, url + "&handler=Role", new Dictionary<string, string> { ["staffId"] = me.ToString(), ["role"] = "Manager" }, token);

        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);
        Assert.Contains("The program needs at least one owner", WebUtility.HtmlDecode(await demoted.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Conflict, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, demotedNow.StatusCode);
        var change = await DbAsync(program, db => db.AuditEntries.Where(e => e.Action == AuditActions.StaffRoleChanged && e.EntityId == me.ToString()).SingleAsync());
        Assert.Contains("Owner", change.Before);
        Assert.Contains("Manager", change.After);
        Staff.AssertSentToSignIn(await owner.GetAsync(url)); // a lowered role ends the session (ADR 0013)
    }

    [Fact]
    public async Task TwoOwnersDemotingOrRemovingEachOtherAtTheSameMomentLeaveOneOwner()
    {
        var program = await NewProgram.CreateAsync(App, "Staff Race");
        var second = await program.StaffAsync(StaffRole.Owner);
        var rows = await DbAsync(program, db => db.StaffMembers.Where(s => s.UserId == program.Owner.UserId || s.UserId == second.UserId).Select(s => s.Id).ToListAsync());
        Assert.Equal(2, rows.Count);
        for (var round = 0; round < 8; round++)
        {
            // Each owner lowers (or, every other round, removes) the other, both at once, each through its own request scope.
            var remove = round % 2 == 1;
            var outcomes = await Task.WhenAll(rows.Select(async (row, i) =>
            {
                await using var scope = App.Scope(program.WorkspaceId);
                var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
                var other = rows[1 - i];
                try
                {
                    if (remove) await staff.RemoveAsync(other, CancellationToken.None);
                    else await staff.ChangeRoleAsync(other, StaffRole.Manager, CancellationToken.None);
                    return "done";
                }
                catch (Core.Errors.ConflictException e)
                {
                    Assert.Equal(StaffService.LastOwner, e.Message);
                    return "refused";
                }
            }));

            Assert.Equal(["done", "refused"], outcomes.Order());
            Assert.Equal(1, await DbAsync(program, db => db.StaffMembers.CountAsync(s => s.Role == StaffRole.Owner)));
            // Back to two owners for the next round.
            await DbAsync(program, async db =>
            {
                var kept = await db.StaffMembers.SingleAsync(s => s.Role == StaffRole.Owner);
                var lost = rows.Single(r => r != kept.Id);
                if (await db.StaffMembers.FindAsync(lost) is { } demoted) demoted.Role = StaffRole.Owner;
                else db.StaffMembers.Add(new StaffMember { Id = lost, WorkspaceId = program.WorkspaceId, UserId = kept.UserId == program.Owner.UserId ? second.UserId : program.Owner.UserId, Role = StaffRole.Owner });
                return await db.SaveChangesAsync();
            });
        }
    }

    [Fact]
    public async Task ARemovedStaffMembersSessionEndsAtOnce()
    {
        var program = await NewProgram.CreateAsync(App, "Staff Remove");
        var (owner, _) = await Staff.SignedInAsync(App, program.Owner);
        var login = await program.StaffAsync(StaffRole.Manager);
        var (manager, _) = await Staff.SignedInAsync(App, login);
        var row = await DbAsync(program, db => db.StaffMembers.Where(s => s.UserId == login.UserId).Select(s => s.Id).SingleAsync());
        var url = $"/admin/settings/staff?ws={program.WorkspaceId}";

        var removed = await Forms.PostAsync(owner, url + "&handler=Remove", new Dictionary<string, string> { ["staffId"] = row.ToString() }, await Forms.TokenAsync(owner, url));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Staff.AssertSentToSignIn(await manager.GetAsync($"/admin/affiliates?ws={program.WorkspaceId}"));
        Assert.Equal(1, await DbAsync(program, db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.StaffRemoved)));
    }

    /// <summary>The accept link in the invitation mail the outbox holds for <paramref name="email"/>, as a path.</summary>
    private async Task<string> InvitationLinkAsync(NewProgram program, string email)
    {
        var payload = await DbAsync(program, db => db.OutboxMessages.IgnoreQueryFilters()
            .Where(m => m.Topic == "StaffInvitation" && m.Recipient == email.ToLowerInvariant()).Select(m => m.Payload).SingleAsync());
        return new Uri(LinkPattern().Match(payload).Value).PathAndQuery;
    }

    private async Task<T> DbAsync<T>(NewProgram program, Func<AppDbContext, Task<T>> read)
    {
        await using var scope = App.Scope(program.WorkspaceId);
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [GeneratedRegex("https?://[^\\s\"\\\\]+/admin/invitation/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}

public sealed class StaffPageOnSqlite(SqliteApp fixture) : StaffPageTests(fixture), IClassFixture<SqliteApp>;

public sealed class StaffPageOnPostgres(PostgresApp fixture) : StaffPageTests(fixture), IClassFixture<PostgresApp>;
