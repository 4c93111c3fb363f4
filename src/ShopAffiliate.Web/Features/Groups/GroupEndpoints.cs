using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Web.Features.Groups;

public sealed record TierDto(decimal SalesThreshold, decimal Value);

/// <summary>
/// scope: all | product | collection | coupon (ids = product ids, collection/category ids, or coupon codes);
/// kind: Percent (value = fraction, 0.1 = 10%) or Flat (value = amount: per order for all/coupon, per unit for product/collection).
/// </summary>
public sealed record RuleDto(string? Scope, IReadOnlyList<string>? Ids, RuleKind? Kind, decimal? Value, IReadOnlyList<TierDto>? Tiers, string? Currency, string? Name);

public sealed record GroupRequest(string? Name, bool? IsDefault, decimal? SecondTierRate, TierPeriod? TierPeriod, IReadOnlyList<RuleDto>? Rules);

public sealed record GroupResponse(Guid Id, string Name, bool IsDefault, string SecondTierRate, TierPeriod TierPeriod, IReadOnlyList<RuleDto> Rules, int Affiliates);

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

    private static async Task<Ok<List<GroupResponse>>> List(AppDbContext db, CancellationToken ct)
    {
        var groups = await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name).ToListAsync(ct);
        var counts = await db.Affiliates.Where(a => a.GroupId != null).GroupBy(a => a.GroupId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return TypedResults.Ok(groups.Select(g => ToResponse(g, counts.FirstOrDefault(c => c.Key == g.Id)?.Count ?? 0)).ToList());
    }

    private static async Task<Results<Ok<GroupResponse>, NotFound>> Get(AppDbContext db, Guid id, CancellationToken ct)
    {
        var g = await db.CommissionGroups.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return g is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(g, await db.Affiliates.CountAsync(a => a.GroupId == id, ct)));
    }

    private static async Task<Created<GroupResponse>> Create(AppDbContext db, ITenantContext tenant, GroupRequest body, CancellationToken ct)
    {
        var group = new CommissionGroup { WorkspaceId = tenant.WorkspaceId!.Value, Name = "", RulesJson = "[]" };
        await ApplyAsync(db, group, body, ct);
        db.CommissionGroups.Add(group);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/groups/{group.Id}", ToResponse(group, 0));
    }

    private static async Task<Results<Ok<GroupResponse>, NotFound>> Update(AppDbContext db, Guid id, GroupRequest body, CancellationToken ct)
    {
        var group = await db.CommissionGroups.FirstOrDefaultAsync(g => g.Id == id, ct);
        if (group is null) return TypedResults.NotFound();
        await ApplyAsync(db, group, body, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(group, await db.Affiliates.CountAsync(a => a.GroupId == id, ct)));
    }

    private static async Task<Results<NoContent, NotFound>> Delete(AppDbContext db, Guid id, CancellationToken ct)
    {
        var deleted = await db.CommissionGroups.Where(g => g.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static async Task ApplyAsync(AppDbContext db, CommissionGroup group, GroupRequest body, CancellationToken ct)
    {
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) throw ValidationFailedException.For("name", "A group name of 1 to 200 characters is required.");
        if (await db.CommissionGroups.AnyAsync(g => g.Name == name && g.Id != group.Id, ct))
            throw new ConflictException($"A group named '{name}' already exists.");
        var plan = ToPlan(name, body, await SettingsStore.GetAsync(db, group.WorkspaceId, ct));

        group.Name = name;
        group.SecondTierRate = plan.SecondTierRate;
        group.TierPeriod = body.TierPeriod ?? TierPeriod.Month;
        group.RulesJson = CommissionPlans.WriteRules(plan.Rules);
        if (body.IsDefault == true && !group.IsDefault)
        {
            // One default per program.
            await db.CommissionGroups.Where(g => g.IsDefault && g.Id != group.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.IsDefault, false), ct);
        }
        group.IsDefault = body.IsDefault ?? group.IsDefault;
    }

    /// <summary>
    /// The plan a group request describes, validated (a 400 naming the field) the one way both a group and a proposed
    /// plan of the simulator are: the simulator must refuse exactly what the groups API refuses.
    /// </summary>
    internal static CommissionPlan ToPlan(string name, GroupRequest body, WorkspaceSettings settings)
    {
        if (body.SecondTierRate is < 0 or > 1) throw ValidationFailedException.For("secondTierRate", "The second-tier rate is a fraction from 0 to 1.");
        var rules = (body.Rules ?? []).Select((r, i) => ToRule(r, i)).ToList();
        if (rules.Count == 0) throw ValidationFailedException.For("rules", "A group needs at least one rule (e.g. {\"scope\":\"all\",\"kind\":\"Percent\",\"value\":0.1}).");
        var plan = new CommissionPlan(name, rules)
        {
            SecondTierRate = body.SecondTierRate ?? 0m, Basis = settings.CommissionBasis, CommissionOnGiftCards = settings.CommissionOnGiftCards,
        };
        plan.Validate();
        return plan;
    }

    private static CommissionRule ToRule(RuleDto r, int index)
    {
        var field = $"rules[{index}]";
        var ids = (r.Ids ?? []).Select(i => i.Trim()).Where(i => i.Length > 0).Distinct().ToList();
        var scope = (r.Scope ?? "all").Trim().ToLowerInvariant() switch
        {
            "all" => RuleScope.All,
            "product" or "products" => RuleScope.Products(ids),
            "collection" or "collections" or "category" or "categories" => RuleScope.Collections(ids),
            "coupon" or "coupons" => RuleScope.Coupons(ids),
            _ => throw ValidationFailedException.For(field + ".scope", $"'{r.Scope}' is not a scope: use all, product, collection or coupon."),
        };
        if (scope.Kind != RuleScopeKind.All && ids.Count == 0)
            throw ValidationFailedException.For(field + ".ids", $"A {r.Scope} rule needs the ids (or codes) it applies to.");
        if (r.Kind is not { } kind) throw ValidationFailedException.For(field + ".kind", "Say Percent or Flat.");
        if (r.Value is not { } value || value < 0) throw ValidationFailedException.For(field + ".value", "A value of 0 or more is required (a fraction for Percent).");
        return new CommissionRule(scope, kind, value)
        {
            Tiers = (r.Tiers ?? []).Select(t => new PerformanceTier(t.SalesThreshold, t.Value)).ToList(),
            Currency = string.IsNullOrWhiteSpace(r.Currency) ? null : r.Currency.Trim().ToUpperInvariant(),
            Name = string.IsNullOrWhiteSpace(r.Name) ? null : r.Name.Trim(),
        };
    }

    private static GroupResponse ToResponse(CommissionGroup g, int affiliates) => new(
        g.Id, g.Name, g.IsDefault, g.SecondTierRate.ToString("0.######", CultureInfo.InvariantCulture), g.TierPeriod,
        CommissionPlans.ReadRules(g.RulesJson).Select(r => new RuleDto(r.Scope.Kind.ToString().ToLowerInvariant(), r.Scope.Ids, r.Kind, r.Value,
            r.Tiers.Select(t => new TierDto(t.SalesThreshold, t.Value)).ToList(), r.Currency, r.Name)).ToList(),
        affiliates);
}
