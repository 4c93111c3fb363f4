using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Core.Workspaces;

/// <summary>A staff member as the staff page lists them.</summary>
public sealed record StaffRow(Guid Id, Guid UserId, string Email, string? Name, StaffRole Role, DateTime? LastSignInAt);

/// <summary>An invitation found by its token: the program it is for and whether the address has an account.</summary>
public sealed record InvitationView(StaffInvitation Invitation, string ProgramName, bool HasAccount);

/// <summary>
/// A program's staff: invite by email (an outbox mail with a single-use link that expires), change a role, remove
/// someone, accept an invitation. The program never loses its last owner. Every step is audited in the same save; a
/// lowered or removed role ends that person's sessions (<see cref="StaffRevocationInterceptor"/>).
/// </summary>
public sealed class StaffService(AppDbContext db, AuditTrail audit, Mailer mailer, UserManager<AppUser> users, TimeProvider clock)
{
    public const int InvitationDays = 7;

    public const string LastOwner = "The program needs at least one owner: make someone else an owner first.";

    public async Task<List<StaffRow>> ListAsync(CancellationToken ct) => await (
        from s in db.StaffMembers
        join u in db.Users on s.UserId equals u.Id
        orderby s.Role, u.Email
        select new StaffRow(s.Id, u.Id, u.Email ?? "", u.DisplayName, s.Role, u.LastSignInAt)).ToListAsync(ct);

    /// <summary>Invitations not accepted yet, newest first (expired ones too, so staff see why a link failed).</summary>
    public Task<List<StaffInvitation>> PendingAsync(CancellationToken ct) =>
        db.StaffInvitations.AsNoTracking().Where(i => i.AcceptedAt == null).OrderByDescending(i => i.CreatedAt).ToListAsync(ct);

    /// <summary>Invites <paramref name="email"/>; a pending invitation to the same address is replaced.</summary>
    public async Task<StaffInvitation> InviteAsync(Guid workspaceId, string? email, StaffRole role, Guid? inviter, string culture, CancellationToken ct)
    {
        var address = (email ?? "").Trim().ToLowerInvariant();
        if (address.Length is 0 or > 256 || !address.Contains('@', StringComparison.Ordinal) || address.StartsWith('@') || address.EndsWith('@'))
            throw ValidationFailedException.For("email", "Enter the email address of the person you invite.");
        if (!Enum.IsDefined(role)) throw ValidationFailedException.For("role", "Choose Owner, Manager or Analyst.");
        if (await users.FindByEmailAsync(address) is { } existing && await db.StaffMembers.AnyAsync(s => s.UserId == existing.Id, ct))
            throw new ConflictException("That person is already on the staff of this program.");

        foreach (var old in await db.StaffInvitations.Where(i => i.Email == address && i.AcceptedAt == null).ToListAsync(ct)) db.StaffInvitations.Remove(old);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var invitation = new StaffInvitation
        {
            WorkspaceId = workspaceId, Email = address, Role = role, TokenHash = HashOf(token), ExpiresAt = now.AddDays(InvitationDays), InvitedBy = inviter,
        };
        db.StaffInvitations.Add(invitation);
        audit.Record(AuditActions.StaffInvited, invitation);
        await mailer.EnqueueAsync(db, new MailRequest(workspaceId, EmailKind.StaffInvitation, address, address, invitation.Id.ToString(),
            new Dictionary<string, string>
            {
                ["role"] = RoleName(role, culture), ["link"] = $"{mailer.AdminUrl}/invitation/{token}",
                ["days"] = InvitationDays.ToString(CultureInfo.InvariantCulture),
            }, culture), ct);
        await db.SaveChangesAsync(ct);
        return invitation;
    }

    public async Task RevokeInvitationAsync(Guid id, CancellationToken ct)
    {
        var invitation = await db.StaffInvitations.FirstOrDefaultAsync(i => i.Id == id && i.AcceptedAt == null, ct)
            ?? throw new NotFoundException("No open invitation with that id.");
        db.StaffInvitations.Remove(invitation);
        audit.Record(AuditActions.StaffInvitationRevoked, invitation);
        await db.SaveChangesAsync(ct);
    }

    public async Task ChangeRoleAsync(Guid staffId, StaffRole role, CancellationToken ct)
    {
        if (!Enum.IsDefined(role)) throw ValidationFailedException.For("role", "Choose Owner, Manager or Analyst.");
        await using var tx = await OwnersLockedAsync(ct);
        var member = await db.StaffMembers.FirstOrDefaultAsync(s => s.Id == staffId, ct) ?? throw new NotFoundException("No staff member with that id.");
        if (member.Role == role) return;
        await KeepAnOwnerAsync(member, ct);
        member.Role = role;
        audit.Record(AuditActions.StaffRoleChanged, member);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task RemoveAsync(Guid staffId, CancellationToken ct)
    {
        await using var tx = await OwnersLockedAsync(ct);
        var member = await db.StaffMembers.FirstOrDefaultAsync(s => s.Id == staffId, ct) ?? throw new NotFoundException("No staff member with that id.");
        await KeepAnOwnerAsync(member, ct);
        db.StaffMembers.Remove(member);
        audit.Record(AuditActions.StaffRemoved, member);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The invitation the emailed token names, when it is still open; null when unknown, used or expired.</summary>
    public async Task<InvitationView?> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        var hash = HashOf(token.Trim());
        var now = clock.GetUtcNow().UtcDateTime;
        var invitation = await db.StaffInvitations.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.AcceptedAt == null && i.ExpiresAt > now, ct);
        if (invitation is null) return null;
        var name = await db.Workspaces.Where(w => w.Id == invitation.WorkspaceId).Select(w => w.Name).FirstAsync(ct);
        return new InvitationView(invitation, name, await users.FindByEmailAsync(invitation.Email) is not null);
    }

    /// <summary>
    /// Spends the invitation: the person joins the staff in its role, with their existing account (its password must
    /// match) or a new one with <paramref name="password"/>. Returns the account to sign in, or null for a wrong password.
    /// </summary>
    public async Task<AppUser?> AcceptAsync(string token, string password, string? name, CancellationToken ct)
    {
        var view = await FindAsync(token, ct) ?? throw new NotFoundException("This invitation is used, expired or unknown.");
        var invitation = await db.StaffInvitations.IgnoreQueryFilters().FirstAsync(i => i.Id == view.Invitation.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByEmailAsync(invitation.Email);
        if (user is null)
        {
            user = new AppUser { UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true, DisplayName = string.IsNullOrWhiteSpace(name) ? null : name.Trim() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new ValidationFailedException(string.Join(" ", created.Errors.Select(e => e.Description)),
                    new Dictionary<string, string[]> { ["password"] = created.Errors.Select(e => e.Description).ToArray() });
            }
        }
        else if (await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return null;
        }
        invitation.AcceptedAt = clock.GetUtcNow().UtcDateTime;
        if (!await db.StaffMembers.IgnoreQueryFilters().AnyAsync(s => s.WorkspaceId == invitation.WorkspaceId && s.UserId == user.Id, ct))
        {
            var member = new StaffMember { WorkspaceId = invitation.WorkspaceId, UserId = user.Id, Role = invitation.Role };
            db.StaffMembers.Add(member);
            audit.Record(AuditActions.StaffJoined, member);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>Refuses (409) to take the owner role from the program's only owner.</summary>
    /// <summary>
    /// A transaction that holds the program's row locked (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
    /// SQLite) until it ends, so two owners demoting or removing each other at once are checked one after the other: the
    /// second sees the first's change and is refused, and the program keeps an owner.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> OwnersLockedAsync(CancellationToken ct)
    {
        var ws = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Staff changes need the program (the tenant) set.");
        var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Workspaces.IgnoreQueryFilters().Where(w => w.Id == ws).ExecuteUpdateAsync(w => w.SetProperty(x => x.Name, x => x.Name), ct);
        return tx;
    }

    private async Task KeepAnOwnerAsync(StaffMember member, CancellationToken ct)
    {
        if (member.Role == StaffRole.Owner && await db.StaffMembers.CountAsync(s => s.Role == StaffRole.Owner, ct) <= 1)
            throw new ConflictException(LastOwner);
    }

    private static string RoleName(StaffRole role, string culture) => (culture, role) switch
    {
        ("da", StaffRole.Owner) => "ejer",
        ("da", StaffRole.Manager) => "manager",
        ("da", StaffRole.Analyst) => "analytiker",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
