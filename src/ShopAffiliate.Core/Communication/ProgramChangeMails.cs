using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;

namespace ShopAffiliate.Core.Communication;

/// <summary>
/// The essential mails of a change to the program's rules: new terms (every approved affiliate) and a changed
/// commission rate (a group's approved affiliates). Enqueued into the caller's unit of work: call before your
/// SaveChanges, so the mail is stored with the change. Keyed by the change, so a repeat mails nobody twice.
/// </summary>
public sealed class ProgramChangeMails(AppDbContext db, Mailer mailer)
{
    /// <summary>Every approved affiliate of the current program is asked to read and accept terms version <paramref name="version"/>.</summary>
    public async Task<int> TermsChangedAsync(int version, CancellationToken ct)
    {
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Enter the program first.");
        var affiliates = await db.Affiliates.AsNoTracking().Where(a => a.Status == AffiliateStatus.Approved && a.ErasedAt == null)
            .Select(a => new { a.Id, a.Email, a.Name, a.Language }).ToListAsync(ct);
        var queued = 0;
        foreach (var a in affiliates)
        {
            if (await mailer.EnqueueAsync(db, new MailRequest(workspace, EmailKind.TermsChanged, a.Email, a.Name, $"{version}:{a.Id:N}",
                    new Dictionary<string, string> { ["termsVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["portalUrl"] = mailer.PortalUrl }, a.Language), ct))
                queued++;
        }
        return queued;
    }

    /// <summary>
    /// For the groups page: the approved affiliates of group <paramref name="groupId"/> (the default group also holds
    /// those without a group) are told their rate changes from <paramref name="oldRate"/> to <paramref name="newRate"/>
    /// (as the page shows rates, e.g. "10 %"). <paramref name="changeKey"/> names the change (e.g. the group's new
    /// revision), so the same change is mailed once.
    /// </summary>
    public async Task<int> CommissionRateChangedAsync(Guid groupId, string oldRate, string newRate, string changeKey, CancellationToken ct)
    {
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Enter the program first.");
        var group = await db.CommissionGroups.AsNoTracking().Where(g => g.Id == groupId).Select(g => new { g.Id, g.IsDefault }).FirstOrDefaultAsync(ct)
            ?? throw new Errors.NotFoundException("No such commission group in this program.");
        var members = db.Affiliates.AsNoTracking().Where(a => a.Status == AffiliateStatus.Approved && a.ErasedAt == null);
        members = group.IsDefault ? members.Where(a => a.GroupId == group.Id || a.GroupId == null) : members.Where(a => a.GroupId == group.Id);
        var queued = 0;
        foreach (var a in await members.Select(a => new { a.Id, a.Email, a.Name, a.Language }).ToListAsync(ct))
        {
            if (await mailer.EnqueueAsync(db, new MailRequest(workspace, EmailKind.CommissionRateChanged, a.Email, a.Name, $"{group.Id:N}:{changeKey}:{a.Id:N}",
                    new Dictionary<string, string> { ["oldRate"] = oldRate, ["newRate"] = newRate }, a.Language), ct))
                queued++;
        }
        return queued;
    }
}
