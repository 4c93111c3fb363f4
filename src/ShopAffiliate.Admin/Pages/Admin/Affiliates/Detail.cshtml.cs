using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Payouts;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Affiliates;

/// <summary>An affiliate's payout line, with its batch.</summary>
public sealed record AffiliatePayoutRow(string Reference, string Currency, decimal Amount, PayoutBatchStatus Status, DateTime CreatedAt, DateTime? PaidAt);

/// <summary>
/// One affiliate: performance for a chosen period (from <see cref="ReportService"/>), links, coupons, commissions
/// (paged), balances and the latest ledger entries, payouts, the application's answers, internal notes, and the
/// screening decisions with reason templates. Decisions go through <see cref="Applications"/>, notes are audited.
/// </summary>
[Authorize]
public sealed class DetailModel(
    AppDbContext db, TenantContext tenant, ReportService reports, CommissionReview commissions, PayoutService payouts, Applications applications,
    AuditTrail audit, IConfiguration configuration, TimeProvider clock, UiContext ui, IStringLocalizer<AdminText> text,
    IStringLocalizer<SharedText> shared) : PageModel
{
    public const int MaxNote = 4000;

    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 30;
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public Membership Program { get; private set; } = null!;
    public Affiliate Affiliate { get; private set; } = null!;
    public string? GroupName { get; private set; }

    /// <summary>The rules the affiliate earns by (their group's, else the default group's, else the program's rate), in words.</summary>
    public List<string> GroupRules { get; private set; } = [];
    public ReportSummary Summary { get; private set; } = null!;
    public List<TrackingLink> Links { get; private set; } = [];
    public List<Coupon> Coupons { get; private set; } = [];
    public PagedResult<CommissionRow> Commissions { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);
    public IReadOnlyList<LedgerBalance> Balances { get; private set; } = [];
    public List<LedgerRecord> Ledger { get; private set; } = [];
    public List<AffiliatePayoutRow> Payouts { get; private set; } = [];
    public AffiliateApplication? Application { get; private set; }
    public List<AffiliateNote> Notes { get; private set; } = [];
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>Approve, reject (the applicant reads the reason), suspend (a reason is required) or reinstate.</summary>
    public async Task<IActionResult> OnPostDecideAsync(string? decision, string? reasonText, string? reasonTemplate, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        var templates = decision == "suspend" ? ReasonTemplates.AffiliateSuspend : ReasonTemplates.AffiliateReject;
        var reason = ReasonTemplates.Choose(reasonText, reasonTemplate, templates, t => text[t].Value);
        try
        {
            switch (decision)
            {
                case "approve" or "reject":
                    var application = await db.AffiliateApplications.FirstOrDefaultAsync(a => a.AffiliateId == Id, ct);
                    await applications.DecideAsync(Affiliate, application, decision == "approve", reason, AdminSession.UserId(User),
                        ApplyModel.PublicBaseUrl(configuration), ct);
                    break;
                case "suspend" or "reinstate":
                    await applications.SetSuspendedAsync(Affiliate, decision == "suspend", reason, ct);
                    break;
                default:
                    return Refuse(text["Choose what to do."]);
            }
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            return Refuse(text[e.Message]);
        }
        TempData.SetStatus(StatusKind.Success, text["{0} is now {1}.", Affiliate.Name, shared["Status." + Affiliate.Status]]);
        return RedirectToPage(new { ws = Ws, id = Id, days = Days });
    }

    /// <summary>An internal note: staff only, never shown to the affiliate, recorded in the audit log.</summary>
    public async Task<IActionResult> OnPostNoteAsync(string? note, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        note = note?.Trim() ?? "";
        if (note.Length is 0 or > MaxNote)
        {
            ModelState.AddModelError("note", text["Write a note of up to {0} characters.", MaxNote]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await LoadAsync(ct) ?? Page();
        }
        var row = new AffiliateNote
        {
            WorkspaceId = Program.WorkspaceId, AffiliateId = Id, Text = note, AuthorName = audit.Actor.Name,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.AffiliateNotes.Add(row);
        audit.Record(AuditActions.AffiliateNoteAdded, nameof(Affiliate), Id.ToString(), before: null, after: new { note }, workspaceId: Program.WorkspaceId);
        await db.SaveChangesAsync(ct);
        TempData.SetStatus(StatusKind.Success, text["The note is saved."]);
        return RedirectToPage(new { ws = Ws, id = Id, days = Days });
    }

    private IActionResult Refuse(string message)
    {
        TempData.SetStatus(StatusKind.Warning, message);
        return RedirectToPage(new { ws = Ws, id = Id, days = Days });
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        // The tenant filter: another program's affiliate is not found, the same as one that does not exist.
        if (await db.Affiliates.FirstOrDefaultAsync(a => a.Id == Id, ct) is not { } affiliate) return NotFound();
        Affiliate = affiliate;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        if (!AffiliatesModel.Periods.Contains(Days)) Days = 30;
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } missing) return missing;
        GroupName = Affiliate.GroupId is { } g ? await db.CommissionGroups.Where(x => x.Id == g).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        var settings = await Core.Settings.SettingsStore.GetAsync(db, Program.WorkspaceId, ct);
        var (plan, _) = await CommissionPlans.ForAffiliateAsync(db, Program.WorkspaceId, Affiliate.GroupId, settings, ct);
        var words = new RuleWords(text, Program.Currency);
        GroupRules = [.. plan.Rules.Select(words.Describe), .. plan.SecondTierRate > 0 ? [words.SecondTier(plan.SecondTierRate)] : Array.Empty<string>()];
        var today = await reports.TodayAsync(ct);
        Summary = await reports.SummaryAsync(new ReportPeriod(today.AddDays(1 - Days), today, AffiliateId: Id), ct);
        Links = await db.TrackingLinks.AsNoTracking().Where(l => l.AffiliateId == Id && !l.IsArchived).OrderByDescending(l => l.CreatedAt).Take(20).ToListAsync(ct);
        Coupons = await db.Coupons.AsNoTracking().Where(c => c.AffiliateId == Id && !c.IsArchived).OrderBy(c => c.Code).Take(20).ToListAsync(ct);
        Commissions = await commissions.PageAsync(new CommissionFilter(AffiliateId: Id), PageRequest.Of(PageNumber, 10), ct);
        Balances = await payouts.BalancesAsync(Program.WorkspaceId, Id, ct);
        Ledger = await db.Ledger.AsNoTracking().Where(l => l.AffiliateId == Id).OrderByDescending(l => l.Id).Take(15).ToListAsync(ct);
        Payouts = await (from i in db.PayoutItems.AsNoTracking()
                         join b in db.PayoutBatches on i.PayoutBatchId equals b.Id
                         where i.AffiliateId == Id
                         orderby b.CreatedAt descending
                         select new AffiliatePayoutRow(b.Reference, b.Currency, i.Amount, b.Status, b.CreatedAt, b.PaidAt)).Take(20).ToListAsync(ct);
        Application = await db.AffiliateApplications.AsNoTracking().FirstOrDefaultAsync(a => a.AffiliateId == Id, ct);
        Notes = await db.AffiliateNotes.AsNoTracking().Where(n => n.AffiliateId == Id).OrderByDescending(n => n.CreatedAt).Take(50).ToListAsync(ct);
        return null;
    }
}
