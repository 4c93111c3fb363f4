using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>One of the affiliate's commissions with its order, as the portal lists and exports it.</summary>
public sealed record PortalCommissionRow(
    Guid Id, string? OrderNumber, DateTime? OrderPlacedAt, decimal Amount, string Currency, CommissionStatus Status, int Tier,
    AttributionMethod Method, string Explanation, string? ExplanationJson = null);

/// <summary>
/// The affiliate's commissions in this program, newest order first, filtered by the order's day (the program's time
/// zone) and status; a page of them, one of them (<c>/commissions/{id}</c>), or all filtered ones as CSV. The query
/// starts from the signed-in affiliate's id inside the entered program (the tenant filter), so another affiliate's
/// commission or another program's is not found: a 404, never a row.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class CommissionsModel(AppDbContext db, TenantContext tenant, ReportService reports) : PortalPageModel(db, tenant)
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public int? PageSize { get; set; }

    public PagedResult<PortalCommissionRow> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    /// <summary>The one commission asked for by id (the page then shows it alone).</summary>
    public PortalCommissionRow? Single { get; private set; }

    public string TimeZone { get; private set; } = "UTC";

    public string Slug => Current.Workspace.Slug;

    public static IReadOnlyList<CommissionStatus> Statuses { get; } = Enum.GetValues<CommissionStatus>();

    public async Task<IActionResult> OnGetAsync(string slug, Guid? id, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        if (id is { } one)
        {
            Single = await (await QueryAsync(unfiltered: true, ct, one)).FirstOrDefaultAsync(ct);
            return Single is null ? NotFound() : Page();
        }
        Rows = await (await QueryAsync(unfiltered: false, ct)).ToPageAsync(PageRequest.Of(PageNumber(), PageSize), ct);
        return Page();
    }

    /// <summary>
    /// Every filtered row (not only the page) as RFC 4180 CSV with a BOM. A GET: it changes nothing. English, as the
    /// other portal exports (column names, <c>came_by</c>): the explanation is the stored English text.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var csv = new ReportCsv().Row("commission_id", "order_number", "order_placed_at_utc", "amount", "currency", "status", "tier", "came_by", "explanation");
        await foreach (var r in (await QueryAsync(unfiltered: false, ct)).AsAsyncEnumerable().WithCancellation(ct))
        {
            csv.Row(r.Id, r.OrderNumber, r.OrderPlacedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                r.Amount, r.Currency, r.Status, r.Tier, CameBy(r.Method), r.Explanation);
        }
        return File(csv.ToBytes(), ReportCsv.ContentType, $"commissions-{Slug}.csv");
    }

    /// <summary>How the order reached the affiliate, in the words the page and the CSV use.</summary>
    public static string CameBy(AttributionMethod method) => method switch
    {
        AttributionMethod.Coupon => "coupon",
        AttributionMethod.Link => "link",
        AttributionMethod.Lifetime => "lifetime",
        AttributionMethod.Manual => "manual",
        _ => "",
    };

    /// <summary>The CSV of the rows the current filters show.</summary>
    public string CsvHref => $"/portal/p/{Slug}/commissions" + QueryString.Create(new Dictionary<string, string?>
    {
        ["handler"] = "csv", ["from"] = From, ["to"] = To, ["status"] = Status,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();

    // "page" is Razor Pages' own route value (the page's name), so the pager's ?page= is read from the query itself.
    private int? PageNumber() => int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : null;

    private async Task<IQueryable<PortalCommissionRow>> QueryAsync(bool unfiltered, CancellationToken ct, Guid? id = null)
    {
        TimeZone = await reports.TimeZoneIdAsync(ct);
        var me = Current.Affiliate.Id;
        var commissions = Db.Commissions.AsNoTracking().Where(c => c.AffiliateId == me);
        if (id is { } one) commissions = commissions.Where(c => c.Id == one);
        var orders = Db.Orders.AsNoTracking();
        if (!unfiltered)
        {
            if (ParseStatus(Status) is { } status) commissions = commissions.Where(c => c.Status == status);
            var from = ParseDay(From, "from");
            var to = ParseDay(To, "to");
            if (from is not null && to is not null && to < from)
                throw ValidationFailedException.For("to", "to must be on or after from.");
            var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
            if (from is { } f)
            {
                var start = ReportCalendar.StartUtc(f, zone);
                orders = orders.Where(o => o.PlacedAt >= start);
            }
            if (to is { } t)
            {
                var end = ReportCalendar.StartUtc(t.AddDays(1), zone);
                orders = orders.Where(o => o.PlacedAt < end);
            }
        }
        return commissions
            .Join(orders, c => c.OrderId, o => o.Id, (c, o) => new { c, o })
            .OrderByDescending(x => x.o.PlacedAt).ThenByDescending(x => x.c.Id)
            .Select(x => new PortalCommissionRow(x.c.Id, x.o.Number, x.o.PlacedAt, x.c.Amount, x.c.Currency, x.c.Status, x.c.Tier,
                x.o.AttributionMethod, x.c.Explanation, x.c.ExplanationJson));
    }

    private static DateOnly? ParseDay(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? null
        : ReportCalendar.TryParseDay(value.Trim(), out var day) ? day
        : throw ValidationFailedException.For(field, $"'{value}' is not a day: use yyyy-MM-dd, e.g. 2026-11-01.");

    private static CommissionStatus? ParseStatus(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        // By name only: Enum.TryParse would also take "3" or "1,2".
        foreach (var status in Statuses)
        {
            if (string.Equals(status.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase)) return status;
        }
        throw ValidationFailedException.For("status", $"'{value}' is not a status: use one of {string.Join(", ", Statuses).ToLowerInvariant()}.");
    }
}
