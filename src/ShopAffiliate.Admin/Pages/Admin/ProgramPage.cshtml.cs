using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>The merchant edits the public program page, the terms (each change a new version), the questions and auto-approval.</summary>
[Authorize]
public sealed class ProgramPageModel(AppDbContext db, TenantContext tenant, Core.Communication.ProgramChangeMails programMails,
    Microsoft.Extensions.Localization.IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty] public PageInput Input { get; set; } = new();

    public Membership? Workspace { get; private set; }
    public int TermsVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var page = await PortalSession.PageAsync(db, Workspace!.WorkspaceId, ct);
        TermsVersion = page.TermsVersion;
        Input = new PageInput
        {
            Pitch = page.Pitch,
            Terms = page.Terms,
            Questions = QuestionLines.Write(page.ReadQuestions()),
            AcceptingApplications = page.AcceptingApplications,
            AutoApprove = page.AutoApprove,
            AutoApproveDomains = string.Join(", ", page.AutoApproveDomains),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var questions = QuestionLines.Read(Input.Questions ?? "", out var problems);
        foreach (var problem in problems)
        {
            ModelState.AddModelError("Input.Questions", problem.Line is { } line
                ? text[QuestionLineProblem.LinePrefix, line, text[problem.Message].Value]
                : text[problem.Message, QuestionLines.MaxQuestions]);
        }
        var domains = (Input.AutoApproveDomains ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.TrimStart('@').ToLowerInvariant()).Distinct().ToList();
        if (Input.AutoApprove == AutoApproveRule.EmailDomain && domains.Count == 0)
            ModelState.AddModelError("Input.AutoApproveDomains", text["Name at least one email domain to approve automatically."]);
        if ((Input.Pitch?.Length ?? 0) > 8000) ModelState.AddModelError("Input.Pitch", text["Keep the pitch under 8000 characters."]);
        if ((Input.Terms?.Length ?? 0) > 40000) ModelState.AddModelError("Input.Terms", text["Keep the terms under 40000 characters."]);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var page = await db.ProgramPages.FirstOrDefaultAsync(ct);
        if (page is null)
        {
            page = new ProgramPage { WorkspaceId = Workspace!.WorkspaceId, TermsVersion = 0 };
            db.ProgramPages.Add(page);
        }
        page.Pitch = Input.Pitch?.Trim() ?? "";
        var (versionBefore, hadTerms) = (page.TermsVersion, !string.IsNullOrWhiteSpace(page.Terms));
        page.ChangeTerms(Input.Terms ?? "");
        if (page.TermsVersion == 0) page.TermsVersion = 1; // a new page without terms starts at version 1 too
        // New terms replacing earlier ones: every approved affiliate is mailed (in this save) to accept them again.
        if (hadTerms && page.TermsVersion > versionBefore) await programMails.TermsChangedAsync(page.TermsVersion, ct);
        page.WriteQuestions(questions);
        page.AcceptingApplications = Input.AcceptingApplications;
        page.AutoApprove = Input.AutoApprove;
        page.AutoApproveDomains = domains;
        await db.SaveChangesAsync(ct);
        TempData.SetStatus(StatusKind.Success, text["Saved. The program page shows the changes now."]);
        return RedirectToPage(new { ws = Ws });
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterAsync(db, tenant, User, Ws, ct);
        if (Workspace is null) return NotFound();
        Ws = Workspace.WorkspaceId;
        return Workspace.Role == StaffRole.Analyst ? StatusCode(StatusCodes.Status403Forbidden) : null;
    }

    public sealed class PageInput
    {
        public string? Pitch { get; set; }
        public string? Terms { get; set; }
        public string? Questions { get; set; }
        public bool AcceptingApplications { get; set; } = true;
        public AutoApproveRule AutoApprove { get; set; }
        public string? AutoApproveDomains { get; set; }
    }
}
