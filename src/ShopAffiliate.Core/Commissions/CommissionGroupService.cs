using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Commissions;

public sealed record TierDto(decimal SalesThreshold, decimal Value);

/// <summary>
/// scope: all | product | collection | coupon (ids = product ids, collection/category ids, or coupon codes);
/// kind: Percent (value = fraction, 0.1 = 10%) or Flat (value = amount: per order for all/coupon, per unit for product/collection).
/// </summary>
public sealed record RuleDto(string? Scope, IReadOnlyList<string>? Ids, RuleKind? Kind, decimal? Value, IReadOnlyList<TierDto>? Tiers, string? Currency, string? Name);

public sealed record GroupRequest(string? Name, bool? IsDefault, decimal? SecondTierRate, TierPeriod? TierPeriod, IReadOnlyList<RuleDto>? Rules);

/// <summary>
/// One thing wrong with a group as sent: the field (<c>name</c>, <c>secondTierRate</c>, <c>rules[2].value</c>...), the
/// English message as a composite format (the admin's resource key) and its arguments, so the API and the admin page
/// say the same thing, each in its own language.
/// </summary>
public sealed record PlanProblem(string Field, string Message, params object[] Args)
{
    public string Text => string.Format(CultureInfo.InvariantCulture, Message, Args);
}

/// <summary>A group with how many affiliates are in it.</summary>
public sealed record GroupSummary(CommissionGroup Group, int Affiliates);

/// <summary>
/// Commission groups, for the groups API and the admin's groups page alike: one validation (<see cref="Check"/>,
/// also the simulator's), every change audited in the same save (ADR 0033).
/// </summary>
public sealed class CommissionGroupService(AppDbContext db, AuditTrail audit, Communication.ProgramChangeMails mails)
{
    public async Task<List<GroupSummary>> ListAsync(CancellationToken ct)
    {
        var groups = await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name).ToListAsync(ct);
        var counts = await db.Affiliates.Where(a => a.GroupId != null).GroupBy(a => a.GroupId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, ct);
        return groups.Select(g => new GroupSummary(g, counts.GetValueOrDefault(g.Id))).ToList();
    }

    public async Task<GroupSummary?> GetAsync(Guid id, CancellationToken ct)
    {
        var group = await db.CommissionGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, ct);
        return group is null ? null : new GroupSummary(group, await db.Affiliates.CountAsync(a => a.GroupId == id, ct));
    }

    public async Task<CommissionGroup> CreateAsync(Guid workspaceId, GroupRequest body, CancellationToken ct)
    {
        var group = new CommissionGroup { WorkspaceId = workspaceId, Name = "", RulesJson = "[]" };
        await ApplyAsync(group, body, ct);
        db.CommissionGroups.Add(group);
        audit.Record(AuditActions.GroupCreated, group);
        await db.SaveChangesAsync(ct);
        return group;
    }

    /// <exception cref="NotFoundException">No such group in this program.</exception>
    public async Task<CommissionGroup> UpdateAsync(Guid id, GroupRequest body, CancellationToken ct)
    {
        var group = await db.CommissionGroups.FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw new NotFoundException("No commission group with that id.");
        var before = Rates(group.RulesJson);
        await ApplyAsync(group, body, ct);
        audit.Record(AuditActions.GroupUpdated, group);
        // The group's affiliates are told what their commission was and is, in the same save (once per change).
        var after = Rates(group.RulesJson);
        if (after != before) await mails.CommissionRateChangedAsync(group.Id, before, after, $"{group.Id:N}:{Guid.NewGuid():N}", ct);
        await db.SaveChangesAsync(ct);
        return group;
    }

    /// <summary>
    /// Deletes a group; its affiliates fall back to the default group (the database sets their group to none).
    /// <paramref name="onlyWithoutAffiliates"/>: refuse (409) while anyone is in it, as the admin page does.
    /// </summary>
    /// <exception cref="NotFoundException">No such group in this program.</exception>
    public async Task DeleteAsync(Guid id, bool onlyWithoutAffiliates, CancellationToken ct)
    {
        var group = await db.CommissionGroups.FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw new NotFoundException("No commission group with that id.");
        var members = await db.Affiliates.CountAsync(a => a.GroupId == id, ct);
        if (onlyWithoutAffiliates && members > 0)
            throw new ConflictException(string.Format(CultureInfo.InvariantCulture, GroupInUse, members));
        db.CommissionGroups.Remove(group);
        audit.Record(AuditActions.GroupDeleted, group);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The message (a resource key) of a refused delete; {0} = the number of affiliates.</summary>
    public const string GroupInUse = "This group still has {0} affiliate(s): move them to another group before deleting it.";

    /// <summary>The plan <paramref name="body"/> describes under the program's settings, or what is wrong with it.</summary>
    public async Task<(CommissionPlan? Plan, IReadOnlyList<PlanProblem> Problems)> CheckAsync(Guid workspaceId, GroupRequest body, CancellationToken ct)
    {
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var currency = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Currency).FirstAsync(ct);
        return Check((body.Name ?? "").Trim(), body, settings, currency);
    }

    private async Task ApplyAsync(CommissionGroup group, GroupRequest body, CancellationToken ct)
    {
        var (plan, problems) = await CheckAsync(group.WorkspaceId, body, ct);
        var name = (body.Name ?? "").Trim();
        var all = problems.ToList();
        if (name.Length is 0 or > 200) all.Insert(0, new PlanProblem("name", "A group name of 1 to 200 characters is required."));
        else if (await db.CommissionGroups.AnyAsync(g => g.Name == name && g.Id != group.Id, ct))
            throw new ConflictException($"A group named '{name}' already exists.");
        Throw(all);

        group.Name = name;
        group.SecondTierRate = plan!.SecondTierRate;
        group.TierPeriod = body.TierPeriod ?? TierPeriod.Month;
        group.RulesJson = CommissionPlans.WriteRules(plan.Rules);
        if (body.IsDefault == true && !group.IsDefault)
        {
            // One default per program, changed through the tracker so the save is one transaction.
            foreach (var other in await db.CommissionGroups.Where(g => g.IsDefault && g.Id != group.Id).ToListAsync(ct)) other.IsDefault = false;
        }
        group.IsDefault = body.IsDefault ?? group.IsDefault;
    }

    /// <summary>The rates of a group's rules as the mail shows them ("10 %", "25.00 DKK"); the second tier is not the affiliate's own rate.</summary>
    private static string Rates(string rulesJson)
    {
        var rates = CommissionPlans.ReadRules(rulesJson).Select(r => r.Kind == RuleKind.Percent
            ? (r.Value * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %"
            : r.Value.ToString("0.00", CultureInfo.InvariantCulture) + (r.Currency is { } c ? " " + c : "")).ToList();
        return rates.Count == 0 ? "-" : string.Join(", ", rates.Distinct());
    }

    /// <summary>A 400 naming each field, with every problem found (not only the first).</summary>
    public static void Throw(IReadOnlyList<PlanProblem> problems)
    {
        if (problems.Count == 0) return;
        var errors = problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Text).ToArray());
        throw new ValidationFailedException(problems[0].Text, errors);
    }

    /// <summary>
    /// The plan a group request describes, validated the one way both a group and a proposed plan of the simulator
    /// are: the simulator must refuse exactly what the groups API refuses. <paramref name="programCurrency"/> is the
    /// currency of a flat amount without one of its own (its decimals are checked against it).
    /// </summary>
    public static (CommissionPlan? Plan, IReadOnlyList<PlanProblem> Problems) Check(string name, GroupRequest body, WorkspaceSettings settings, string programCurrency)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<PlanProblem>();
        if (body.SecondTierRate is < 0 or > 1) problems.Add(new("secondTierRate", "The second-tier rate is from 0 to 100 % (a fraction from 0 to 1)."));
        var rules = new List<CommissionRule>();
        for (var i = 0; i < (body.Rules?.Count ?? 0); i++)
        {
            if (ToRule(body.Rules![i], $"rules[{i}]", programCurrency, problems) is { } rule) rules.Add(rule);
        }
        if ((body.Rules?.Count ?? 0) == 0)
            problems.Add(new("rules", "A group needs at least one rule (e.g. {{\"scope\":\"all\",\"kind\":\"Percent\",\"value\":0.1}})."));
        if (problems.Count > 0) return (null, problems);
        var plan = new CommissionPlan(name.Length == 0 ? "Proposed" : name, rules)
        {
            SecondTierRate = body.SecondTierRate ?? 0m, Basis = settings.CommissionBasis, CommissionOnGiftCards = settings.CommissionOnGiftCards,
        };
        plan.Validate(); // what is left (an unknown currency) is the engine's own rule
        return (plan, problems);
    }

    private static CommissionRule? ToRule(RuleDto r, string field, string programCurrency, List<PlanProblem> problems)
    {
        var before = problems.Count;
        var ids = (r.Ids ?? []).Select(i => i.Trim()).Where(i => i.Length > 0).Distinct().ToList();
        RuleScope? scope = (r.Scope ?? "all").Trim().ToLowerInvariant() switch
        {
            "all" => RuleScope.All,
            "product" or "products" => RuleScope.Products(ids),
            "collection" or "collections" or "category" or "categories" => RuleScope.Collections(ids),
            "coupon" or "coupons" => RuleScope.Coupons(ids),
            _ => null,
        };
        if (scope is null) problems.Add(new(field + ".scope", "'{0}' is not a scope: use all, product, collection or coupon.", r.Scope ?? ""));
        else if (scope.Kind != RuleScopeKind.All && ids.Count == 0)
            problems.Add(new(field + ".ids", "A product, collection or coupon rule needs the ids (or codes) it applies to."));
        var currency = string.IsNullOrWhiteSpace(r.Currency) ? null : r.Currency.Trim().ToUpperInvariant();
        if (currency is not null && !Currencies.IsKnown(currency))
            problems.Add(new(field + ".currency", "'{0}' is not an ISO 4217 currency code such as DKK or EUR.", currency));
        if (r.Kind is not { } kind)
        {
            problems.Add(new(field + ".kind", "Say Percent or Flat."));
            return null;
        }
        var tiers = (r.Tiers ?? []).Select(t => new PerformanceTier(t.SalesThreshold, t.Value)).ToList();
        if (r.Value is not { } value) problems.Add(new(field + ".value", "Give the rate or the amount."));
        else CheckValue(value, kind, currency ?? programCurrency, field + ".value", problems);
        foreach (var tier in tiers)
        {
            if (tier.SalesThreshold < 0) problems.Add(new(field + ".tiers", "A tier's sales threshold cannot be negative."));
            CheckValue(tier.Value, kind, currency ?? programCurrency, field + ".tiers", problems);
        }
        if (problems.Count > before) return null;
        return new CommissionRule(scope!, kind, r.Value!.Value)
        {
            Tiers = tiers,
            Currency = currency,
            Name = string.IsNullOrWhiteSpace(r.Name) ? null : r.Name.Trim(),
        };
    }

    private static void CheckValue(decimal value, RuleKind kind, string currency, string field, List<PlanProblem> problems)
    {
        if (value < 0) problems.Add(new(field, "A rate or an amount cannot be negative."));
        else if (kind == RuleKind.Percent && value > 1) problems.Add(new(field, "A percentage is at most 100 % (a fraction between 0 and 1)."));
        else if (kind == RuleKind.Flat && Currencies.IsKnown(currency) && decimal.Round(value, Currencies.MinorUnits(currency)) != value)
            problems.Add(new(field, "An amount in {0} has at most {1} decimals.", currency, Currencies.MinorUnits(currency)));
    }
}
