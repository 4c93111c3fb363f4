using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Features.Settings;

public sealed record ProgramSettingsDto(
    int CookieWindowDays, AttributionModel AttributionModel, int HoldDays, string DefaultCommissionRate,
    bool AutoApproveAffiliates, SelfReferralPolicy SelfReferralPolicy, bool LifetimeCommissions, CommissionBasis CommissionBasis,
    string PayoutThreshold, ConsentMode ConsentMode, int DuplicateClickWindowMinutes, IReadOnlyList<string> AllowedDestinationHosts,
    bool ExcludeTestOrders, bool CommissionOnGiftCards, string TimeZone, StaffRole StoreAdminRole, string? DefaultLanguage);

public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapProgramSettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/program").WithTags("Settings");
        group.MapGet("/", Get).WithSummary("The program's rules: cookie window, attribution model, hold period, commission default, payouts, consent.");
        group.MapPut("/", Put).WithSummary("Change program rules; fields left out keep their value. Rates are fractions (0.1 = 10%).");
        return group;
    }

    private static async Task<Ok<ProgramSettingsDto>> Get(AppDbContext db, ITenantContext tenant, CancellationToken ct)
    {
        var settings = await SettingsStore.GetAsync(db, tenant.WorkspaceId!.Value, ct);
        return TypedResults.Ok(ToDto(settings, await SettingsStore.TimeZoneAsync(db, settings, ct)));
    }

    private static async Task<Ok<ProgramSettingsDto>> Put(
        AppDbContext db, ShopAffiliate.Core.Audit.AuditTrail audit, ITenantContext tenant, UpdateProgramSettings body, CancellationToken ct)
    {
        var s = await ProgramSettingsRules.ApplyAsync(db, audit, tenant.WorkspaceId!.Value, body, ct);
        return TypedResults.Ok(ToDto(s, await SettingsStore.TimeZoneAsync(db, s, ct)));
    }

    private static ProgramSettingsDto ToDto(WorkspaceSettings s, string timeZone) => new(
        s.CookieWindowDays, s.AttributionModel, s.HoldDays, s.DefaultCommissionRate.ToString("0.######", CultureInfo.InvariantCulture),
        s.AutoApproveAffiliates, s.SelfReferralPolicy, s.LifetimeCommissions, s.CommissionBasis,
        s.PayoutThreshold.ToString("0.00", CultureInfo.InvariantCulture), s.ConsentMode, s.DuplicateClickWindowMinutes,
        s.AllowedDestinationHosts, s.ExcludeTestOrders, s.CommissionOnGiftCards, timeZone, s.StoreAdminRole, s.DefaultLanguage);
}
