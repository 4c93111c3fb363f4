using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Identity;

/// <summary>
/// The staff list's "last sign-in": every way the admin cookie is issued to a person records it here (the password
/// form, accepting an invitation, the set-up page, the WooCommerce launch link). A set-based write, so the principal
/// just issued stays as it is. Inside the Shopify admin nobody signs in: the session token signs each request and
/// names no account of ours (ADR 0032), so there is no one to record.
/// </summary>
public static class StaffSignIn
{
    public static Task<int> RecordAsync(AppDbContext db, Guid userId, DateTime at, CancellationToken ct = default) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInAt, at), ct);
}
