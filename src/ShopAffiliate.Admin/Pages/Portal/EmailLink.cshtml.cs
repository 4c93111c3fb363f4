using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// "Email me a sign-in link" (<c>/portal/magic</c>) and "Forgot your password?" (<c>/portal/forgot</c>): one form,
/// one answer whether or not the email has an account, so neither tells a stranger who is an affiliate.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalSession.EmailLimit)]
public sealed class EmailLinkModel(AppDbContext db, UserManager<AppUser> users, MagicLinks magic, IAffiliateMail mail, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Kind { get; set; } = "magic";
    [BindProperty, Required(ErrorMessage = "Enter your email."), EmailAddress(ErrorMessage = "Enter an email address.")] public string Email { get; set; } = "";
    [BindProperty(SupportsGet = true)] public bool Sent { get; set; }

    public bool IsReset => Kind == "forgot";

    public IActionResult OnGet() => Kind is "magic" or "forgot" ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Kind is not ("magic" or "forgot")) return NotFound();
        if (!ModelState.IsValid) return Page();
        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is not null && await PortalSignIn.IsAffiliateAsync(db, user.Id, ct))
        {
            var portal = ApplyModel.PublicBaseUrl(configuration).TrimEnd('/') + "/portal";
            if (IsReset)
            {
                var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
                await mail.SendAsync(AffiliateEmails.PasswordReset(user.Email!, $"{portal}/reset?user={user.Id}&code={code}"), ct);
            }
            else if (user.EmailConfirmed)
            {
                await mail.SendAsync(AffiliateEmails.MagicLink(user.Email!, $"{portal}/magic/{magic.Create(user.Id)}", magic.Minutes), ct);
            }
        }
        return RedirectToPage(new { Kind, Sent = true });
    }
}
