using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

public sealed record ApplicationRow(Affiliate Affiliate, AffiliateApplication? Application);

/// <summary>
/// The applications queue: each applicant's answers and screening signals, approve, or reject with a reason the
/// applicant reads in the email. Analysts see the queue; owners and managers decide.
/// </summary>
[Authorize]
public sealed class ApplicationsModel(AppDbContext db, TenantContext tenant, Applications applications, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public AffiliateStatus Status { get; set; } = AffiliateStatus.Pending;

    public Membership? Workspace { get; private set; }
    public List<ApplicationRow> Rows { get; private set; } = [];

    public bool CanDecide => Workspace is { Role: not StaffRole.Analyst };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public Task<IActionResult> OnPostApproveAsync(Guid affiliateId, CancellationToken ct) => DecideAsync(affiliateId, true, null, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid affiliateId, string? reason, CancellationToken ct) => DecideAsync(affiliateId, false, reason, ct);

    private async Task<IActionResult> DecideAsync(Guid affiliateId, bool approve, string? reason, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } denied) return denied; // the role was checked by StaffRoleFilter
        var affiliate = await db.Affiliates.FirstOrDefaultAsync(a => a.Id == affiliateId, ct);
        if (affiliate is null) return NotFound();
        var application = await db.AffiliateApplications.FirstOrDefaultAsync(a => a.AffiliateId == affiliateId, ct);
        try
        {
            await applications.DecideAsync(affiliate, application, approve, reason, AdminSession.UserId(User), ApplyModel.PublicBaseUrl(configuration), ct);
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            ModelState.AddModelError("", e.Message);
            Response.StatusCode = e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(ct);
            return Page();
        }
        TempData.SetStatus(StatusKind.Success, approve
            ? $"{affiliate.Name} is approved and has been emailed a link to the portal."
            : $"{affiliate.Name} is rejected and has been emailed your reason.");
        return RedirectToPage(new { ws = Ws, status = Status });
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterAsync(db, tenant, User, Ws, ct);
        if (Workspace is null) return NotFound();
        Ws = Workspace.WorkspaceId;
        Rows = await (
            from a in db.Affiliates.AsNoTracking()
            join app in db.AffiliateApplications.AsNoTracking() on a.Id equals app.AffiliateId into apps
            from app in apps.DefaultIfEmpty()
            where a.Status == Status
            orderby a.CreatedAt descending
            select new ApplicationRow(a, app)).Take(200).ToListAsync(ct);
        return null;
    }

    public static string Describe(ScreeningSignal signal) => signal switch
    {
        ScreeningSignal.DuplicateEmail => "Same mailbox as another affiliate or applicant",
        ScreeningSignal.DuplicateIp => "Same network address as another application",
        ScreeningSignal.DisposableEmail => "Throwaway email address",
        ScreeningSignal.EmailMatchesWebsite => "Email is on the website's domain",
        ScreeningSignal.EmailDiffersFromWebsite => "Email is not on the website's domain",
        _ => "Already a customer of the shop",
    };
}
