using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.TagHelpers;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

public sealed record StoreAdminSummary(Guid Id, string Email, bool CreatedByLaunch);

public sealed record ShopSummary(Guid Id, string Domain, ShopPlatform Platform, ShopStatus Status, string? Problem, IReadOnlyList<StoreAdminSummary> StoreAdmins);

public sealed record ProgramSummary(Membership Membership, int Affiliates, int PendingApplications, IReadOnlyList<ShopSummary> ShopList)
{
    public int Shops => ShopList.Count;
}

/// <summary>The overview of the program the page shows: set-up, what needs the merchant, the last 30 days' figures.</summary>
public sealed record ProgramOverviewView(
    Membership Program, SetupChecklist Checklist, ProgramTasks Tasks, ReportSummary Summary, string? Currency,
    IReadOnlyList<ChartPoint> Revenue, IReadOnlyList<ChartPoint> PreviousRevenue, IReadOnlyList<TopRow> TopAffiliates)
{
    public CurrencyFigures? Money(SummaryFigures figures) =>
        figures.Currencies.FirstOrDefault(c => c.Currency == Currency);
}

/// <summary>A connect code just created, shown once, under the program it connects to.</summary>
public sealed record NewConnectCode(Guid WorkspaceId, string Code, DateTime ExpiresAt);

/// <summary>
/// The programs this staff member works on, with the numbers that need attention; connect codes for the WooCommerce
/// plugin, and which staff a store's launch link may sign in (ADR 0018).
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.DisableRateLimiting] // anonymous visitors are only sent to sign-in or set-up; its forms need staff
public sealed class IndexModel(
    AppDbContext db, TenantContext tenant, TimeProvider clock, Microsoft.Extensions.Configuration.IConfiguration configuration,
    ProgramOverview overview, ReportService reports, UiContext ui, AuditTrail audit,
    Microsoft.Extensions.Localization.IStringLocalizer<ShopAffiliate.Admin.AdminText> text) : PageModel
{
    public List<ProgramSummary> Programs { get; } = [];

    public bool ShopifyEnabled => !string.IsNullOrEmpty(configuration["Shopify:ApiKey"]) && !string.IsNullOrEmpty(configuration["Shopify:ApiSecret"]);

    [BindProperty(SupportsGet = true)] public string? Connected { get; set; }

    /// <summary><c>denied</c> when the merchant declined WooCommerce's key approval.</summary>
    [BindProperty(SupportsGet = true)] public string? WooCommerce { get; set; }

    public NewConnectCode? NewCode { get; private set; }

    /// <summary>The program to show (<c>?ws=</c>); the first one otherwise.</summary>
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }

    public ProgramOverviewView? Overview { get; private set; }

    /// <summary>The outcome of a store-admin link or unlink, and whether it worked.</summary>
    public (string Text, bool Ok)? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await db.Workspaces.AnyAsync(ct)) return RedirectToPage("/Admin/Setup");
        if (User.Identity?.IsAuthenticated != true)
        {
            // Inside the Shopify admin a missing or stale session token is the bounce page's to renew (ADR 0032).
            return Request.Query["embedded"] == "1" ? Challenge() : RedirectToPage("/Admin/Login", new { ReturnUrl = "/admin" });
        }
        // A program the user is not staff of is not found, the same as one that does not exist.
        if (Ws is { } ws && await AdminSession.EnterAsync(db, tenant, User, ws, ct) is null) return NotFound();
        return await LoadAsync(ct);
    }

    /// <summary>A code the companion plugin's Connect button sends instead of an API key: 15 minutes, once.</summary>
    public async Task<IActionResult> OnPostConnectCodeAsync(Guid ws, CancellationToken ct)
    {
        if (await EnterAsync(ws, ct) is { } denied) return denied;
        // A code names the account that made it; inside the Shopify admin there is a shop's admin and no account, and the
        // code is made all the same (the role filter has checked the program and the role).
        var userId = AdminSession.UserId(User);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.ConnectCodes.IgnoreQueryFilters().Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var (code, row) = ConnectCode.Create(ws, userId, now);
        db.ConnectCodes.Add(row);
        await db.SaveChangesAsync(ct);
        NewCode = new NewConnectCode(ws, code, row.ExpiresAt);
        return await LoadAsync(ct);
    }

    /// <summary>Lets a staff member of the program open it from the store's WordPress admin. Owners only.</summary>
    [RequiresRole(StaffRole.Owner)]
    public async Task<IActionResult> OnPostLinkStoreAdminAsync(Guid ws, Guid shopId, string? email, CancellationToken ct)
    {
        if (await EnterAsync(ws, ct) is { } denied) return denied;
        var shop = await db.Shops.FirstOrDefaultAsync(s => s.Id == shopId && s.Platform == ShopPlatform.WooCommerce, ct);
        if (shop is null) return NotFound();
        var normalized = (email ?? "").Trim().ToUpperInvariant();
        var userId = normalized.Length == 0 ? null
            : await (from u in db.Users
                     join s in db.StaffMembers on u.Id equals s.UserId
                     where u.NormalizedEmail == normalized
                     select (Guid?)u.Id).FirstOrDefaultAsync(ct);
        if (userId is null)
            Message = (text["No staff member of this program has the e-mail '{0}'. Invite them to the program first.", email?.Trim() ?? ""].Value, false);
        else if (await db.StoreAdmins.AnyAsync(a => a.ShopId == shop.Id && a.UserId == userId, ct))
            Message = (text["{0} can already open the program from {1}.", email!.Trim(), shop.Domain].Value, true);
        else
        {
            var link = new StoreAdmin { WorkspaceId = ws, ShopId = shop.Id, UserId = userId.Value, CreatedByLaunch = false };
            db.StoreAdmins.Add(link);
            audit.Record(AuditActions.StoreAdminLinked, link);
            await db.SaveChangesAsync(ct);
            Message = (text["{0} can now open the program from {1}'s WordPress admin.", email!.Trim(), shop.Domain].Value, true);
        }
        return await LoadAsync(ct);
    }

    /// <summary>The store's launch link no longer signs this user in (their staff role is unchanged). Owners only.</summary>
    [RequiresRole(StaffRole.Owner)]
    public async Task<IActionResult> OnPostUnlinkStoreAdminAsync(Guid ws, Guid storeAdminId, CancellationToken ct)
    {
        if (await EnterAsync(ws, ct) is { } denied) return denied;
        var link = await db.StoreAdmins.FirstOrDefaultAsync(a => a.Id == storeAdminId, ct);
        var removed = link is null ? 0 : 1;
        if (link is not null)
        {
            db.StoreAdmins.Remove(link);
            audit.Record(AuditActions.StoreAdminUnlinked, link);
            await db.SaveChangesAsync(ct);
        }
        Message = removed == 1 ? (text["The store can no longer sign that user in."].Value, true) : (text["That link is not there (already removed?)."].Value, false);
        // None of this program's links has that id: a 404, as for any id of another program.
        if (removed == 0) Response.StatusCode = StatusCodes.Status404NotFound;
        return await LoadAsync(ct);
    }

    /// <summary>
    /// Points the tenant filter at <paramref name="ws"/>; null when the user is staff there. The role was checked by
    /// <see cref="StaffRoleFilter"/> before the handler ran.
    /// </summary>
    private async Task<IActionResult?> EnterAsync(Guid ws, CancellationToken ct) =>
        await AdminSession.EnterAsync(db, tenant, User, ws, ct) is null ? NotFound() : null;

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var current = await AdminSession.EnterAsync(db, tenant, User, tenant.WorkspaceId ?? Ws, ct);
        if (current is not null)
        {
            ui.Program = current;
            ui.TimeZone = await reports.TimeZoneIdAsync(ct);
            Overview = await OverviewAsync(current, ct);
        }
        var memberships = await AdminSession.MembershipsAsync(db, User, ct);
        ui.Programs = memberships;
        foreach (var m in memberships)
        {
            // Counted per workspace the user is verified staff of; the filter is bypassed only for those ids.
            var affiliates = db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == m.WorkspaceId);
            var admins = (await (
                    from a in db.StoreAdmins.IgnoreQueryFilters()
                    join u in db.Users on a.UserId equals u.Id
                    where a.WorkspaceId == m.WorkspaceId
                    orderby u.Email
                    select new { a.ShopId, Admin = new StoreAdminSummary(a.Id, u.Email ?? "", a.CreatedByLaunch) }).ToListAsync(ct))
                .ToLookup(a => a.ShopId, a => a.Admin);
            var shops = await db.Shops.IgnoreQueryFilters().Where(s => s.WorkspaceId == m.WorkspaceId).OrderBy(s => s.Domain)
                .Select(s => new { s.Id, s.Domain, s.Platform, s.Status, s.SyncError }).ToListAsync(ct);
            Programs.Add(new ProgramSummary(
                m,
                await affiliates.CountAsync(a => a.Status == AffiliateStatus.Approved, ct),
                await affiliates.CountAsync(a => a.Status == AffiliateStatus.Pending, ct),
                shops.Select(s => new ShopSummary(s.Id, s.Domain, s.Platform, s.Status, s.SyncError, admins[s.Id].ToList())).ToList()));
        }
        return Page();
    }

    /// <summary>The last 30 days in the program's time zone against the 30 before, from the report service.</summary>
    private async Task<ProgramOverviewView> OverviewAsync(Membership program, CancellationToken ct)
    {
        var today = await reports.TodayAsync(ct);
        var period = new ReportPeriod(today.AddDays(-29), today);
        var summary = await reports.SummaryAsync(period, ct);
        var currency = summary.Current.Currencies.Any(c => c.Currency == program.Currency) || summary.Current.Currencies.Count == 0
            ? program.Currency
            : summary.Current.Currencies[0].Currency;
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        IReadOnlyList<ChartPoint> Points(TimeseriesReport r) =>
            (r.Series.FirstOrDefault(x => x.Currency == currency) ?? r.Series.FirstOrDefault())?.Points
                .Select(p => new ChartPoint(p.Start.ToString("d MMM", culture), p.Value ?? 0m)).ToList() ?? [];
        var revenue = await reports.TimeseriesAsync(ReportMetric.Revenue, ReportGrouping.Day, period, ct);
        var before = await reports.TimeseriesAsync(ReportMetric.Revenue, ReportGrouping.Day, period.Previous(), ct);
        // Ranked in a currency the period has figures in; before the first order there is nothing to rank.
        IReadOnlyList<TopRow> top = summary.Current.Currencies.Count == 0 ? []
            : (await reports.TopAsync(TopDimension.Affiliate, ReportMetric.Revenue, period, 5, currency, ct)).Rows;
        return new ProgramOverviewView(
            program, await overview.ChecklistAsync(program.WorkspaceId, ct), await overview.TasksAsync(ct), summary, currency,
            Points(revenue), Points(before), top);
    }
}
