using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Urls;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Settings;

/// <summary>Every field optional: what is left out keeps its current value. <c>DefaultLanguage</c> "" clears it (the browser's).</summary>
public sealed record UpdateProgramSettings(
    int? CookieWindowDays, AttributionModel? AttributionModel, int? HoldDays, decimal? DefaultCommissionRate,
    bool? AutoApproveAffiliates, SelfReferralPolicy? SelfReferralPolicy, bool? LifetimeCommissions, CommissionBasis? CommissionBasis,
    decimal? PayoutThreshold, ConsentMode? ConsentMode, int? DuplicateClickWindowMinutes, IReadOnlyList<string>? AllowedDestinationHosts,
    bool? ExcludeTestOrders, bool? CommissionOnGiftCards, string? TimeZone, StaffRole? StoreAdminRole = null, string? DefaultLanguage = null);

/// <summary>
/// The one place a change to the program's rules is checked and saved: the settings API and the admin's settings page
/// both call <see cref="ApplyAsync"/>, so a rule cannot be enforced on one path and forgotten on the other.
/// </summary>
public static class ProgramSettingsRules
{
    /// <summary>The languages a program can open the admin and portal in by default.</summary>
    public static readonly string[] Languages = ["en", "da"];

    /// <summary>
    /// Validates <paramref name="body"/> (a <see cref="ValidationFailedException"/> names each bad field, camelCase as
    /// in the API) and saves it over the current settings.
    /// </summary>
    public static async Task<WorkspaceSettings> ApplyAsync(
        AppDbContext db, Audit.AuditTrail audit, Guid workspaceId, UpdateProgramSettings body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string field, string message)
        {
            if (!ok) errors[field] = [message];
        }
        Check(body.CookieWindowDays is null or >= 1 and <= 365, "cookieWindowDays", "The cookie window is 1 to 365 days.");
        Check(body.HoldDays is null or >= 0 and <= 365, "holdDays", "The hold period is 0 to 365 days.");
        Check(body.DefaultCommissionRate is null or >= 0 and <= 1, "defaultCommissionRate", "A rate is a fraction from 0 to 1 (0.1 = 10%).");
        Check(body.PayoutThreshold is null or >= 0 and <= 1_000_000, "payoutThreshold", "The payout threshold is 0 or more.");
        Check(body.DuplicateClickWindowMinutes is null or >= 0 and <= 1440, "duplicateClickWindowMinutes", "The repeat-click window is 0 to 1440 minutes.");
        // IPv6 literals are kept without brackets, as Uri.IdnHost gives them when a link is checked against the list.
        var hosts = body.AllowedDestinationHosts?.Select(h => h.Trim().ToLowerInvariant().TrimStart('[').TrimEnd(']'))
            .Where(h => h.Length > 0).Distinct().ToList();
        var badHost = hosts?.FirstOrDefault(h => Uri.CheckHostName(h) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) || h.Contains('/'));
        Check(badHost is null, "allowedDestinationHosts", $"'{badHost}' is not a host name (write shop.example.com, without https:// or a path).");
        if (badHost is null && hosts?.FirstOrDefault(h => NetworkAddresses.ClassifyHost(h) != AddressClass.Public) is { } internalHost)
        {
            Check(false, "allowedDestinationHosts",
                $"'{internalHost}' is {NetworkAddresses.Describe(NetworkAddresses.ClassifyHost(internalHost))}; links may point only at public web hosts.");
        }
        Check(hosts is null || hosts.Count <= 100, "allowedDestinationHosts", "At most 100 extra hosts.");
        var timeZone = ProgramTimeZone.Normalize(body.TimeZone);
        Check(body.TimeZone is null || timeZone is not null, "timeZone",
            $"'{body.TimeZone}' is not an IANA time zone id (write Europe/Copenhagen, America/New_York or UTC).");
        // Owner is refused: anyone holding a store's launch secret could then sign in owners.
        Check(body.StoreAdminRole is null or StaffRole.Manager or StaffRole.Analyst, "storeAdminRole",
            "A store's admins open the program as Manager or Analyst; owners sign in with their password.");
        Check(body.DefaultLanguage is null or "" || Languages.Contains(body.DefaultLanguage), "defaultLanguage",
            $"The default language is one of {string.Join(", ", Languages)}, or empty for the browser's.");
        if (errors.Count > 0)
            throw new ValidationFailedException("The settings are not valid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);

        var s = await SettingsStore.GetAsync(db, workspaceId, ct);
        if (db.Entry(s).State == EntityState.Detached) db.WorkspaceSettings.Add(s);
        s.CookieWindowDays = body.CookieWindowDays ?? s.CookieWindowDays;
        s.AttributionModel = body.AttributionModel ?? s.AttributionModel;
        s.HoldDays = body.HoldDays ?? s.HoldDays;
        s.DefaultCommissionRate = body.DefaultCommissionRate ?? s.DefaultCommissionRate;
        s.AutoApproveAffiliates = body.AutoApproveAffiliates ?? s.AutoApproveAffiliates;
        s.SelfReferralPolicy = body.SelfReferralPolicy ?? s.SelfReferralPolicy;
        s.LifetimeCommissions = body.LifetimeCommissions ?? s.LifetimeCommissions;
        s.CommissionBasis = body.CommissionBasis ?? s.CommissionBasis;
        s.PayoutThreshold = body.PayoutThreshold ?? s.PayoutThreshold;
        s.ConsentMode = body.ConsentMode ?? s.ConsentMode;
        s.DuplicateClickWindowMinutes = body.DuplicateClickWindowMinutes ?? s.DuplicateClickWindowMinutes;
        if (hosts is not null) s.AllowedDestinationHosts = hosts;
        s.ExcludeTestOrders = body.ExcludeTestOrders ?? s.ExcludeTestOrders;
        s.CommissionOnGiftCards = body.CommissionOnGiftCards ?? s.CommissionOnGiftCards;
        s.TimeZone = timeZone ?? s.TimeZone;
        s.StoreAdminRole = body.StoreAdminRole ?? s.StoreAdminRole;
        if (body.DefaultLanguage is { } language) s.DefaultLanguage = language.Length == 0 ? null : language;
        audit.Record(Audit.AuditActions.SettingsUpdated, s);
        await db.SaveChangesAsync(ct);
        return s;
    }
}
