using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>The program switcher: one account may be an affiliate of several programs.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public List<PortalProgram> Programs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Programs = await PortalSession.ProgramsAsync(db, User, ct);
        return Programs.Count == 1 ? LocalRedirect("/portal/p/" + Programs[0].Workspace.Slug) : Page();
    }
}
