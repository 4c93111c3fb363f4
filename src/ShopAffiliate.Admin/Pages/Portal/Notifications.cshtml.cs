using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// Which non-essential mail the affiliate gets from this program (ADR 0037): announcements, commission earned, the
/// monthly statement. The one-click unsubscribe shows here as all off; saving the form replaces it with this choice.
/// Every sender goes through the mailer, which checks the same state.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class NotificationsModel(AppDbContext db, TenantContext tenant, NotificationPreferenceService preferences, IStringLocalizer<PortalText> text)
    : PortalPageModel(db, tenant)
{
    [BindProperty] public bool Announcements { get; set; }
    [BindProperty] public bool CommissionEarned { get; set; }
    [BindProperty] public bool MonthlyStatement { get; set; }

    /// <summary>The address used a one-click unsubscribe link (and nothing was chosen since).</summary>
    public bool Unsubscribed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var address = Current.Affiliate.Email.Trim().ToLowerInvariant();
        Unsubscribed = await Db.EmailSuppressions.AnyAsync(s => s.Email == address, ct);
        var choice = await preferences.GetAsync(Current.Affiliate.Id, Current.Affiliate.Email, ct);
        (Announcements, CommissionEarned, MonthlyStatement) = (choice.Announcements, choice.CommissionEarned, choice.MonthlyStatement);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await preferences.SetAsync(Current.Affiliate.Id, Current.Affiliate.Email, new NotificationChoice(Announcements, CommissionEarned, MonthlyStatement), ct);
        TempData.SetStatus(StatusKind.Success, text["Saved. We send you only the emails you chose."]);
        return Redirect($"/portal/p/{Current.Workspace.Slug}/notifications");
    }
}
