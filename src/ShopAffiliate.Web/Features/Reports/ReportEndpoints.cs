using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Web.Features.Reports;

public sealed record CurrencyFiguresResponse(
    string Currency, long Orders, string Revenue, string Commission, string? Epc, string? Aov, decimal? Roi, string Refunds,
    string Earned, string Reversed, string SecondTier);

public sealed record FiguresResponse(
    string From, string To, long Clicks, long UniqueClicks, long Impressions, decimal? Ctr, long Orders, decimal? ConversionRate,
    IReadOnlyList<CurrencyFiguresResponse> Currencies);

public sealed record SummaryResponse(
    string From, string To, string TimeZone, long Clicks, long UniqueClicks, long Impressions, decimal? Ctr, long Orders, decimal? ConversionRate,
    IReadOnlyList<CurrencyFiguresResponse> Currencies, FiguresResponse Previous, IReadOnlyList<GoalResponse> Goals);

public sealed record TimePointResponse(string Start, JsonNode? Value);

public sealed record TimeSeriesResponse(string? Currency, IReadOnlyList<TimePointResponse> Points);

public sealed record TimeseriesResponse(string Metric, string GroupBy, string From, string To, IReadOnlyList<TimeSeriesResponse> Series);

public sealed record TopRowResponse(int Rank, string Key, string Name, string? Currency, JsonNode? Value)
{
    /// <summary>Rows of <c>by=creative</c>: all the creative's figures (ADR 0039).</summary>
    public CreativeFiguresResponse? Figures { get; init; }
}

/// <summary>A creative's figures; money (and EPC) in <see cref="Currency"/>, null when there is no single currency to show.</summary>
public sealed record CreativeFiguresResponse(
    long Impressions, long Clicks, long UniqueClicks, decimal? Ctr, long Orders, string? Currency, string? Revenue, string? Commission, string? Epc);

public sealed record TopResponse(string By, string Metric, string From, string To, string? Currency, IReadOnlyList<TopRowResponse> Rows);

public sealed record GoalResponse(
    string Month, string Metric, string? Currency, JsonNode? Target, JsonNode? Actual, decimal? Progress, int DaysLeft, JsonNode? Projected, JsonNode? NeededPerDay);

public sealed record GoalsResponse(string Month, IReadOnlyList<GoalResponse> Goals);

public sealed record GoalRequest(string? Metric, string? Currency, decimal? Target);

public sealed record GoalsRequest(string? Month, IReadOnlyList<GoalRequest>? Goals);

public static class ReportEndpoints
{
    private const string Definitions =
        "Days are in the program's time zone, from and to (yyyy-MM-dd) both included. clicks = clicks not flagged as bots; " +
        "uniqueClicks = clicks neither bot nor repeat; ctr = uniqueClicks / impressions; orders = attributed orders (not cancelled, not test); " +
        "conversionRate = orders / uniqueClicks; revenue = the commission basis of attributed orders after refunds; " +
        "commission = affiliate commission after refunds, reversals and clawbacks (all tiers); epc = commission / uniqueClicks; " +
        "aov = revenue / orders; roi = (revenue - commission) / commission. A ratio whose denominator is 0 is null. " +
        "Money is a decimal string per currency, never summed across currencies. ?format=csv gives RFC 4180 CSV (UTF-8 with BOM).";

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reports").WithTags("Reports");
        group.MapGet("/summary", Summary)
            .WithSummary("A period's figures, and previous: the same for the period of equal length before it.")
            .WithDescription(Definitions + " shopId filters order figures; clicks know no shop, so their figures stay the program's.");
        group.MapGet("/timeseries", Timeseries)
            .WithSummary("One metric over time (groupBy day, week (ISO, from Monday) or month); money metrics and roi per currency.")
            .WithDescription(Definitions + " metric: " + Allowed<ReportMetric>() + ".");
        group.MapGet("/top", Top)
            .WithSummary("Ranked rows (limit 1-100, default 20); money metrics and roi rank within one currency (currency=, or the program's only one).")
            .WithDescription(Definitions + " by: affiliate, link, subId (links and sub-ids by clicks or uniqueClicks), product (by orders, revenue, commission, aov or roi: "
                + "key {shopId}:{productId}, each product's share of its orders' revenue and tier-1 commission after refunds).");
        group.MapPost("/rebuild", Rebuild)
            .WithSummary("Recompute one day (day=yyyy-MM-dd) of the rollups from the raw clicks, orders and ledger; answers the day's figures.");
        var goals = api.MapGroup("/goals").WithTags("Reports");
        goals.MapGet("/", GetGoals).WithSummary("A month's goals (month=yyyy-MM, default this month) with progress and the pace needed.");
        goals.MapPut("/", PutGoals).WithSummary("Replace a month's goals: revenue (with currency), orders, activeAffiliates, roi (with currency).");
        return group;
    }

    private static async Task<IResult> Summary(
        ReportService reports, string? from, string? to, Guid? affiliateId, Guid? shopId, string? format, CancellationToken ct)
    {
        var csv = Csv(format);
        var period = await PeriodAsync(reports, from, to, ct) with { AffiliateId = affiliateId, ShopId = shopId };
        var s = await reports.SummaryAsync(period, ct);
        var current = ToResponse(s.Current);
        if (!csv)
        {
            return TypedResults.Ok(new SummaryResponse(current.From, current.To, s.TimeZone, current.Clicks, current.UniqueClicks, current.Impressions,
                current.Ctr, current.Orders, current.ConversionRate, current.Currencies, ToResponse(s.Previous), s.Goals.Select(ToResponse).ToList()));
        }
        var file = new ReportCsv().Row("period", "from", "to", "clicks", "uniqueClicks", "impressions", "ctr", "orders", "conversionRate",
            "currency", "currencyOrders", "revenue", "commission", "epc", "aov", "roi", "refunds", "earned", "reversed", "secondTier");
        foreach (var (name, f) in (ReadOnlySpan<(string, FiguresResponse)>)[("current", current), ("previous", ToResponse(s.Previous))])
        {
            object?[] head = [name, f.From, f.To, f.Clicks, f.UniqueClicks, f.Impressions, f.Ctr, f.Orders, f.ConversionRate];
            if (f.Currencies.Count == 0) file.Row([.. head, null, null, null, null, null, null, null, null, null, null, null]);
            foreach (var c in f.Currencies)
                file.Row([.. head, c.Currency, c.Orders, c.Revenue, c.Commission, c.Epc, c.Aov, c.Roi, c.Refunds, c.Earned, c.Reversed, c.SecondTier]);
        }
        return file.ToResult($"summary-{current.From}-{current.To}.csv");
    }

    private static async Task<IResult> Timeseries(
        ReportService reports, string? metric, string? from, string? to, string? groupBy, Guid? affiliateId, Guid? shopId, string? format, CancellationToken ct)
    {
        var csv = Csv(format);
        var m = Parse<ReportMetric>("metric", metric, null);
        var g = Parse<ReportGrouping>("groupBy", groupBy, ReportGrouping.Day);
        var period = await PeriodAsync(reports, from, to, ct) with { AffiliateId = affiliateId, ShopId = shopId };
        var t = await reports.TimeseriesAsync(m, g, period, ct);
        var series = t.Series.Select(s => new TimeSeriesResponse(s.Currency,
            s.Points.Select(p => new TimePointResponse(ReportCalendar.Format(p.Start), Value(m, p.Value, s.Currency))).ToList())).ToList();
        if (!csv)
        {
            return TypedResults.Ok(new TimeseriesResponse(Name(m), Name(g), ReportCalendar.Format(t.From), ReportCalendar.Format(t.To), series));
        }
        var file = new ReportCsv().Row("start", "currency", Name(m));
        foreach (var s in series)
        foreach (var p in s.Points)
            file.Row(p.Start, s.Currency, Text(p.Value));
        return file.ToResult($"timeseries-{Name(m)}-{ReportCalendar.Format(t.From)}-{ReportCalendar.Format(t.To)}.csv");
    }

    private static async Task<IResult> Top(
        ReportService reports, string? by, string? metric, string? from, string? to, int? limit, string? currency, Guid? affiliateId, Guid? shopId,
        string? format, CancellationToken ct)
    {
        var csv = Csv(format);
        var b = Parse<TopDimension>("by", by, TopDimension.Affiliate);
        var m = Parse<ReportMetric>("metric", metric, ReportMetric.Commission);
        var period = await PeriodAsync(reports, from, to, ct) with { AffiliateId = affiliateId, ShopId = shopId };
        var top = await reports.TopAsync(b, m, period, limit ?? 20, currency, ct);
        var rows = top.Rows.Select((r, i) => new TopRowResponse(i + 1, r.Key, r.Name, r.Currency, Value(m, r.Value, r.Currency))
        {
            Figures = r.Figures is { } f ? ToResponse(f) : null,
        }).ToList();
        if (!csv)
        {
            return TypedResults.Ok(new TopResponse(Name(b), Name(m), ReportCalendar.Format(top.From), ReportCalendar.Format(top.To), top.Currency, rows));
        }
        if (b == TopDimension.Creative)
        {
            var creatives = new ReportCsv().Row("rank", "creative", "name", "impressions", "clicks", "uniqueClicks", "ctr", "orders", "currency", "revenue", "commission", "epc");
            foreach (var r in rows)
            {
                var f = r.Figures!;
                creatives.Row(r.Rank, r.Key, r.Name, f.Impressions, f.Clicks, f.UniqueClicks, f.Ctr, f.Orders, f.Currency, f.Revenue, f.Commission, f.Epc);
            }
            return creatives.ToResult($"top-creative-{Name(m)}-{ReportCalendar.Format(top.From)}-{ReportCalendar.Format(top.To)}.csv");
        }
        var file = new ReportCsv().Row("rank", Name(b), "name", "currency", Name(m));
        foreach (var r in rows) file.Row(r.Rank, r.Key, r.Name, r.Currency, Text(r.Value));
        return file.ToResult($"top-{Name(b)}-{Name(m)}-{ReportCalendar.Format(top.From)}-{ReportCalendar.Format(top.To)}.csv");
    }

    private static async Task<Ok<FiguresResponse>> Rebuild(ReportService reports, RollupUpdater updater, AppDbContext db, string? day, CancellationToken ct)
    {
        if (!ReportCalendar.TryParseDay(day, out var d))
            throw ValidationFailedException.For("day", "day must be a date as yyyy-MM-dd.");
        await updater.RebuildDayAsync(db.CurrentWorkspaceId ?? throw new InvalidOperationException("No workspace."), d, ct);
        return TypedResults.Ok(ToResponse(await reports.FiguresAsync(new ReportPeriod(d, d), ct)));
    }

    private static async Task<Ok<GoalsResponse>> GetGoals(ReportService reports, string? month, CancellationToken ct)
    {
        var m = await MonthAsync(reports, month, ct);
        return TypedResults.Ok(new GoalsResponse(m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            (await reports.GoalsAsync(m, ct)).Select(ToResponse).ToList()));
    }

    private static async Task<Ok<GoalsResponse>> PutGoals(ReportService reports, GoalsRequest body, CancellationToken ct)
    {
        var m = await MonthAsync(reports, body.Month, ct);
        var goals = new List<(GoalMetric, string?, decimal)>();
        foreach (var g in body.Goals ?? [])
        {
            var metric = Parse<GoalMetric>("metric", g.Metric, null);
            if (g.Target is not { } target || target < 0 || target > 1_000_000_000_000m)
                throw ValidationFailedException.For("target", "Each goal needs a target of 0 or more.");
            string? currency = null;
            if (metric is GoalMetric.Revenue or GoalMetric.Roi)
            {
                try
                {
                    currency = Currencies.Normalize(g.Currency ?? "");
                }
                catch (ArgumentException)
                {
                    throw ValidationFailedException.For("currency", $"A {Name(metric)} goal names its currency (ISO 4217, e.g. DKK).");
                }
            }
            else if (target != decimal.Truncate(target))
            {
                throw ValidationFailedException.For("target", $"A {Name(metric)} goal is a whole number.");
            }
            goals.Add((metric, currency, target));
        }
        await reports.SetGoalsAsync(m, goals, ct);
        return await GetGoals(reports, m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), ct);
    }

    private static async Task<DateOnly> MonthAsync(ReportService reports, string? month, CancellationToken ct)
    {
        if (month is null) return ReportCalendar.MonthStart(await reports.TodayAsync(ct));
        return ReportCalendar.TryParseDay(month + "-01", out var d) && month.Length == 7
            ? d
            : throw ValidationFailedException.For("month", "month must be yyyy-MM.");
    }

    private static async Task<ReportPeriod> PeriodAsync(ReportService reports, string? from, string? to, CancellationToken ct)
    {
        DateOnly f = default, t = default;
        if (from is not null && !ReportCalendar.TryParseDay(from, out f))
            throw ValidationFailedException.For("from", "from must be a date as yyyy-MM-dd.");
        if (to is not null && !ReportCalendar.TryParseDay(to, out t))
            throw ValidationFailedException.For("to", "to must be a date as yyyy-MM-dd.");
        // Unset: the 30 days up to today (or up to to, or from from on).
        if (to is null) t = from is null ? await reports.TodayAsync(ct) : f.AddDays(29);
        if (from is null) f = t.AddDays(-29);
        return new ReportPeriod(f, t);
    }

    private static bool Csv(string? format) => format?.ToLowerInvariant() switch
    {
        null or "json" => false,
        "csv" => true,
        _ => throw ValidationFailedException.For("format", "format must be json or csv."),
    };

    private static T Parse<T>(string field, string? value, T? fallback) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback ?? throw ValidationFailedException.For(field, $"{field} is required: one of {Allowed<T>()}.");
        return Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw ValidationFailedException.For(field, $"Unknown {field} '{value}': use one of {Allowed<T>()}.");
    }

    private static string Allowed<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Name(v)));

    private static string Name<T>(T value) where T : struct, Enum
    {
        var s = value.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }

    private static JsonNode? Value(ReportMetric metric, decimal? value, string? currency) =>
        value is not { } v ? null
        : ReportMetrics.IsMoney(metric) && currency is not null ? JsonValue.Create(Currencies.Format(v, currency))
        : JsonValue.Create(v);

    private static string? Text(JsonNode? value) => value?.ToJsonString().Trim('"');

    private static FiguresResponse ToResponse(SummaryFigures f) => new(
        ReportCalendar.Format(f.From), ReportCalendar.Format(f.To), f.Clicks, f.UniqueClicks, f.Impressions, f.Ctr, f.Orders, f.ConversionRate,
        f.Currencies.Select(c => new CurrencyFiguresResponse(
            c.Currency, c.Orders, Money(c.Revenue, c.Currency)!, Money(c.Commission, c.Currency)!, Money(c.Epc, c.Currency), Money(c.Aov, c.Currency),
            c.Roi, Money(c.Refunds, c.Currency)!, Money(c.Earned, c.Currency)!, Money(c.Reversed, c.Currency)!, Money(c.SecondTier, c.Currency)!)).ToList());

    private static GoalResponse ToResponse(GoalProgress g)
    {
        JsonNode? Amount(decimal? v) => v is not { } x ? null
            : g.Metric == GoalMetric.Revenue && g.Currency is not null ? JsonValue.Create(Currencies.Format(x, g.Currency))
            : JsonValue.Create(x);
        return new GoalResponse(g.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), Name(g.Metric), g.Currency,
            Amount(g.Target), Amount(g.Actual), g.Progress, g.DaysLeft, Amount(g.Projected), Amount(g.NeededPerDay));
    }

    private static string? Money(decimal? amount, string currency) => amount is { } a ? Currencies.Format(a, currency) : null;

    private static CreativeFiguresResponse ToResponse(CreativeFigures f) => new(
        f.Impressions, f.Clicks, f.UniqueClicks, f.Ctr, f.Orders, f.Currency,
        f.Currency is { } c ? Money(f.Revenue, c) : null, f.Currency is { } c2 ? Money(f.Commission, c2) : null,
        f.Currency is { } c3 ? Money(f.Epc, c3) : null);
}
