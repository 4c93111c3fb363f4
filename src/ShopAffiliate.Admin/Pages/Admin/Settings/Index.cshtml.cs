using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Settings;

/// <summary>
/// The program-rules form as posted. The commission is in percent here (10 = 10 %); the API takes a fraction. Decimals
/// are text fields read in the page's culture ("12,50" in Danish): a number field would always send "12.50", which
/// Danish parsing reads as 1250.
/// </summary>
public sealed class SettingsForm
{
    public int CookieWindowDays { get; set; }
    public AttributionModel AttributionModel { get; set; }
    public int HoldDays { get; set; }
    [DisplayFormat(DataFormatString = "{0:0.####}", ApplyFormatInEditMode = true)] public decimal CommissionPercent { get; set; }
    public CommissionBasis CommissionBasis { get; set; }
    public SelfReferralPolicy SelfReferralPolicy { get; set; }
    public bool LifetimeCommissions { get; set; }
    public bool ExcludeTestOrders { get; set; }
    public bool CommissionOnGiftCards { get; set; }
    public ConsentMode ConsentMode { get; set; }
    public int DuplicateClickWindowMinutes { get; set; }
    [DisplayFormat(DataFormatString = "{0:0.00}", ApplyFormatInEditMode = true)] public decimal PayoutThreshold { get; set; }
    public string? TimeZone { get; set; }
    public string? DefaultLanguage { get; set; }
    public string? AllowedDestinationHosts { get; set; }

    public static SettingsForm From(WorkspaceSettings s, string timeZone) => new()
    {
        CookieWindowDays = s.CookieWindowDays, AttributionModel = s.AttributionModel, HoldDays = s.HoldDays,
        CommissionPercent = s.DefaultCommissionRate * 100m, CommissionBasis = s.CommissionBasis, SelfReferralPolicy = s.SelfReferralPolicy,
        LifetimeCommissions = s.LifetimeCommissions, ExcludeTestOrders = s.ExcludeTestOrders, CommissionOnGiftCards = s.CommissionOnGiftCards,
        ConsentMode = s.ConsentMode, DuplicateClickWindowMinutes = s.DuplicateClickWindowMinutes, PayoutThreshold = s.PayoutThreshold,
        TimeZone = timeZone, DefaultLanguage = s.DefaultLanguage ?? "", AllowedDestinationHosts = string.Join('\n', s.AllowedDestinationHosts),
    };

    /// <summary>Every field, so a checkbox left unticked (which a browser does not send) is saved as off.</summary>
    public UpdateProgramSettings ToChange() => new(
        CookieWindowDays, AttributionModel, HoldDays, CommissionPercent / 100m, AutoApproveAffiliates: null, SelfReferralPolicy,
        LifetimeCommissions, CommissionBasis, PayoutThreshold, ConsentMode, DuplicateClickWindowMinutes,
        (AllowedDestinationHosts ?? "").Split(['\n', '\r', ',', ' '], StringSplitOptions.RemoveEmptyEntries), ExcludeTestOrders,
        CommissionOnGiftCards, string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone, StoreAdminRole: null, DefaultLanguage ?? "");

    /// <summary>The form field an API field's error belongs to.</summary>
    public static string FieldOf(string apiField) => apiField switch
    {
        "defaultCommissionRate" => nameof(CommissionPercent),
        _ => char.ToUpperInvariant(apiField[0]) + apiField[1..],
    };
}

/// <summary>
/// The program's rules. Saved through <see cref="ProgramSettingsRules.ApplyAsync"/>, the settings API's own code
/// path, so the page and the API accept and refuse the same values. Owners and managers change them; analysts read.
/// </summary>
[Authorize]
public sealed class SettingsModel(AppDbContext db, TenantContext tenant, AuditTrail audit, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty] public SettingsForm Input { get; set; } = new();

    public Membership? Workspace { get; private set; }
    public bool CanEdit => Workspace is { Role: not StaffRole.Analyst };

    /// <summary>IANA ids this server knows, for the time zone field's suggestions.</summary>
    public static readonly IReadOnlyList<string> TimeZones = TimeZoneInfo.GetSystemTimeZones()
        .Where(z => z.HasIanaId && z.Id.Contains('/', StringComparison.Ordinal)).Select(z => z.Id).Prepend(ProgramTimeZone.Default)
        .Order(StringComparer.Ordinal).ToList();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var settings = await SettingsStore.GetAsync(db, Workspace!.WorkspaceId, ct);
        Input = SettingsForm.From(settings, await SettingsStore.TimeZoneAsync(db, settings, ct));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        // A 403, not Forbid(): the staff cookie has no access-denied page to redirect to.
        if (!CanEdit) return StatusCode(StatusCodes.Status403Forbidden);
        if (!ModelState.IsValid) return Invalid();
        try
        {
            await ProgramSettingsRules.ApplyAsync(db, audit, Workspace!.WorkspaceId, Input.ToChange(), ct);
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages) ModelState.AddModelError($"{nameof(Input)}.{SettingsForm.FieldOf(field)}", Localize(field, message));
            }
            return Invalid();
        }
        TempData.SetStatus(StatusKind.Success, text["The program's rules are saved. New orders and clicks follow them from now on."].Value);
        return RedirectToPage(new { ws = Ws });
    }

    /// <summary>
    /// The rules' own message in the page's language when it has one (the English text is the key); the rate's is
    /// the page's, since the form asks in percent where the rule speaks of a fraction.
    /// </summary>
    private string Localize(string field, string message) => field == "defaultCommissionRate"
        ? text["The commission is 0 to 100 %."].Value
        : text[message].Value;

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (Workspace is null) return NotFound();
        Ws = Workspace.WorkspaceId;
        return null;
    }
}
