using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>"10% on all products", "25.00 DKK per order with coupon SUMMER", with performance steps.</summary>
    public string Describe(CommissionRule rule)
    {
        var value = Amount(rule.Kind, rule.Value, rule.Currency);
        var per = rule.Kind == RuleKind.Flat
            ? rule.Scope.Kind is RuleScopeKind.All or RuleScopeKind.Coupon ? " per order" : " per item"
            : "";
        var on = rule.Scope.Kind == RuleScopeKind.Coupon ? " with " : " on ";
        var text = value + per + on + rule.Scope;
        if (rule.Tiers.Count > 0)
        {
            text += "; " + string.Join("; ", rule.Tiers.OrderBy(t => t.SalesThreshold)
                .Select(t => $"{Amount(rule.Kind, t.Value, rule.Currency)} once your sales this period reach {t.SalesThreshold:0.##} {Workspace.Currency}"));
        }
        return text;
    }

    private string Amount(RuleKind kind, decimal value, string? currency) =>
        kind == RuleKind.Percent ? $"{value * 100:0.##}%" : $"{value:0.00} {currency ?? Workspace.Currency}";
}
