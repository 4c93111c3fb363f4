using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Web.Features.Groups;

public sealed record GroupResponse(Guid Id, string Name, bool IsDefault, string SecondTierRate, TierPeriod TierPeriod, IReadOnlyList<RuleDto> Rules, int Affiliates);

/// <summary>The groups API over <see cref="CommissionGroupService"/>, the admin's groups page's code path too.</summary>
public static class GroupEndpoints
{
    public static RouteGroupBuilder MapGroups(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/groups").WithTags("Commission groups");
        group.MapGet("/", List);
        group.MapPost("/", Create).WithSummary("A commission plan: rules (percent or flat; all, product, collection or coupon scope; tiers) and a second-tier rate.");
        group.MapGet("/{id:guid}", Get);
        group.MapPut("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a group; its affiliates fall back to the default group.");
        return group;
    }

    private static async Task<Ok<List<GroupResponse>>> List(CommissionGroupService groups, CancellationToken ct) =>
        TypedResults.Ok((await groups.ListAsync(ct)).Select(g => ToResponse(g.Group, g.Affiliates)).ToList());

    private static async Task<Results<Ok<GroupResponse>, NotFound>> Get(CommissionGroupService groups, Guid id, CancellationToken ct) =>
        await groups.GetAsync(id, ct) is { } g ? TypedResults.Ok(ToResponse(g.Group, g.Affiliates)) : TypedResults.NotFound();

    private static async Task<Created<GroupResponse>> Create(CommissionGroupService groups, ITenantContext tenant, GroupRequest body, CancellationToken ct)
    {
        var group = await groups.CreateAsync(tenant.WorkspaceId!.Value, body, ct);
        return TypedResults.Created($"/api/v1/groups/{group.Id}", ToResponse(group, 0));
    }

    private static async Task<Results<Ok<GroupResponse>, NotFound>> Update(CommissionGroupService groups, Guid id, GroupRequest body, CancellationToken ct)
    {
        try
        {
            await groups.UpdateAsync(id, body, ct);
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
        var saved = await groups.GetAsync(id, ct);
        return TypedResults.Ok(ToResponse(saved!.Group, saved.Affiliates));
    }

    private static async Task<Results<NoContent, NotFound>> Delete(CommissionGroupService groups, Guid id, CancellationToken ct)
    {
        try
        {
            await groups.DeleteAsync(id, onlyWithoutAffiliates: false, ct);
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.NoContent();
    }

    /// <summary>The simulator's proposed plan, refused exactly as a group would be (a 400 naming each field).</summary>
    internal static CommissionPlan ToPlan(string name, GroupRequest body, WorkspaceSettings settings, string programCurrency)
    {
        var (plan, problems) = CommissionGroupService.Check(name, body, settings, programCurrency);
        CommissionGroupService.Throw(problems);
        return plan!;
    }

    private static GroupResponse ToResponse(CommissionGroup g, int affiliates) => new(
        g.Id, g.Name, g.IsDefault, g.SecondTierRate.ToString("0.######", CultureInfo.InvariantCulture), g.TierPeriod,
        CommissionPlans.ReadRules(g.RulesJson).Select(r => new RuleDto(r.Scope.Kind.ToString().ToLowerInvariant(), r.Scope.Ids, r.Kind, r.Value,
            r.Tiers.Select(t => new TierDto(t.SalesThreshold, t.Value)).ToList(), r.Currency, r.Name)).ToList(),
        affiliates);
}
