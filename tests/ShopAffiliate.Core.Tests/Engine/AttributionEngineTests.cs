using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

public class AttributionEngineTests
{
    private static readonly Guid BobClick = Guid.Parse("cccccccc-0000-0000-0000-000000000001");
    private static readonly Guid JaneClick = Guid.Parse("cccccccc-0000-0000-0000-000000000002");

    private static AttributionInputs WithClicks(AttributionInputs inputs, params (Guid Id, AffiliateFacts Affiliate, DateTime At)[] clicks) =>
        inputs with { Clicks = clicks.ToDictionary(c => c.Id, c => new ClickFact(c.Affiliate.Id, c.At)) };

    [Fact]
    public void CouponWinsOverLinkClick()
    {
        var inputs = WithClicks(Inputs(), (BobClick, Bob, T0.AddDays(-3)));
        var order = Order(codes: ["JANE10"], touches: [ClickTouch(BobClick)]);

        var result = ExplainedEngine.Attribute(order, inputs);

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Coupon, result.Method);
        Assert.Equal("Coupon JANE10 belongs to Jane Doe (the coupon wins over Bob Smith's link click from Tue 11 Mar).", result.Explanation);
    }

    [Fact]
    public void CouponCodeMatchesWhateverItsCase()
    {
        var result = ExplainedEngine.Attribute(Order(codes: ["jane10"]), Inputs());

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Coupon, result.Method);
    }

    [Fact]
    public void LinkClickInsideWindowWinsOverLifetimeLink()
    {
        var inputs = WithClicks(Inputs(new ProgramSettings { LifetimeCommissions = true }), (JaneClick, Jane, T0.AddDays(-2))) with
        {
            LifetimeCustomers = new Dictionary<CustomerKey, AffiliateId> { [CustomerKey.ForEmail("buyer@example.com")] = Bob.Id },
        };

        var result = ExplainedEngine.Attribute(Order(touches: [ClickTouch(JaneClick)]), inputs);

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Link, result.Method);
        Assert.Contains("2 days before the order, inside the 30-day window", result.Explanation);
    }

    [Fact]
    public void LifetimeLinkCreditsRepeatCustomerWithoutReferral()
    {
        var inputs = Inputs(new ProgramSettings { LifetimeCommissions = true }) with
        {
            LifetimeCustomers = new Dictionary<CustomerKey, AffiliateId> { [CustomerKey.ForEmail("Buyer@Example.com")] = Jane.Id },
        };

        var result = ExplainedEngine.Attribute(Order(email: "BUYER@example.com"), inputs);

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Lifetime, result.Method);
        Assert.Equal("Lifetime customer of Jane Doe: buyer@example.com was referred by Jane Doe before.", result.Explanation);
    }

    [Fact]
    public void LifetimeLinkEarnsNothingWhenLifetimeCommissionsAreOff()
    {
        var inputs = Inputs(new ProgramSettings { LifetimeCommissions = false }) with
        {
            LifetimeCustomers = new Dictionary<CustomerKey, AffiliateId> { [CustomerKey.ForEmail("buyer@example.com")] = Jane.Id },
        };

        var result = ExplainedEngine.Attribute(Order(), inputs);

        Assert.Null(result.AffiliateId);
        Assert.Equal(AttributionMethod.None, result.Method);
    }

    [Fact]
    public void CustomerIdsAreScopedByShop()
    {
        var inputs = Inputs(new ProgramSettings { LifetimeCommissions = true }) with
        {
            LifetimeCustomers = new Dictionary<CustomerKey, AffiliateId> { [CustomerKey.ForCustomer(UsShop, "77")] = Jane.Id },
        };

        var sameShop = ExplainedEngine.Attribute(Order(customerId: "77", email: null), inputs);
        var otherShop = ExplainedEngine.Attribute(Order(customerId: "77", email: null, shop: EuShop, currency: "EUR"), inputs);

        Assert.Equal(Jane.Id, sameShop.AffiliateId);
        Assert.Null(otherShop.AffiliateId);
    }

    [Fact]
    public void LastClickWinsUnderLastClickModel()
    {
        var inputs = WithClicks(Inputs(new ProgramSettings { AttributionModel = AttributionModel.LastClick }),
            (BobClick, Bob, T0.AddDays(-10)), (JaneClick, Jane, T0.AddDays(-1)));

        var result = ExplainedEngine.Attribute(Order(touches: [ClickTouch(BobClick), ClickTouch(JaneClick)]), inputs);

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Contains("the last referral wins over Bob Smith's link click from Tue 4 Mar", result.Explanation);
    }

    [Fact]
    public void FirstClickWinsUnderFirstClickModel()
    {
        var inputs = WithClicks(Inputs(new ProgramSettings { AttributionModel = AttributionModel.FirstClick }),
            (BobClick, Bob, T0.AddDays(-10)), (JaneClick, Jane, T0.AddDays(-1)));

        var result = ExplainedEngine.Attribute(Order(touches: [ClickTouch(JaneClick), ClickTouch(BobClick)]), inputs);

        Assert.Equal(Bob.Id, result.AffiliateId);
        Assert.Contains("the first referral wins", result.Explanation);
    }

    [Fact]
    public void TouchThirtyOneDaysOldDoesNotCountInThirtyDayWindow()
    {
        var inputs = WithClicks(Inputs(new ProgramSettings { CookieWindowDays = 30 }), (JaneClick, Jane, T0.AddDays(-31)));

        var result = ExplainedEngine.Attribute(Order(touches: [ClickTouch(JaneClick)]), inputs);

        Assert.Null(result.AffiliateId);
        Assert.Contains("older than the 30-day window", result.Explanation);
    }

    [Fact]
    public void TouchExactlyThirtyDaysOldStillCounts()
    {
        var inputs = WithClicks(Inputs(new ProgramSettings { CookieWindowDays = 30 }), (JaneClick, Jane, T0.AddDays(-30)));

        Assert.Equal(Jane.Id, ExplainedEngine.Attribute(Order(touches: [ClickTouch(JaneClick)]), inputs).AffiliateId);
    }

    [Fact]
    public void ClickTimeBeatsTheTimeTheTouchClaims()
    {
        var inputs = WithClicks(Inputs(), (JaneClick, Jane, T0.AddDays(-45)));
        var touch = new ReferralTouch("jane", JaneClick, T0.AddDays(-1), TouchSource.Click);

        Assert.Null(ExplainedEngine.Attribute(Order(touches: [touch]), inputs).AffiliateId);
    }

    [Fact]
    public void CartAttributeWithoutTimeCountsAsMadeWhenTheOrderWasPlaced()
    {
        var result = ExplainedEngine.Attribute(Order(touches: [Cart("JANE")]), Inputs());

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Link, result.Method);
        Assert.Equal("Referral of Jane Doe: referral link saved in the cart.", result.Explanation);
    }

    [Fact]
    public void ClickLoggedAfterTheOrderDoesNotCountBeyondClockSkew()
    {
        var late = WithClicks(Inputs(), (JaneClick, Jane, T0.AddMinutes(30)));
        var skewed = WithClicks(Inputs(), (JaneClick, Jane, T0.AddMinutes(2)));

        var lateResult = ExplainedEngine.Attribute(Order(touches: [ClickTouch(JaneClick)]), late);

        Assert.Null(lateResult.AffiliateId);
        Assert.Contains("came after the order", lateResult.Explanation);
        Assert.Equal(Jane.Id, ExplainedEngine.Attribute(Order(touches: [ClickTouch(JaneClick)]), skewed).AffiliateId);
    }

    [Fact]
    public void ClickWeCannotFindAndWithoutTimeIsIgnored()
    {
        var touch = new ReferralTouch("jane", Guid.NewGuid(), null, TouchSource.Click);

        Assert.Null(ExplainedEngine.Attribute(Order(touches: [touch]), Inputs()).AffiliateId);
    }

    [Fact]
    public void LastClickPrefersTheOrdersOwnReferralOverAnOlderClick()
    {
        var inputs = WithClicks(Inputs(), (BobClick, Bob, T0.AddDays(-3)));

        var result = ExplainedEngine.Attribute(Order(touches: [ClickTouch(BobClick), Cart("jane")]), inputs);

        Assert.Equal(Jane.Id, result.AffiliateId);
    }

    [Fact]
    public void SuspendedAffiliatesCouponIsSkippedAndTheLinkClickWins()
    {
        var inputs = WithClicks(Inputs(), (BobClick, Bob, T0.AddDays(-3)));

        var result = ExplainedEngine.Attribute(Order(codes: ["SAM20"], touches: [ClickTouch(BobClick)]), inputs);

        Assert.Equal(Bob.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Link, result.Method);
        Assert.Contains("Coupon SAM20 belongs to Sam Stale, whose account is suspended: skipped.", result.Explanation);
    }

    [Theory]
    [InlineData("SAM20", "suspended")]
    [InlineData("PAT15", "pending")]
    [InlineData("RITA", "rejected")]
    public void NonApprovedAffiliatesEarnNothing(string coupon, string status)
    {
        var result = ExplainedEngine.Attribute(Order(codes: [coupon]), Inputs());

        Assert.Null(result.AffiliateId);
        Assert.StartsWith("No affiliate: no coupon, referral or lifetime customer matched.", result.Explanation);
        Assert.Contains($"whose account is {status}", result.Explanation);
    }

    [Fact]
    public void OrderWithoutAnyReferralIsExplainedAsUnattributed()
    {
        var result = ExplainedEngine.Attribute(Order(codes: ["WELCOME"]), Inputs());

        Assert.Null(result.AffiliateId);
        Assert.Equal(AttributionMethod.None, result.Method);
        Assert.Equal("No affiliate: no coupon, referral or lifetime customer matched.", result.Explanation);
    }

    [Fact]
    public void SelfReferralByEmailIsRejectedUnderRejectPolicy()
    {
        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"], email: "JANE@example.com"), Inputs());

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.True(result.IsSelfReferral);
        Assert.Equal(CommissionDisposition.Reject, result.Disposition);
        Assert.EndsWith("(self-referral): the commission is rejected.", result.Explanation);
    }

    [Fact]
    public void SelfReferralByOwnCustomerAccountIsHeldUnderHoldPolicy()
    {
        var jane = Jane with { OwnCustomers = [CustomerKey.ForCustomer(UsShop, "501")] };
        var inputs = Inputs(new ProgramSettings { SelfReferralPolicy = SelfReferralPolicy.Hold }, jane, Bob);

        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"], customerId: "501", email: "other@example.com"), inputs);

        Assert.True(result.IsSelfReferral);
        Assert.Equal(CommissionDisposition.HoldForReview, result.Disposition);
        Assert.Contains("held until staff review it", result.Explanation);
        Assert.False(result.ShouldLinkLifetimeCustomer);
    }

    [Fact]
    public void OrdinaryCustomerIsNoSelfReferral()
    {
        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"]), Inputs());

        Assert.False(result.IsSelfReferral);
        Assert.Equal(CommissionDisposition.Earn, result.Disposition);
    }

    [Fact]
    public void FirstReferredOrderLinksTheCustomerForLifetime()
    {
        var inputs = Inputs(new ProgramSettings { LifetimeCommissions = true });

        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"], customerId: "77"), inputs);

        Assert.True(result.ShouldLinkLifetimeCustomer);
        Assert.Equal([CustomerKey.ForCustomer(UsShop, "77"), CustomerKey.ForEmail("buyer@example.com")], result.NewLifetimeLinks);
        Assert.Contains("lifetime commissions", result.Explanation);
    }

    [Fact]
    public void CouponOfAnotherAffiliateWinsTheOrderButDoesNotStealTheLifetimeCustomer()
    {
        var inputs = Inputs(new ProgramSettings { LifetimeCommissions = true }) with
        {
            LifetimeCustomers = new Dictionary<CustomerKey, AffiliateId> { [CustomerKey.ForEmail("buyer@example.com")] = Bob.Id },
        };

        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"], customerId: "77"), inputs);

        Assert.Equal(Jane.Id, result.AffiliateId);
        Assert.Empty(result.NewLifetimeLinks);
    }

    [Fact]
    public void NoLifetimeLinkWhenTheProgramHasNoLifetimeCommissions()
    {
        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"]), Inputs(new ProgramSettings { LifetimeCommissions = false }));

        Assert.False(result.ShouldLinkLifetimeCustomer);
    }

    [Fact]
    public void ManualAssignmentWinsOverCoupon()
    {
        var inputs = Inputs() with { Manual = new ManualAttribution(Bob.Id, "Phone order taken by Bob") };

        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"]), inputs);

        Assert.Equal(Bob.Id, result.AffiliateId);
        Assert.Equal(AttributionMethod.Manual, result.Method);
        Assert.Equal("Assigned to Bob Smith by staff: Phone order taken by Bob.", result.Explanation);
    }

    [Fact]
    public void ApprovedParentIsNamedForTheSecondTier()
    {
        var jane = Jane with { ParentId = Bob.Id };

        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"]), Inputs(null, jane, Bob));

        Assert.Equal(Bob.Id, result.ParentAffiliateId);
    }

    [Fact]
    public void SuspendedParentEarnsNoSecondTier()
    {
        var jane = Jane with { ParentId = Sam.Id };

        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"]), Inputs(null, jane, Sam));

        Assert.Null(result.ParentAffiliateId);
    }

    [Fact]
    public void TestOrderSaysItBooksNothingAndLinksNoCustomer()
    {
        var result = ExplainedEngine.Attribute(Order(codes: ["JANE10"], isTest: true), Inputs(new ProgramSettings { LifetimeCommissions = true }));

        Assert.StartsWith("Test order, no commission is booked.", result.Explanation);
        Assert.Empty(result.NewLifetimeLinks);
    }
}
