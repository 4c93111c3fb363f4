using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Program;

/// <summary>
/// The application form with the merchant's questions. A honeypot field (hidden from people, filled by form bots)
/// gets the same thank-you page as a real application and stores nothing; a per-client limit sits in front.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalSession.ApplyLimit)]
public sealed class ApplyModel(AppDbContext db, Applications applications, IOptions<ScreeningOptions> screening, IConfiguration configuration,
    Microsoft.Extensions.Localization.IStringLocalizer<PortalText> text) : PageModel
{
    /// <summary>The honeypot's name: one a form-filling bot fills in, hidden from people and screen readers.</summary>
    public const string Honeypot = "Input.Fax";

    public Workspace Workspace { get; private set; } = null!;
    public IReadOnlyList<ApplicationQuestion> Questions { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    [BindProperty] public ApplyInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string slug, string? by, CancellationToken ct)
    {
        if (await LoadAsync(slug, ct) is { } missing) return missing;
        // A recruit link (/p/{slug}/apply?by={referral code}): the form carries the code to the application.
        Input.By = by is { Length: > 0 and <= 100 } ? by : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (await LoadAsync(slug, ct) is { } missing) return missing;
        if (!string.IsNullOrEmpty(Input.Fax)) return RedirectToPage("/Program/Applied", new { slug });

        var form = ApplicationForm.Check(new ApplicationInput(Input.Name, Input.Email, Input.Website, Input.Answers), Questions, (template, args) => text[template, args]);
        if (!form.IsValid)
        {
            Errors = form.Errors;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var page = await PortalSession.PageAsync(db, Workspace.Id, ct);
        // The language the form was read in becomes the applicant's mail language until they choose one in the portal.
        var origin = new ApplicantOrigin(HttpContext.Connection.RemoteIpAddress?.ToString(), Country(),
            Localization.UiCultures.Normalize(System.Globalization.CultureInfo.CurrentUICulture.Name), Input.By);
        try
        {
            await applications.ApplyAsync(Workspace, page, form, origin, PublicBaseUrl(configuration), ct);
        }
        catch (ValidationFailedException e)
        {
            Errors = e.Errors.ToDictionary(x => x.Key, x => x.Value[0]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        // The same page whatever the outcome: it must not tell a stranger which emails already applied.
        return RedirectToPage("/Program/Applied", new { slug });
    }

    internal static string PublicBaseUrl(IConfiguration configuration) => configuration["App:PublicBaseUrl"] ?? "http://localhost:5080";

    /// <summary>The country from the configured proxy header only, as two letters; anything else is unknown.</summary>
    private string? Country()
    {
        if (screening.Value.TrustedCountryHeader is not { Length: > 0 } header) return null;
        var value = Request.Headers[header].ToString().Trim().ToUpperInvariant();
        // Cloudflare sends XX for unknown and T1 for Tor.
        return value.Length == 2 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]) && value != "XX" ? value : null;
    }

    private async Task<IActionResult?> LoadAsync(string slug, CancellationToken ct)
    {
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Slug == slug, ct);
        if (workspace is null) return NotFound();
        var page = await PortalSession.PageAsync(db, workspace.Id, ct);
        if (!page.AcceptingApplications) return NotFound();
        Workspace = workspace;
        Questions = page.ReadQuestions();
        ViewData["ProgramName"] = workspace.Name;
        return null;
    }

    public string? ErrorFor(string key) => Errors.TryGetValue(key, out var e) ? e : null;

    public sealed class ApplyInput
    {
        public string? Name { get; set; }
        public string? Email { get; set; }
        public string? Website { get; set; }

        /// <summary>The recruit link's referral code, if the applicant came by one.</summary>
        public string? By { get; set; }

        /// <summary>The honeypot (<see cref="Honeypot"/>).</summary>
        public string? Fax { get; set; }

        public Dictionary<string, string?> Answers { get; set; } = [];
    }
}
