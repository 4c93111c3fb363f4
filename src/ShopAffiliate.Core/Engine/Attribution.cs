using System.Globalization;
using ShopAffiliate.Core.Affiliates;

namespace ShopAffiliate.Core.Engine;

public enum AttributionModel
{
    FirstClick,
    LastClick,
}

public enum SelfReferralPolicy
{
    /// <summary>The order stays credited to the affiliate (so staff see whose it was) but the commission is Rejected.</summary>
    Reject,

    /// <summary>The commission is booked as Pending and never approves on its own: staff must approve it.</summary>
    Hold,
}

public enum AttributionMethod
{
    None,
    Coupon,
    Link,
    Lifetime,
    Manual,
}

/// <summary>What happens to the commissions of an attributed order.</summary>
public enum CommissionDisposition
{
    Earn,
    HoldForReview,
    Reject,
}

public sealed record ProgramSettings
{
    public int CookieWindowDays { get; init; } = 30;
    public AttributionModel AttributionModel { get; init; } = AttributionModel.LastClick;
    public SelfReferralPolicy SelfReferralPolicy { get; init; } = SelfReferralPolicy.Reject;

    /// <summary>Customers referred once stay with their affiliate; their later orders earn through <see cref="AttributionMethod.Lifetime"/>.</summary>
    public bool LifetimeCommissions { get; init; }
}

public sealed record ClickFact(AffiliateId Affiliate, DateTime At)
{
    /// <summary>The tracking link the click came through, if any.</summary>
    public Guid? LinkId { get; init; }

    public string? SubId { get; init; }

    /// <summary>The creative clicked (<c>/r/{code}?c={creativeId}</c>), if any.</summary>
    public Guid? CreativeId { get; init; }
}

/// <summary>The stored click that won a <see cref="AttributionMethod.Link"/> attribution, with its link, sub-ID and creative.</summary>
public sealed record WinningClick(Guid ClickId, Guid? LinkId, string? SubId, Guid? CreativeId);

public sealed record AffiliateFacts(AffiliateId Id, string Name, AffiliateStatus Status, string Email)
{
    /// <summary>The affiliate's own customer accounts in the shops: an order by one of them is a self-referral.</summary>
    public IReadOnlyCollection<CustomerKey> OwnCustomers { get; init; } = [];

    /// <summary>The affiliate who recruited this one (second tier).</summary>
    public AffiliateId? ParentId { get; init; }
}

/// <summary>Staff assigned the order to an affiliate by hand (a resolved dispute, a phone order).</summary>
public sealed record ManualAttribution(AffiliateId Affiliate, string Reason);

/// <summary>
/// In-memory lookups the caller fills from the database. Coupon and referral codes are matched case-insensitively
/// whatever comparer the given dictionaries use (they are copied once, so build one instance per batch of orders).
/// </summary>
public sealed record AttributionInputs
{
    public ProgramSettings Settings { get; init; } = new();

    public IReadOnlyDictionary<string, AffiliateId> Coupons
    {
        get;
        init => field = IgnoreCase(value);
    } = IgnoreCase(new Dictionary<string, AffiliateId>());

    public IReadOnlyDictionary<string, AffiliateId> ReferralCodes
    {
        get;
        init => field = IgnoreCase(value);
    } = IgnoreCase(new Dictionary<string, AffiliateId>());

    public IReadOnlyDictionary<Guid, ClickFact> Clicks { get; init; } = new Dictionary<Guid, ClickFact>();

    /// <summary>Lifetime links: <see cref="CustomerKey.ForCustomer"/> or <see cref="CustomerKey.ForEmail"/> to the affiliate.</summary>
    public IReadOnlyDictionary<CustomerKey, AffiliateId> LifetimeCustomers { get; init; } = new Dictionary<CustomerKey, AffiliateId>();

    public IReadOnlyDictionary<AffiliateId, AffiliateFacts> Affiliates { get; init; } = new Dictionary<AffiliateId, AffiliateFacts>();

    public ManualAttribution? Manual { get; init; }

    private static Dictionary<string, AffiliateId> IgnoreCase(IReadOnlyDictionary<string, AffiliateId> source)
    {
        var copy = new Dictionary<string, AffiliateId>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, affiliate) in source)
            copy[code.Trim()] = affiliate;
        return copy;
    }
}

/// <summary>
/// Who gets the order and why. <see cref="Explanation"/> is plain English shown to merchant and affiliate alike.
/// <see cref="NewLifetimeLinks"/> are the customer keys the caller should now link to <see cref="AffiliateId"/>.
/// </summary>
public sealed record AttributionResult(AffiliateId? AffiliateId, AttributionMethod Method, string Explanation)
{
    /// <summary>The approved recruiting affiliate who earns the second tier, if any.</summary>
    public AffiliateId? ParentAffiliateId { get; init; }

    public CommissionDisposition Disposition { get; init; } = CommissionDisposition.Earn;

    public bool IsSelfReferral { get; init; }

    /// <summary>The coupon that credited the order (lowercase, as matched), for <see cref="AttributionMethod.Coupon"/>.</summary>
    public string? CouponCode { get; init; }

    /// <summary>
    /// The stored click whose touch won, for <see cref="AttributionMethod.Link"/>: what per-creative (and per-link)
    /// reports credit the order to. Null for other methods and for touches without a stored click (a cart attribute).
    /// </summary>
    public WinningClick? Click { get; init; }

    public IReadOnlyList<CustomerKey> NewLifetimeLinks { get; init; } = [];

    public bool ShouldLinkLifetimeCustomer => NewLifetimeLinks.Count > 0;

    public static AttributionResult Unattributed(string explanation) => new(null, AttributionMethod.None, explanation);
}

/// <summary>
/// Decides which affiliate an order belongs to. Precedence: a manual assignment by staff; then an affiliate's coupon on
/// the order; then a referral touch (click, cart attribute, landing URL, UTM) inside the cookie window, first or last
/// by setting; then a lifetime customer link. A candidate whose affiliate is not Approved (Pending, Rejected,
/// Suspended) is skipped, the explanation says so, and the next candidate is tried: a suspended affiliate's stale
/// coupon must not hide the link click of an active one.
/// </summary>
public static class AttributionEngine
{
    /// <summary>A click logged a little after the order (clocks of two servers) still counts.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static AttributionResult Attribute(OrderEvent order, AttributionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(inputs);

        var skipped = new List<string>();
        var touches = Rank(ResolveTouches(order, inputs, skipped), inputs.Settings.AttributionModel);
        var chosen = touches.FirstOrDefault();

        var result = FromManual(inputs, skipped)
            ?? FromCoupon(order, inputs, skipped, chosen)
            ?? FromTouch(order, inputs, touches, chosen)
            ?? FromLifetime(order, inputs, skipped);

        if (result is null)
        {
            var none = "No affiliate: no coupon, referral or lifetime customer matched." + Notes(skipped);
            return AttributionResult.Unattributed(Prefix(order, none));
        }

        var affiliate = inputs.Affiliates[result.AffiliateId!.Value];
        var explanation = result.Explanation + Notes(skipped);
        result = result with { ParentAffiliateId = EligibleParent(affiliate, inputs) };

        if (IsSelfReferral(order, affiliate))
        {
            var hold = inputs.Settings.SelfReferralPolicy == SelfReferralPolicy.Hold;
            explanation += $" But the buyer is {affiliate.Name}'s own account (self-referral): the commission is "
                + (hold ? "held until staff review it." : "rejected.");
            return result with
            {
                Explanation = Prefix(order, explanation),
                IsSelfReferral = true,
                Disposition = hold ? CommissionDisposition.HoldForReview : CommissionDisposition.Reject,
            };
        }

        var links = order.IsTest ? [] : NewLifetimeLinks(order, inputs, result);
        if (links.Count > 0)
            explanation += $" From now on this customer's orders earn {affiliate.Name} lifetime commissions.";
        return result with { Explanation = Prefix(order, explanation), NewLifetimeLinks = links };
    }

    private sealed record Touch(ReferralTouch Evidence, int Index, AffiliateFacts Affiliate, DateTime At, bool TimeKnown)
    {
        public WinningClick? Click { get; init; }
    }

    private static AttributionResult? FromManual(AttributionInputs inputs, List<string> skipped)
    {
        if (inputs.Manual is not { } manual)
            return null;
        if (!Eligible(inputs, manual.Affiliate, out var facts, out var why))
        {
            skipped.Add($"The manual assignment to {why}");
            return null;
        }

        return new(facts.Id, AttributionMethod.Manual, $"Assigned to {facts.Name} by staff: {manual.Reason.Trim().TrimEnd('.')}.");
    }

    private static AttributionResult? FromCoupon(OrderEvent order, AttributionInputs inputs, List<string> skipped, Touch? chosenTouch)
    {
        foreach (var code in order.DiscountCodes.Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!inputs.Coupons.TryGetValue(code, out var id))
                continue;
            var shown = code.ToUpperInvariant();
            if (!Eligible(inputs, id, out var facts, out var why))
            {
                skipped.Add($"Coupon {shown} belongs to {why}");
                continue;
            }

            var text = $"Coupon {shown} belongs to {facts.Name}";
            if (chosenTouch is { } touch)
            {
                text += touch.Affiliate.Id == facts.Id
                    ? $" (their {Describe(touch, order)} points the same way)"
                    : $" (the coupon wins over {touch.Affiliate.Name}'s {Describe(touch, order)})";
            }

            return new(facts.Id, AttributionMethod.Coupon, text + ".") { CouponCode = code.ToLowerInvariant() };
        }

        return null;
    }

    private static AttributionResult? FromTouch(OrderEvent order, AttributionInputs inputs, List<Touch> touches, Touch? chosen)
    {
        if (chosen is null)
            return null;

        var settings = inputs.Settings;
        var text = $"Referral of {chosen.Affiliate.Name}: {Describe(chosen, order)}";
        if (chosen.TimeKnown)
        {
            var days = (int)Math.Floor((order.CreatedAt - chosen.At).TotalDays);
            text += days >= 1
                ? $", {days} day{(days == 1 ? "" : "s")} before the order, inside the {settings.CookieWindowDays}-day window"
                : ", less than a day before the order";
        }

        var rival = touches.FirstOrDefault(t => t.Affiliate.Id != chosen.Affiliate.Id);
        if (rival is not null)
        {
            var rule = settings.AttributionModel == AttributionModel.FirstClick ? "first" : "last";
            text += $" (the {rule} referral wins over {rival.Affiliate.Name}'s {Describe(rival, order)})";
        }

        return new(chosen.Affiliate.Id, AttributionMethod.Link, text + ".") { Click = chosen.Click };
    }

    private static AttributionResult? FromLifetime(OrderEvent order, AttributionInputs inputs, List<string> skipped)
    {
        if (!inputs.Settings.LifetimeCommissions)
            return null;
        foreach (var key in CustomerKeys(order))
        {
            if (!inputs.LifetimeCustomers.TryGetValue(key, out var id))
                continue;
            if (!Eligible(inputs, id, out var facts, out var why))
            {
                skipped.Add($"The customer's lifetime link is to {why}");
                return null;
            }

            var who = key.IsEmail ? key.Value : "this customer account";
            return new(facts.Id, AttributionMethod.Lifetime, $"Lifetime customer of {facts.Name}: {who} was referred by {facts.Name} before.");
        }

        return null;
    }

    private static List<Touch> ResolveTouches(OrderEvent order, AttributionInputs inputs, List<string> skipped)
    {
        var window = TimeSpan.FromDays(inputs.Settings.CookieWindowDays);
        var touches = new List<Touch>();
        for (var i = 0; i < order.Touches.Count; i++)
        {
            var touch = order.Touches[i];
            AffiliateId id;
            DateTime? at;
            var timeKnown = true;
            WinningClick? stored = null;
            if (touch.ClickId is { } clickId && inputs.Clicks.TryGetValue(clickId, out var click))
            {
                (id, at) = (click.Affiliate, click.At);
                stored = new WinningClick(clickId, click.LinkId, click.SubId, click.CreativeId);
            }
            else if (!string.IsNullOrWhiteSpace(touch.ReferralCode) && inputs.ReferralCodes.TryGetValue(touch.ReferralCode.Trim(), out var byCode))
            {
                // A touch carried by the order itself happened in the session that placed it: in-window by construction.
                // A Click touch whose click we cannot find has no trustworthy time and is dropped.
                (id, at, timeKnown) = (byCode, touch.At ?? (touch.Source == TouchSource.Click ? null : order.CreatedAt), touch.At is not null);
            }
            else
            {
                continue;
            }

            if (at is not { } time)
                continue;
            if (!Eligible(inputs, id, out var facts, out var why))
            {
                skipped.Add($"A referral ({Source(touch.Source)}) belongs to {why}");
                continue;
            }

            var candidate = new Touch(touch, i, facts, time, timeKnown) { Click = stored };
            if (order.CreatedAt - time > window)
                skipped.Add($"{facts.Name}'s {Describe(candidate, order)} is older than the {inputs.Settings.CookieWindowDays}-day window");
            else if (time - order.CreatedAt > ClockSkew)
                skipped.Add($"{facts.Name}'s {Describe(candidate, order)} came after the order");
            else
                touches.Add(candidate);
        }

        return touches;
    }

    /// <summary>Best first. Ties (touches stamped with the order's creation time) go to the strongest evidence, then list order.</summary>
    private static List<Touch> Rank(List<Touch> touches, AttributionModel model)
    {
        var byTime = model == AttributionModel.FirstClick
            ? touches.OrderBy(t => t.At)
            : touches.OrderByDescending(t => t.At);
        return byTime.ThenBy(t => SourceRank(t.Evidence.Source)).ThenBy(t => t.Index).ToList();
    }

    private static int SourceRank(TouchSource source) => source switch
    {
        TouchSource.Click => 0,
        TouchSource.CartAttribute => 1,
        TouchSource.OrderMeta => 2,
        TouchSource.LandingUrl => 3,
        _ => 4,
    };

    private static bool Eligible(AttributionInputs inputs, AffiliateId id, out AffiliateFacts facts, out string whyNot)
    {
        if (!inputs.Affiliates.TryGetValue(id, out facts!))
        {
            whyNot = "an affiliate who no longer exists: skipped";
            return false;
        }

        whyNot = $"{facts.Name}, whose account is {facts.Status.ToString().ToLowerInvariant()}: skipped";
        return facts.Status == AffiliateStatus.Approved;
    }

    private static AffiliateId? EligibleParent(AffiliateFacts affiliate, AttributionInputs inputs) =>
        affiliate.ParentId is { } parent && parent != affiliate.Id
            && inputs.Affiliates.TryGetValue(parent, out var facts) && facts.Status == AffiliateStatus.Approved
            ? parent
            : null;

    private static bool IsSelfReferral(OrderEvent order, AffiliateFacts affiliate)
    {
        if (!string.IsNullOrWhiteSpace(order.CustomerEmail)
            && string.Equals(order.CustomerEmail.Trim(), affiliate.Email.Trim(), StringComparison.OrdinalIgnoreCase))
            return true;
        return CustomerKeys(order).Any(affiliate.OwnCustomers.Contains);
    }

    private static List<CustomerKey> NewLifetimeLinks(OrderEvent order, AttributionInputs inputs, AttributionResult result)
    {
        if (!inputs.Settings.LifetimeCommissions || result.AffiliateId is not { } affiliate)
            return [];
        var keys = CustomerKeys(order);
        if (result.Method == AttributionMethod.Lifetime)
            return keys.Where(k => !inputs.LifetimeCustomers.ContainsKey(k)).ToList(); // e.g. link the e-mail too
        // The first affiliate keeps the customer: a coupon of another affiliate wins this order but does not re-link.
        return keys.Any(inputs.LifetimeCustomers.ContainsKey) ? [] : keys;
    }

    /// <summary>The order's customer keys, as lifetime links name customers: its platform customer id, then its e-mail.</summary>
    public static List<CustomerKey> CustomerKeys(OrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var keys = new List<CustomerKey>(2);
        if (!string.IsNullOrWhiteSpace(order.CustomerId))
            keys.Add(CustomerKey.ForCustomer(order.ShopId, order.CustomerId));
        if (!string.IsNullOrWhiteSpace(order.CustomerEmail))
            keys.Add(CustomerKey.ForEmail(order.CustomerEmail));
        return keys;
    }

    private static string Describe(Touch touch, OrderEvent order)
    {
        var what = Source(touch.Evidence.Source);
        return touch.TimeKnown ? $"{what} from {Day(touch.At, order.CreatedAt)}" : what;
    }

    private static string Source(TouchSource source) => source switch
    {
        TouchSource.Click => "link click",
        TouchSource.CartAttribute => "referral link saved in the cart",
        TouchSource.OrderMeta => "referral saved with the order",
        TouchSource.LandingUrl => "referral link in the order's landing page",
        _ => "utm_source tag on the order",
    };

    private static string Day(DateTime at, DateTime orderCreatedAt) =>
        at.ToString(at.Year == orderCreatedAt.Year ? "ddd d MMM" : "ddd d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Notes(List<string> skipped) => skipped.Count == 0 ? "" : " " + string.Join(" ", skipped.Select(s => s + "."));

    private static string Prefix(OrderEvent order, string text) => order.IsTest ? "Test order, no commission is booked. " + text : text;
}
