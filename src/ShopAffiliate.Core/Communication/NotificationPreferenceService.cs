using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;

namespace ShopAffiliate.Core.Communication;

/// <summary>The affiliate's choice of non-essential mail, as the portal shows it: their flags, all off while the address is unsubscribed.</summary>
public sealed record NotificationChoice(bool Announcements, bool CommissionEarned, bool MonthlyStatement);

public sealed class NotificationPreferenceService(AppDbContext db, TimeProvider clock)
{
    public async Task<NotificationChoice> GetAsync(Guid affiliateId, string email, CancellationToken ct)
    {
        var address = email.Trim().ToLowerInvariant();
        if (await db.EmailSuppressions.AnyAsync(s => s.Email == address, ct)) return new(false, false, false);
        var own = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.AffiliateId == affiliateId, ct);
        return own is null ? new(true, true, true) : new(own.Announcements, own.CommissionEarned, own.MonthlyStatement);
    }

    /// <summary>Stores the choice; the address's one-click unsubscribe is lifted, since the choice now says what it wants.</summary>
    public async Task SetAsync(Guid affiliateId, string email, NotificationChoice choice, CancellationToken ct)
    {
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Enter the program first.");
        var address = email.Trim().ToLowerInvariant();
        var own = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.AffiliateId == affiliateId, ct);
        if (own is null) db.NotificationPreferences.Add(own = new NotificationPreferences { WorkspaceId = workspace, AffiliateId = affiliateId });
        own.Announcements = choice.Announcements;
        own.CommissionEarned = choice.CommissionEarned;
        own.MonthlyStatement = choice.MonthlyStatement;
        own.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        db.EmailSuppressions.RemoveRange(await db.EmailSuppressions.Where(s => s.Email == address).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>False when the affiliate of <paramref name="email"/> in the program turned <paramref name="kind"/> off (for the mailer).</summary>
    public static async Task<bool> WantsAsync(AppDbContext db, Guid workspaceId, string email, EmailKind kind, CancellationToken ct)
    {
        var prefs = from p in db.NotificationPreferences.IgnoreQueryFilters()
                    join a in db.Affiliates.IgnoreQueryFilters() on p.AffiliateId equals a.Id
                    where p.WorkspaceId == workspaceId && a.WorkspaceId == workspaceId && a.Email == email
                    select p;
        return kind switch
        {
            EmailKind.Announcement => !await prefs.AnyAsync(p => !p.Announcements, ct),
            EmailKind.CommissionEarned => !await prefs.AnyAsync(p => !p.CommissionEarned, ct),
            EmailKind.MonthlyStatement => !await prefs.AnyAsync(p => !p.MonthlyStatement, ct),
            _ => true,
        };
    }
}
