using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>What one recruit earned their recruiter (the second tier) in one currency: this month and overall, net of refunds.</summary>
public sealed record RecruitEarnings(string Currency, decimal ThisMonth, decimal Overall);

/// <summary>
/// An affiliate someone recruited, as the recruiter may see them: the name, or the email masked when the recruit gave
/// no name; when they joined; and the recruiter's second-tier money from their orders per currency.
/// </summary>
public sealed record Recruit(Guid Id, string Display, DateTime JoinedAt, AffiliateStatus Status, IReadOnlyList<RecruitEarnings> Earnings);

/// <summary>
/// The second tier from the recruiter's side, for the portal. The money is the ledger's (the recruiter's tier-2
/// entries, every bucket, so approvals and payouts net out and refunds count), grouped by the order's credited
/// affiliate; "this month" is the program's month (its time zone), as statements count it.
/// </summary>
public sealed class Recruits(AppDbContext db, ReportService reports)
{
    /// <summary>Whether any plan of the current program pays a second tier. Read in memory: SQLite cannot compare decimals.</summary>
    public static async Task<bool> ProgramHasSecondTierAsync(AppDbContext db, CancellationToken ct) =>
        (await db.CommissionGroups.AsNoTracking().Select(g => g.SecondTierRate).ToListAsync(ct)).Any(r => r > 0m);

    /// <summary>The recruits of <paramref name="recruiterId"/>, newest first.</summary>
    public async Task<IReadOnlyList<Recruit>> OfAsync(Guid recruiterId, CancellationToken ct)
    {
        var recruits = await db.Affiliates.AsNoTracking().Where(a => a.ParentAffiliateId == recruiterId)
            .OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.Name, a.Email, a.CreatedAt, a.Status }).ToListAsync(ct);
        var today = await reports.TodayAsync(ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await reports.TimeZoneIdAsync(ct));
        var month = ReportCalendar.MonthStart(today);
        var (fromUtc, toUtc) = ReportCalendar.UtcRange(month, month.AddMonths(1).AddDays(-1), zone);
        var entries = await db.Ledger.AsNoTracking().Where(e => e.AffiliateId == recruiterId && e.Tier == 2 && e.OrderId != null)
            .Join(db.Orders.AsNoTracking(), e => e.OrderId, o => o.Id, (e, o) => new { Recruit = o.AffiliateId, e.Currency, e.Amount, e.At })
            .ToListAsync(ct);
        return recruits.Select(r => new Recruit(r.Id, string.IsNullOrWhiteSpace(r.Name) ? MaskEmail(r.Email) : r.Name, r.CreatedAt, r.Status,
            entries.Where(e => e.Recruit == r.Id).GroupBy(e => e.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RecruitEarnings(g.Key, g.Where(e => e.At >= fromUtc && e.At < toUtc).Sum(e => e.Amount), g.Sum(e => e.Amount)))
                .ToList())).ToList();
    }

    /// <summary><c>an***@example.com</c>: enough to recognise, not enough to write to.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0) return "***";
        var local = email[..at];
        return (local.Length <= 2 ? local[..1] : local[..2]) + "***" + email[at..];
    }
}
