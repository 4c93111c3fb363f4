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
/// The admin's affiliates list: filters, sort and page in SQL. The figures come from the ranking's blocks
/// (<see cref="AffiliateRanking.Figures"/>, ADR 0041), not from every daily row of the period: sorted by a figure, every
/// affiliate's sums over the period's few blocks are joined, sorted and paged in one query; sorted by name, status or
/// date, the page is read first and only its affiliates' sums are read. The count never reads figures.
/// </summary>
public sealed class AffiliateDirectory(AppDbContext db)
{
    public async Task<PagedResult<AffiliateListRow>> PageAsync(
        AffiliateFilter filter, ReportPeriod period, string currency, AffiliateSort sort, bool descending, PageRequest page, CancellationToken ct)
    {
        var affiliates = Filtered(filter);
        var total = await affiliates.CountAsync(ct);
        // A page past the end shows the last one rather than an empty table after a filter shrank the list.
        var number = Math.Min(page.Page, Math.Max(1, (total + page.PageSize - 1) / page.PageSize));
        var skip = (number - 1) * page.PageSize;
        List<AffiliateListRow> items;
        if (ByFigure(sort))
            items = await Sorted(Rows(affiliates, Figures(period, currency, only: null)), sort, descending).Skip(skip).Take(page.PageSize).ToListAsync(ct);
        else
        {
            var rows = await Sorted(Rows(affiliates, sums: null), sort, descending).Skip(skip).Take(page.PageSize).ToListAsync(ct);
            var ids = rows.Select(r => r.Id).ToList();
            var figures = await Figures(period, currency, ids).ToDictionaryAsync(f => f.AffiliateId, ct);
            items = [.. rows.Select(r => With(r, figures.GetValueOrDefault(r.Id)))];
        }
        return new PagedResult<AffiliateListRow>(items, number, page.PageSize, total);
    }

    /// <summary>Every row the filter matches, in the list's order: for the CSV export.</summary>
    public IAsyncEnumerable<AffiliateListRow> AllAsync(
        AffiliateFilter filter, ReportPeriod period, string currency, AffiliateSort sort, bool descending) =>
        Sorted(Rows(Filtered(filter), Figures(period, currency, only: null)), sort, descending).AsAsyncEnumerable();

    private static bool ByFigure(AffiliateSort sort) => sort is AffiliateSort.Clicks or AffiliateSort.Orders or AffiliateSort.Revenue or AffiliateSort.Commission or AffiliateSort.Epc;

    private IQueryable<Affiliate> Filtered(AffiliateFilter filter)
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
        return affiliates;
    }

    /// <summary>
    /// The period's sums per affiliate in <paramref name="currency"/> (click rows carry no currency and count too; rows
    /// of other currencies are not added in), for the affiliates of <paramref name="only"/> or, when null, for all.
    /// </summary>
    private IQueryable<AffiliateFigures> Figures(ReportPeriod period, string currency, IReadOnlyCollection<Guid>? only) =>
        AffiliateRanking.Figures(db, RankingRollupSql.Decompose(period.From, period.To),
            new AffiliateRanking.Filters(db.CurrentWorkspaceId ?? Guid.Empty, null, null, currency, OrdersOnly: false) { Only = only });

    private static AffiliateListRow With(AffiliateListRow row, AffiliateFigures? f) => f is null ? row : new AffiliateListRow
    {
        Id = row.Id, Name = row.Name, Email = row.Email, ReferralCode = row.ReferralCode, Status = row.Status, GroupId = row.GroupId,
        GroupName = row.GroupName, CreatedAt = row.CreatedAt, Clicks = f.Clicks, UniqueClicks = f.UniqueClicks, Orders = f.Orders,
        RevenueMinor = f.RevenueMinor, CommissionMinor = f.CommissionMinor,
        EpcMicros = f.UniqueClicks == 0 ? 0 : f.CommissionMinor * 1_000_000 / f.UniqueClicks,
    };

    /// <summary>The list's rows with the figures of <paramref name="sums"/>, or with zeros (filled in afterwards) when it is null.</summary>
    private IQueryable<AffiliateListRow> Rows(IQueryable<Affiliate> affiliates, IQueryable<AffiliateFigures>? sums) => sums is null
        ? from a in affiliates
          join g in db.Set<CommissionGroup>().AsNoTracking() on a.GroupId equals (Guid?)g.Id into groups
          from g in groups.DefaultIfEmpty()
          select new AffiliateListRow
          {
              Id = a.Id, Name = a.Name, Email = a.Email, ReferralCode = a.ReferralCode, Status = a.Status, GroupId = a.GroupId,
              GroupName = g == null ? null : g.Name, CreatedAt = a.CreatedAt,
          }
        : from a in affiliates
          join s in sums on a.Id equals s.AffiliateId into figures
          from s in figures.DefaultIfEmpty()
          join g in db.Set<CommissionGroup>().AsNoTracking() on a.GroupId equals (Guid?)g.Id into groups
          from g in groups.DefaultIfEmpty()
          select new AffiliateListRow
          {
              Id = a.Id, Name = a.Name, Email = a.Email, ReferralCode = a.ReferralCode, Status = a.Status, GroupId = a.GroupId,
              GroupName = g == null ? null : g.Name, CreatedAt = a.CreatedAt,
              // Nullable casts: the left join's columns are NULL for an affiliate without figures.
              Clicks = (long?)s.Clicks ?? 0,
              UniqueClicks = (long?)s.UniqueClicks ?? 0,
              Orders = (long?)s.Orders ?? 0,
              RevenueMinor = (long?)s.RevenueMinor ?? 0,
              CommissionMinor = (long?)s.CommissionMinor ?? 0,
              EpcMicros = ((long?)s.UniqueClicks ?? 0) == 0 ? 0 : ((long?)s.CommissionMinor ?? 0) * 1_000_000 / ((long?)s.UniqueClicks ?? 1),
          };

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
