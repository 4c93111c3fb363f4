using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ShopAffiliate.Core.Shops;

namespace ShopAffiliate.Core.Coupons;

/// <summary>One affiliate's code in a bulk plan: <see cref="Code"/> is null when none could be made (<see cref="Problem"/> says why).</summary>
/// <param name="Wanted">What the pattern gave; differs from <see cref="Code"/> when that code was taken.</param>
public sealed record PlannedCode(Guid AffiliateId, string AffiliateName, string Wanted, string? Code, string? Problem)
{
    public bool Clashed => Code is not null && !string.Equals(Code, Wanted, StringComparison.Ordinal);
}

/// <summary>
/// Coupon codes from a pattern such as <c>{CODE}10</c>, where <c>{CODE}</c> is the affiliate's referral code or a base the
/// merchant chose. Codes are uppercase. A code already used in the program (or earlier in the same plan) gets the first
/// free suffix <c>-2</c>, <c>-3</c>…, so the same inputs always give the same codes.
/// </summary>
public static partial class CouponCodes
{
    public const string Placeholder = "{CODE}";

    /// <summary>More suffixes than this and the pattern is the problem, not the luck.</summary>
    public const int MaxSuffix = 99;

    public const string Rule = "A code is 3 to 40 letters, digits, '-' or '_' (e.g. JANE10).";

    // No 0/O or 1/I/L: a replacement code is read off a phone and typed at a checkout.
    private const string RandomAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static bool IsValid(string code) => Pattern().IsMatch(code);

    /// <summary>Null when <paramref name="pattern"/> can make codes; else what is wrong with it.</summary>
    public static string? CheckPattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "Give a pattern such as {CODE}10.";
        if (!pattern.Contains(Placeholder, StringComparison.OrdinalIgnoreCase))
            return "The pattern needs {CODE} where each affiliate's code goes (e.g. {CODE}10).";
        return IsValid(Expand(pattern, "ABC")) ? null : "Around {CODE} the pattern may hold only letters, digits, '-' or '_'.";
    }

    public static string Expand(string pattern, string @base) =>
        pattern.Trim().Replace(Placeholder, @base.Trim(), StringComparison.OrdinalIgnoreCase).ToUpperInvariant();

    /// <summary>
    /// A code per affiliate, in the order given. <paramref name="taken"/> holds the program's codes (normalized, see
    /// <see cref="Coupon.Normalize"/>); the plan's own codes are added to it as they are chosen.
    /// </summary>
    public static List<PlannedCode> Plan(
        IEnumerable<(Guid Id, string Name, string ReferralCode)> affiliates, string pattern, string? chosenBase, ISet<string> taken)
    {
        var plan = new List<PlannedCode>();
        foreach (var (id, name, referralCode) in affiliates)
        {
            var wanted = Expand(pattern, string.IsNullOrWhiteSpace(chosenBase) ? referralCode : chosenBase);
            if (!IsValid(wanted))
            {
                plan.Add(new(id, name, wanted, null, $"{wanted} is not a usable code: {Rule}"));
                continue;
            }
            var code = FirstFree(wanted, taken);
            if (code is null)
            {
                plan.Add(new(id, name, wanted, null, $"{wanted} and its suffixes up to -{MaxSuffix} are all taken."));
                continue;
            }
            taken.Add(Coupon.Normalize(code));
            plan.Add(new(id, name, wanted, code, null));
        }
        return plan;
    }

    /// <summary><paramref name="wanted"/>, else with the first free suffix; null when none is free or fits in 40 characters.</summary>
    public static string? FirstFree(string wanted, ISet<string> taken)
    {
        if (!taken.Contains(Coupon.Normalize(wanted))) return wanted;
        for (var n = 2; n <= MaxSuffix; n++)
        {
            var candidate = $"{wanted}-{n}";
            if (!IsValid(candidate)) return null;
            if (!taken.Contains(Coupon.Normalize(candidate))) return candidate;
        }
        return null;
    }

    /// <summary>
    /// A replacement for a leaked code: the old code with four random characters. Not the next suffix: a coupon site that
    /// published <c>JANE10</c> would try <c>JANE10-2</c> first.
    /// </summary>
    public static string Replacement(string leaked)
    {
        var stem = leaked.Length > 35 ? leaked[..35] : leaked;
        return $"{stem}-{RandomNumberGenerator.GetString(RandomAlphabet, 4)}";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$")]
    private static partial Regex Pattern();
}

public static class CouponLinks
{
    /// <summary>
    /// A link that applies the code and opens the shop: Shopify's <c>https://{shop}/discount/{CODE}?redirect=/</c>.
    /// WooCommerce has no such link of its own (the code is typed at the checkout): null.
    /// </summary>
    public static string? Shareable(ShopPlatform platform, string domain, string code) =>
        platform == ShopPlatform.Shopify ? $"https://{domain}/discount/{Uri.EscapeDataString(code)}?redirect=%2F" : null;
}
