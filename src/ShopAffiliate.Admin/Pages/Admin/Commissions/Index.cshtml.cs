using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Commissions;

/// <summary>
/// The commissions review queue: by default those held for review (self-referrals), with the reason and the engine's
/// explanation of the credit; filters, server paging and a CSV; approve or reject one or the ticked with a reason; and
/// a manual commission or adjustment, booked as a new ledger entry (<see cref="ManualLedger"/>). Every change goes
/// through Core, which records it in the audit trail. Analysts look; owners and managers decide.
/// </summary>
[Authorize]
public sealed class CommissionsModel(
    AppDbContext db, TenantContext tenant, CommissionReview review, ManualLedger manual, ReportService reports, UiContext ui,
    IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }

    /// <summary><c>review</c> (the default: held for review) or <c>all</c>.</summary>
    [BindProperty(SupportsGet = true)] public string? View { get; set; }
    [BindProperty(SupportsGet = true)] public CommissionStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Affiliate { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Reason { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    [BindProperty] public ManualInput Manual { get; set; } = new();

    public Membership Program { get; private set; } = null!;
    public PagedResult<CommissionRow> Rows { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);
    public string? AffiliateName { get; private set; }
    public bool ReviewOnly => View != "all";
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is not { } filter) return NotFound();
        var csv = new ReportCsv().Row("id", "createdAt", "order", "orderId", "affiliate", "affiliateId", "tier", "status", "currency", "amount",
            "heldForReview", "reason", "method", "explanation");
        await foreach (var r in review.Query(filter).AsAsyncEnumerable().WithCancellation(ct))
        {
            csv.Row(r.Id, r.CreatedAt.ToString("O"), r.OrderNumber, r.OrderId, r.AffiliateName, r.AffiliateId, r.Tier, r.Status, r.Currency, r.Amount,
                r.HeldForReview, r.StatusReason, r.Method, r.Explanation);
        }
        return File(csv.ToBytes(), ReportCsv.ContentType, $"commissions-{Program.Slug}.csv");
    }

    /// <summary>Approves or rejects the ticked commissions (or the one <paramref name="commissionId"/>), with a reason the affiliate sees.</summary>
    public async Task<IActionResult> OnPostDecideAsync(string? decision, Guid[] ids, Guid? commissionId, string? reasonText, string? reasonTemplate, CancellationToken ct)
    {
        if (await EnterAsync(ct) is null) return NotFound();
        var chosen = (commissionId is { } one ? [one] : ids).Distinct().Take(PageRequest.MaxPageSize).ToArray();
        if (chosen.Length == 0) return Refuse(text["Tick at least one commission first."]);
        // The queue only offers this program's commissions: an id from anywhere else is a forged form, not a mistake.
        if (await db.Commissions.CountAsync(c => chosen.Contains(c.Id), ct) != chosen.Length) return NotFound();
        var kind = decision switch { "approve" => DecisionKind.Approve, "reject" => DecisionKind.Reject, _ => (DecisionKind?)null };
        if (kind is null) return Refuse(text["Choose approve or reject."]);
        var templates = kind == DecisionKind.Approve ? ReasonTemplates.CommissionApprove : ReasonTemplates.CommissionReject;
        var reason = ReasonTemplates.Choose(reasonText, reasonTemplate, templates, t => text[t].Value);
        if (reason is null) return Refuse(text["Give a reason: the affiliate sees it."]);
        try
        {
            var changed = await review.DecideAsync(chosen, kind.Value, reason, ct);
            TempData.SetStatus(StatusKind.Success, kind == DecisionKind.Approve
                ? text["Approved {0} of {1} commissions.", changed, chosen.Length]
                : text["Rejected {0} of {1} commissions.", changed, chosen.Length]);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationFailedException e)
        {
            return Refuse(e.Message);
        }
        return RedirectToPage(ListRoute);
    }

    /// <summary>A manual commission (for an order, or free-standing) or an adjustment (either sign), with a required reason.</summary>
    public async Task<IActionResult> OnPostManualAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is null) return NotFound();
        var key = (Manual.Affiliate ?? "").Trim().ToLowerInvariant();
        var affiliateId = key.Length == 0 ? (Guid?)null
            : await db.Affiliates.Where(a => a.Email == key || a.ReferralCode == key).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        if (affiliateId is null) ModelState.AddModelError("Manual.Affiliate", text["No affiliate of this program has that email or referral code."]);
        if (!AmountInput.TryParse(Manual.Amount, out var amount)) ModelState.AddModelError("Manual.Amount", text["Enter the amount as a number, such as 40.00."]);
        Guid? orderId = null;
        if (!string.IsNullOrWhiteSpace(Manual.Order) && Manual.Kind == ManualKind.Commission)
        {
            var number = Manual.Order.Trim();
            orderId = await db.Orders.Where(o => o.Number == number || o.Number == "#" + number || o.ExternalId == number).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
            if (orderId is null) ModelState.AddModelError("Manual.Order", text["No order of this program has that number."]);
        }
        if (!ModelState.IsValid) return await InvalidAsync(ct);
        try
        {
            var entry = Manual.Kind == ManualKind.Commission
                ? await manual.CommissionAsync(affiliateId!.Value, amount, null, orderId, Manual.Reason, ct)
                : await manual.AdjustAsync(affiliateId!.Value, amount, null, Manual.Reason, ct);
            TempData.SetStatus(StatusKind.Success, text["Booked {0} for the affiliate; the next payout settles it.", Formats.Money(entry.Amount, entry.Currency, System.Globalization.CultureInfo.CurrentCulture)]);
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors)
                foreach (var message in messages) ModelState.AddModelError("Manual." + char.ToUpperInvariant(field[0]) + field[1..], text[message]);
            return await InvalidAsync(ct);
        }
        return RedirectToPage(ListRoute);
    }

    private object ListRoute => new { ws = Ws, view = View, status = Status, affiliate = Affiliate, from = From, to = To, reason = Reason };

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

    private async Task<CommissionFilter?> EnterAsync(CancellationToken ct)
    {
        if (await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct) is not { } program) return null;
        Program = program;
        Ws = program.WorkspaceId;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await reports.TimeZoneIdAsync(ct));
        ui.TimeZone = zone.Id;
        return new CommissionFilter(Status, ReviewOnly ? true : null, Affiliate,
            From is { } from ? ReportCalendar.StartUtc(from, zone) : null,
            To is { } to ? ReportCalendar.StartUtc(to.AddDays(1), zone) : null,
            Reason);
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is not { } filter) return NotFound();
        Rows = await review.PageAsync(filter, PageRequest.Of(PageNumber), ct);
        if (Affiliate is { } id) AffiliateName = await db.Affiliates.Where(a => a.Id == id).Select(a => a.Name).FirstOrDefaultAsync(ct);
        return null;
    }

    public enum ManualKind
    {
        Commission,
        Adjustment,
    }

    public sealed class ManualInput
    {
        public ManualKind Kind { get; set; }

        /// <summary>The affiliate's email or referral code.</summary>
        public string? Affiliate { get; set; }

        /// <summary>Text in the page's culture, as the settings page reads decimals.</summary>
        public string? Amount { get; set; }

        /// <summary>An order number (commission only); empty for a free-standing commission.</summary>
        public string? Order { get; set; }

        public string? Reason { get; set; }
    }
}
