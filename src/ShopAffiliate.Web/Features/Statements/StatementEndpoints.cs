using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Statements;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Statements;

public sealed record StatusLineDto(CommissionStatus Status, int Count, string Amount);

/// <summary>Money as decimal strings in the currency's minor units; refunds and clawbacks negative, payouts positive.</summary>
public sealed record CurrencyStatementDto(
    string Currency, string OpeningBalance, string Earned, string Refunds, string Clawbacks, string Payouts, string ClosingBalance,
    string Pending, string Approved, string Carried, string Payable, IReadOnlyList<StatusLineDto> Commissions);

public sealed record StatementResponse(
    Guid AffiliateId, string Name, string Month, string From, string To, string TimeZone, long Clicks, long UniqueClicks, long Orders,
    IReadOnlyList<CurrencyStatementDto> Currencies);

public static class StatementEndpoints
{
    public static RouteGroupBuilder MapStatements(this RouteGroupBuilder api)
    {
        api.MapGet("/affiliates/{id:guid}/statements/{month}", Get).WithTags("Affiliates").WithSummary(
            "An affiliate's monthly statement (month = yyyy-MM in the program's time zone): clicks, unique clicks and attributed " +
            "orders (as the reports count them) and, per currency: opening balance, " +
            "commission earned, refunds and reversals, clawbacks, payouts, closing balance (= what is owed: pending + approved + " +
            "carried), and the month's commissions by status. format=json (default), csv (RFC 4180, UTF-8 with BOM) or html " +
            "(a printable page; lang=en or da, else from Accept-Language).");
        return api;
    }

    private static async Task<IResult> Get(
        StatementService statements, HttpRequest request, Guid id, string month, string? format, string? lang, CancellationToken ct)
    {
        var statement = await statements.GetAsync(id, StatementService.ParseMonth(month), ct);
        switch ((format ?? "json").Trim().ToLowerInvariant())
        {
            case "json":
                return TypedResults.Ok(ToDto(statement));
            case "csv":
                return TypedResults.File([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(StatementCsv.Write(statement))],
                    "text/csv; charset=utf-8", $"statement-{statement.Month}.csv");
            case "html":
                var page = StatementHtml.Render(statement, StatementHtml.LanguageOf(lang, request.Headers.AcceptLanguage));
                return new HtmlResult(page.Html, page.ContentSecurityPolicy);
            default:
                return TypedResults.Problem(statusCode: 400, title: "Unknown statement format.",
                    detail: $"'{format}' is not a statement format: use format=json, format=csv or format=html.");
        }
    }

    private static StatementResponse ToDto(Statement s) => new(
        s.AffiliateId, s.AffiliateName, s.Month, StatementCsv.Iso(s.From), StatementCsv.Iso(s.To), s.TimeZone, s.Clicks, s.UniqueClicks, s.Orders,
        s.Currencies.Select(c =>
        {
            string M(decimal amount) => Currencies.Format(amount, c.Currency);
            return new CurrencyStatementDto(c.Currency, M(c.OpeningBalance), M(c.Earned), M(c.Refunds), M(c.Clawbacks), M(c.Payouts),
                M(c.ClosingBalance), M(c.Pending), M(c.Approved), M(c.Carried), M(c.Payable),
                c.Commissions.Select(l => new StatusLineDto(l.Status, l.Count, M(l.Amount))).ToList());
        }).ToList());
}
