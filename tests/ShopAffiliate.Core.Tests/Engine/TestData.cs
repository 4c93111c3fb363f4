using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Tests.Engine;

/// <summary>Builders for readable tests. Times are UTC; T0 is Fri 14 Mar 2025 10:00.</summary>
internal static class TestData
{
    public static readonly DateTime T0 = new(2025, 3, 14, 10, 0, 0, DateTimeKind.Utc);

    public static readonly ShopId UsShop = new(Guid.Parse("11111111-1111-1111-1111-111111111111"));
    public static readonly ShopId EuShop = new(Guid.Parse("22222222-2222-2222-2222-222222222222"));

    public static readonly AffiliateFacts Jane = Affiliate("aaaaaaaa-0000-0000-0000-000000000001", "Jane Doe", "jane@example.com");
    public static readonly AffiliateFacts Bob = Affiliate("aaaaaaaa-0000-0000-0000-000000000002", "Bob Smith", "bob@example.com");
    public static readonly AffiliateFacts Sam = Affiliate("aaaaaaaa-0000-0000-0000-000000000003", "Sam Stale", "sam@example.com", AffiliateStatus.Suspended);
    public static readonly AffiliateFacts Pat = Affiliate("aaaaaaaa-0000-0000-0000-000000000004", "Pat New", "pat@example.com", AffiliateStatus.Pending);
    public static readonly AffiliateFacts Rita = Affiliate("aaaaaaaa-0000-0000-0000-000000000005", "Rita Gone", "rita@example.com", AffiliateStatus.Rejected);

    public static AffiliateFacts Affiliate(string id, string name, string email, AffiliateStatus status = AffiliateStatus.Approved) =>
        new(new AffiliateId(Guid.Parse(id)), name, status, email);

    public static OrderLine Line(string id, decimal net, int quantity = 1, string? product = null, params string[] collections) =>
        new(id, product, collections, quantity, net, 0m);

    public static OrderEvent Order(
        string id = "1001",
        OrderState state = OrderState.Paid,
        DateTime? createdAt = null,
        DateTime? updatedAt = null,
        string currency = "USD",
        IReadOnlyList<OrderLine>? lines = null,
        IReadOnlyList<string>? codes = null,
        IReadOnlyList<ReferralTouch>? touches = null,
        string? customerId = null,
        string? email = "buyer@example.com",
        bool isTest = false,
        ShopId? shop = null)
    {
        var created = createdAt ?? T0;
        return new(
            shop ?? UsShop, new ExternalOrderId(id), "#" + id, created, updatedAt ?? created, currency, state, isTest, customerId, email,
            lines ?? [Line("L1", 100m)], codes ?? [], touches ?? [], 5m, 0m);
    }

    public static ReferralTouch Cart(string code) => new(code, null, null, TouchSource.CartAttribute);

    public static ReferralTouch ClickTouch(Guid clickId, string code = "") => new(code, clickId, null, TouchSource.Click);

    public static RefundEvent Refund(string refundId, OrderEvent order, DateTime at, params RefundLine[] lines) =>
        new(order.ShopId, order.ExternalOrderId, refundId, at, lines);

    public static AttributionInputs Inputs(ProgramSettings? settings = null, params AffiliateFacts[] affiliates) => new()
    {
        Settings = settings ?? new ProgramSettings(),
        Affiliates = (affiliates.Length == 0 ? [Jane, Bob, Sam, Pat, Rita] : affiliates).ToDictionary(a => a.Id),
        Coupons = new Dictionary<string, AffiliateId>
        {
            ["JANE10"] = Jane.Id, ["BOB5"] = Bob.Id, ["SAM20"] = Sam.Id, ["PAT15"] = Pat.Id, ["RITA"] = Rita.Id,
        },
        ReferralCodes = new Dictionary<string, AffiliateId>
        {
            ["jane"] = Jane.Id, ["bob"] = Bob.Id, ["sam"] = Sam.Id, ["pat"] = Pat.Id, ["rita"] = Rita.Id,
        },
    };

    public static readonly CommissionPlan TenPercent = new("Standard", [new CommissionRule(RuleScope.All, RuleKind.Percent, 0.10m)]);

    /// <summary>Credits the order to Jane at 10% (the quote is the real calculator's).</summary>
    public static StateChange Credit(this OrderCommissionState state, OrderEvent order, AffiliateFacts? affiliate = null, CommissionPlan? plan = null,
        AffiliateId? parent = null, CommissionDisposition disposition = CommissionDisposition.Earn)
    {
        var who = affiliate ?? Jane;
        var attribution = new AttributionResult(who.Id, AttributionMethod.Coupon, "test")
        {
            ParentAffiliateId = parent,
            Disposition = disposition,
        };
        return state.ApplyOrder(order, attribution, ExplainedEngine.Calculate(order, plan ?? TenPercent));
    }

    /// <summary>Applies changes in turn, collecting every ledger entry.</summary>
    public static (OrderCommissionState State, List<LedgerEntry> Entries) Run(
        this OrderCommissionState state, params Func<OrderCommissionState, StateChange>[] steps)
    {
        var entries = new List<LedgerEntry>();
        foreach (var step in steps)
        {
            var change = step(state);
            state = change.State;
            entries.AddRange(change.Entries);
        }

        return (state, entries);
    }

    public static decimal Sum(this IEnumerable<LedgerEntry> entries, LedgerBucket bucket) =>
        entries.Where(e => e.Bucket == bucket).Sum(e => e.Amount.Amount);
}
