using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Statements;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's monthly statements: the months with activity, each month's printable page and its CSV. Both are
/// <see cref="StatementService"/>'s statement rendered by the same code as the API's <c>format=html</c> and
/// <c>format=csv</c>, for the signed-in affiliate only (the route names no affiliate).
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class StatementsModel(AppDbContext db, TenantContext tenant, StatementService statements, IStringLocalizer<PortalText> text)
    : PortalPageModel(db, tenant)
{
    public IReadOnlyList<DateOnly> Months { get; private set; } = [];

    public string Slug => Current.Workspace.Slug;

    public async Task<IActionResult> OnGetAsync(string slug, string? month, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var me = Current.Affiliate.Id;
        if (month is null)
        {
            Months = await statements.MonthsAsync(me, ct);
            return Page();
        }
        var statement = await statements.GetAsync(me, StatementService.ParseMonth(month), ct);
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "da" ? StatementLanguage.Danish : StatementLanguage.English;
        var (html, csp) = StatementHtml.Render(statement, language,
        [
            (text["All your statements"], $"/portal/p/{Slug}/statements"),
            (text["Download CSV"], CsvHref(statement.Month)),
        ]);
        Response.Headers.ContentSecurityPolicy = csp;
        Response.Headers.CacheControl = "no-store";
        return Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The month as RFC 4180 CSV with a UTF-8 BOM, the API's <c>format=csv</c>. A GET: it changes nothing.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string slug, string? month, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var statement = await statements.GetAsync(Current.Affiliate.Id, StatementService.ParseMonth(month), ct);
        return File([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(StatementCsv.Write(statement))], "text/csv; charset=utf-8",
            $"statement-{statement.Month}.csv");
    }

    public string MonthHref(DateOnly month) => $"/portal/p/{Slug}/statements/{Key(month)}";

    public string CsvHref(DateOnly month) => CsvHref(Key(month));

    private string CsvHref(string month) => $"/portal/p/{Slug}/statements/{month}?handler=csv";

    public static string Key(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
