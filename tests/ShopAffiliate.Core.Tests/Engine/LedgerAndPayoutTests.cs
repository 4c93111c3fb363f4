using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Engine;
using static ShopAffiliate.Core.Tests.Engine.TestData;

namespace ShopAffiliate.Core.Tests.Engine;

public class LedgerAndPayoutTests
{
    private static LedgerEntry Entry(AffiliateFacts who, decimal amount, string currency, LedgerBucket bucket, string key) =>
        new(key, who.Id, null, 1, LedgerEntryKind.Earned, bucket, new Money(amount, currency), T0, "test");

    private static Dictionary<AffiliateId, PayoutRecipient> Recipients(params AffiliateFacts[] affiliates) =>
        affiliates.ToDictionary(a => a.Id, a => new PayoutRecipient(a.Id, a.Name, a.Email, a.Status));

    [Fact]
    public void TwoShopsInDifferentCurrenciesGiveOneBalancePerCurrency()
    {
        var us = Order(id: "1", currency: "USD", lines: [Line("L1", 100m)]);
        var eu = Order(id: "1", currency: "EUR", lines: [Line("L1", 70m)], shop: EuShop);
        var entries = OrderCommissionState.Empty(us.Key).Credit(us).Entries
            .Concat(OrderCommissionState.Empty(eu.Key).Credit(eu).Entries)
            .ToList();

        var balances = LedgerBalance.From(entries);

        Assert.Equal([("EUR", 7m), ("USD", 10m)], balances.Select(b => (b.Currency, b.Pending.Amount)));
        Assert.All(balances, b => Assert.Equal(Jane.Id, b.Affiliate));
    }

    [Fact]
    public void EachBucketIsTheSumOfItsEntries()
    {
        LedgerEntry[] entries =
        [
            Entry(Jane, 10m, "USD", LedgerBucket.Pending, "a"),
            Entry(Jane, -10m, "USD", LedgerBucket.Pending, "b"),
            Entry(Jane, 10m, "USD", LedgerBucket.Approved, "c"),
            Entry(Jane, 4m, "USD", LedgerBucket.Paid, "d"),
            Entry(Jane, -1.5m, "USD", LedgerBucket.Carried, "e"),
            Entry(Bob, 3m, "USD", LedgerBucket.Pending, "f"),
        ];

        var jane = LedgerBalance.From(entries).Single(b => b.Affiliate == Jane.Id);

        Assert.Equal((0m, 10m, 4m, -1.5m), (jane.Pending.Amount, jane.Approved.Amount, jane.Paid.Amount, jane.Carried.Amount));
        Assert.Equal(12.5m, jane.Total.Amount);
        Assert.Equal(8.5m, jane.Payable.Amount);
    }

    [Fact]
    public void AffiliatesAtOrAboveTheThresholdArePaidOthersAreSkippedWithAReason()
    {
        var carol = Affiliate("aaaaaaaa-0000-0000-0000-000000000009", "Carol", "carol@example.com");
        LedgerEntry[] entries =
        [
            Entry(Jane, 50m, "USD", LedgerBucket.Approved, "a"),
            Entry(Bob, 49.99m, "USD", LedgerBucket.Approved, "b"),
            Entry(Sam, 500m, "USD", LedgerBucket.Approved, "c"),
            Entry(carol, 80m, "USD", LedgerBucket.Approved, "d"),
            Entry(carol, -40m, "USD", LedgerBucket.Carried, "e"),
        ];

        var plan = PayoutPlanner.Plan(LedgerBalance.From(entries), Recipients(Jane, Bob, Sam, carol), new PayoutThresholds(50m), "B7");

        var line = Assert.Single(plan.Lines);
        Assert.Equal((Jane.Id, 50m, "B7-0001"), (line.Affiliate, line.Amount.Amount, line.Reference));
        Assert.Contains(plan.Skipped, s => s.Affiliate == Bob.Id && s.Reason.Contains("below the payout threshold of 50.00 USD", StringComparison.Ordinal));
        Assert.Contains(plan.Skipped, s => s.Affiliate == Sam.Id && s.Reason.Contains("suspended", StringComparison.Ordinal));
        Assert.Contains(plan.Skipped, s => s.Affiliate == carol.Id && s.Payable.Amount == 40m);
    }

    [Fact]
    public void ThresholdsCanDifferPerCurrency()
    {
        LedgerEntry[] entries = [Entry(Jane, 3000m, "JPY", LedgerBucket.Approved, "a"), Entry(Jane, 30m, "EUR", LedgerBucket.Approved, "b")];
        var thresholds = new PayoutThresholds(25m) { PerCurrency = new Dictionary<string, decimal> { ["jpy"] = 5000m } };

        var plan = PayoutPlanner.Plan(LedgerBalance.From(entries), Recipients(Jane), thresholds, "B1");

        Assert.Equal(["EUR"], plan.Lines.Select(l => l.Amount.Currency));
    }

    [Fact]
    public void PayPalMassPaymentFileHasNoHeaderAndInvariantAmounts()
    {
        PayoutLine[] lines =
        [
            new(Jane.Id, Jane.Name, "jane@example.com", new Money(1234.5m, "USD"), new Money(1234.5m, "USD"), Money.Zero("USD"), "B1-0001"),
            new(Bob.Id, Bob.Name, "bob@example.com", new Money(1500m, "JPY"), new Money(1500m, "JPY"), Money.Zero("JPY"), "B1-0002"),
        ];

        var csv = PayoutCsv.PayPalMassPayment(lines, "Commissions, March");

        Assert.Equal(
            "jane@example.com,1234.50,USD,B1-0001,\"Commissions, March\"\r\nbob@example.com,1500,JPY,B1-0002,\"Commissions, March\"\r\n",
            csv);
    }

    [Fact]
    public void BankFileHasAHeaderAndEscapesQuotesCommasAndLineBreaks()
    {
        var line = new PayoutLine(Jane.Id, "Doe, \"JJ\"\nJane", "jane@example.com", new Money(12m, "EUR"), new Money(12m, "EUR"), Money.Zero("EUR"), "B1-0001");

        var csv = PayoutCsv.Bank([line]);

        Assert.Equal(
            "affiliate_id,name,email,amount,currency,reference\r\n"
            + $"{Jane.Id},\"Doe, \"\"JJ\"\"\nJane\",jane@example.com,12.00,EUR,B1-0001\r\n",
            csv);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Jane", "Jane")]
    [InlineData("", "")]
    public void TextCellsThatLookLikeFormulasArePrefixedWithAQuote(string value, string expected) =>
        Assert.Equal(expected, PayoutCsv.Text(value));

    [Fact]
    public void FormulaInAnAffiliateNameIsNeutralisedInTheBankFile()
    {
        var line = new PayoutLine(Jane.Id, "=cmd|' /C calc'!A0", "jane@example.com", new Money(12m, "EUR"), new Money(12m, "EUR"), Money.Zero("EUR"), "B1-0001");

        Assert.Contains(",'=cmd|' /C calc'!A0,", PayoutCsv.Bank([line]));
    }

    [Fact]
    public void NotApprovedAffiliateIsNotPaidEvenAboveTheThreshold()
    {
        var pat = Pat with { Status = AffiliateStatus.Pending };

        var plan = PayoutPlanner.Plan(LedgerBalance.From([Entry(pat, 100m, "USD", LedgerBucket.Approved, "a")]), Recipients(pat), new PayoutThresholds(1m), "B");

        Assert.Empty(plan.Lines);
    }
}
