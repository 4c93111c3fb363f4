using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ShopAffiliate.Admin.Pages.Program;

[AllowAnonymous]
public sealed class AppliedModel : PageModel
{
    public string Slug { get; private set; } = "";

    public void OnGet(string slug) => Slug = slug;
}
