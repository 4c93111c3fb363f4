using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.Shopify;
using ShopAffiliate.Web.Features.WooCommerce;

namespace ShopAffiliate.Web.Features.Coupons;

public sealed record CreateCouponRequest(Guid? AffiliateId, string? Code, DiscountType? DiscountType, decimal? Amount);

/// <param name="GroupId">Every approved affiliate of this group (<c>00000000-0000-0000-0000-000000000000</c> = the default group); or</param>
/// <param name="AffiliateId">one affiliate.</param>
/// <param name="Pattern">The code pattern, <c>{CODE}</c> standing for the affiliate's referral code (or <paramref name="Base"/>), e.g. <c>{CODE}10</c>.</param>
public sealed record BulkCouponRequest(Guid? GroupId, Guid? AffiliateId, string? Pattern, string? Base, DiscountType? DiscountType, decimal? Amount);

public sealed record LeakedCouponRequest(string? Reason, string? NewCode);

public sealed record CouponShopStatus(Guid ShopId, string Shop, CouponSyncStatus Status, string? Error, string? ShareableLink, DateTime UpdatedAt, int Attempts);

public sealed record CouponUsageResponse(string Currency, long Orders, string Revenue, string Commission);

public sealed record CouponResponse(
    Guid Id, Guid AffiliateId, string Code, DiscountType DiscountType, string Amount, IReadOnlyList<CouponShopStatus> Shops, DateTime CreatedAt,
    string AffiliateName, bool Active, DateTime? DeactivatedAt, string? DeactivationReason, Guid? ReplacedById, string? ReplacedByCode,
    Guid? ReplacesId, bool OutOfSync, CouponUsageResponse Usage);

/// <param name="Code">Null when no code could be made for the affiliate (<paramref name="Problem"/> says why).</param>
/// <param name="Clashed">The pattern's code was taken in the program, so <paramref name="Code"/> carries a suffix.</param>
public sealed record PlannedCouponResponse(Guid AffiliateId, string AffiliateName, string Wanted, string? Code, bool Clashed, string? Problem);

public sealed record BulkCouponResponse(IReadOnlyList<PlannedCouponResponse> Codes, IReadOnlyList<CouponResponse> Created);

public sealed record LeakedCouponResponse(CouponResponse Leaked, CouponResponse Replacement);

public static class CouponEndpoints
{
    public static RouteGroupBuilder MapCoupons(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/coupons").WithTags("Coupons");
        group.MapGet("/", List).WithSummary("Affiliate coupons, newest first, with their sync status in each shop and their usage in the program's currency. " +
            "Filter with affiliateId, q (code, affiliate name, email or referral code) and status (Active, OutOfSync, Deactivated).");
        group.MapGet("/{id:guid}", Get).WithSummary("One coupon with its per-shop status and usage.");
        group.MapPost("/", Create).WithSummary("Create an affiliate's coupon and push it to every shop of the program; amount is a percent (10 = 10%) or a fixed amount.");
        group.MapPost("/bulk/preview", Preview).WithSummary("The codes a bulk run would create (pattern {CODE}10, codes taken in the program get -2, -3…); changes nothing.");
        group.MapPost("/bulk", Bulk).WithSummary($"Create coupons from a pattern for every approved affiliate of a group (or one affiliate), at most {CouponService.MaxBulk}, " +
            "and push each to every shop; the answer lists each affiliate's code, the clashes resolved and the affiliates skipped.");
        group.MapPost("/{id:guid}/sync", Sync).WithSummary("Try the shops again where the coupon is not as it should be: not created yet, or not deactivated yet after a leak.");
        group.MapPost("/{id:guid}/leaked", Leaked).WithSummary("The code was published (a coupon site): deactivate it in every shop, give the affiliate a new code " +
            "with the same discount (newCode, or the old code with four random characters), push that, and email the affiliate why.");
        return group;
    }

    private static async Task<Ok<PagedList<CouponResponse>>> List(
        CouponService coupons, AppDbContext db, ITenantContext tenant, Guid? affiliateId, string? q, CouponListStatus? status, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var currency = await CurrencyAsync(db, tenant, ct);
        var rows = await coupons.PageAsync(new CouponFilter(q, status, affiliateId), currency, new PageRequest(p, size), ct);
        return TypedResults.Ok(new PagedList<CouponResponse>(rows.Items.Select(r => ToResponse(r, currency)).ToList(), rows.Page, rows.PageSize, rows.Total));
    }

    private static async Task<Results<Ok<CouponResponse>, NotFound>> Get(CouponService coupons, AppDbContext db, ITenantContext tenant, Guid id, CancellationToken ct)
    {
        var currency = await CurrencyAsync(db, tenant, ct);
        return await coupons.FindAsync(id, currency, ct) is { } row ? TypedResults.Ok(ToResponse(row, currency)) : TypedResults.NotFound();
    }

    private static async Task<Created<CouponResponse>> Create(
        CouponService coupons, AppDbContext db, ITenantContext tenant, CreateCouponRequest request, CancellationToken ct)
    {
        var coupon = await coupons.CreateAsync(new CouponInput(request.AffiliateId, request.Code, request.DiscountType, request.Amount), ct);
        return TypedResults.Created($"/api/v1/coupons/{coupon.Id}", await ResponseAsync(coupons, db, tenant, coupon.Id, ct));
    }

    private static async Task<Ok<IReadOnlyList<PlannedCouponResponse>>> Preview(CouponService coupons, BulkCouponRequest request, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<PlannedCouponResponse>>((await coupons.PlanAsync(Input(request), ct)).Select(ToResponse).ToList());

    private static async Task<Ok<BulkCouponResponse>> Bulk(CouponService coupons, AppDbContext db, ITenantContext tenant, BulkCouponRequest request, CancellationToken ct)
    {
        var outcome = await coupons.CreateBulkAsync(Input(request), ct);
        var currency = await CurrencyAsync(db, tenant, ct);
        var created = new List<CouponResponse>();
        foreach (var coupon in outcome.Created) created.Add(ToResponse((await coupons.FindAsync(coupon.Id, currency, ct))!, currency));
        return TypedResults.Ok(new BulkCouponResponse(outcome.Codes.Select(ToResponse).ToList(), created));
    }

    private static async Task<Ok<CouponResponse>> Sync(CouponService coupons, AppDbContext db, ITenantContext tenant, Guid id, CancellationToken ct)
    {
        await coupons.ResyncAsync(id, ct);
        return TypedResults.Ok(await ResponseAsync(coupons, db, tenant, id, ct));
    }

    private static async Task<Ok<LeakedCouponResponse>> Leaked(
        CouponService coupons, AppDbContext db, ITenantContext tenant, Guid id, LeakedCouponRequest request, CancellationToken ct)
    {
        var outcome = await coupons.ReportLeakedAsync(id, request.Reason, request.NewCode, ct);
        return TypedResults.Ok(new LeakedCouponResponse(
            await ResponseAsync(coupons, db, tenant, outcome.Leaked.Id, ct), await ResponseAsync(coupons, db, tenant, outcome.Replacement.Id, ct)));
    }

    private static BulkCouponInput Input(BulkCouponRequest r) => new(r.GroupId, r.AffiliateId, r.Pattern, r.Base, r.DiscountType, r.Amount);

    private static PlannedCouponResponse ToResponse(PlannedCode p) => new(p.AffiliateId, p.AffiliateName, p.Wanted, p.Code, p.Clashed, p.Problem);

    private static async Task<CouponResponse> ResponseAsync(CouponService coupons, AppDbContext db, ITenantContext tenant, Guid id, CancellationToken ct)
    {
        var currency = await CurrencyAsync(db, tenant, ct);
        return ToResponse((await coupons.FindAsync(id, currency, ct))!, currency);
    }

    private static Task<string> CurrencyAsync(AppDbContext db, ITenantContext tenant, CancellationToken ct) =>
        db.Workspaces.Where(w => w.Id == tenant.WorkspaceId).Select(w => w.Currency).FirstAsync(ct);

    private static CouponResponse ToResponse(CouponRow row, string currency)
    {
        var c = row.Coupon;
        return new CouponResponse(c.Id, c.AffiliateId, c.Code, c.DiscountType,
            c.Amount.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            row.Shops.Select(s => new CouponShopStatus(s.ShopId, s.Domain, s.Status, s.Error, CouponLinks.Shareable(s.Platform, s.Domain, c.Code), s.UpdatedAt, s.Attempts)).ToList(),
            c.CreatedAt, row.AffiliateName, c.DeactivatedAt is null, c.DeactivatedAt, c.DeactivationReason, c.ReplacedById, row.ReplacedByCode, c.ReplacesId,
            row.OutOfSync, new CouponUsageResponse(currency, row.Usage.Orders,
                Currencies.Format(ReportMath.FromMinor(row.Usage.RevenueMinor, currency), currency),
                Currencies.Format(ReportMath.FromMinor(row.Usage.CommissionMinor, currency), currency)));
    }
}

/// <summary>Creates a coupon in each connected shop of its program and records the outcome per shop.</summary>
public sealed partial class CouponPusher(
    AppDbContext db, ShopifyAdminClient shopify, ShopifyTokens tokens, WooCommerceClient woo, WooConnector wooStores, TimeProvider clock, ILogger<CouponPusher> logger)
    : ICouponShops
{
    public async Task PushAsync(Coupon coupon, string affiliateName, CancellationToken ct)
    {
        // A leaked code is never pushed again, not even to a shop connected after the leak.
        if (coupon.DeactivatedAt is not null) return;
        var shops = await db.Shops.Where(s => s.WorkspaceId == coupon.WorkspaceId && s.Status == ShopStatus.Active).ToListAsync(ct);
        foreach (var shop in shops)
        {
            var sync = await db.CouponSyncs.FirstOrDefaultAsync(s => s.CouponId == coupon.Id && s.ShopId == shop.Id, ct);
            if (sync is null)
            {
                sync = new CouponSync { WorkspaceId = coupon.WorkspaceId, CouponId = coupon.Id, ShopId = shop.Id };
                db.CouponSyncs.Add(sync);
            }
            if (sync.Status == CouponSyncStatus.Synced) continue;
            sync.Attempts++;
            sync.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            try
            {
                var (status, externalId, error) = shop.Platform == ShopPlatform.WooCommerce
                    ? await PushToWooCommerceAsync(shop, coupon, affiliateName, ct)
                    : await PushToShopifyAsync(shop, coupon, affiliateName, ct);
                (sync.Status, sync.ExternalId, sync.Error) = (status, externalId, error is null ? null : Truncate(error));
            }
            catch (Exception e) when (e is ShopifyApiException or WooApiException or HttpRequestException or InvalidOperationException)
            {
                LogPushFailed(e, coupon.Code, shop.Domain);
                sync.Status = CouponSyncStatus.Failed;
                sync.Error = Truncate($"Could not reach {shop.Domain}: {e.Message}");
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Deactivates the coupon in each shop where we created it (Shopify: <c>discountCodeDeactivate</c>; WooCommerce: the
    /// coupon expires). A Shopify row without the discount's id is looked up by code first (our title and value only).
    /// Where we never created it there is nothing to take back: the row says so, and a code the shop had before us
    /// (<see cref="CouponSyncStatus.Taken"/>) is the merchant's own and is left alone.
    /// </summary>
    public async Task DeactivateAsync(Coupon coupon, CancellationToken ct)
    {
        var syncs = await db.CouponSyncs.Where(s => s.CouponId == coupon.Id
            && s.Status != CouponSyncStatus.Deactivated && s.Status != CouponSyncStatus.Taken).ToListAsync(ct);
        var shopIds = syncs.Select(s => s.ShopId).ToList();
        var shops = await db.Shops.Where(s => shopIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        string? affiliateName = null;
        foreach (var sync in syncs)
        {
            var shop = shops[sync.ShopId];
            sync.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            if (sync.ExternalId is null && shop.Platform == ShopPlatform.Shopify)
            {
                // A push that failed may still have created the discount (its answer lost): look under the code first.
                try
                {
                    affiliateName ??= await db.Affiliates.Where(a => a.Id == coupon.AffiliateId).Select(a => a.Name).FirstAsync(ct);
                    sync.ExternalId = await shopify.FindOwnDiscountCodeAsync(shop.Domain, await tokens.AccessTokenAsync(shop, ct),
                        new DiscountCodeRequest(coupon.Code, DiscountCodeRequest.TitleFor(affiliateName), coupon.DiscountType, coupon.Amount, coupon.CreatedAt), ct);
                }
                catch (Exception e) when (e is ShopifyApiException or HttpRequestException or InvalidOperationException)
                {
                    LogDeactivateFailed(e, coupon.Code, shop.Domain);
                    (sync.Status, sync.Error) = (CouponSyncStatus.Failed, Truncate($"Could not look up {coupon.Code} at {shop.Domain}: {e.Message}"));
                    continue;
                }
            }
            if (sync.ExternalId is null)
            {
                (sync.Status, sync.Error) = (CouponSyncStatus.Deactivated, null);
                continue;
            }
            sync.Attempts++;
            try
            {
                var refused = shop.Platform == ShopPlatform.WooCommerce
                    ? await ExpireInWooCommerceAsync(shop, sync.ExternalId, ct)
                    : await shopify.DeactivateDiscountCodeAsync(shop.Domain, await tokens.AccessTokenAsync(shop, ct), sync.ExternalId, ct);
                (sync.Status, sync.Error) = refused.Count == 0
                    ? (CouponSyncStatus.Deactivated, null)
                    : (CouponSyncStatus.Failed, Truncate($"{shop.Domain} refused to deactivate {coupon.Code}: " + string.Join(" ", refused)));
            }
            catch (Exception e) when (e is ShopifyApiException or WooApiException or HttpRequestException or InvalidOperationException)
            {
                LogDeactivateFailed(e, coupon.Code, shop.Domain);
                sync.Status = CouponSyncStatus.Failed;
                sync.Error = Truncate($"Could not deactivate {coupon.Code} at {shop.Domain}: {e.Message}");
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<IReadOnlyList<string>> ExpireInWooCommerceAsync(Shop shop, string externalId, CancellationToken ct)
    {
        var store = wooStores.StoreOf(shop) ?? throw new InvalidOperationException($"{shop.Domain} holds no REST keys; connect it again.");
        await woo.ExpireCouponAsync(store, long.Parse(externalId, System.Globalization.CultureInfo.InvariantCulture), ct);
        return [];
    }

    private async Task<(CouponSyncStatus, string?, string?)> PushToShopifyAsync(Shop shop, Coupon coupon, string affiliateName, CancellationToken ct)
    {
        var result = await shopify.CreateDiscountCodeAsync(shop.Domain, await tokens.AccessTokenAsync(shop, ct),
            new DiscountCodeRequest(coupon.Code, DiscountCodeRequest.TitleFor(affiliateName), coupon.DiscountType, coupon.Amount, clock.GetUtcNow().UtcDateTime), ct);
        return result switch
        {
            { Success: true } => (CouponSyncStatus.Synced, result.ExternalId, null),
            { CodeTaken: true } => (CouponSyncStatus.Taken, null, Taken(shop, coupon)),
            _ => (CouponSyncStatus.Failed, null, "The shop refused the discount: " + string.Join(" ", result.Errors)),
        };
    }

    private async Task<(CouponSyncStatus, string?, string?)> PushToWooCommerceAsync(Shop shop, Coupon coupon, string affiliateName, CancellationToken ct)
    {
        var store = wooStores.StoreOf(shop) ?? throw new InvalidOperationException($"{shop.Domain} holds no REST keys; connect it again.");
        var result = await woo.CreateCouponAsync(store,
            new WooCouponRequest(coupon.Code, coupon.DiscountType, coupon.Amount, DiscountCodeRequest.TitleFor(affiliateName), coupon.AffiliateId.ToString()), ct);
        return result.Outcome == WooCouponOutcome.Created
            ? (CouponSyncStatus.Synced, result.CouponId?.ToString(System.Globalization.CultureInfo.InvariantCulture), null)
            : (CouponSyncStatus.Taken, null, Taken(shop, coupon));
    }

    private static string Taken(Shop shop, Coupon coupon) =>
        $"{shop.Domain} already has a discount with the code {coupon.Code}. Choose another code for this affiliate.";

    private static string Truncate(string s) => s.Length > 1000 ? s[..1000] : s;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing coupon {Code} to {Shop} failed")]
    private partial void LogPushFailed(Exception e, string code, string shop);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deactivating coupon {Code} at {Shop} failed")]
    private partial void LogDeactivateFailed(Exception e, string code, string shop);
}
