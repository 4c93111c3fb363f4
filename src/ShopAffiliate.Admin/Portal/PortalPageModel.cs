using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Portal;

/// <summary>
/// A portal page of one program (<c>/portal/p/{slug}/...</c>): every handler enters the program first, which points
/// the tenant filter at it and answers 404 when the signed-in person is not its affiliate.
/// </summary>
public abstract class PortalPageModel(AppDbContext db, TenantContext tenant) : PageModel
{
    protected AppDbContext Db => db;

    public PortalProgram Current { get; private set; } = null!;
    public IReadOnlyList<PortalProgram> Programs { get; private set; } = [];

    /// <summary>The program pays a second tier: the menu then has the team page.</summary>
    public bool HasSecondTier { get; private set; }

    /// <summary>Null when entered; otherwise the answer to return (404).</summary>
    protected async Task<IActionResult?> EnterAsync(string slug, CancellationToken ct)
    {
        Programs = await PortalSession.ProgramsAsync(db, User, ct);
        var chosen = Programs.FirstOrDefault(p => p.Workspace.Slug == slug);
        if (chosen is null) return NotFound();
        tenant.WorkspaceId = chosen.Workspace.Id;
        Current = chosen;
        HasSecondTier = await Core.Affiliates.Recruits.ProgramHasSecondTierAsync(db, ct);
        ViewData["ProgramName"] = chosen.Workspace.Name;
        ViewData["Slug"] = chosen.Workspace.Slug;
        // The shell's portal menu links program-less paths (/portal/links) that do not exist yet; these pages carry
        // their own program navigation (_PortalNav) until the portal moves under that menu.
        ViewData["PortalNav"] = false;
        return null;
    }
}
