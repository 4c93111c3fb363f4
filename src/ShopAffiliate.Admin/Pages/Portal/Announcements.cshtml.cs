using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The announcements the program sent this affiliate (those whose segment held them when it was sent), newest first.
/// Opening the page changes nothing (ADR 0036's rule for messages): an announcement is read when the affiliate presses
/// its button, or the one for all of them.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class AnnouncementsModel(AppDbContext db, TenantContext tenant, AnnouncementService announcements)
    : PortalPageModel(db, tenant)
{
    public const int Shown = 100;

    public IReadOnlyList<AnnouncementService.Received> Items { get; private set; } = [];
    public int Unread => Items.Count(i => i.ReadAt is null);

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        Items = await announcements.ForAffiliateAsync(Current.Affiliate.Id, Shown, ct);
        return Page();
    }

    /// <summary>Marks one announcement read (<paramref name="announcementId"/>), or all of them; one not sent to this affiliate is not found.</summary>
    public async Task<IActionResult> OnPostReadAsync(string slug, Guid? announcementId, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var me = Current.Affiliate.Id;
        if (announcementId is { } id && !await Db.AnnouncementRecipients.AnyAsync(r => r.AffiliateId == me && r.AnnouncementId == id, ct)) return NotFound();
        await announcements.MarkReadAsync(me, announcementId, ct);
        return Redirect($"/portal/p/{Current.Workspace.Slug}/announcements" + (announcementId is { } read ? $"#a-{read:N}" : ""));
    }
}
