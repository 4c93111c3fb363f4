using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>The columns the affiliates list sorts by.</summary>
public enum AffiliateSort { Created, Name, Status, Clicks, Orders, Revenue, Commission, Epc }

/// <summary>What the list shows: a search over name, email and code; a status; a group (<see cref="Guid.Empty"/> = the default group).</summary>
public sealed record AffiliateFilter(string? Search, AffiliateStatus? Status, Guid? GroupId);

/// <summary>
/// One affiliate with their figures over a period, in one currency (minor units, as the rollups keep them). A class with
/// settable members rather than a record, so EF Core can sort and page by any of them in SQL.
/// </summary>
public sealed class AffiliateListRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string ReferralCode { get; init; } = "";
    public AffiliateStatus Status { get; init; }
    public Guid? GroupId { get; init; }
    public string? GroupName { get; init; }
    public DateTime CreatedAt { get; init; }
    public long Clicks { get; init; }
    public long UniqueClicks { get; init; }
    public long Orders { get; init; }
    public long RevenueMinor { get; init; }
    public long CommissionMinor { get; init; }

    /// <summary>Commission per unique click, in millionths of a minor unit (an integer SQL can sort on both databases).</summary>
    public long EpcMicros { get; init; }
}

/// <summary>
/// The admin's affiliates list: filters, sort and page in SQL, the figures summed from the daily rollups in the same
/// query (ADR 0019), so a page of 25 costs one count and one select whatever the program's size.
/// </summary>
public sealed class AffiliateDirectory(AppDbContext db)
{
    public async Task<PagedResult<AffiliateListRow>> PageAsync(
        AffiliateFilter filter, ReportPeriod period, string currency, AffiliateSort sort, bool descending, PageRequest page, CancellationToken ct) =>
        await Sorted(Rows(filter, period, currency), sort, descending).ToPageAsync(page, ct);

    /// <summary>Every row the filter matches, in the list's order: for the CSV export.</summary>
    public IAsyncEnumerable<AffiliateListRow> AllAsync(
        AffiliateFilter filter, ReportPeriod period, string currency, AffiliateSort sort, bool descending) =>
        Sorted(Rows(filter, period, currency), sort, descending).AsAsyncEnumerable();

    private IQueryable<AffiliateListRow> Rows(AffiliateFilter filter, ReportPeriod period, string currency)
    {
        var affiliates = db.Affiliates.AsNoTracking();
        if (filter.Status is { } status) affiliates = affiliates.Where(a => a.Status == status);
        if (filter.GroupId is { } group)
            affiliates = group == Guid.Empty ? affiliates.Where(a => a.GroupId == null) : affiliates.Where(a => a.GroupId == group);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Emails and codes are stored lowercase; names are compared lowercased.
            var term = filter.Search.Trim().ToLowerInvariant();
            affiliates = affiliates.Where(a => a.Name.ToLower().Contains(term) || a.Email.Contains(term) || a.ReferralCode.Contains(term));
        }
        // Click rows carry no currency (""); order rows the order's. Rows of other currencies are not added in.
        var sums =
            from r in db.DailyRollups.AsNoTracking()
            where r.AffiliateId != Guid.Empty && r.Day >= period.From && r.Day <= period.To && (r.Currency == currency || r.Currency == "")
            group r by r.AffiliateId into g
            select new
            {
                AffiliateId = g.Key,
                Clicks = g.Sum(r => r.Clicks),
                UniqueClicks = g.Sum(r => r.UniqueClicks),
                Orders = g.Sum(r => r.Orders),
                Revenue = g.Sum(r => r.RevenueMinor),
                Commission = g.Sum(r => r.CommissionMinor),
            };
        return
            from a in affiliates
            join s in sums on a.Id equals s.AffiliateId into figures
            from s in figures.DefaultIfEmpty()
            join g in db.Set<CommissionGroup>().AsNoTracking() on a.GroupId equals (Guid?)g.Id into groups
            from g in groups.DefaultIfEmpty()
            select new AffiliateListRow
            {
                Id = a.Id,
                Name = a.Name,
                Email = a.Email,
                ReferralCode = a.ReferralCode,
                Status = a.Status,
                GroupId = a.GroupId,
                GroupName = g == null ? null : g.Name,
                CreatedAt = a.CreatedAt,
                // Nullable casts: the left join's columns are NULL for an affiliate without figures.
                Clicks = (long?)s.Clicks ?? 0,
                UniqueClicks = (long?)s.UniqueClicks ?? 0,
                Orders = (long?)s.Orders ?? 0,
                RevenueMinor = (long?)s.Revenue ?? 0,
                CommissionMinor = (long?)s.Commission ?? 0,
                EpcMicros = ((long?)s.UniqueClicks ?? 0) == 0 ? 0 : ((long?)s.Commission ?? 0) * 1_000_000 / ((long?)s.UniqueClicks ?? 1),
            };
    }

    private static IQueryable<AffiliateListRow> Sorted(IQueryable<AffiliateListRow> rows, AffiliateSort sort, bool descending)
    {
        var ordered = sort switch
        {
            AffiliateSort.Name => descending ? rows.OrderByDescending(r => r.Name) : rows.OrderBy(r => r.Name),
            AffiliateSort.Status => descending ? rows.OrderByDescending(r => r.Status) : rows.OrderBy(r => r.Status),
            AffiliateSort.Clicks => descending ? rows.OrderByDescending(r => r.Clicks) : rows.OrderBy(r => r.Clicks),
            AffiliateSort.Orders => descending ? rows.OrderByDescending(r => r.Orders) : rows.OrderBy(r => r.Orders),
            AffiliateSort.Revenue => descending ? rows.OrderByDescending(r => r.RevenueMinor) : rows.OrderBy(r => r.RevenueMinor),
            AffiliateSort.Commission => descending ? rows.OrderByDescending(r => r.CommissionMinor) : rows.OrderBy(r => r.CommissionMinor),
            AffiliateSort.Epc => descending ? rows.OrderByDescending(r => r.EpcMicros) : rows.OrderBy(r => r.EpcMicros),
            _ => descending ? rows.OrderByDescending(r => r.CreatedAt) : rows.OrderBy(r => r.CreatedAt),
        };
        return ordered.ThenBy(r => r.Id); // a stable order, so a row never shows on two pages
    }
}
