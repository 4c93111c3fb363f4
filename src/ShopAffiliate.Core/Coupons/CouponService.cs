using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Coupons;

/// <summary>What the shops are told about a coupon; the platform calls live in the host (<c>CouponPusher</c>).</summary>
public interface ICouponShops
{
    /// <summary>Creates the coupon in every active shop of its program where it is not synced yet, and saves each outcome.</summary>
    Task PushAsync(Coupon coupon, string affiliateName, CancellationToken ct);

    /// <summary>Takes the coupon out of use in every shop where we created it, and saves each outcome.</summary>
    Task DeactivateAsync(Coupon coupon, CancellationToken ct);
}

public sealed record CouponInput(Guid? AffiliateId, string? Code, DiscountType? DiscountType, decimal? Amount);

/// <summary>
/// Codes from <paramref name="Pattern"/> for every approved affiliate of a group (<paramref name="GroupId"/>,
/// <see cref="Guid.Empty"/> = the default group) or for one affiliate (<paramref name="AffiliateId"/>).
/// <paramref name="Base"/> replaces the referral code in <c>{CODE}</c> when given.
/// </summary>
public sealed record BulkCouponInput(Guid? GroupId, Guid? AffiliateId, string? Pattern, string? Base, DiscountType? DiscountType, decimal? Amount);

public sealed record BulkCouponOutcome(IReadOnlyList<PlannedCode> Codes, IReadOnlyList<Coupon> Created);

public sealed record LeakOutcome(Coupon Leaked, Coupon Replacement);

/// <summary>The list's status filter: live codes, codes not where they should be in some shop, leaked (deactivated) codes.</summary>
public enum CouponListStatus
{
    Active,
    OutOfSync,
    Deactivated,
}

public sealed record CouponFilter(string? Search = null, CouponListStatus? Status = null, Guid? AffiliateId = null);

public sealed record CouponShopState(Guid ShopId, string Domain, ShopPlatform Platform, CouponSyncStatus Status, string? Error, int Attempts, DateTime UpdatedAt);

/// <summary>Orders credited through a coupon (not test, not cancelled), their revenue after refunds and the commission, in minor units of one currency.</summary>
public sealed record CouponUsage(long Orders, long RevenueMinor, long CommissionMinor)
{
    public static readonly CouponUsage None = new(0, 0, 0);
}

public sealed record CouponRow(
    Coupon Coupon, string AffiliateName, string AffiliateEmail, string? ReplacedByCode, string? ReplacesCode,
    IReadOnlyList<CouponShopState> Shops, CouponUsage Usage)
{
    /// <summary>A shop where the coupon is not in the state it should be: not created while active, not deactivated once leaked.</summary>
    public bool OutOfSync => Shops.Any(s => Coupon.DeactivatedAt is null
        ? s.Status != CouponSyncStatus.Synced
        : s.Status is not (CouponSyncStatus.Deactivated or CouponSyncStatus.Taken));
}

/// <summary>
/// Affiliate coupons for the API, the admin and the portal: create one or many, re-sync, the leaked-code action, and
/// the list with each coupon's per-shop status and usage. Every query runs inside the caller's program (tenant filter).
/// </summary>
public sealed class CouponService(AppDbContext db, ITenantContext tenant, ICouponShops shops, Mailer mail, TimeProvider clock)
{
    /// <summary>At most this many coupons in one bulk run: each is pushed to every shop before the request answers.</summary>
    public const int MaxBulk = 200;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Coupon> CreateAsync(CouponInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var code = input.Code?.Trim() ?? "";
        if (!CouponCodes.IsValid(code)) errors["code"] = [CouponCodes.Rule];
        CheckDiscount(input.DiscountType, input.Amount, errors);
        if (input.AffiliateId is null) errors["affiliateId"] = ["Say which affiliate the coupon is for."];
        Throw(errors);

        var affiliate = await ApprovedAffiliateAsync(input.AffiliateId!.Value, ct);
        if (await db.Coupons.AnyAsync(c => c.NormalizedCode == Coupon.Normalize(code), ct))
            throw new ConflictException($"The code {code} is already an affiliate coupon in this program.");
        var coupon = New(affiliate.Id, code, input.DiscountType!.Value, input.Amount!.Value);
        db.Coupons.Add(coupon);
        await db.SaveChangesAsync(ct);
        await shops.PushAsync(coupon, affiliate.Name, ct);
        return coupon;
    }

    /// <summary>The codes a bulk run would make, changing nothing (the admin's preview and <c>?preview=true</c>).</summary>
    public async Task<IReadOnlyList<PlannedCode>> PlanAsync(BulkCouponInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (CouponCodes.CheckPattern(input.Pattern) is { } bad) errors["pattern"] = [bad];
        if (!string.IsNullOrWhiteSpace(input.Base) && !CouponCodes.IsValid(CouponCodes.Expand(input.Pattern ?? CouponCodes.Placeholder, input.Base)))
            errors["base"] = ["The base may hold only letters, digits, '-' or '_'."];
        if ((input.GroupId is null) == (input.AffiliateId is null))
            errors["groupId"] = ["Say either the group (groupId) or the one affiliate (affiliateId) the coupons are for."];
        CheckDiscount(input.DiscountType, input.Amount, errors);
        Throw(errors);

        var affiliates = db.Affiliates.AsNoTracking().Where(a => a.Status == AffiliateStatus.Approved);
        if (input.AffiliateId is { } one)
        {
            var affiliate = await ApprovedAffiliateAsync(one, ct);
            affiliates = affiliates.Where(a => a.Id == affiliate.Id);
        }
        else if (input.GroupId == Guid.Empty) affiliates = affiliates.Where(a => a.GroupId == null);
        else if (await db.CommissionGroups.AnyAsync(g => g.Id == input.GroupId, ct)) affiliates = affiliates.Where(a => a.GroupId == input.GroupId);
        else throw ValidationFailedException.For("groupId", "No group with that id in this program.");

        // Name, then id: the same group and pattern always give each affiliate the same code.
        var who = await affiliates.OrderBy(a => a.Name).ThenBy(a => a.Id).Take(MaxBulk + 1)
            .Select(a => new { a.Id, a.Name, a.ReferralCode }).ToListAsync(ct);
        if (who.Count > MaxBulk)
            throw ValidationFailedException.For("groupId", $"The group has more than {MaxBulk} approved affiliates; create their coupons through the API in parts (affiliateId).");
        var taken = (await db.Coupons.Select(c => c.NormalizedCode).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return CouponCodes.Plan(who.Select(a => (a.Id, a.Name, a.ReferralCode)), input.Pattern!, input.Base, taken);
    }

    /// <summary>Creates the planned codes in one transaction, then pushes each to every shop.</summary>
    public async Task<BulkCouponOutcome> CreateBulkAsync(BulkCouponInput input, CancellationToken ct)
    {
        var plan = await PlanAsync(input, ct);
        var created = plan.Where(p => p.Code is not null)
            .Select(p => (Name: p.AffiliateName, Coupon: New(p.AffiliateId, p.Code!, input.DiscountType!.Value, input.Amount!.Value))).ToList();
        db.Coupons.AddRange(created.Select(c => c.Coupon));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index on the code: another request took one of these codes since the plan was read.
            throw new ConflictException("Another change created one of these codes meanwhile; nothing was created. Preview again and create.");
        }
        foreach (var (name, coupon) in created) await shops.PushAsync(coupon, name, ct);
        return new(plan, created.Select(c => c.Coupon).ToList());
    }

    /// <summary>Tries again where the coupon is not as it should be: pushed while active, deactivated once leaked.</summary>
    public async Task<Coupon> ResyncAsync(Guid id, CancellationToken ct)
    {
        var coupon = await db.Coupons.FirstOrDefaultAsync(c => c.Id == id && !c.IsArchived, ct)
            ?? throw new NotFoundException("No coupon with that id in this program.");
        if (coupon.DeactivatedAt is null)
            await shops.PushAsync(coupon, await db.Affiliates.Where(a => a.Id == coupon.AffiliateId).Select(a => a.Name).FirstAsync(ct), ct);
        else
            await shops.DeactivateAsync(coupon, ct);
        return coupon;
    }

    /// <summary>
    /// The code was published where it should not be: it is deactivated in every shop, the affiliate gets a new code with
    /// the same discount (pushed too), and a mail with both codes and the reason, stored with the change.
    /// </summary>
    public async Task<LeakOutcome> ReportLeakedAsync(Guid id, string? reason, string? newCode, CancellationToken ct)
    {
        var why = reason?.Trim() ?? "";
        if (why.Length is < 3 or > 500)
            throw ValidationFailedException.For("reason", "Say in 3 to 500 characters why the code is taken out of use (e.g. published on a coupon site); the affiliate reads it.");
        var chosen = string.IsNullOrWhiteSpace(newCode) ? null : newCode.Trim();
        if (chosen is not null && !CouponCodes.IsValid(chosen)) throw ValidationFailedException.For("newCode", CouponCodes.Rule);

        var leaked = await db.Coupons.FirstOrDefaultAsync(c => c.Id == id && !c.IsArchived, ct)
            ?? throw new NotFoundException("No coupon with that id in this program.");
        if (leaked.DeactivatedAt is not null)
            throw new ConflictException($"{leaked.Code} was taken out of use already; use re-sync to retry the shops where that did not go through.");
        var affiliate = await db.Affiliates.AsNoTracking().FirstAsync(a => a.Id == leaked.AffiliateId, ct);
        if (affiliate.Status != AffiliateStatus.Approved)
            throw new ConflictException($"{affiliate.Name} is {affiliate.Status}; only approved affiliates get a replacement code.");

        var taken = (await db.Coupons.Select(c => c.NormalizedCode).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (chosen is not null && taken.Contains(Coupon.Normalize(chosen)))
            throw ValidationFailedException.For("newCode", $"The code {chosen} is already an affiliate coupon in this program.");
        var code = chosen ?? Enumerable.Range(0, 20).Select(_ => CouponCodes.Replacement(leaked.Code)).First(c => !taken.Contains(Coupon.Normalize(c)));

        var replacement = New(affiliate.Id, code, leaked.DiscountType, leaked.Amount);
        replacement.ReplacesId = leaked.Id;
        leaked.DeactivatedAt = Now;
        leaked.DeactivationReason = why;
        leaked.ReplacedById = replacement.Id;
        db.Coupons.Add(replacement);
        var slug = await db.Workspaces.Where(w => w.Id == leaked.WorkspaceId).Select(w => w.Slug).FirstAsync(ct);
        await mail.EnqueueAsync(db, new MailRequest(leaked.WorkspaceId, EmailKind.CouponReplaced, affiliate.Email, affiliate.Name,
            $"coupon-leaked:{leaked.Id}", new Dictionary<string, string>
            {
                ["oldCode"] = leaked.Code,
                ["newCode"] = replacement.Code,
                ["reason"] = why,
                ["portalUrl"] = $"{mail.PortalUrl}/p/{slug}/coupons",
            }, affiliate.Language), ct);
        // One transaction: the deactivation, the replacement and the mail. The shops are told after it, and re-sync
        // finishes what a failed call left (the coupon says what each shop should hold).
        await db.SaveChangesAsync(ct);
        await shops.DeactivateAsync(leaked, ct);
        await shops.PushAsync(replacement, affiliate.Name, ct);
        return new(leaked, replacement);
    }

    public async Task<PagedResult<CouponRow>> PageAsync(CouponFilter filter, string currency, PageRequest page, CancellationToken ct)
    {
        var coupons = await Query(filter).ToPageAsync(page, ct);
        return new(await RowsAsync(coupons.Items, currency, ct), coupons.Page, coupons.PageSize, coupons.Total);
    }

    /// <summary>Every coupon the filter matches, in the list's order, a page of rows at a time: for the CSV export.</summary>
    public async IAsyncEnumerable<CouponRow> AllAsync(CouponFilter filter, string currency, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            var chunk = await Query(filter).Skip((n - 1) * PageRequest.MaxPageSize).Take(PageRequest.MaxPageSize).ToListAsync(ct);
            foreach (var row in await RowsAsync(chunk, currency, ct)) yield return row;
            if (chunk.Count < PageRequest.MaxPageSize) yield break;
        }
    }

    public async Task<CouponRow?> FindAsync(Guid id, string currency, CancellationToken ct) =>
        await db.Coupons.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && !c.IsArchived, ct) is { } coupon
            ? (await RowsAsync([coupon], currency, ct))[0]
            : null;

    private IQueryable<Coupon> Query(CouponFilter filter)
    {
        var coupons = db.Coupons.AsNoTracking().Where(c => !c.IsArchived);
        if (filter.AffiliateId is { } affiliate) coupons = coupons.Where(c => c.AffiliateId == affiliate);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Codes and emails are stored lowercase; names are compared lowercased.
            var q = filter.Search.Trim().ToLowerInvariant();
            coupons = coupons.Where(c => c.NormalizedCode.Contains(q)
                || db.Affiliates.Any(a => a.Id == c.AffiliateId && (a.Email.Contains(q) || a.Name.ToLower().Contains(q) || a.ReferralCode.Contains(q))));
        }
        coupons = filter.Status switch
        {
            CouponListStatus.Active => coupons.Where(c => c.DeactivatedAt == null),
            CouponListStatus.Deactivated => coupons.Where(c => c.DeactivatedAt != null),
            CouponListStatus.OutOfSync => coupons.Where(c => db.CouponSyncs.Any(s => s.CouponId == c.Id && (c.DeactivatedAt == null
                ? s.Status != CouponSyncStatus.Synced
                : s.Status != CouponSyncStatus.Deactivated && s.Status != CouponSyncStatus.Taken))),
            _ => coupons,
        };
        return coupons.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id);
    }

    /// <summary>The page's affiliates, per-shop states and usage: three queries whatever the page's size.</summary>
    private async Task<List<CouponRow>> RowsAsync(IReadOnlyList<Coupon> coupons, string currency, CancellationToken ct)
    {
        var ids = coupons.Select(c => c.Id).ToList();
        var affiliateIds = coupons.Select(c => c.AffiliateId).Distinct().ToList();
        var linked = coupons.SelectMany(c => new[] { c.ReplacedById, c.ReplacesId }).OfType<Guid>().Distinct().ToList();
        var affiliates = await db.Affiliates.AsNoTracking().Where(a => affiliateIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Email }).ToDictionaryAsync(a => a.Id, ct);
        var codes = linked.Count == 0 ? [] : await db.Coupons.AsNoTracking().Where(c => linked.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        var states = (await (
                from s in db.CouponSyncs.AsNoTracking()
                join shop in db.Shops.AsNoTracking() on s.ShopId equals shop.Id
                where ids.Contains(s.CouponId)
                orderby shop.Domain
                select new { s.CouponId, State = new CouponShopState(s.ShopId, shop.Domain, shop.Platform, s.Status, s.Error, s.Attempts, s.UpdatedAt) })
            .ToListAsync(ct)).ToLookup(x => x.CouponId, x => x.State);
        var usage = await UsageAsync(ids, currency, ct);
        return coupons.Select(c => new CouponRow(c, affiliates[c.AffiliateId].Name, affiliates[c.AffiliateId].Email,
            c.ReplacedById is { } r ? codes.GetValueOrDefault(r) : null, c.ReplacesId is { } p ? codes.GetValueOrDefault(p) : null,
            states[c.Id].ToList(), usage.GetValueOrDefault(c.Id, CouponUsage.None))).ToList();
    }

    /// <summary>
    /// Orders credited through each coupon, summed in SQL from the orders' contributions to the reports (ADR 0019): minor
    /// units of <paramref name="currency"/>, after refunds, without test and cancelled orders.
    /// </summary>
    public async Task<Dictionary<Guid, CouponUsage>> UsageAsync(IReadOnlyCollection<Guid> couponIds, string currency, CancellationToken ct)
    {
        if (couponIds.Count == 0) return [];
        // From the page's codes to their orders (the (program, code) index) and their contributions (the key): a join
        // that started from the coupons let SQLite start from every contribution of the program (115 ms for a page of 30).
        var coupons = await db.Coupons.AsNoTracking().Where(c => couponIds.Contains(c.Id))
            .Select(c => new { c.Id, c.NormalizedCode, c.AffiliateId }).ToListAsync(ct);
        var codes = coupons.Select(c => (string?)c.NormalizedCode).Distinct().ToList();
        var sums = await (
                from o in db.Orders
                where codes.Contains(o.CouponCode) && o.AffiliateId != null
                join oc in db.OrderContributions on new { OrderId = o.Id, AffiliateId = o.AffiliateId!.Value } equals new { oc.OrderId, oc.AffiliateId }
                where oc.Currency == currency
                group oc by new { o.CouponCode, oc.AffiliateId } into g
                select new { g.Key.CouponCode, g.Key.AffiliateId, Orders = g.Sum(x => x.Orders), Revenue = g.Sum(x => x.RevenueMinor), Commission = g.Sum(x => x.CommissionMinor) })
            .ToListAsync(ct);
        var byCode = sums.ToDictionary(s => (s.CouponCode!, s.AffiliateId));
        var usage = new Dictionary<Guid, CouponUsage>();
        foreach (var c in coupons)
            if (byCode.TryGetValue((c.NormalizedCode, c.AffiliateId), out var u)) usage[c.Id] = new CouponUsage(u.Orders, u.Revenue, u.Commission);
        return usage;
    }

    private Coupon New(Guid affiliateId, string code, DiscountType type, decimal amount) => new()
    {
        WorkspaceId = tenant.WorkspaceId ?? throw new InvalidOperationException("Coupons are made inside a program."),
        AffiliateId = affiliateId, Code = code, NormalizedCode = Coupon.Normalize(code), DiscountType = type, Amount = amount,
    };

    private async Task<Affiliate> ApprovedAffiliateAsync(Guid id, CancellationToken ct)
    {
        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw ValidationFailedException.For("affiliateId", "No affiliate with that id in this program.");
        return affiliate.Status == AffiliateStatus.Approved
            ? affiliate
            : throw new ConflictException($"{affiliate.Name} is {affiliate.Status}; only approved affiliates get coupons.");
    }

    private static void CheckDiscount(DiscountType? type, decimal? amount, Dictionary<string, string[]> errors)
    {
        if (type is not { } t) errors["discountType"] = ["Say Percentage or FixedAmount."];
        else if (amount is not { } a || a <= 0 || a > 1_000_000 || (t == DiscountType.Percentage && a > 100))
            errors["amount"] = ["A percentage is above 0 and at most 100; a fixed amount is above 0."];
    }

    private static void Throw(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new ValidationFailedException("The coupon is not valid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);
    }
}
