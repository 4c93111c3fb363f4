using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ShopAffiliate.Admin.Pages.Program;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.DisableRateLimiting] // a static thank-you page: no database, nothing to spend
public sealed class AppliedModel : PageModel
{
    public string Slug { get; private set; } = "";

    public void OnGet(string slug) => Slug = slug;
}
