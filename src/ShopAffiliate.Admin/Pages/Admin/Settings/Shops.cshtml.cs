using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Settings;

/// <summary>
/// The program's connected shops: platform, status (connected, disconnected, token failing), webhook health of the last
/// 24 hours, the import of past orders, and "register webhooks again" and "disconnect". Owners and managers change
/// (the role filter's default), analysts read; both changes are audited in the same save.
/// </summary>
[Authorize]
public sealed class ShopsModel(
    AppDbContext db, TenantContext tenant, ShopHealthService health, IShopConnections connections, AuditTrail audit,
    ReportService reports, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }

    public Membership Program { get; private set; } = null!;
    public List<ShopHealthRow> Shops { get; private set; } = [];

    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        Shops = await health.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReregisterAsync(Guid shopId, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        if (await db.Shops.FirstOrDefaultAsync(s => s.Id == shopId, ct) is not { } shop) return NotFound();
        if (shop.Status == ShopStatus.Paused)
        {
            TempData.SetStatus(StatusKind.Warning, text["{0} is disconnected: connect it again, which registers its webhooks.", shop.Domain]);
            return RedirectToPage(new { ws = Ws });
        }
        var result = await connections.ReregisterWebhooksAsync(shop, ct);
        audit.Record(AuditActions.ShopWebhooksRegistered, nameof(Shop), shop.Id.ToString(), null,
            new { shop.Domain, result.Ok, result.CredentialsRefused, result.Created, result.Problem });
        await db.SaveChangesAsync(ct);
        if (result.CredentialsRefused)
            TempData.SetStatus(StatusKind.Critical, text["{0} refused our access. Connect the store again, then register its webhooks.", shop.Domain]);
        else if (!result.Ok)
            TempData.SetStatus(StatusKind.Critical, text["{0} did not take the webhooks: {1}", shop.Domain, result.Problem ?? ""]);
        else
            TempData.SetStatus(StatusKind.Success, result.Created.Count == 0
                ? text["Every webhook of {0} was in place; nothing needed to be added.", shop.Domain]
                : text["{0} now sends us its orders again: {1} webhook(s) added.", shop.Domain, result.Created.Count]);
        return RedirectToPage(new { ws = Ws });
    }

    public async Task<IActionResult> OnPostDisconnectAsync(Guid shopId, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        if (await db.Shops.FirstOrDefaultAsync(s => s.Id == shopId, ct) is not { } shop) return NotFound();
        if (shop.Status != ShopStatus.Paused)
        {
            shop.Disconnect();
            audit.Record(AuditActions.ShopDisconnected, shop);
            await db.SaveChangesAsync(ct);
        }
        TempData.SetStatus(StatusKind.Success, text["{0} is disconnected: its orders are no longer credited. Its past orders and commissions stay.", shop.Domain]);
        return RedirectToPage(new { ws = Ws });
    }

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        var program = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (program is null) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        ui.TimeZone = await reports.TimeZoneIdAsync(ct);
        return null;
    }
}
