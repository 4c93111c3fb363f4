using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.Shopify;
using ShopAffiliate.Web.Features.WooCommerce;

namespace ShopAffiliate.Web.Features.Coupons;

public sealed record CreateCouponRequest(Guid? AffiliateId, string? Code, DiscountType? DiscountType, decimal? Amount);

public sealed record CouponShopStatus(Guid ShopId, string Shop, CouponSyncStatus Status, string? Error, string? ShareableLink, DateTime UpdatedAt);

public sealed record CouponResponse(Guid Id, Guid AffiliateId, string Code, DiscountType DiscountType, string Amount, IReadOnlyList<CouponShopStatus> Shops, DateTime CreatedAt);

public static partial class CouponEndpoints
{
    public static RouteGroupBuilder MapCoupons(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/coupons").WithTags("Coupons");
        group.MapGet("/", List).WithSummary("Affiliate coupons with their sync status in each shop (filter affiliateId).");
        group.MapPost("/", Create).WithSummary("Create an affiliate's coupon and push it to every shop of the program; amount is a percent (10 = 10%) or a fixed amount.");
        group.MapPost("/{id:guid}/sync", Sync).WithSummary("Push again to the shops where the coupon is not synced yet.");
        return group;
    }

    private static async Task<Ok<PagedList<CouponResponse>>> List(AppDbContext db, Guid? affiliateId, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = db.Coupons.AsNoTracking().Where(c => !c.IsArchived);
        if (affiliateId is { } a) query = query.Where(c => c.AffiliateId == a);
        var total = await query.CountAsync(ct);
        var coupons = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var items = new List<CouponResponse>();
        foreach (var coupon in coupons) items.Add(await ToResponseAsync(db, coupon, ct));
        return TypedResults.Ok(new PagedList<CouponResponse>(items, p, size, total));
    }

    private static async Task<Created<CouponResponse>> Create(
        AppDbContext db, ITenantContext tenant, CouponPusher pusher, CreateCouponRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var code = request.Code?.Trim() ?? "";
        if (!CodePattern().IsMatch(code)) errors["code"] = ["A code is 3 to 40 letters, digits, '-' or '_' (e.g. JANE10)."];
        if (request.DiscountType is not { } type) errors["discountType"] = ["Say Percentage or FixedAmount."];
        else if (request.Amount is not { } amount || amount <= 0 || (type == DiscountType.Percentage && amount > 100))
            errors["amount"] = ["A percentage is above 0 and at most 100; a fixed amount is above 0."];
        if (request.AffiliateId is null) errors["affiliateId"] = ["Say which affiliate the coupon is for."];
        if (errors.Count > 0) throw new ValidationFailedException("The coupon is not valid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);

        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == request.AffiliateId, ct)
            ?? throw ValidationFailedException.For("affiliateId", "No affiliate with that id in this program.");
        if (affiliate.Status != AffiliateStatus.Approved)
            throw new ConflictException($"{affiliate.Name} is {affiliate.Status}; only approved affiliates get coupons.");
        var normalized = Coupon.Normalize(code);
        if (await db.Coupons.AnyAsync(c => c.NormalizedCode == normalized, ct))
            throw new ConflictException($"The code {code} is already an affiliate coupon in this program.");

        var coupon = new Coupon
        {
            WorkspaceId = tenant.WorkspaceId!.Value, AffiliateId = affiliate.Id, Code = code, NormalizedCode = normalized,
            DiscountType = request.DiscountType!.Value, Amount = request.Amount!.Value,
        };
        db.Coupons.Add(coupon);
        await db.SaveChangesAsync(ct);
        await pusher.PushAsync(coupon, affiliate.Name, ct);
        return TypedResults.Created($"/api/v1/coupons/{coupon.Id}", await ToResponseAsync(db, coupon, ct));
    }

    private static async Task<Results<Ok<CouponResponse>, NotFound>> Sync(AppDbContext db, CouponPusher pusher, Guid id, CancellationToken ct)
    {
        var coupon = await db.Coupons.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (coupon is null) return TypedResults.NotFound();
        var name = await db.Affiliates.Where(a => a.Id == coupon.AffiliateId).Select(a => a.Name).FirstAsync(ct);
        await pusher.PushAsync(coupon, name, ct);
        return TypedResults.Ok(await ToResponseAsync(db, coupon, ct));
    }

    private static async Task<CouponResponse> ToResponseAsync(AppDbContext db, Coupon coupon, CancellationToken ct)
    {
        var shops = await (
            from s in db.CouponSyncs.AsNoTracking()
            join shop in db.Shops on s.ShopId equals shop.Id
            where s.CouponId == coupon.Id
            orderby shop.Domain
            select new { s, shop.Domain, shop.Platform }).ToListAsync(ct);
        return new CouponResponse(coupon.Id, coupon.AffiliateId, coupon.Code, coupon.DiscountType,
            coupon.Amount.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            shops.Select(x => new CouponShopStatus(x.s.ShopId, x.Domain, x.s.Status, x.s.Error,
                // Shopify applies a code from a link: https://{shop}/discount/{CODE}?redirect=/
                x.Platform == ShopPlatform.Shopify ? $"https://{x.Domain}/discount/{Uri.EscapeDataString(coupon.Code)}?redirect=%2F" : null,
                x.s.UpdatedAt)).ToList(),
            coupon.CreatedAt);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$")]
    private static partial Regex CodePattern();
}

/// <summary>Creates a coupon in each connected shop of its program and records the outcome per shop.</summary>
public sealed partial class CouponPusher(
    AppDbContext db, ShopifyAdminClient shopify, ShopifyTokens tokens, WooCommerceClient woo, WooConnector wooStores, TimeProvider clock, ILogger<CouponPusher> logger)
{
    public async Task PushAsync(Coupon coupon, string affiliateName, CancellationToken ct)
    {
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
}
