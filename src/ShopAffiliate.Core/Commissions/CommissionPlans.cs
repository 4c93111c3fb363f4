using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Commissions;

/// <summary>Reads commission groups into engine plans.</summary>
public static class CommissionPlans
{
    public static readonly JsonSerializerOptions RuleJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static IReadOnlyList<CommissionRule> ReadRules(string json) =>
        JsonSerializer.Deserialize<List<CommissionRule>>(json, RuleJson) ?? [];

    public static string WriteRules(IEnumerable<CommissionRule> rules) => JsonSerializer.Serialize(rules.ToList(), RuleJson);

    public static CommissionPlan ToPlan(CommissionGroup group, WorkspaceSettings settings) =>
        new(group.Name, ReadRules(group.RulesJson))
        {
            SecondTierRate = group.SecondTierRate, Basis = settings.CommissionBasis, CommissionOnGiftCards = settings.CommissionOnGiftCards,
        };

    /// <summary>The program's built-in plan when no group is set up: the default rate on everything.</summary>
    public static CommissionPlan BuiltIn(WorkspaceSettings settings) =>
        new("Default", [new CommissionRule(RuleScope.All, RuleKind.Percent, settings.DefaultCommissionRate) { Name = "Default rate" }])
        {
            Basis = settings.CommissionBasis,
            CommissionOnGiftCards = settings.CommissionOnGiftCards,
        };

    /// <summary>The affiliate's group, else the workspace's default group, else the built-in plan.</summary>
    public static async Task<(CommissionPlan Plan, TierPeriod Period)> ForAffiliateAsync(
        AppDbContext db, Guid workspaceId, Guid? groupId, WorkspaceSettings settings, CancellationToken ct)
    {
        var groups = db.CommissionGroups.IgnoreQueryFilters().Where(g => g.WorkspaceId == workspaceId);
        var group = (groupId is { } id ? await groups.FirstOrDefaultAsync(g => g.Id == id, ct) : null)
            ?? await groups.FirstOrDefaultAsync(g => g.IsDefault, ct);
        return group is null ? (BuiltIn(settings), TierPeriod.Month) : (ToPlan(group, settings), group.TierPeriod);
    }

    public static DateTime PeriodStart(TierPeriod period, DateTime at) => period switch
    {
        TierPeriod.Month => new DateTime(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        TierPeriod.Quarter => new DateTime(at.Year, ((at.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc),
        TierPeriod.Year => new DateTime(at.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        _ => DateTime.MinValue,
    };
}
