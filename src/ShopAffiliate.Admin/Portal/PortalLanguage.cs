using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Portal;

/// <summary>
/// An affiliate's language choice, kept on their affiliate rows so mail sent while they are away (a decision, a
/// statement) is written in it too; the cookie alone only reaches pages.
/// </summary>
public static class PortalLanguage
{
    public static async Task RememberAsync(HttpContext http, AppDbContext db, string culture)
    {
        // The switcher's POST carries whichever cookies the person has: only a portal session names an affiliate.
        var session = await http.AuthenticateAsync(PortalSession.Scheme);
        if (!session.Succeeded || PortalSession.UserId(session.Principal) is not { } userId) return;
        await db.Affiliates.IgnoreQueryFilters().Where(a => a.UserId == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Language, culture), http.RequestAborted);
    }
}
