using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Workspaces;

/// <summary>The steps of setting up a program, each done or not; the overview shows them until all are done.</summary>
public sealed record SetupChecklist(bool ShopConnected, bool CommissionSet, bool ProgramPagePublished, bool AffiliateAdded)
{
    public int Done => (ShopConnected ? 1 : 0) + (CommissionSet ? 1 : 0) + (ProgramPagePublished ? 1 : 0) + (AffiliateAdded ? 1 : 0);
    public int Total => 4;
    public bool Complete => Done == Total;
}

/// <summary>What needs the merchant now, as counts; each is a task on the overview while it is above zero.</summary>
public sealed record ProgramTasks(int ApplicationsToReview, int CommissionsHeldForReview, int CouponsOutOfSync, int ShopsWithAProblem,
    int OpenDisputes = 0, int UnreadMessages = 0)
{
    public bool Any => ApplicationsToReview + CommissionsHeldForReview + CouponsOutOfSync + ShopsWithAProblem + OpenDisputes + UnreadMessages > 0;
}

/// <summary>
/// The set-up checklist and the task list of the current program (the tenant the request entered). Counts only: the
/// figures (revenue, commission...) come from <see cref="Reports.ReportService"/>.
/// </summary>
public sealed class ProgramOverview(AppDbContext db, ShopHealthService shops)
{
    public async Task<SetupChecklist> ChecklistAsync(Guid workspaceId, CancellationToken ct)
    {
        var shop = await db.Shops.AnyAsync(s => s.Status == ShopStatus.Active, ct);
        // The commission is "set" once the merchant saved the program's rules or made a commission group: the
        // built-in 10% default alone is not a decision anyone took.
        var commission = await db.WorkspaceSettings.AnyAsync(s => s.WorkspaceId == workspaceId, ct) || await db.CommissionGroups.AnyAsync(ct);
        // Published once the merchant saved the program page and it takes applications (the public page shows defaults before).
        var page = await db.ProgramPages.AnyAsync(p => p.AcceptingApplications, ct);
        var affiliate = await db.Affiliates.AnyAsync(ct);
        return new SetupChecklist(shop, commission, page, affiliate);
    }

    public async Task<ProgramTasks> TasksAsync(CancellationToken ct) => new(
        await db.Affiliates.CountAsync(a => a.Status == AffiliateStatus.Pending, ct),
        await db.Commissions.CountAsync(c => c.HeldForReview && c.Status == CommissionStatus.Pending, ct),
        await db.CouponSyncs.CountAsync(s => s.Status == CouponSyncStatus.Failed || s.Status == CouponSyncStatus.Taken, ct),
        // Disconnected, refusing our access, a failed step, or webhook deliveries failing in the last 24 hours.
        (await shops.ListAsync(ct)).Count(s => s.HasProblem),
        await db.Disputes.CountAsync(d => d.Status == Disputes.DisputeStatus.Open, ct),
        await db.AffiliateMessages.CountAsync(m => m.Author == Disputes.DisputeAuthor.Affiliate && m.ReadAt == null, ct));
}
