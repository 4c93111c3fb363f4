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
using ShopAffiliate.Core.Email;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// "Email me a sign-in link" (<c>/portal/magic</c>) and "Forgot your password?" (<c>/portal/forgot</c>): one form,
/// one answer whether or not the email has an account, so neither tells a stranger who is an affiliate.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalSession.EmailLimit)]
public sealed class EmailLinkModel(AppDbContext db, UserManager<AppUser> users, MagicLinks magic, Mailer mail, IConfiguration configuration) : PageModel
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
        // Account mail belongs to no one program: it is written as the person's first program, in their language there.
        var program = user is null ? null : await db.Affiliates.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.UserId == user.Id && (a.Status == AffiliateStatus.Approved || a.Status == AffiliateStatus.Suspended))
            .Join(db.Workspaces, a => a.WorkspaceId, w => w.Id, (a, w) => new { a.WorkspaceId, a.Language, AffiliateName = a.Name, ProgramName = w.Name })
            .OrderBy(x => x.ProgramName).FirstOrDefaultAsync(ct);
        if (user is not null && program is not null && (IsReset || user.EmailConfirmed))
        {
            var portal = ApplyModel.PublicBaseUrl(configuration).TrimEnd('/') + "/portal";
            string link;
            if (IsReset)
            {
                var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
                link = $"{portal}/reset?user={user.Id}&code={code}";
            }
            else
            {
                link = $"{portal}/magic/{magic.Create(user.Id)}";
            }
            // Each request is its own event: asking twice mails twice (the rate limit bounds it).
            await mail.EnqueueAsync(db, new MailRequest(program.WorkspaceId, IsReset ? EmailKind.PasswordReset : EmailKind.MagicLink,
                user.Email!, program.AffiliateName, $"{user.Id}:{Guid.NewGuid():N}", new Dictionary<string, string> { ["link"] = link }, program.Language), ct);
            await db.SaveChangesAsync(ct);
        }
        return RedirectToPage(new { Kind, Sent = true });
    }
}
