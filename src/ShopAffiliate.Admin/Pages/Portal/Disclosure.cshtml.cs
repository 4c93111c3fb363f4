using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// How to mark affiliate content as advertising, with the Danish Consumer Ombudsman's guidance as the reference; in
/// Danish and English (<c>?lang=da|en</c>, else the request's language).
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class DisclosureModel(AppDbContext db, TenantContext tenant) : PortalPageModel(db, tenant)
{
    [BindProperty(SupportsGet = true)] public string? Lang { get; set; }

    public bool Danish => Lang is "da" || (Lang is not "en" && CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "da");

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) => await EnterAsync(slug, ct) ?? Page();
}
