using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Simulation;
using ShopAffiliate.Web.Features.Groups;

namespace ShopAffiliate.Web.Features.Simulations;

/// <summary>
/// from/to: dates (yyyy-MM-dd) in the program's time zone, both included, at most 366 days. plan: a group's plan as
/// POST /groups takes it (name, rules, secondTierRate, tierPeriod). groupId: the group whose plan it replaces (left out:
/// every affiliate's). cookieWindowDays, attributionModel: replace the program's for every order when given.
/// </summary>
public sealed record SimulationRequest(
    string? From, string? To, Guid? GroupId, GroupRequest? Plan, int? CookieWindowDays, AttributionModel? AttributionModel);

/// <summary>Money as decimal strings in the currency's minor units; roi = (revenue - commission) / commission, null when commission is 0.</summary>
public sealed record PlanFiguresDto(string Commission, string Revenue, int Orders, decimal? Roi);

public sealed record AffiliateSimulationDto(
    Guid AffiliateId, string Name, string Currency, PlanFiguresDto Current, PlanFiguresDto Proposed, string Change, string Booked);

public sealed record CurrencySimulationDto(string Currency, PlanFiguresDto Current, PlanFiguresDto Proposed, string Change, string Booked);

public sealed record SimulationResponse(
    string From, string To, string TimeZone, int OrdersReplayed, IReadOnlyList<CurrencySimulationDto> Totals, IReadOnlyList<AffiliateSimulationDto> Affiliates);

public static class SimulationEndpoints
{
    public static RouteGroupBuilder MapSimulations(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/simulations").WithTags("Simulations");
        group.MapPost("/", Simulate).WithSummary(
            "Replay a period's stored orders through the engine under the current plans and a proposed one: commission, revenue, " +
            "attributed orders and ROI = (revenue - commission) / commission (null when commission is 0) per affiliate and " +
            "currency, and in total per currency; booked = what the ledger holds for the same orders. Writes nothing.");
        return group;
    }

    private static async Task<Ok<SimulationResponse>> Simulate(
        AppDbContext db, ITenantContext tenant, PlanSimulator simulator, SimulationRequest? body, CancellationToken ct)
    {
        if (body is null) throw new ValidationFailedException("Send the period (from, to) and the proposed plan as JSON.");
        var from = Day(body.From, "from");
        var to = Day(body.To, "to");
        if (body.Plan is not { } planBody) throw ValidationFailedException.For("plan", "Give the proposed plan, as POST /api/v1/groups takes it.");
        var workspaceId = tenant.WorkspaceId!.Value;
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var name = string.IsNullOrWhiteSpace(planBody.Name) ? "Proposed" : planBody.Name.Trim();
        var currency = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Currency).FirstAsync(ct);
        var plan = GroupEndpoints.ToPlan(name, planBody, settings, currency);
        var proposal = new ProposedPlan(plan, planBody.TierPeriod ?? Core.Commissions.TierPeriod.Month, body.GroupId, body.CookieWindowDays, body.AttributionModel);

        var result = await simulator.RunAsync(workspaceId, from, to, proposal, ct);
        var ids = result.Affiliates.Select(a => a.AffiliateId).Distinct().ToList();
        var names = await db.Affiliates.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return TypedResults.Ok(new SimulationResponse(
            Iso(result.From), Iso(result.To), result.TimeZone, result.OrdersReplayed,
            result.Totals.Select(t => new CurrencySimulationDto(t.Currency, Figures(t.Current, t.Currency), Figures(t.Proposed, t.Currency),
                Currencies.Format(t.Change, t.Currency), Currencies.Format(t.Booked, t.Currency))).ToList(),
            result.Affiliates.Select(a => new AffiliateSimulationDto(a.AffiliateId, names.GetValueOrDefault(a.AffiliateId, ""), a.Currency,
                Figures(a.Current, a.Currency), Figures(a.Proposed, a.Currency), Currencies.Format(a.Change, a.Currency),
                Currencies.Format(a.Booked, a.Currency))).ToList()));
    }

    private static PlanFiguresDto Figures(PlanFigures f, string currency) =>
        new(Currencies.Format(f.Commission, currency), Currencies.Format(f.Revenue, currency), f.Orders, f.Roi);

    private static DateOnly Day(string? value, string field) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw ValidationFailedException.For(field, $"'{value}' is not a date: use yyyy-MM-dd (a day in the program's time zone).");

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
