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
/// Who gets the order and why. <see cref="Explanation"/> is plain English shown to merchant and affiliate alike, written
/// from <see cref="Parts"/> (which other languages render, ADR 0051).
/// <see cref="NewLifetimeLinks"/> are the customer keys the caller should now link to <see cref="AffiliateId"/>.
/// </summary>
public sealed record AttributionResult(AffiliateId? AffiliateId, AttributionMethod Method, string Explanation)
{
    /// <summary>The explanation as message keys and arguments; null in states stored before parts existed.</summary>
    public IReadOnlyList<ExplanationPart>? Parts { get; init; }

    /// <summary><see cref="Parts"/>, or the stored English text as one verbatim part.</summary>
    public IReadOnlyList<ExplanationPart> PartsOrText => Parts ?? (Explanation.Length == 0 ? [] : [ExplanationPart.Verbatim(Explanation)]);

    public static AttributionResult Of(AffiliateId? affiliate, AttributionMethod method, IReadOnlyList<ExplanationPart> parts) =>
        new(affiliate, method, ExplanationEnglish.Render(parts)) { Parts = parts };

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

    public static AttributionResult Unattributed(IReadOnlyList<ExplanationPart> parts) => Of(null, AttributionMethod.None, parts);

    /// <summary>Unattributed with an English text only (no parts: it renders verbatim in every language).</summary>
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

        var skipped = new List<ExplanationPart>();
        var touches = Rank(ResolveTouches(order, inputs, skipped), inputs.Settings.AttributionModel);
        var chosen = touches.FirstOrDefault();

        var result = FromManual(inputs, skipped)
            ?? FromCoupon(order, inputs, skipped, chosen)
            ?? FromTouch(order, inputs, touches, chosen)
            ?? FromLifetime(order, inputs, skipped);

        var parts = new List<ExplanationPart>();
        if (order.IsTest)
            parts.Add(ExplanationPart.Of("attr.test"));
        if (result is null)
        {
            parts.Add(ExplanationPart.Of("attr.none"));
            parts.AddRange(skipped);
            return AttributionResult.Unattributed(parts);
        }

        var affiliate = inputs.Affiliates[result.AffiliateId!.Value];
        parts.AddRange(result.Parts!);
        parts.AddRange(skipped);
        result = result with { ParentAffiliateId = EligibleParent(affiliate, inputs) };

        if (IsSelfReferral(order, affiliate))
        {
            var hold = inputs.Settings.SelfReferralPolicy == SelfReferralPolicy.Hold;
            parts.Add(ExplanationPart.Of(hold ? "attr.self.hold" : "attr.self.reject", affiliate.Name));
            return result with
            {
                Explanation = ExplanationEnglish.Render(parts),
                Parts = parts,
                IsSelfReferral = true,
                Disposition = hold ? CommissionDisposition.HoldForReview : CommissionDisposition.Reject,
            };
        }

        var links = order.IsTest ? [] : NewLifetimeLinks(order, inputs, result);
        if (links.Count > 0)
            parts.Add(ExplanationPart.Of("attr.lifetime.linked", affiliate.Name));
        return result with { Explanation = ExplanationEnglish.Render(parts), Parts = parts, NewLifetimeLinks = links };
    }

    private sealed record Touch(ReferralTouch Evidence, int Index, AffiliateFacts Affiliate, DateTime At, bool TimeKnown)
    {
        public WinningClick? Click { get; init; }
    }

    private static AttributionResult? FromManual(AttributionInputs inputs, List<ExplanationPart> skipped)
    {
        if (inputs.Manual is not { } manual)
            return null;
        if (!Eligible(inputs, manual.Affiliate, out var facts, out var why))
        {
            skipped.Add(ExplanationPart.Of("attr.skip.manual", why));
            return null;
        }

        return AttributionResult.Of(facts.Id, AttributionMethod.Manual, [ExplanationPart.Of("attr.manual", facts.Name, manual.Reason.Trim().TrimEnd('.'))]);
    }

    private static AttributionResult? FromCoupon(OrderEvent order, AttributionInputs inputs, List<ExplanationPart> skipped, Touch? chosenTouch)
    {
        foreach (var code in order.DiscountCodes.Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!inputs.Coupons.TryGetValue(code, out var id))
                continue;
            var shown = code.ToUpperInvariant();
            if (!Eligible(inputs, id, out var facts, out var why))
            {
                skipped.Add(ExplanationPart.Of("attr.skip.coupon", shown, why));
                continue;
            }

            ExplanationPart[] touchNote = chosenTouch is not { } touch ? []
                : touch.Affiliate.Id == facts.Id ? [ExplanationPart.Of("attr.coupon.same", Describe(touch, order))]
                : [ExplanationPart.Of("attr.coupon.over", touch.Affiliate.Name, Describe(touch, order))];
            var part = ExplanationPart.Of("attr.coupon", shown, facts.Name, ExplanationArg.Of(touchNote));
            return AttributionResult.Of(facts.Id, AttributionMethod.Coupon, [part]) with { CouponCode = code.ToLowerInvariant() };
        }

        return null;
    }

    private static AttributionResult? FromTouch(OrderEvent order, AttributionInputs inputs, List<Touch> touches, Touch? chosen)
    {
        if (chosen is null)
            return null;

        var settings = inputs.Settings;
        ExplanationPart[] timing = [];
        if (chosen.TimeKnown)
        {
            var days = (int)Math.Floor((order.CreatedAt - chosen.At).TotalDays);
            timing = days >= 1
                ? [ExplanationPart.Of(days == 1 ? "attr.timing.day" : "attr.timing.days", days, settings.CookieWindowDays)]
                : [ExplanationPart.Of("attr.timing.lessThanDay")];
        }

        var rival = touches.FirstOrDefault(t => t.Affiliate.Id != chosen.Affiliate.Id);
        ExplanationPart[] rivalNote = rival is null ? []
            : [ExplanationPart.Of(settings.AttributionModel == AttributionModel.FirstClick ? "attr.rival.first" : "attr.rival.last",
                rival.Affiliate.Name, Describe(rival, order))];

        var part = ExplanationPart.Of("attr.referral", chosen.Affiliate.Name, Describe(chosen, order), ExplanationArg.Of(timing), ExplanationArg.Of(rivalNote));
        return AttributionResult.Of(chosen.Affiliate.Id, AttributionMethod.Link, [part]) with { Click = chosen.Click };
    }

    private static AttributionResult? FromLifetime(OrderEvent order, AttributionInputs inputs, List<ExplanationPart> skipped)
    {
        if (!inputs.Settings.LifetimeCommissions)
            return null;
        foreach (var key in CustomerKeys(order))
        {
            if (!inputs.LifetimeCustomers.TryGetValue(key, out var id))
                continue;
            if (!Eligible(inputs, id, out var facts, out var why))
            {
                skipped.Add(ExplanationPart.Of("attr.skip.lifetime", why));
                return null;
            }

            var part = key.IsEmail
                ? ExplanationPart.Of("attr.lifetime.email", facts.Name, key.Value)
                : ExplanationPart.Of("attr.lifetime.account", facts.Name);
            return AttributionResult.Of(facts.Id, AttributionMethod.Lifetime, [part]);
        }

        return null;
    }

    private static List<Touch> ResolveTouches(OrderEvent order, AttributionInputs inputs, List<ExplanationPart> skipped)
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
                skipped.Add(ExplanationPart.Of("attr.skip.referral", Source(touch.Source), why));
                continue;
            }

            var candidate = new Touch(touch, i, facts, time, timeKnown) { Click = stored };
            if (order.CreatedAt - time > window)
                skipped.Add(ExplanationPart.Of("attr.skip.old", facts.Name, Describe(candidate, order), inputs.Settings.CookieWindowDays));
            else if (time - order.CreatedAt > ClockSkew)
                skipped.Add(ExplanationPart.Of("attr.skip.after", facts.Name, Describe(candidate, order)));
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

    private static bool Eligible(AttributionInputs inputs, AffiliateId id, out AffiliateFacts facts, out ExplanationPart whyNot)
    {
        if (!inputs.Affiliates.TryGetValue(id, out facts!))
        {
            whyNot = ExplanationPart.Of("attr.why.gone");
            return false;
        }

        whyNot = ExplanationPart.Of("attr.why." + facts.Status.ToString().ToLowerInvariant(), facts.Name);
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

    private static ExplanationPart Describe(Touch touch, OrderEvent order)
    {
        var what = Source(touch.Evidence.Source);
        return touch.TimeKnown ? ExplanationPart.Of("attr.touch.at", what, ExplanationArg.OfDate(touch.At, touch.At.Year != order.CreatedAt.Year)) : what;
    }

    private static ExplanationPart Source(TouchSource source) => ExplanationPart.Of(source switch
    {
        TouchSource.Click => "attr.source.click",
        TouchSource.CartAttribute => "attr.source.cart",
        TouchSource.OrderMeta => "attr.source.orderMeta",
        TouchSource.LandingUrl => "attr.source.landing",
        _ => "attr.source.utm",
    });
}
