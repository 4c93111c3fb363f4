using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Coupons;

/// <summary>
/// The program's affiliate coupons: search and status filters, each coupon's state in every shop with re-sync, usage in
/// the program's currency, a single coupon, coupons from a pattern for a group (previewed first), the leaked-code
/// action and a CSV of the filtered list. Every change goes through <see cref="CouponService"/>, as the API's do.
/// </summary>
[Authorize]
public sealed class CouponsModel(
    AppDbContext db, TenantContext tenant, CouponService coupons, ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public CouponListStatus? Status { get; set; }

    /// <summary><c>?page=</c>, read from the query: the route value <c>page</c> is the page's own name in Razor Pages.</summary>
    public int? PageNumber => int.TryParse(Request.Query["page"], out var n) ? n : null;

    [BindProperty] public SingleInput Single { get; set; } = new();
    [BindProperty(SupportsGet = true)] public BulkInput Bulk { get; set; } = new();

    public Membership Program { get; private set; } = null!;
    public PagedResult<CouponRow> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);
    public List<CommissionGroup> Groups { get; private set; } = [];
    public List<(Guid Id, string Name, string Email)> Affiliates { get; private set; } = [];

    /// <summary>The bulk run's codes, when the merchant asked for a preview.</summary>
    public IReadOnlyList<PlannedCode>? Preview { get; private set; }

    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || Status is not null;
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    /// <summary>The codes a bulk run would make: a GET, it changes nothing; the page then offers to create them.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } denied) return denied;
        try
        {
            Preview = await coupons.PlanAsync(Bulk.ToInput(), ct);
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            AddErrors(e, "Bulk");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        var csv = new ReportCsv().Row("id", "code", "affiliate", "email", "discountType", "amount", "state", "deactivatedAt", "reason", "replacedBy",
            "shops", "orders", "currency", "revenue", "commission", "createdAt");
        await foreach (var r in coupons.AllAsync(Filter, Program.Currency, ct))
        {
            var c = r.Coupon;
            csv.Row(c.Id, c.Code, r.AffiliateName, r.AffiliateEmail, c.DiscountType, c.Amount, c.DeactivatedAt is null ? "active" : "deactivated",
                c.DeactivatedAt?.ToString("O"), c.DeactivationReason ?? "", r.ReplacedByCode ?? "",
                string.Join("; ", r.Shops.Select(s => $"{s.Domain}: {s.Status}")), r.Usage.Orders, Program.Currency,
                ReportMath.FromMinor(r.Usage.RevenueMinor, Program.Currency), ReportMath.FromMinor(r.Usage.CommissionMinor, Program.Currency), c.CreatedAt.ToString("O"));
        }
        return File(csv.ToBytes(), ReportCsv.ContentType, "coupons.csv");
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            var coupon = await coupons.CreateAsync(new CouponInput(Single.AffiliateId, Single.Code, Single.DiscountType, Single.Amount), ct);
            TempData.SetStatus(StatusKind.Success, text["{0} is created and sent to the shops; its state in each shop is below.", coupon.Code]);
            return RedirectToPage(new { ws = Ws, q = coupon.Code });
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            AddErrors(e, "Single");
            return await InvalidAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostBulkAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            var outcome = await coupons.CreateBulkAsync(Bulk.ToInput(), ct);
            var clashes = outcome.Codes.Count(p => p.Clashed);
            var skipped = outcome.Codes.Count(p => p.Code is null);
            TempData.SetStatus(skipped > 0 ? StatusKind.Warning : StatusKind.Success,
                text["Created {0} coupons and sent them to the shops ({1} with a suffix because the code was taken, {2} skipped).", outcome.Created.Count, clashes, skipped]);
            return RedirectToPage(new { ws = Ws });
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            AddErrors(e, "Bulk");
            return await InvalidAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostSyncAsync(Guid id, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            var coupon = await coupons.ResyncAsync(id, ct);
            TempData.SetStatus(StatusKind.Info, text["The shops were tried again for {0}; each shop's state is below.", coupon.Code]);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return RedirectToPage(ListRoute);
    }

    public async Task<IActionResult> OnPostLeakedAsync(Guid id, string? reason, string? newCode, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            var outcome = await coupons.ReportLeakedAsync(id, reason, newCode, ct);
            TempData.SetStatus(StatusKind.Success,
                text["{0} is deactivated in the shops and replaced by {1}; {2} is emailed the new code.", outcome.Leaked.Code, outcome.Replacement.Code, await AffiliateNameAsync(outcome.Replacement.AffiliateId, ct)]);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            TempData.SetStatus(StatusKind.Warning, e.Message);
        }
        return RedirectToPage(ListRoute);
    }

    private Task<string> AffiliateNameAsync(Guid id, CancellationToken ct) =>
        db.Affiliates.Where(a => a.Id == id).Select(a => a.Name).FirstAsync(ct);

    // No "page": in Razor Pages that route value names the page itself, so the list comes back at its first page.
    private object ListRoute => new { ws = Ws, q = Q, status = Status };

    private CouponFilter Filter => new(Q, Status);

    private void AddErrors(DomainException e, string prefix)
    {
        if (e is ValidationFailedException { Errors.Count: > 0 } v)
        {
            foreach (var (field, messages) in v.Errors)
                foreach (var m in messages) ModelState.AddModelError($"{prefix}.{char.ToUpperInvariant(field[0])}{field[1..]}", m);
        }
        else ModelState.AddModelError(string.Empty, e.Message); // shown in the summary at the top
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
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        Groups = await db.CommissionGroups.AsNoTracking().OrderByDescending(g => g.IsDefault).ThenBy(g => g.Name).ToListAsync(ct);
        // The single-coupon form's choice; a program with more approved affiliates uses the API or a group.
        Affiliates = (await db.Affiliates.AsNoTracking().Where(a => a.Status == AffiliateStatus.Approved).OrderBy(a => a.Name).Take(500)
            .Select(a => new { a.Id, a.Name, a.Email }).ToListAsync(ct)).Select(a => (a.Id, a.Name, a.Email)).ToList();
        Rows = await coupons.PageAsync(Filter, Program.Currency, PageRequest.Of(PageNumber), ct);
        return null;
    }

    public sealed class SingleInput
    {
        public Guid? AffiliateId { get; set; }
        public string? Code { get; set; }
        public DiscountType? DiscountType { get; set; } = Core.Coupons.DiscountType.Percentage;
        public decimal? Amount { get; set; }
    }

    public sealed class BulkInput
    {
        /// <summary>A group's id, <see cref="Guid.Empty"/> for the default group.</summary>
        public Guid? GroupId { get; set; }
        public string? Pattern { get; set; } = "{CODE}10";
        public string? Base { get; set; }
        public DiscountType? DiscountType { get; set; } = Core.Coupons.DiscountType.Percentage;
        public decimal? Amount { get; set; }

        public BulkCouponInput ToInput() => new(GroupId ?? Guid.Empty, null, Pattern, Base, DiscountType, Amount);
    }
}

/// <summary>The model of <c>_DiscountFields</c>: which form (its field prefix) and the values to show again.</summary>
public sealed record DiscountFields(string Prefix, DiscountType? Type, decimal? Amount);
