using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
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
public sealed class IndexModel(AppDbContext db, IStringLocalizer<AdminText> ruleText) : PageModel
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
        Words = new RuleWords(ruleText, workspace.Currency);
        ViewData["ProgramName"] = workspace.Name;
        return Page();
    }

    /// <summary>The rules in words, in the page's language: the same describer as the admin's groups pages.</summary>
    public RuleWords Words { get; private set; } = null!;
}
