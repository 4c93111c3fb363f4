using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Affiliates;

/// <summary>
/// The affiliates list: search, status and group filters, columns sorted in SQL with the period's figures from the
/// rollups, bulk approve and move to a group, a CSV of the whole filtered list, and inviting someone by email.
/// </summary>
[Authorize]
public sealed class AffiliatesModel(
    AppDbContext db, TenantContext tenant, AffiliateDirectory directory, ReportService reports, Applications applications,
    IConfiguration configuration, UiContext ui, AuditTrail audit, IStringLocalizer<AdminText> text) : PageModel
{
    /// <summary>The periods the figures can cover, in days.</summary>
    public static readonly int[] Periods = [7, 30, 90, 365];

    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public AffiliateStatus? Status { get; set; }

    /// <summary>A group's id, or <see cref="Guid.Empty"/> for the program's default group.</summary>
    [BindProperty(SupportsGet = true)] public Guid? Group { get; set; }
    [BindProperty(SupportsGet = true)] public AffiliateSort Sort { get; set; } = AffiliateSort.Created;
    [BindProperty(SupportsGet = true)] public string? Dir { get; set; }

    /// <summary>
    /// <c>?page=</c>, read from the query itself: in Razor Pages the route value <c>page</c> is the page's own name,
    /// which model binding would find first.
    /// </summary>
    public int? PageNumber => int.TryParse(Request.Query["page"], out var n) ? n : null;
    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 30;

    [BindProperty] public InviteInput Invite { get; set; } = new();

    public Membership Program { get; private set; } = null!;
    public PagedResult<AffiliateListRow> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);
    public List<CommissionGroup> Groups { get; private set; } = [];
    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || Status is not null || Group is not null;
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>The whole filtered list in the list's order, with the same figures, as a spreadsheet.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var period = await PeriodAsync(ct);
        var csv = new ReportCsv().Row("id", "name", "email", "referralCode", "status", "group", "createdAt", "clicks", "uniqueClicks",
            "orders", "currency", "revenue", "commission", "epc");
        await foreach (var r in directory.AllAsync(Filter, period, Program.Currency, Sort, Descending).WithCancellation(ct))
        {
            csv.Row(r.Id, r.Name, r.Email, r.ReferralCode, r.Status, r.GroupName ?? "", r.CreatedAt.ToString("O"), r.Clicks, r.UniqueClicks,
                r.Orders, Program.Currency, ReportMath.FromMinor(r.RevenueMinor, Program.Currency), ReportMath.FromMinor(r.CommissionMinor, Program.Currency),
                r.UniqueClicks == 0 ? null : ReportMath.Epc(ReportMath.FromMinor(r.CommissionMinor, Program.Currency), r.UniqueClicks));
        }
        return File(csv.ToBytes(), ReportCsv.ContentType, $"affiliates-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv");
    }

    /// <summary>Approves the ticked applicants (each is emailed, as from the applications queue) or moves the ticked affiliates to a group.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string? bulkAction, Guid[] ids, Guid? targetGroup, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        ids = ids.Distinct().Take(PageRequest.MaxPageSize).ToArray();
        if (ids.Length == 0) return Refuse(text["Tick at least one affiliate first."]);
        // The list only offers this program's affiliates: an id from anywhere else is a forged form, not a mistake.
        if (await db.Affiliates.CountAsync(a => ids.Contains(a.Id), ct) != ids.Length) return NotFound();
        if (bulkAction == "approve")
        {
            var chosen = await db.Affiliates.Where(a => ids.Contains(a.Id)).ToListAsync(ct);
            var approvable = chosen.Where(a => Affiliate.CanBecome(a.Status, AffiliateStatus.Approved) && a.Status != AffiliateStatus.Suspended).ToList();
            var applicationsById = await db.AffiliateApplications.Where(a => ids.Contains(a.AffiliateId)).ToDictionaryAsync(a => a.AffiliateId, ct);
            foreach (var affiliate in approvable)
            {
                await applications.DecideAsync(affiliate, applicationsById.GetValueOrDefault(affiliate.Id), true, null,
                    AdminSession.UserId(User), ApplyModel.PublicBaseUrl(configuration), ct);
            }
            TempData.SetStatus(StatusKind.Success, text["Approved {0} of the {1} ticked; each was emailed a link to the portal.", approvable.Count, ids.Length]);
        }
        else if (bulkAction == "group")
        {
            if (targetGroup is { } g && g != Guid.Empty && !await db.CommissionGroups.AnyAsync(x => x.Id == g, ct))
                return Refuse(text["That group does not exist."]);
            Guid? target = targetGroup is { } t && t != Guid.Empty ? t : null;
            // Tracked rather than set-based, so each move is in the audit trail with the group it left.
            var moving = await db.Affiliates.Where(a => ids.Contains(a.Id) && a.GroupId != target).ToListAsync(ct);
            foreach (var affiliate in moving)
            {
                affiliate.GroupId = target;
                audit.Record(AuditActions.AffiliateGroupChanged, affiliate);
            }
            await db.SaveChangesAsync(ct);
            var moved = ids.Length;
            TempData.SetStatus(StatusKind.Success, text["Moved {0} affiliates to the group.", moved]);
        }
        else return Refuse(text["Choose what to do with the ticked affiliates."]);
        return RedirectToPage(ListRoute);
    }

    /// <summary>Adds someone the merchant already works with, approved, and emails them the welcome link to set a password.</summary>
    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        if (!ModelState.IsValid) return await InvalidAsync(ct);
        var email = Invite.Email!.Trim().ToLowerInvariant();
        if (await db.Affiliates.AnyAsync(a => a.Email == email, ct))
        {
            ModelState.AddModelError("Invite.Email", text["{0} is already an affiliate or applicant of this program.", email]);
            return await InvalidAsync(ct);
        }
        var name = Invite.Name!.Trim();
        var affiliate = new Affiliate
        {
            WorkspaceId = Program.WorkspaceId,
            Name = name,
            Email = email,
            ReferralCode = await ReferralCodes.FreeAsync(db.Affiliates, WorkspaceProvisioner.Slugify(name.Split(' ')[0]), ct),
        };
        db.Affiliates.Add(affiliate);
        audit.Record(AuditActions.AffiliateInvited, affiliate);
        await db.SaveChangesAsync(ct);
        try
        {
            await applications.DecideAsync(affiliate, null, true, null, AdminSession.UserId(User), ApplyModel.PublicBaseUrl(configuration), ct);
        }
        catch (ConflictException e)
        {
            ModelState.AddModelError("Invite.Email", e.Message);
            return await InvalidAsync(ct);
        }
        TempData.SetStatus(StatusKind.Success, text["{0} is invited: they were emailed a link to set their password and open the portal.", name]);
        return RedirectToPage(ListRoute);
    }

    private object ListRoute => new { ws = Ws, q = Q, status = Status, group = Group, sort = Sort, dir = Dir, days = Days };

    private AffiliateFilter Filter => new(Q, Status, Group);

    private bool Descending => !string.Equals(Dir, "asc", StringComparison.OrdinalIgnoreCase) && (Dir is not null || Sort != AffiliateSort.Name);

    private IActionResult Refuse(string message)
    {
        TempData.SetStatus(StatusKind.Warning, message);
        return RedirectToPage(ListRoute);
    }

    private async Task<IActionResult> InvalidAsync(CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(ct) ?? Page();
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        var program = await AdminSession.EnterAsync(db, tenant, User, Ws, ct);
        if (program is null) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.Program = program;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        if (!Periods.Contains(Days)) Days = 30;
        return null;
    }

    private async Task<ReportPeriod> PeriodAsync(CancellationToken ct)
    {
        var today = await reports.TodayAsync(ct);
        return new ReportPeriod(today.AddDays(1 - Days), today);
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        Groups = await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name).ToListAsync(ct);
        Rows = await directory.PageAsync(Filter, await PeriodAsync(ct), Program.Currency, Sort, Descending, PageRequest.Of(PageNumber), ct);
        return null;
    }

    public sealed class InviteInput
    {
        [Required(ErrorMessage = "Enter {0}."), StringLength(200), Display(Name = "Name")]
        public string? Name { get; set; }

        [Required(ErrorMessage = "Enter {0}."), EmailAddress(ErrorMessage = "Enter a valid email address."), StringLength(254), Display(Name = "Email")]
        public string? Email { get; set; }
    }
}
