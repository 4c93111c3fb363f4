using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>The affiliate's own name, website and payout details in this program.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class ProfileModel(AppDbContext db, TenantContext tenant, IStringLocalizer<PortalText> text) : PortalPageModel(db, tenant)
{
    [BindProperty] public ProfileInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        Input = new ProfileInput { Name = Current.Affiliate.Name, Website = Current.Affiliate.Website, PayoutDetails = Current.Affiliate.PayoutDetails };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        string? website = null;
        if (!string.IsNullOrWhiteSpace(Input.Website))
        {
            if (SafeUrl.TryParse(Input.Website, out var uri, out var problem)) website = uri.AbsoluteUri;
            else ModelState.AddModelError("Input.Website", text["The website must be an http(s) address a person can open."] + " " + problem);
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var id = Current.Affiliate.Id;
        await Db.Affiliates.Where(a => a.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Name, Input.Name.Trim())
            .SetProperty(a => a.Website, website)
            .SetProperty(a => a.PayoutDetails, Input.PayoutDetails!.Trim()), ct);
        TempData.SetStatus(StatusKind.Success, text["Saved."]);
        return RedirectToPage(new { slug });
    }

    public sealed class ProfileInput
    {
        [Required(ErrorMessage = "Enter your name."), StringLength(200, ErrorMessage = "Keep the name under 200 characters.")]
        public string Name { get; set; } = "";

        public string? Website { get; set; }

        [Required(ErrorMessage = "Say where your payouts go: a PayPal email or your bank account.")]
        [StringLength(500, ErrorMessage = "Keep the payout details under 500 characters.")]
        public string? PayoutDetails { get; set; }
    }
}
