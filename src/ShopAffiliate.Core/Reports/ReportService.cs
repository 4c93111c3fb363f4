using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// The one report code path: the API, the admin dashboard and the affiliate portal all read their figures here, from
/// the daily rollups of the current workspace (the tenant filter). Sums run in the database (money as minor units);
/// ratios are computed from the sums, never averaged.
/// </summary>
public sealed class ReportService(AppDbContext db, TimeProvider clock)
{
    /// <summary>The longest period a report covers: two years of days.</summary>
    public const int MaxDays = 731;

    public const int MaxLimit = 100;

    public async Task<string> TimeZoneIdAsync(CancellationToken ct)
    {
        var settings = await db.WorkspaceSettings.AsNoTracking().FirstOrDefaultAsync(ct)
                       ?? new WorkspaceSettings { WorkspaceId = db.CurrentWorkspaceId ?? Guid.Empty };
        return await SettingsStore.TimeZoneAsync(db, settings, ct);
    }

    /// <summary>The program's today, in its time zone.</summary>
    public async Task<DateOnly> TodayAsync(CancellationToken ct) =>
        ReportCalendar.DayOf(clock.GetUtcNow().UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById(await TimeZoneIdAsync(ct)));

    /// <summary>The period's figures, the previous period's, and the goals of the month <c>To</c> falls in.</summary>
    public async Task<ReportSummary> SummaryAsync(ReportPeriod period, CancellationToken ct)
    {
        await CheckAsync(period, ct);
        var current = await FiguresAsync(period, ct);
        var previous = await FiguresAsync(period.Previous(), ct);
        var goals = period.AffiliateId is null && period.ShopId is null
            ? await GoalsAsync(ReportCalendar.MonthStart(period.To), ct)
            : [];
        return new ReportSummary(await TimeZoneIdAsync(ct), current, previous, goals);
    }

    public async Task<SummaryFigures> FiguresAsync(ReportPeriod period, CancellationToken ct)
    {
        var sums = (await SumsByAsync(Rows(period).GroupBy(r => r.Currency), ct)).Select(x => x.Sums with { Currency = x.Key }).ToList();
        return Figures(period.From, period.To, sums);
    }

    public async Task<TimeseriesReport> TimeseriesAsync(ReportMetric metric, ReportGrouping groupBy, ReportPeriod period, CancellationToken ct)
    {
        await CheckAsync(period, ct);
        var byDay = (await SumsByAsync(Rows(period).GroupBy(r => new { r.Day, r.Currency }), ct))
            .Select(x => (x.Key.Day, Sums: x.Sums with { Currency = x.Key.Currency })).ToList();
        var buckets = Buckets(period, groupBy);
        var bucketOf = (DateOnly d) => groupBy switch
        {
            ReportGrouping.Week => ReportCalendar.WeekStart(d),
            ReportGrouping.Month => ReportCalendar.MonthStart(d),
            _ => d,
        };
        var grouped = byDay.ToLookup(x => bucketOf(x.Day), x => x.Sums);
        List<TimeSeries> series;
        if (ReportMetrics.PerCurrency(metric))
        {
            series = byDay.Select(x => x.Sums.Currency).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal)
                .Select(currency => new TimeSeries(currency, buckets.Select(b => new TimePoint(b,
                    Value(metric, Figures(b, b, grouped[b].Where(s => s.Currency.Length == 0 || s.Currency == currency).ToList()), currency))).ToList()))
                .ToList();
        }
        else
        {
            series = [new TimeSeries(null, buckets.Select(b => new TimePoint(b, Value(metric, Figures(b, b, grouped[b].ToList()), null))).ToList())];
        }
        return new TimeseriesReport(metric, groupBy, period.From, period.To, series);
    }

    /// <summary>
    /// The highest <paramref name="limit"/> rows by <paramref name="metric"/>, ties by key. Money metrics and ROI rank
    /// within one currency (<paramref name="currency"/>, or the program's only one). Links and sub-ids know clicks
    /// only, creatives clicks and impressions (an order is credited to an affiliate, not to the link or creative clicked).
    /// </summary>
    public async Task<TopReport> TopAsync(TopDimension by, ReportMetric metric, ReportPeriod period, int limit, string? currency, CancellationToken ct)
    {
        await CheckAsync(period, ct);
        if (limit is < 1 or > MaxLimit)
            throw ValidationFailedException.For("limit", $"limit must be between 1 and {MaxLimit}.");
        if (by is TopDimension.Product)
            return await TopProductsAsync(metric, period, limit, currency, ct);
        if (by is TopDimension.Creative)
            return await TopCreativesAsync(metric, period, limit, currency, ct);
        if (by is TopDimension.Link or TopDimension.SubId && !ReportMetrics.FromClicks(metric))
            throw ValidationFailedException.For("metric", "Links and sub-ids are ranked by clicks or uniqueClicks only: orders are credited to affiliates, not to the link clicked.");

        if (ReportMetrics.PerCurrency(metric))
            currency = await CurrencyAsync(period, currency, ct);
        else
            currency = null;

        var need = MeasuresOf(metric);
        var rows = by is TopDimension.Affiliate
            ? await AffiliateSumsAsync(period, currency, metric, limit, ct)
            : by switch
            {
                TopDimension.Link => (await RankedSumsAsync(Detail(period, currency).Where(r => r.LinkId != Guid.Empty).GroupBy(r => r.LinkId), need, ct)).Select(x => (Key: x.Key.ToString(), x.Sums)).ToList(),
                TopDimension.SubId => await RankedSumsAsync(Detail(period, currency).Where(r => r.SubId != "").GroupBy(r => r.SubId), need, ct),
                _ => (await RankedSumsAsync(Detail(period, currency).Where(r => r.CreativeId != Guid.Empty).GroupBy(r => r.CreativeId), need, ct)).Select(x => (Key: x.Key.ToString(), x.Sums)).ToList(),
            };
        var ranked = rows
            .Select(r => (r.Key, Value: Value(metric, Figures(period.From, period.To, [r.Sums with { Currency = currency ?? "" }]), currency)))
            .Where(r => r.Value is not null)
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(limit).ToList();
        var names = await NamesAsync(by, ranked.Select(r => r.Key).ToList(), ct);
        return new TopReport(by, metric, period.From, period.To, currency,
            ranked.Select(r => new TopRow(r.Key, names.GetValueOrDefault(r.Key, r.Key), currency, r.Value)).ToList());
    }

    /// <summary>The affiliates' rows of <paramref name="period"/> (days), with the period's shop and currency filters.</summary>
    private IQueryable<DailyRollup> Detail(ReportPeriod period, string? currency) => Detail(db.DailyRollups.AsNoTracking(), period, currency, period.From, period.To);

    private static IQueryable<DailyRollup> Detail(IQueryable<DailyRollup> q, ReportPeriod period, string? currency, DateOnly from, DateOnly to)
    {
        q = q.Where(r => r.Day >= from && r.Day <= to && r.AffiliateId != Guid.Empty);
        if (period.AffiliateId is { } a) q = q.Where(r => r.AffiliateId == a);
        if (period.ShopId is { } s) q = q.Where(r => r.ShopId == s || r.Currency == "");
        if (currency is not null) q = q.Where(r => r.Currency == currency || r.Currency == "");
        return q;
    }

    /// <summary>
    /// Per affiliate (ADR 0041): the period as a handful of month and day blocks (<see cref="RankingRollupSql"/>) and
    /// single days from <see cref="DailyRollup"/>, summed and ranked in one SQL statement (<see cref="AffiliateRanking"/>),
    /// which returns only the rows that can be in the top <paramref name="limit"/>.
    /// </summary>
    private async Task<List<(string Key, Sums Sums)>> AffiliateSumsAsync(ReportPeriod period, string? currency, ReportMetric metric, int limit, CancellationToken ct)
    {
        var blocks = RankingRollupSql.Decompose(period.From, period.To);
        // A metric of orders and money alone reads the order rows only (click rows hold none of it): half the rows.
        // An affiliate with clicks and no order is then not ranked, rather than ranked with 0.
        var need = MeasuresOf(metric);
        var ordersOnly = need.All(OrderColumns.Contains);
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Reports belong to a workspace.");
        var found = await AffiliateRanking.CandidatesAsync(db, blocks,
            new AffiliateRanking.Filters(workspace, period.AffiliateId, period.ShopId, currency, ordersOnly), metric, need, limit, ct);
        return found.Select(c => (c.AffiliateId.ToString(),
            new Sums("", c.Clicks, c.UniqueClicks, c.Impressions, c.Orders, c.RevenueMinor, c.RefundsMinor, c.CommissionMinor, 0, 0, 0))).ToList();
    }

    private static readonly HashSet<string> OrderColumns =
        [nameof(DailyRollup.Orders), nameof(DailyRollup.RevenueMinor), nameof(DailyRollup.RefundsMinor), nameof(DailyRollup.CommissionMinor)];

    /// <summary>The rollup columns a ranking by <paramref name="metric"/> reads (the others are left at 0).</summary>
    private static IReadOnlySet<string> MeasuresOf(ReportMetric metric) => new HashSet<string>(metric switch
    {
        ReportMetric.Clicks => [nameof(DailyRollup.Clicks)],
        ReportMetric.UniqueClicks => [nameof(DailyRollup.UniqueClicks)],
        ReportMetric.Impressions => [nameof(DailyRollup.Impressions)],
        ReportMetric.Ctr => [nameof(DailyRollup.UniqueClicks), nameof(DailyRollup.Impressions)],
        ReportMetric.Orders => [nameof(DailyRollup.Orders)],
        ReportMetric.ConversionRate => [nameof(DailyRollup.Orders), nameof(DailyRollup.UniqueClicks)],
        ReportMetric.Revenue => [nameof(DailyRollup.RevenueMinor)],
        ReportMetric.Commission => [nameof(DailyRollup.CommissionMinor)],
        ReportMetric.Refunds => [nameof(DailyRollup.RefundsMinor)],
        ReportMetric.Epc => [nameof(DailyRollup.CommissionMinor), nameof(DailyRollup.UniqueClicks)],
        ReportMetric.Aov => [nameof(DailyRollup.RevenueMinor), nameof(DailyRollup.Orders)],
        _ => (string[])[nameof(DailyRollup.RevenueMinor), nameof(DailyRollup.CommissionMinor)],
    });

    private static async Task<List<(TKey Key, Sums Sums)>> RankedSumsAsync<TKey, TRow>(IQueryable<IGrouping<TKey, TRow>> groups, IReadOnlySet<string> need, CancellationToken ct) =>
        (await groups.Select(SumSelector<TKey, TRow>(need)).ToListAsync(ct))
            .Select(x => (x.Key, new Sums("", x.Clicks, x.UniqueClicks, x.Impressions, x.Orders, x.RevenueMinor, x.RefundsMinor, x.CommissionMinor, 0, 0, 0)))
            .ToList();

    private static readonly MethodInfo SumOfLong = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Sum) && m.IsGenericMethodDefinition && m.GetParameters() is [_, { ParameterType: { IsGenericType: true } f }]
                     && f.GetGenericTypeDefinition() == typeof(Func<,>) && f.GetGenericArguments()[1] == typeof(long));

    /// <summary><c>g => new KeyedSums { Key = g.Key, X = g.Sum(r => r.X) for each needed X }</c>, so SQL sums only those.</summary>
    private static Expression<Func<IGrouping<TKey, TRow>, KeyedSums<TKey>>> SumSelector<TKey, TRow>(IReadOnlySet<string> need)
    {
        var g = Expression.Parameter(typeof(IGrouping<TKey, TRow>), "g");
        var bindings = new List<MemberBinding> { Expression.Bind(typeof(KeyedSums<TKey>).GetProperty(nameof(KeyedSums<TKey>.Key))!, Expression.Property(g, nameof(IGrouping<TKey, TRow>.Key))) };
        foreach (var name in need)
        {
            var r = Expression.Parameter(typeof(TRow), "r");
            var sum = Expression.Call(SumOfLong.MakeGenericMethod(typeof(TRow)), g, Expression.Lambda<Func<TRow, long>>(Expression.Property(r, name), r));
            bindings.Add(Expression.Bind(typeof(KeyedSums<TKey>).GetProperty(name)!, sum));
        }
        return Expression.Lambda<Func<IGrouping<TKey, TRow>, KeyedSums<TKey>>>(Expression.MemberInit(Expression.New(typeof(KeyedSums<TKey>)), bindings), g);
    }

    private sealed class KeyedSums<TKey>
    {
        public TKey Key { get; init; } = default!;
        public long Clicks { get; init; }
        public long UniqueClicks { get; init; }
        public long Impressions { get; init; }
        public long Orders { get; init; }
        public long RevenueMinor { get; init; }
        public long RefundsMinor { get; init; }
        public long CommissionMinor { get; init; }
    }

    /// <summary>
    /// Creatives (ADR 0039): impressions and clicks through them, and the orders whose winning click came through them
    /// with their revenue and tier-1 commission. Every row carries all its figures (<see cref="CreativeFigures"/>), money
    /// in the ranking's currency, else the program's only one (none when it sells in several and none is named).
    /// </summary>
    private async Task<TopReport> TopCreativesAsync(ReportMetric metric, ReportPeriod period, int limit, string? currency, CancellationToken ct)
    {
        var ranking = ReportMetrics.PerCurrency(metric) ? await CurrencyAsync(period, currency, ct) : null;
        var money = ranking ?? (currency is not null ? await CurrencyAsync(period, currency, ct) : await OnlyCurrencyAsync(period, ct));

        var detail = db.DailyRollups.AsNoTracking().Where(r => r.Day >= period.From && r.Day <= period.To && r.AffiliateId != Guid.Empty && r.CreativeId != Guid.Empty);
        if (period.AffiliateId is { } a) detail = detail.Where(r => r.AffiliateId == a);
        if (period.ShopId is { } s) detail = detail.Where(r => r.ShopId == s || r.Currency == "");
        if (money is not null) detail = detail.Where(r => r.Currency == money || r.Currency == "");
        var sums = (await SumsByAsync(detail.GroupBy(r => new { r.CreativeId, r.Currency }), ct))
            .GroupBy(x => x.Key.CreativeId, x => x.Sums with { Currency = x.Key.Currency })
            .Select(g => (Key: g.Key.ToString(), Figures: Figures(period.From, period.To, g.ToList())))
            .ToList();
        var ranked = sums
            .Select(r => (r.Key, r.Figures, Value: Value(metric, r.Figures, ranking)))
            .Where(r => r.Value is not null)
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(limit).ToList();
        var names = await NamesAsync(TopDimension.Creative, ranked.Select(r => r.Key).ToList(), ct);
        return new TopReport(TopDimension.Creative, metric, period.From, period.To, ranking,
            ranked.Select(r => new TopRow(r.Key, names.GetValueOrDefault(r.Key, r.Key), ranking, r.Value) { Figures = CreativeFigures.Of(r.Figures, money) }).ToList());
    }

    /// <summary>
    /// Products of attributed orders (ADR 0030): orders containing the product, and its share of the orders' revenue and
    /// tier-1 commission. Key <c>{shopId}:{productId}</c> (product ids are the shop's own); name the product's title.
    /// </summary>
    private async Task<TopReport> TopProductsAsync(ReportMetric metric, ReportPeriod period, int limit, string? currency, CancellationToken ct)
    {
        if (metric is not (ReportMetric.Orders or ReportMetric.Revenue or ReportMetric.Commission or ReportMetric.Aov or ReportMetric.Roi))
            throw ValidationFailedException.For("metric", "Products are ranked by orders, revenue, commission, aov or roi: a click does not know which product will be bought.");
        currency = ReportMetrics.PerCurrency(metric) ? await CurrencyAsync(period, currency, ct) : null;

        Task<List<ProductSums>> ProductDaysAsync(DateOnly from, DateOnly to) =>
            ProductSumsAsync(db.DailyProductRollups.AsNoTracking().Where(r => r.Day >= from && r.Day <= to), period, currency, ct);

        // Whole months from the monthly rows, the days around them from the daily ones (ADR 0041).
        var firstMonth = period.From.Day == 1 ? period.From : ReportCalendar.MonthStart(period.From).AddMonths(1);
        var afterLastMonth = ReportCalendar.MonthStart(period.To.AddDays(1));
        var parts = new List<List<ProductSums>>();
        if (firstMonth < afterLastMonth)
        {
            parts.Add(await ProductSumsAsync(db.MonthlyProductRollups.AsNoTracking().Where(r => r.Month >= firstMonth && r.Month < afterLastMonth), period, currency, ct));
            if (period.From < firstMonth) parts.Add(await ProductDaysAsync(period.From, firstMonth.AddDays(-1)));
            if (afterLastMonth <= period.To) parts.Add(await ProductDaysAsync(afterLastMonth, period.To));
        }
        else
        {
            parts.Add(await ProductDaysAsync(period.From, period.To));
        }
        var rows = parts.SelectMany(p => p).GroupBy(r => (r.ShopId, r.ProductId))
            .Select(g => new ProductSums(g.Key.ShopId, g.Key.ProductId, g.Sum(r => r.Orders), g.Sum(r => r.Revenue), g.Sum(r => r.Commission)))
            .ToList();
        var ranked = rows
            .Select(r => (r.ShopId, r.ProductId, Key: $"{r.ShopId}:{r.ProductId}",
                Value: Value(metric, Figures(period.From, period.To, [new Sums(currency ?? "", 0, 0, 0, r.Orders, r.Revenue, 0, r.Commission, 0, 0, 0)]), currency)))
            .Where(r => r.Value is not null)
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(limit).ToList();
        var result = new List<TopRow>(ranked.Count);
        foreach (var r in ranked)
        {
            // The name on the product's latest line (one indexed lookup per row: at most MaxLimit).
            var title = await db.OrderProductContributions.AsNoTracking()
                .Where(c => c.ShopId == r.ShopId && c.ProductId == r.ProductId && c.Title != null)
                .OrderByDescending(c => c.Day).Select(c => c.Title).FirstOrDefaultAsync(ct);
            result.Add(new TopRow(r.Key, title ?? r.ProductId, currency, r.Value));
        }
        return new TopReport(TopDimension.Product, metric, period.From, period.To, currency, result);
    }

    private sealed record ProductSums(Guid ShopId, string ProductId, long Orders, long Revenue, long Commission);

    private static async Task<List<ProductSums>> ProductSumsAsync<TRow>(IQueryable<TRow> q, ReportPeriod period, string? currency, CancellationToken ct)
        where TRow : ProductMeasures, IProductRow
    {
        q = period.AffiliateId is { } a ? q.Where(r => r.AffiliateId == a) : q.Where(r => r.AffiliateId == Guid.Empty);
        if (period.ShopId is { } s) q = q.Where(r => r.ShopId == s);
        if (currency is not null) q = q.Where(r => r.Currency == currency);
        return await q.GroupBy(r => new { r.ShopId, r.ProductId })
            .Select(g => new ProductSums(g.Key.ShopId, g.Key.ProductId, g.Sum(r => r.Orders), g.Sum(r => r.RevenueMinor), g.Sum(r => r.CommissionMinor)))
            .ToListAsync(ct);
    }

    private static async Task<List<(TKey Key, Sums Sums)>> SumsByAsync<TKey>(IQueryable<IGrouping<TKey, DailyRollup>> groups, CancellationToken ct) =>
        (await groups.Select(g => new
            {
                g.Key,
                Sums = new Sums(
                    "", g.Sum(r => r.Clicks), g.Sum(r => r.UniqueClicks), g.Sum(r => r.Impressions), g.Sum(r => r.Orders),
                    g.Sum(r => r.RevenueMinor), g.Sum(r => r.RefundsMinor), g.Sum(r => r.CommissionMinor), g.Sum(r => r.SecondTierMinor),
                    g.Sum(r => r.EarnedMinor), g.Sum(r => r.ReversedMinor)),
            })
            .ToListAsync(ct)).Select(x => (x.Key, x.Sums)).ToList();

    /// <summary>The month's goals with their progress so far.</summary>
    public async Task<IReadOnlyList<GoalProgress>> GoalsAsync(DateOnly month, CancellationToken ct)
    {
        month = ReportCalendar.MonthStart(month);
        var goals = await db.ReportGoals.AsNoTracking().Where(g => g.Month == month).ToListAsync(ct);
        if (goals.Count == 0) return [];
        var monthEnd = month.AddMonths(1).AddDays(-1);
        var today = await TodayAsync(ct);
        var upTo = today < monthEnd ? today : monthEnd;
        var elapsed = upTo < month ? 0 : upTo.DayNumber - month.DayNumber + 1;
        var daysLeft = today > monthEnd ? 0 : monthEnd.DayNumber - (today < month ? month : today).DayNumber + 1;
        var figures = elapsed == 0 ? null : await FiguresAsync(new ReportPeriod(month, upTo), ct);
        long? active = elapsed == 0 ? null : await db.DailyRollups.AsNoTracking()
            .Where(r => r.Day >= month && r.Day <= upTo && r.AffiliateId != Guid.Empty)
            .GroupBy(r => r.AffiliateId).Where(g => g.Sum(r => r.Orders) > 0).LongCountAsync(ct);
        var days = monthEnd.Day;
        return goals.OrderBy(g => g.Metric).ThenBy(g => g.Currency, StringComparer.Ordinal).Select(g =>
        {
            var money = figures?.Currencies.FirstOrDefault(c => c.Currency == g.Currency);
            decimal? actual = g.Metric switch
            {
                GoalMetric.Revenue => figures is null ? null : money?.Revenue ?? 0m,
                GoalMetric.Orders => figures?.Orders,
                GoalMetric.ActiveAffiliates => active,
                _ => money?.Roi,
            };
            var additive = g.Metric != GoalMetric.Roi && actual is not null;
            return new GoalProgress(
                month, g.Metric, g.Currency.Length == 0 ? null : g.Currency, g.Target, actual,
                actual is { } v ? ReportMath.Ratio(v, g.Target) : null, daysLeft,
                additive && elapsed > 0 ? decimal.Round(actual!.Value / elapsed * days, 2, MidpointRounding.AwayFromZero) : null,
                additive && daysLeft > 0 ? decimal.Round(Math.Max(0m, g.Target - actual!.Value) / daysLeft, 2, MidpointRounding.AwayFromZero) : null);
        }).ToList();
    }

    /// <summary>Replaces the month's goals.</summary>
    public async Task SetGoalsAsync(DateOnly month, IReadOnlyList<(GoalMetric Metric, string? Currency, decimal Target)> goals, CancellationToken ct)
    {
        month = ReportCalendar.MonthStart(month);
        var workspace = db.CurrentWorkspaceId ?? throw new InvalidOperationException("Goals belong to a workspace.");
        var rows = goals.Select(g => new ReportGoal
        {
            WorkspaceId = workspace, Month = month, Metric = g.Metric, Currency = g.Currency ?? "", Target = g.Target,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
        }).ToList();
        if (rows.GroupBy(r => (r.Metric, r.Currency)).Any(g => g.Count() > 1))
            throw ValidationFailedException.For("goals", "Each metric (and currency) may have one goal per month.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ReportGoals.Where(g => g.Month == month).ExecuteDeleteAsync(ct);
        db.ReportGoals.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private IQueryable<DailyRollup> Rows(ReportPeriod period)
    {
        var q = db.DailyRollups.AsNoTracking().Where(r => r.Day >= period.From && r.Day <= period.To);
        // Program-wide figures read the totals rows (affiliate Guid.Empty); one affiliate's read its own rows.
        q = period.AffiliateId is { } a ? q.Where(r => r.AffiliateId == a) : q.Where(r => r.AffiliateId == Guid.Empty);
        // Clicks know no shop: with a shop filter the click figures stay the program's (or the affiliate's).
        if (period.ShopId is { } s) q = q.Where(r => r.ShopId == s || r.Currency == "");
        return q;
    }

    private async Task CheckAsync(ReportPeriod period, CancellationToken ct)
    {
        if (period.To < period.From)
            throw ValidationFailedException.For("to", "to must be on or after from.");
        if (period.Days > MaxDays)
            throw ValidationFailedException.For("to", $"A report covers at most {MaxDays} days; this one asks for {period.Days}.");
        if (period.AffiliateId is { } a && !await db.Affiliates.AnyAsync(x => x.Id == a, ct))
            throw new NotFoundException($"No affiliate {a} in this program.");
        if (period.ShopId is { } s && !await db.Shops.AnyAsync(x => x.Id == s, ct))
            throw new NotFoundException($"No shop {s} in this program.");
    }

    /// <summary>The program's currency when it has exactly one (in the period's figures and its shops), else null.</summary>
    private async Task<string?> OnlyCurrencyAsync(ReportPeriod period, CancellationToken ct) =>
        await KnownCurrenciesAsync(period, ct) is [var only] ? only : null;

    private async Task<List<string>> KnownCurrenciesAsync(ReportPeriod period, CancellationToken ct)
    {
        // The period's totals rows only (an index range): the whole table would be a scan per request.
        var known = await AffiliateRanking.PeriodCurrenciesAsync(db, db.CurrentWorkspaceId ?? Guid.Empty, period.From, period.To, ct);
        known.AddRange(await db.Shops.AsNoTracking().Select(s => s.Currency).Distinct().ToListAsync(ct));
        return known.Where(c => c.Length == 3).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private async Task<string> CurrencyAsync(ReportPeriod period, string? currency, CancellationToken ct)
    {
        var known = await KnownCurrenciesAsync(period, ct);
        if (currency is not null)
        {
            var code = currency.Trim().ToUpperInvariant();
            return known.Contains(code) || known.Count == 0 ? code
                : throw ValidationFailedException.For("currency", $"The program has no figures in {code}; use one of: {string.Join(", ", known)}.");
        }
        return known.Count switch
        {
            0 => throw ValidationFailedException.For("currency", "The program has no figures in any currency yet; name one with currency=."),
            1 => known[0],
            _ => throw ValidationFailedException.For("currency", $"Money is ranked within one currency: add currency= one of {string.Join(", ", known)}."),
        };
    }

    private async Task<Dictionary<string, string>> NamesAsync(TopDimension by, List<string> keys, CancellationToken ct)
    {
        switch (by)
        {
            case TopDimension.Affiliate:
            {
                var ids = keys.Select(Guid.Parse).ToList();
                return (await db.Affiliates.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.Name }).ToListAsync(ct))
                    .ToDictionary(x => x.Id.ToString(), x => x.Name);
            }
            case TopDimension.Link:
            {
                var ids = keys.Select(Guid.Parse).ToList();
                return (await db.TrackingLinks.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.Code }).ToListAsync(ct))
                    .ToDictionary(x => x.Id.ToString(), x => x.Code);
            }
            case TopDimension.Creative:
            {
                var ids = keys.Select(Guid.Parse).ToList();
                return (await db.Creatives.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.Name }).ToListAsync(ct))
                    .ToDictionary(x => x.Id.ToString(), x => x.Name);
            }
            default:
                return keys.ToDictionary(k => k, k => k);
        }
    }

    private static List<DateOnly> Buckets(ReportPeriod period, ReportGrouping groupBy)
    {
        var list = new List<DateOnly>();
        var d = groupBy switch
        {
            ReportGrouping.Week => ReportCalendar.WeekStart(period.From),
            ReportGrouping.Month => ReportCalendar.MonthStart(period.From),
            _ => period.From,
        };
        while (d <= period.To)
        {
            list.Add(d);
            d = groupBy switch
            {
                ReportGrouping.Week => d.AddDays(7),
                ReportGrouping.Month => d.AddMonths(1),
                _ => d.AddDays(1),
            };
        }
        return list;
    }

    private static SummaryFigures Figures(DateOnly from, DateOnly to, IReadOnlyList<Sums> sums)
    {
        long clicks = sums.Sum(s => s.Clicks), unique = sums.Sum(s => s.UniqueClicks), impressions = sums.Sum(s => s.Impressions), orders = sums.Sum(s => s.Orders);
        var currencies = sums.Where(s => s.Currency.Length > 0).OrderBy(s => s.Currency, StringComparer.Ordinal).Select(s =>
        {
            var revenue = ReportMath.FromMinor(s.RevenueMinor, s.Currency);
            var commission = ReportMath.FromMinor(s.CommissionMinor, s.Currency);
            return new CurrencyFigures(
                s.Currency, s.Orders, revenue, commission, ReportMath.Epc(commission, unique), ReportMath.Aov(revenue, s.Orders),
                ReportMath.Roi(revenue, commission), ReportMath.FromMinor(s.RefundsMinor, s.Currency), ReportMath.FromMinor(s.EarnedMinor, s.Currency),
                ReportMath.FromMinor(s.ReversedMinor, s.Currency), ReportMath.FromMinor(s.SecondTierMinor, s.Currency));
        }).ToList();
        return new SummaryFigures(from, to, clicks, unique, impressions, ReportMath.Ctr(unique, impressions), orders,
            ReportMath.ConversionRate(orders, unique), currencies);
    }

    private static decimal? Value(ReportMetric metric, SummaryFigures f, string? currency)
    {
        var money = currency is null ? null : f.Currencies.FirstOrDefault(c => c.Currency == currency);
        return metric switch
        {
            ReportMetric.Clicks => f.Clicks,
            ReportMetric.UniqueClicks => f.UniqueClicks,
            ReportMetric.Impressions => f.Impressions,
            ReportMetric.Ctr => f.Ctr,
            ReportMetric.Orders => f.Orders,
            ReportMetric.ConversionRate => f.ConversionRate,
            ReportMetric.Revenue => money?.Revenue ?? 0m,
            ReportMetric.Commission => money?.Commission ?? 0m,
            ReportMetric.Refunds => money?.Refunds ?? 0m,
            ReportMetric.Epc => money is null ? ReportMath.Epc(0m, f.UniqueClicks) : money.Epc,
            ReportMetric.Aov => money?.Aov,
            _ => money?.Roi,
        };
    }

    private sealed record Sums(
        string Currency, long Clicks, long UniqueClicks, long Impressions, long Orders, long RevenueMinor, long RefundsMinor,
        long CommissionMinor, long SecondTierMinor, long EarnedMinor, long ReversedMinor)
    {
        public Sums Plus(Sums o) => this with
        {
            Clicks = Clicks + o.Clicks, UniqueClicks = UniqueClicks + o.UniqueClicks, Impressions = Impressions + o.Impressions,
            Orders = Orders + o.Orders, RevenueMinor = RevenueMinor + o.RevenueMinor, RefundsMinor = RefundsMinor + o.RefundsMinor,
            CommissionMinor = CommissionMinor + o.CommissionMinor, SecondTierMinor = SecondTierMinor + o.SecondTierMinor,
            EarnedMinor = EarnedMinor + o.EarnedMinor, ReversedMinor = ReversedMinor + o.ReversedMinor,
        };
    }
}
