using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Program;

/// <summary>The public program page: the merchant's pitch, what an affiliate earns (from the real rules), the terms.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ShopAffiliate.Admin.Portal.PortalSession.PageLimit)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public Workspace Workspace { get; private set; } = null!;
    public ProgramPage Listing { get; private set; } = null!;
    public WorkspaceSettings Settings { get; private set; } = null!;
    public CommissionPlan Plan { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Slug == slug, ct);
        if (workspace is null) return NotFound();
        Workspace = workspace;
        Listing = await PortalSession.PageAsync(db, workspace.Id, ct);
        Settings = await SettingsStore.GetAsync(db, workspace.Id, ct);
        // New affiliates join the default group: its rules are what an applicant would earn.
        Plan = (await CommissionPlans.ForAffiliateAsync(db, workspace.Id, null, Settings, ct)).Plan;
        ViewData["ProgramName"] = workspace.Name;
        return Page();
    }

    /// <summary>"10% on all products", "25.00 DKK per order with coupon SUMMER", with performance steps, in the page's language.</summary>
    public string Describe(CommissionRule rule, IStringLocalizer t)
    {
        var value = Amount(rule.Kind, rule.Value, rule.Currency, t);
        if (rule.Kind == RuleKind.Flat)
            value = rule.Scope.Kind is RuleScopeKind.All or RuleScopeKind.Coupon ? t["{0} per order", value] : t["{0} per item", value];
        var ids = string.Join(", ", rule.Scope.Kind == RuleScopeKind.Coupon ? rule.Scope.Ids.Select(c => c.ToUpperInvariant()) : rule.Scope.Ids);
        var one = rule.Scope.Ids.Count == 1;
        string text = rule.Scope.Kind switch
        {
            RuleScopeKind.All => t["{0} on all products", value],
            RuleScopeKind.Product => one ? t["{0} on product {1}", value, ids] : t["{0} on products {1}", value, ids],
            RuleScopeKind.Collection => one ? t["{0} on collection {1}", value, ids] : t["{0} on collections {1}", value, ids],
            _ => one ? t["{0} with coupon {1}", value, ids] : t["{0} with coupons {1}", value, ids],
        };
        if (rule.Tiers.Count > 0)
        {
            text += "; " + string.Join("; ", rule.Tiers.OrderBy(x => x.SalesThreshold)
                .Select(x => t["{0} once your sales this period reach {1}", Amount(rule.Kind, x.Value, rule.Currency, t),
                    x.SalesThreshold.ToString("0.##", CultureInfo.CurrentCulture) + " " + Workspace.Currency].Value));
        }
        return text;
    }

    private string Amount(RuleKind kind, decimal value, string? currency, IStringLocalizer t) =>
        kind == RuleKind.Percent
            ? t["{0}%", (value * 100).ToString("0.##", CultureInfo.CurrentCulture)]
            : $"{value.ToString("0.00", CultureInfo.CurrentCulture)} {currency ?? Workspace.Currency}";
}
