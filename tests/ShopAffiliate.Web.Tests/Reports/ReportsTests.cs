using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Reports;

/// <summary>The reports API over the rollup worker, on each database; each test runs its own program on the class's app.</summary>
public abstract class ReportsTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    private static DateTime Utc(string iso) => DateTime.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// Europe/Copenhagen (UTC+1 in November). Clicks: Jane 3 on 10 Nov (one a repeat) and 2 bots; Bob 2 on 12 Nov with
    /// sub-id "spring" and one at 23:30 UTC on 31 Oct, which is 1 Nov in Copenhagen; Jane one at 23:30 UTC on 30 Nov
    /// (1 Dec there) and one in October. Orders at 10 %: Jane 1000 DKK; Jane 400 DKK with one of two units refunded
    /// (-200); Bob 200 EUR; Bob 300 DKK, paid out, then one unit refunded (a clawback of 15).
    /// </summary>
    private async Task<(ReportProgram P, Guid Jane, Guid Bob)> KnownProgramAsync()
    {
        var p = await ReportProgram.CreateAsync(App);
        var dkk = await p.ShopAsync("knits", "DKK");
        var eur = await p.ShopAsync("strik", "EUR");
        var (jane, janeCode) = await p.AffiliateAsync("Jane");
        var (bob, bobCode) = await p.AffiliateAsync("Bob");
        var janeLink = await p.LinkAsync(jane, "knits");
        var bobLink = await p.LinkAsync(bob, "knits");

        await p.ClicksAsync(jane, janeCode, janeLink, Utc("2026-11-10T10:00:00Z"), 2);
        await p.ClicksAsync(jane, janeCode, janeLink, Utc("2026-11-10T10:05:00Z"), 1, repeat: true);
        await p.ClicksAsync(jane, janeCode, janeLink, Utc("2026-11-10T11:00:00Z"), 2, bot: true);
        await p.ClicksAsync(jane, janeCode, janeLink, Utc("2026-11-30T23:30:00Z"), 1);
        await p.ClicksAsync(jane, janeCode, janeLink, Utc("2026-10-20T12:00:00Z"), 1);
        await p.ClicksAsync(bob, bobCode, bobLink, Utc("2026-11-12T09:00:00Z"), 2, subId: "spring");
        await p.ClicksAsync(bob, bobCode, bobLink, Utc("2026-10-31T23:30:00Z"), 1);

        await p.OrderAsync(dkk, "o1" + p.Suffix, Utc("2026-11-10T12:00:00Z"), 1000m, janeCode, "DKK");
        await p.OrderAsync(dkk, "o3" + p.Suffix, Utc("2026-11-15T12:00:00Z"), 400m, janeCode, "DKK");
        await p.RefundOneUnitAsync(dkk, "o3" + p.Suffix, Utc("2026-11-16T12:00:00Z"), 200m);
        await p.OrderAsync(eur, "o2" + p.Suffix, Utc("2026-11-12T10:00:00Z"), 200m, bobCode, "EUR");
        await p.OrderAsync(dkk, "o4" + p.Suffix, Utc("2026-11-05T10:00:00Z"), 300m, bobCode, "DKK");

        // Bob's DKK commission is approved and paid; refunding one unit afterwards claws 15 back.
        var commissions = await p.GetJsonAsync($"/api/v1/commissions?affiliateId={bob}");
        var dkkCommission = commissions.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("amount").GetProperty("currency").GetString() == "DKK");
        Assert.Equal(HttpStatusCode.OK, (await p.Api.PostAsJsonAsync($"/api/v1/commissions/{dkkCommission.GetProperty("id").GetGuid()}/approve", new { reason = "checked" })).StatusCode);
        var batch = await p.Api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "DKK" });
        Assert.True(batch.StatusCode == HttpStatusCode.Created, await batch.Content.ReadAsStringAsync());
        var batchId = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await p.Api.PostAsync($"/api/v1/payouts/batches/{batchId}/mark-paid", null)).StatusCode);
        await p.RefundOneUnitAsync(dkk, "o4" + p.Suffix, Utc("2026-11-20T12:00:00Z"), 150m);

        await p.CaughtUpAsync();
        return (p, jane, bob);
    }

    [Fact]
    public async Task AKnownProgramGivesExactlyTheExpectedSummaryTimeseriesAndTopAndTheirCsvMatches()
    {
        var (p, jane, bob) = await KnownProgramAsync();

        var s = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-01&to=2026-11-30");
        Assert.Equal("Europe/Copenhagen", s.GetProperty("timeZone").GetString());
        Assert.Equal(6, s.GetProperty("clicks").GetInt64());
        Assert.Equal(5, s.GetProperty("uniqueClicks").GetInt64());
        Assert.Equal(0, s.GetProperty("impressions").GetInt64());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("ctr").ValueKind);
        Assert.Equal(4, s.GetProperty("orders").GetInt64());
        Assert.Equal(0.8m, s.GetProperty("conversionRate").GetDecimal());
        var currencies = s.GetProperty("currencies").EnumerateArray().ToList();
        Assert.Equal(["DKK", "EUR"], currencies.Select(c => c.GetProperty("currency").GetString()));
        AssertMoney(currencies[0], ("orders", "3"), ("revenue", "1350.00"), ("commission", "135.00"), ("epc", "27.00"), ("aov", "450.00"),
            ("refunds", "350.00"), ("earned", "170.00"), ("reversed", "-35.00"), ("secondTier", "0.00"));
        Assert.Equal(9m, currencies[0].GetProperty("roi").GetDecimal());
        AssertMoney(currencies[1], ("orders", "1"), ("revenue", "200.00"), ("commission", "20.00"), ("epc", "4.00"), ("aov", "200.00"), ("refunds", "0.00"));
        Assert.Equal(9m, currencies[1].GetProperty("roi").GetDecimal());

        var previous = s.GetProperty("previous");
        Assert.Equal("2026-10-02", previous.GetProperty("from").GetString());
        Assert.Equal("2026-10-31", previous.GetProperty("to").GetString());
        Assert.Equal(1, previous.GetProperty("uniqueClicks").GetInt64());
        Assert.Equal(0m, previous.GetProperty("conversionRate").GetDecimal());
        Assert.Empty(previous.GetProperty("currencies").EnumerateArray());

        // 23:30 UTC on 30 November is 1 December in Copenhagen.
        var december = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-12-01&to=2026-12-01");
        Assert.Equal(1, december.GetProperty("clicks").GetInt64());

        // One affiliate: Jane's clicks, orders and money only.
        var janes = await p.GetJsonAsync($"/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&affiliateId={jane}");
        Assert.Equal(2, janes.GetProperty("uniqueClicks").GetInt64());
        Assert.Equal(2, janes.GetProperty("orders").GetInt64());
        AssertMoney(Assert.Single(janes.GetProperty("currencies").EnumerateArray()), ("revenue", "1200.00"), ("commission", "120.00"), ("epc", "60.00"));

        var csv = await p.GetCsvAsync("/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&format=csv");
        Assert.Equal(4, csv.Count); // header, current DKK and EUR, previous (no money)
        var header = csv[0].ToList();
        string Cell(int row, string column) => csv[row][header.IndexOf(column)];
        foreach (var (row, c) in new[] { (1, currencies[0]), (2, currencies[1]) })
        {
            Assert.Equal("current", Cell(row, "period"));
            Assert.Equal(s.GetProperty("uniqueClicks").GetInt64().ToString(CultureInfo.InvariantCulture), Cell(row, "uniqueClicks"));
            Assert.Equal(s.GetProperty("conversionRate").GetDecimal(), decimal.Parse(Cell(row, "conversionRate"), CultureInfo.InvariantCulture));
            foreach (var field in (string[])["currency", "revenue", "commission", "epc", "aov", "refunds"])
                Assert.Equal(c.GetProperty(field).GetString(), Cell(row, field));
            Assert.Equal(c.GetProperty("roi").GetDecimal(), decimal.Parse(Cell(row, "roi"), CultureInfo.InvariantCulture));
        }
        Assert.Equal(("previous", "1", ""), (Cell(3, "period"), Cell(3, "clicks"), Cell(3, "currency")));

        var revenue = await p.GetJsonAsync("/api/v1/reports/timeseries?metric=revenue&from=2026-11-01&to=2026-11-30&groupBy=day");
        var series = revenue.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(["DKK", "EUR"], series.Select(x => x.GetProperty("currency").GetString()));
        var dkkPoints = series[0].GetProperty("points").EnumerateArray().ToDictionary(x => x.GetProperty("start").GetString()!, x => x.GetProperty("value").GetString());
        Assert.Equal(30, dkkPoints.Count);
        Assert.Equal(("150.00", "1000.00", "200.00", "0.00"), (dkkPoints["2026-11-05"], dkkPoints["2026-11-10"], dkkPoints["2026-11-15"], dkkPoints["2026-11-01"]));
        Assert.Equal(1350m, dkkPoints.Values.Sum(v => decimal.Parse(v!, CultureInfo.InvariantCulture)));
        var eurPoints = series[1].GetProperty("points").EnumerateArray().Where(x => x.GetProperty("value").GetString() != "0.00").ToList();
        Assert.Equal("2026-11-12", Assert.Single(eurPoints).GetProperty("start").GetString());
        var seriesCsv = await p.GetCsvAsync("/api/v1/reports/timeseries?metric=revenue&from=2026-11-01&to=2026-11-30&groupBy=day&format=csv");
        Assert.Equal(["start", "currency", "revenue"], seriesCsv[0]);
        Assert.Equal(
            series.SelectMany(x => x.GetProperty("points").EnumerateArray().Select(pt =>
                $"{pt.GetProperty("start").GetString()}|{x.GetProperty("currency").GetString()}|{pt.GetProperty("value").GetString()}")),
            seriesCsv.Skip(1).Select(r => string.Join('|', r)));

        // 1 November is a Sunday: its ISO week starts on 26 October and holds the click of 1 November, Copenhagen time.
        var weekly = await p.GetJsonAsync("/api/v1/reports/timeseries?metric=clicks&from=2026-11-01&to=2026-11-30&groupBy=week");
        var weeks = Assert.Single(weekly.GetProperty("series").EnumerateArray()).GetProperty("points").EnumerateArray()
            .Select(x => (x.GetProperty("start").GetString(), x.GetProperty("value").GetInt64())).ToList();
        Assert.Equal([("2026-10-26", 1L), ("2026-11-02", 0L), ("2026-11-09", 5L), ("2026-11-16", 0L), ("2026-11-23", 0L), ("2026-11-30", 0L)], weeks);

        var top = await p.GetJsonAsync("/api/v1/reports/top?by=affiliate&metric=commission&currency=DKK&from=2026-11-01&to=2026-11-30");
        var rows = top.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("name").GetString(), r.GetProperty("value").GetString())).ToList();
        Assert.Equal([(jane.ToString(), "Jane", "120.00"), (bob.ToString(), "Bob", "15.00")], rows);
        var topCsv = await p.GetCsvAsync("/api/v1/reports/top?by=affiliate&metric=commission&currency=DKK&from=2026-11-01&to=2026-11-30&format=csv");
        Assert.Equal([["rank", "affiliate", "name", "currency", "commission"], ["1", jane.ToString(), "Jane", "DKK", "120.00"], ["2", bob.ToString(), "Bob", "DKK", "15.00"]], topCsv);

        var byUnique = await p.GetJsonAsync("/api/v1/reports/top?by=affiliate&metric=uniqueClicks&from=2026-11-01&to=2026-11-30");
        Assert.Equal([("Bob", 3L), ("Jane", 2L)], byUnique.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("value").GetInt64())));
        var bySubId = await p.GetJsonAsync("/api/v1/reports/top?by=subId&metric=clicks&from=2026-11-01&to=2026-11-30");
        Assert.Equal([("spring", 2L)], bySubId.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("value").GetInt64())));

        // Periods with whole months read the monthly rollups and the days around them (ADR 0041): October and November
        // whole; 15 October to 1 December (November whole, the days of October and December around it).
        async Task<Dictionary<string, string>> TopAsync(string query) => (await p.GetJsonAsync("/api/v1/reports/top?by=affiliate&" + query))
            .GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("value").ToString());
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "3", ["Bob"] = "3" }, await TopAsync("metric=uniqueClicks&from=2026-10-01&to=2026-11-30"));
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "4", ["Bob"] = "3" }, await TopAsync("metric=uniqueClicks&from=2026-10-15&to=2026-12-01"));
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "5", ["Bob"] = "3" }, await TopAsync("metric=clicks&from=2026-10-15&to=2026-12-01"));
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "2", ["Bob"] = "3" }, await TopAsync("metric=uniqueClicks&from=2026-10-21&to=2026-11-30"));
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "120.00", ["Bob"] = "15.00" }, await TopAsync("metric=commission&currency=DKK&from=2026-10-15&to=2026-12-01"));
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "30.00", ["Bob"] = "5.00" }, await TopAsync("metric=epc&currency=DKK&from=2026-10-15&to=2026-12-01"));
        Assert.Equal(new Dictionary<string, string> { ["Jane"] = "2", ["Bob"] = "2" }, await TopAsync("metric=orders&from=2026-10-15&to=2026-12-01"));
        Assert.Equal(await MonthsFromDaysAsync(p), await MonthlyRowsAsync(p));
        Assert.Equal(await BlocksFromDaysAsync(p), await BlockRowsAsync(p));

        // Money ranks within one currency: with two, the caller names one.
        var ambiguous = await p.Api.GetAsync("/api/v1/reports/top?by=affiliate&metric=revenue&from=2026-11-01&to=2026-11-30");
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.Contains("DKK, EUR", await ambiguous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ALateRefundChangesYesterdaysRollupAndARebuildOfThatDayGivesTheSameFigures()
    {
        var p = await ReportProgram.CreateAsync(App);
        var shop = await p.ShopAsync("late", "DKK");
        var (jane, code) = await p.AffiliateAsync("Jane");
        var link = await p.LinkAsync(jane, "late");
        await p.ClicksAsync(jane, code, link, Utc("2026-11-10T08:00:00Z"), 4);
        await p.ClicksAsync(jane, code, link, Utc("2026-11-10T08:30:00Z"), 1, repeat: true);
        await p.OrderAsync(shop, "late" + p.Suffix, Utc("2026-11-10T12:00:00Z"), 1000m, code, "DKK");
        await p.CaughtUpAsync();

        var before = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-10&to=2026-11-10");
        AssertMoney(Assert.Single(before.GetProperty("currencies").EnumerateArray()), ("revenue", "1000.00"), ("commission", "100.00"));

        // The next day the buyer returns one of the two units: the refund belongs to the order's day.
        await p.RefundOneUnitAsync(shop, "late" + p.Suffix, Utc("2026-11-11T09:00:00Z"), 500m);
        await p.CaughtUpAsync();
        var after = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-10&to=2026-11-10");
        AssertMoney(Assert.Single(after.GetProperty("currencies").EnumerateArray()), ("orders", "1"), ("revenue", "500.00"), ("commission", "50.00"),
            ("refunds", "500.00"), ("earned", "100.00"), ("reversed", "-50.00"), ("epc", "12.50"));
        var refundDay = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-11&to=2026-11-11");
        Assert.Empty(refundDay.GetProperty("currencies").EnumerateArray());
        var period = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-01&to=2026-11-30");
        AssertMoney(Assert.Single(period.GetProperty("currencies").EnumerateArray()), ("revenue", "500.00"), ("commission", "50.00"));

        var rowsBefore = await RollupRowsAsync(p, new DateOnly(2026, 11, 10));
        var rebuilt = await p.Api.PostAsync("/api/v1/reports/rebuild?day=2026-11-10", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        var rebuiltFigures = await rebuilt.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, rebuiltFigures.GetProperty("uniqueClicks").GetInt64());
        Assert.Equal(rowsBefore, await RollupRowsAsync(p, new DateOnly(2026, 11, 10)));
        var again = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-10&to=2026-11-10");
        Assert.Equal(after.GetProperty("currencies").GetRawText(), again.GetProperty("currencies").GetRawText());
        Assert.Equal(after.GetProperty("clicks").GetInt64(), again.GetProperty("clicks").GetInt64());

        // A rebuild does not count clicks twice when the worker runs again.
        await p.CaughtUpAsync();
        Assert.Equal(rowsBefore, await RollupRowsAsync(p, new DateOnly(2026, 11, 10)));
        // The monthly rollups followed every change of the days: the late refund, the rebuild's delete and re-insert.
        Assert.Equal(await MonthsFromDaysAsync(p), await MonthlyRowsAsync(p));
        Assert.Equal(await BlocksFromDaysAsync(p), await BlockRowsAsync(p));
    }

    /// <summary>
    /// Danish prices with 25 % moms included, 10 % commission. Jane's order: 2 wool sweaters at 500 incl. moms (net 800),
    /// a hat at 249 (net 199.20) and gift wrap without a product (net 20): commission 101.92; then one sweater is
    /// returned (net 400 back). Bob's order: 3 hats (net 597.60, commission 59.76).
    /// </summary>
    [Fact]
    public async Task TopProductsShareEachOrdersRevenueAndCommissionOverItsProductsAfterRefundsToTheOere()
    {
        var p = await ReportProgram.CreateAsync(App);
        var shop = await p.ShopAsync("uld", "DKK");
        var (jane, janeCode) = await p.AffiliateAsync("Jane");
        var (_, bobCode) = await p.AffiliateAsync("Bob");
        await p.OrderAsync(shop, "pj" + p.Suffix, Utc("2026-11-10T12:00:00Z"), janeCode, "DKK",
        [
            new("L1", "701", [], 2, 800.00m, 200.00m, Title: "Uldsweater"),
            new("L2", "702", [], 1, 199.20m, 49.80m, Title: "Hue"),
            new("L3", null, [], 1, 20.00m, 5.00m, Title: "Gaveindpakning"),
        ], taxesIncluded: true);
        await p.RefundAsync(shop, "pj" + p.Suffix, Utc("2026-11-12T09:00:00Z"), new ShopAffiliate.Core.Engine.RefundLine("L1", 1, 500.00m, 100.00m));
        await p.OrderAsync(shop, "pb" + p.Suffix, Utc("2026-11-11T12:00:00Z"), bobCode, "DKK",
            [new("L1", "702", [], 3, 597.60m, 149.40m, Title: "Hue")], taxesIncluded: true);
        await p.CaughtUpAsync();

        // The orders' own figures: what the products' shares must add up to.
        var summary = await p.GetJsonAsync("/api/v1/reports/summary?from=2026-11-01&to=2026-11-30");
        AssertMoney(Assert.Single(summary.GetProperty("currencies").EnumerateArray()), ("revenue", "1216.80"), ("commission", "121.68"));

        async Task<List<(string? Key, string? Name, string? Value)>> Top(string query) =>
            (await p.GetJsonAsync($"/api/v1/reports/top?by=product&from=2026-11-01&to=2026-11-30&{query}")).GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("key").GetString(), r.GetProperty("name").GetString(),
                r.GetProperty("value").ValueKind == JsonValueKind.Number ? r.GetProperty("value").GetRawText() : r.GetProperty("value").GetString()))
            .ToList();
        var sweater = $"{shop.Value}:701";
        var hat = $"{shop.Value}:702";
        // Jane's order after the return: 400.00 sweater + 199.20 hat + 20.00 wrap = 619.20; commission 40.00 + 19.92 + 2.00.
        Assert.Equal([(hat, "Hue", "796.80"), (sweater, "Uldsweater", "400.00")], await Top("metric=revenue"));
        Assert.Equal([(hat, "Hue", "79.68"), (sweater, "Uldsweater", "40.00")], await Top("metric=commission"));
        // November whole with days around it (monthly rows plus daily ones), and days only (ADR 0041).
        async Task<List<(string?, string?, string?)>> TopIn(string from, string to) =>
            (await p.GetJsonAsync($"/api/v1/reports/top?by=product&from={from}&to={to}&metric=revenue")).GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("key").GetString(), r.GetProperty("name").GetString(), r.GetProperty("value").GetString())).ToList();
        Assert.Equal([(hat, "Hue", "796.80"), (sweater, "Uldsweater", "400.00")], await TopIn("2026-10-20", "2026-12-03"));
        Assert.Equal([(hat, "Hue", "597.60")], await TopIn("2026-11-11", "2026-11-30"));
        Assert.Equal([(hat, "Hue", "2"), (sweater, "Uldsweater", "1")], await Top("metric=orders"));
        Assert.Equal([(sweater, "Uldsweater", "400.00"), (hat, "Hue", "199.20")], await Top($"metric=revenue&affiliateId={jane}"));
        // Average order value: the sweater's one order (400.00) beats the hat's two (796.80 / 2 = 398.40).
        Assert.Equal([(sweater, "Uldsweater", "400.00"), (hat, "Hue", "398.40")], await Top("metric=aov"));

        var csv = await p.GetCsvAsync("/api/v1/reports/top?by=product&metric=revenue&from=2026-11-01&to=2026-11-30&format=csv");
        Assert.Equal([["rank", "product", "name", "currency", "revenue"], ["1", hat, "Hue", "DKK", "796.80"], ["2", sweater, "Uldsweater", "DKK", "400.00"]], csv);

        // Units kept after the return, and a rebuild of the day gives the same product rows.
        var rows = await ProductRowsAsync(p, new DateOnly(2026, 11, 10));
        Assert.Equal(
            [$"{Guid.Empty} 701: 1 1 40000 4000", $"{Guid.Empty} 702: 1 1 19920 1992", $"{jane} 701: 1 1 40000 4000", $"{jane} 702: 1 1 19920 1992"],
            rows);
        Assert.Equal(HttpStatusCode.OK, (await p.Api.PostAsync("/api/v1/reports/rebuild?day=2026-11-10", null)).StatusCode);
        Assert.Equal(rows, await ProductRowsAsync(p, new DateOnly(2026, 11, 10)));
        Assert.Equal([(hat, "Hue", "796.80"), (sweater, "Uldsweater", "400.00")], await Top("metric=revenue")); // the month followed the rebuild

        var byClicks = await p.Api.GetAsync("/api/v1/reports/top?by=product&metric=clicks&from=2026-11-01&to=2026-11-30");
        Assert.Equal(HttpStatusCode.BadRequest, byClicks.StatusCode);
        Assert.Contains("Products are ranked by orders, revenue, commission, aov or roi", await byClicks.Content.ReadAsStringAsync());
        // Another program sees none of these products.
        var other = await ReportProgram.CreateAsync(App);
        await other.ShopAsync("andet", "DKK");
        Assert.Empty((await other.GetJsonAsync("/api/v1/reports/top?by=product&metric=orders&from=2026-11-01&to=2026-11-30")).GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task BadParametersGetAProblemNamingWhatIsAllowedAndAnotherProgramsIdsAreNotFound()
    {
        var p = await ReportProgram.CreateAsync(App);
        var (jane, _) = await p.AffiliateAsync("Jane");
        var shop = await p.ShopAsync("mine", "DKK");

        foreach (var (url, expected) in new[]
                 {
                     ("/api/v1/reports/summary?from=01-11-2026&to=2026-11-30", "yyyy-MM-dd"),
                     ("/api/v1/reports/summary?from=2026-11-30&to=2026-11-01", "on or after"),
                     ("/api/v1/reports/summary?from=2020-01-01&to=2026-11-30", "at most 731 days"),
                     ("/api/v1/reports/timeseries?metric=profit&from=2026-11-01&to=2026-11-30", "clicks, uniqueClicks, impressions, ctr, orders, conversionRate, revenue, commission, refunds, epc, aov, roi"),
                     ("/api/v1/reports/timeseries?metric=clicks&groupBy=year&from=2026-11-01&to=2026-11-30", "day, week, month"),
                     ("/api/v1/reports/top?by=planet&from=2026-11-01&to=2026-11-30", "affiliate, link, subId"),
                     ("/api/v1/reports/top?by=link&metric=revenue&from=2026-11-01&to=2026-11-30", "clicks or uniqueClicks"),
                     ("/api/v1/reports/top?limit=0&from=2026-11-01&to=2026-11-30", "between 1 and 100"),
                     ("/api/v1/reports/summary?format=xml", "json or csv"),
                 })
        {
            var response = await p.Api.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        }

        var other = await ReportProgram.CreateAsync(App);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync($"/api/v1/reports/summary?affiliateId={jane}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync($"/api/v1/reports/summary?shopId={shop.Value}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync($"/api/v1/reports/top?affiliateId={jane}")).StatusCode);
        // ...while the owning program's key reads them, so the 404s are isolation and not a broken lookup.
        Assert.Equal(HttpStatusCode.OK, (await p.Api.GetAsync($"/api/v1/reports/summary?affiliateId={jane}&shopId={shop.Value}")).StatusCode);
    }

    [Fact]
    public async Task GoalsSayHowFarAlongTheMonthIsAndThePaceNeeded()
    {
        var p = await ReportProgram.CreateAsync(App);
        var shop = await p.ShopAsync("goals", "DKK");
        var (_, code) = await p.AffiliateAsync("Jane");
        await p.OrderAsync(shop, "g" + p.Suffix, DateTime.UtcNow, 400m, code, "DKK");
        await p.CaughtUpAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen")));
        var month = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var daysLeft = DateTime.DaysInMonth(today.Year, today.Month) - today.Day + 1;

        var put = await p.Api.PutAsJsonAsync("/api/v1/goals", new
        {
            month,
            goals = new object[]
            {
                new { metric = "revenue", currency = "DKK", target = 1000m }, new { metric = "orders", target = 10m },
                new { metric = "activeAffiliates", target = 2m }, new { metric = "roi", currency = "DKK", target = 5m },
            },
        });
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var goals = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("goals").EnumerateArray().ToDictionary(g => g.GetProperty("metric").GetString()!);
        Assert.Equal(("1000.00", "400.00", 0.4m, daysLeft), (goals["revenue"].GetProperty("target").GetString(), goals["revenue"].GetProperty("actual").GetString(),
            goals["revenue"].GetProperty("progress").GetDecimal(), goals["revenue"].GetProperty("daysLeft").GetInt32()));
        Assert.Equal(Math.Round(600m / daysLeft, 2, MidpointRounding.AwayFromZero).ToString("F2", CultureInfo.InvariantCulture), goals["revenue"].GetProperty("neededPerDay").GetString());
        Assert.Equal((1m, 0.1m), (goals["orders"].GetProperty("actual").GetDecimal(), goals["orders"].GetProperty("progress").GetDecimal()));
        Assert.Equal(Math.Round(9m / daysLeft, 2, MidpointRounding.AwayFromZero), goals["orders"].GetProperty("neededPerDay").GetDecimal());
        Assert.Equal((1m, 0.5m), (goals["activeAffiliates"].GetProperty("actual").GetDecimal(), goals["activeAffiliates"].GetProperty("progress").GetDecimal()));
        Assert.Equal((9m, 1.8m), (goals["roi"].GetProperty("actual").GetDecimal(), goals["roi"].GetProperty("progress").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, goals["roi"].GetProperty("neededPerDay").ValueKind);

        // The summary of a period ending this month carries the month's goals.
        var summary = await p.GetJsonAsync($"/api/v1/reports/summary?from={month}-01&to={today:yyyy-MM-dd}");
        Assert.Equal(4, summary.GetProperty("goals").GetArrayLength());

        var bad = await p.Api.PutAsJsonAsync("/api/v1/goals", new { month, goals = new[] { new { metric = "revenue", target = 5m } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("currency", await bad.Content.ReadAsStringAsync());
        var unknown = await p.Api.PutAsJsonAsync("/api/v1/goals", new { month, goals = new[] { new { metric = "happiness", target = 5m } } });
        Assert.Contains("revenue, orders, activeAffiliates, roi", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDescriptionCarriesTheDefinitions()
    {
        var openApi = await App.CreateClient().GetStringAsync("/openapi/v1.json");
        foreach (var definition in (string[])["uniqueClicks = clicks neither bot nor repeat", "ctr = uniqueClicks / impressions",
                     "conversionRate = orders / uniqueClicks", "epc = commission / uniqueClicks", "aov = revenue / orders",
                     "roi = (revenue - commission) / commission", "A ratio whose denominator is 0 is null"])
            Assert.Contains(definition, openApi);
        Assert.Contains("/api/v1/reports/timeseries", openApi);
        Assert.Contains("/api/v1/goals", openApi);
    }

    private static void AssertMoney(JsonElement figures, params (string Field, string Expected)[] expected)
    {
        foreach (var (field, value) in expected)
        {
            var actual = figures.GetProperty(field);
            Assert.True(value == (actual.ValueKind == JsonValueKind.Number ? actual.GetRawText() : actual.GetString()), $"{field}: expected {value}, got {actual.GetRawText()}");
        }
    }

    /// <summary>The day's product rollup rows of the program: affiliate, product: orders, units, revenue and commission in øre.</summary>
    private static async Task<List<string>> ProductRowsAsync(ReportProgram p, DateOnly day) =>
        await p.WithAsync<List<string>, ShopAffiliate.Core.Data.AppDbContext>(async db =>
            (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.DailyProductRollups.Where(r => r.Day == day)))
            .Where(r => r.Orders != 0 || r.Quantity != 0 || r.RevenueMinor != 0 || r.CommissionMinor != 0)
            .Select(r => $"{r.AffiliateId} {r.ProductId}: {r.Orders} {r.Quantity} {r.RevenueMinor} {r.CommissionMinor}")
            .Order(StringComparer.Ordinal).ToList());

    /// <summary>The day's non-empty rollup rows of the program, as text, in key order.</summary>
    [Fact]
    public async Task MissingMonthlyRollupTriggersAreCreatedAgainAtStartAndTheMonthsRecomputed()
    {
        var p = await ReportProgram.CreateAsync(App);
        await p.ShopAsync("gone", "DKK");
        var (jane, code) = await p.AffiliateAsync("Jane");
        var link = await p.LinkAsync(jane, "gone");
        await p.ClicksAsync(jane, code, link, Utc("2026-09-10T08:00:00Z"), 2);
        await p.CaughtUpAsync();
        var expected = await MonthsFromDaysAsync(p);
        Assert.NotEmpty(expected);

        // What a SQLite table rebuild does to the triggers, then days written while they are gone.
        var postgres = App.Provider == Db.Postgres;
        await using (var scope = App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Data.AppDbContext>();
            foreach (var sql in ShopAffiliate.Core.Reports.MonthlyRollupSql.Kept.SelectMany(t => t.DropTriggers(postgres)))
                await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, sql);
        }
        await p.ClicksAsync(jane, code, link, Utc("2026-09-11T08:00:00Z"), 3);
        await p.CaughtUpAsync();
        Assert.NotEqual(await MonthsFromDaysAsync(p), await MonthlyRowsAsync(p));
        Assert.NotEqual(await BlocksFromDaysAsync(p), await BlockRowsAsync(p));

        await using (var scope = App.Scope())
            await scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Data.DatabaseMigrator>().EnsureMonthlyRollupTriggersAsync(CancellationToken.None);
        Assert.Equal(await MonthsFromDaysAsync(p), await MonthlyRowsAsync(p));
        Assert.Equal(await BlocksFromDaysAsync(p), await BlockRowsAsync(p));
        await p.ClicksAsync(jane, code, link, Utc("2026-09-12T08:00:00Z"), 1);
        await p.CaughtUpAsync();
        Assert.Equal(await MonthsFromDaysAsync(p), await MonthlyRowsAsync(p));
        Assert.Equal(await BlocksFromDaysAsync(p), await BlockRowsAsync(p));
        Assert.Contains(await MonthlyRowsAsync(p), r => r.StartsWith($"{jane} 2026-09-01 ", StringComparison.Ordinal) && r.Contains(": 6 6 ", StringComparison.Ordinal));
    }

    /// <summary>
    /// The top affiliates are ranked in SQL (only the rows that can be in the top come back): for every metric, over
    /// whole months, months with days around them and days alone, the result equals ranking every affiliate here in
    /// memory by the report's exact definitions, ties (1/3 and 2/6) and near-ties that round to the same six decimals
    /// (333,333/1,000,000 and 1/3) ordered by affiliate id.
    /// </summary>
    [Fact]
    public async Task TopAffiliatesRankedInSqlEqualRankingEveryAffiliateInMemory()
    {
        var p = await ReportProgram.CreateAsync(App);
        var random = new Random(20261202);
        var shop = (await p.ShopAsync("Butik", "DKK")).Value;
        var other = (await p.ShopAsync("Outlet", "DKK")).Value;
        var rows = new List<ShopAffiliate.Core.Reports.DailyRollup>();
        // (unique clicks, orders) pairs with exact and near ties of the conversion rate, then random ones.
        (long Unique, long Orders)[] shapes = [(3, 1), (6, 2), (9, 3), (1_000_000, 333_333), (1_000_000, 333_334), (999_999, 333_333), (10, 0), (0, 2)];
        for (var i = 0; i < 48; i++)
        {
            var affiliate = Guid.NewGuid();
            var (unique, orders) = i < shapes.Length * 2 ? shapes[i % shapes.Length] : (random.Next(0, 40), random.Next(0, 8));
            // Spread each affiliate's figures over three days: before, inside and after whole months.
            foreach (var (day, share) in new[] { (new DateOnly(2026, 9, 20), 1), (new DateOnly(2026, 10, 10), 2), (new DateOnly(2026, 11, 5), 1) })
            {
                long Part(long total) => share == 2 ? total - 2 * (total / 4) : total / 4;
                var dayUnique = Part(unique);
                var dayOrders = Part(orders);
                rows.Add(new ShopAffiliate.Core.Reports.DailyRollup
                {
                    WorkspaceId = p.WorkspaceId, Day = day, AffiliateId = affiliate, SubId = "", Currency = "",
                    Clicks = dayUnique + random.Next(0, 3), UniqueClicks = dayUnique, Impressions = i % 5 == 0 ? 0 : dayUnique * 3 + random.Next(0, 2),
                });
                var revenue = i % 7 == 0 ? 0 : dayOrders * 12_345 + random.Next(0, 500);
                rows.Add(new ShopAffiliate.Core.Reports.DailyRollup
                {
                    WorkspaceId = p.WorkspaceId, Day = day, AffiliateId = affiliate, SubId = "", ShopId = shop, Currency = "DKK",
                    Orders = dayOrders, RevenueMinor = revenue, RefundsMinor = random.Next(0, 3) * 100,
                    CommissionMinor = i % 11 == 0 ? 0 : revenue / 10 + (i % 3 == 0 ? 0 : random.Next(0, 3)),
                });
            }
            // Every third affiliate also sells in a second shop, so a shop filter changes the ranking.
            if (i % 3 == 1)
                rows.Add(new ShopAffiliate.Core.Reports.DailyRollup
                {
                    WorkspaceId = p.WorkspaceId, Day = new DateOnly(2026, 10, 12), AffiliateId = affiliate, SubId = "", ShopId = other, Currency = "DKK",
                    Orders = random.Next(1, 4), RevenueMinor = random.Next(1_000, 90_000), CommissionMinor = random.Next(0, 9_000),
                });
        }
        await p.WithAsync<int, ShopAffiliate.Core.Data.AppDbContext>(async db =>
        {
            db.DailyRollups.AddRange(rows);
            return await db.SaveChangesAsync();
        });

        string[] metrics = ["clicks", "uniqueClicks", "impressions", "ctr", "orders", "conversionRate", "revenue", "commission", "refunds", "epc", "aov", "roi"];
        (string From, string To)[] periods = [("2026-09-01", "2026-11-30"), ("2026-09-15", "2026-11-10"), ("2026-10-01", "2026-10-31"), ("2026-10-05", "2026-10-20")];
        // The metrics of orders and money alone rank the affiliates with an order row in the period (and shop) only.
        string[] ordersOnly = ["orders", "revenue", "commission", "refunds", "aov", "roi"];
        foreach (var (from, to) in periods)
        foreach (var metric in metrics)
        foreach (var limit in new[] { 1, 4, 7 })
        foreach (var byShop in new Guid?[] { null, shop, other })
        {
            var (f, t) = (DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture));
            // A shop narrows the order rows; click rows belong to no shop and stay.
            var ranked = rows.Where(r => r.Day >= f && r.Day <= t && (byShop is null || r.Currency == "" || r.ShopId == byShop)).GroupBy(r => r.AffiliateId)
                .Where(g => !ordersOnly.Contains(metric) || g.Any(r => r.Currency != ""))
                .Select(g => (Key: g.Key.ToString(), Value: Expected(metric, g.ToList())))
                .Where(x => x.Value is not null)
                .OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).Take(limit).ToList();
            var top = await p.GetJsonAsync($"/api/v1/reports/top?by=affiliate&metric={metric}&limit={limit}&from={from}&to={to}&currency=DKK" + (byShop is { } s ? $"&shopId={s}" : ""));
            var answered = top.GetProperty("rows").EnumerateArray()
                .Select(r => (Key: r.GetProperty("key").GetString()!, Value: r.GetProperty("value") is { ValueKind: JsonValueKind.Number } n
                    ? n.GetDecimal().ToString(CultureInfo.InvariantCulture) : r.GetProperty("value").GetString()!)).ToList();
            // Each expected value as the API writes it: rounded to the decimals the answer shows (money to the øre).
            var expected = ranked.Select((x, i) =>
            {
                var shown = i < answered.Count && answered[i].Value.IndexOf('.') is var dot and >= 0 ? answered[i].Value.Length - dot - 1 : 0;
                return $"{x.Key} {decimal.Round(x.Value!.Value, shown, MidpointRounding.AwayFromZero).ToString("F" + shown, CultureInfo.InvariantCulture)}";
            }).ToList();
            var actual = answered.Select(x => $"{x.Key} {x.Value}").ToList();
            Assert.True(expected.SequenceEqual(actual), $"{metric} top {limit} {from}..{to} shop {byShop}:\nexpected {string.Join(", ", expected)}\nactual   {string.Join(", ", actual)}");
        }
    }

    /// <summary>The report's definitions (docs/reports.md) over one affiliate's rows, in DKK; null on a zero denominator.</summary>
    private static decimal? Expected(string metric, List<ShopAffiliate.Core.Reports.DailyRollup> rows)
    {
        long clicks = rows.Sum(r => r.Clicks), unique = rows.Sum(r => r.UniqueClicks), impressions = rows.Sum(r => r.Impressions), orders = rows.Sum(r => r.Orders);
        decimal revenue = rows.Sum(r => r.RevenueMinor) / 100m, commission = rows.Sum(r => r.CommissionMinor) / 100m, refunds = rows.Sum(r => r.RefundsMinor) / 100m;
        decimal? Rounded(decimal n, decimal d) => d == 0 ? null : decimal.Round(n / d, 6, MidpointRounding.AwayFromZero);
        return metric switch
        {
            "clicks" => clicks, "uniqueClicks" => unique, "impressions" => impressions, "orders" => orders,
            "ctr" => Rounded(unique, impressions), "conversionRate" => Rounded(orders, unique),
            "revenue" => revenue, "commission" => commission, "refunds" => refunds,
            "epc" => unique == 0 ? null : commission / unique,
            "aov" => orders == 0 ? null : revenue / orders,
            _ => Rounded(revenue - commission, commission),
        };
    }

    /// <summary>The program's ranking blocks (<c>RankingRollups</c>, not in the EF model) that are not all zero.</summary>
    private async Task<List<string>> BlockRowsAsync(ReportProgram p) =>
        await p.WithAsync<List<string>, ShopAffiliate.Core.Data.AppDbContext>(async db =>
        {
            var postgres = App.Provider == Db.Postgres;
            var workspace = db.CurrentWorkspaceId!.Value;
            var connection = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The table names workspaces, affiliates and shops by number: read them back as GUIDs.
            command.CommandText = "SELECT a.\"Guid\", r.\"Span\", r.\"Start\", s.\"Guid\", r.\"Currency\", r.\"Clicks\", r.\"UniqueClicks\", r.\"Impressions\", r.\"Orders\", r.\"RevenueMinor\", r.\"RefundsMinor\", r.\"CommissionMinor\", r.\"SecondTierMinor\", r.\"EarnedMinor\", r.\"ReversedMinor\""
                + " FROM \"RankingRollups\" AS r JOIN \"RankingKeys\" AS w ON w.\"Key\" = r.\"WorkspaceKey\" JOIN \"RankingKeys\" AS a ON a.\"Key\" = r.\"AffiliateKey\" JOIN \"RankingKeys\" AS s ON s.\"Key\" = r.\"ShopKey\" WHERE w.\"Guid\" = @w";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@w";
            parameter.Value = postgres ? workspace : workspace.ToString().ToUpperInvariant();
            command.Parameters.Add(parameter);
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var measures = Enumerable.Range(5, 10).Select(i => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture)).ToList();
                if (measures.All(m => m == 0)) continue;
                var start = postgres ? reader.GetFieldValue<DateOnly>(2) : DateOnly.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
                var affiliate = postgres ? reader.GetGuid(0) : Guid.Parse(reader.GetString(0));
                var shop = postgres ? reader.GetGuid(3) : Guid.Parse(reader.GetString(3));
                rows.Add($"{affiliate} {Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)} {start:yyyy-MM-dd} {shop} {reader.GetString(4)}: {string.Join(" ", measures)}");
            }
            return rows.Order(StringComparer.Ordinal).ToList();
        });

    /// <summary>The same blocks computed here from the program's daily rollups: months aligned on year * 12 + month - 1, days on the day of the month.</summary>
    private static async Task<List<string>> BlocksFromDaysAsync(ReportProgram p) =>
        await p.WithAsync<List<string>, ShopAffiliate.Core.Data.AppDbContext>(async db =>
            (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.DailyRollups))
            .SelectMany(r => new[] { 1001, 1002, 1004, 1008, 2, 4, 8, 16 }.Select(span =>
            {
                DateOnly start;
                if (span > 1000)
                {
                    var month = r.Day.Year * 12 + r.Day.Month - 1;
                    month -= month % (span - 1000);
                    start = new DateOnly(month / 12, month % 12 + 1, 1);
                }
                else start = r.Day.AddDays(-((r.Day.Day - 1) % span));
                return (Key: (r.AffiliateId, Span: span, Start: start, r.ShopId, r.Currency), Row: r);
            }))
            .GroupBy(x => x.Key, x => x.Row)
            .Select(g => (g.Key, Measures: new[] { g.Sum(r => r.Clicks), g.Sum(r => r.UniqueClicks), g.Sum(r => r.Impressions), g.Sum(r => r.Orders), g.Sum(r => r.RevenueMinor),
                g.Sum(r => r.RefundsMinor), g.Sum(r => r.CommissionMinor), g.Sum(r => r.SecondTierMinor), g.Sum(r => r.EarnedMinor), g.Sum(r => r.ReversedMinor) }))
            .Where(x => x.Measures.Any(m => m != 0))
            .Select(x => $"{x.Key.AffiliateId} {x.Key.Span} {x.Key.Start:yyyy-MM-dd} {x.Key.ShopId} {x.Key.Currency}: {string.Join(" ", x.Measures)}")
            .Order(StringComparer.Ordinal).ToList());

    /// <summary>The program's monthly rollup rows that are not all zero.</summary>
    private static async Task<List<string>> MonthlyRowsAsync(ReportProgram p) =>
        await p.WithAsync<List<string>, ShopAffiliate.Core.Data.AppDbContext>(async db =>
            (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.MonthlyRollups))
            .Where(r => r.Clicks != 0 || r.UniqueClicks != 0 || r.Impressions != 0 || r.Orders != 0 || r.RevenueMinor != 0 || r.RefundsMinor != 0 || r.CommissionMinor != 0
                        || r.SecondTierMinor != 0 || r.EarnedMinor != 0 || r.ReversedMinor != 0)
            .Select(r => $"{r.AffiliateId} {r.Month:yyyy-MM-dd} {r.ShopId} {r.Currency}: {r.Clicks} {r.UniqueClicks} {r.Impressions} {r.Orders} {r.RevenueMinor} {r.RefundsMinor} {r.CommissionMinor} {r.SecondTierMinor} {r.EarnedMinor} {r.ReversedMinor}")
            .Order(StringComparer.Ordinal).ToList());

    /// <summary>The same rows computed here from the program's daily rollups.</summary>
    private static async Task<List<string>> MonthsFromDaysAsync(ReportProgram p) =>
        await p.WithAsync<List<string>, ShopAffiliate.Core.Data.AppDbContext>(async db =>
            (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.DailyRollups))
            .GroupBy(r => (r.AffiliateId, Month: new DateOnly(r.Day.Year, r.Day.Month, 1), r.ShopId, r.Currency))
            .Select(g => (g.Key, Clicks: g.Sum(r => r.Clicks), Unique: g.Sum(r => r.UniqueClicks), Impressions: g.Sum(r => r.Impressions), Orders: g.Sum(r => r.Orders),
                Revenue: g.Sum(r => r.RevenueMinor), Refunds: g.Sum(r => r.RefundsMinor), Commission: g.Sum(r => r.CommissionMinor), Second: g.Sum(r => r.SecondTierMinor),
                Earned: g.Sum(r => r.EarnedMinor), Reversed: g.Sum(r => r.ReversedMinor)))
            .Where(x => x.Clicks != 0 || x.Unique != 0 || x.Impressions != 0 || x.Orders != 0 || x.Revenue != 0 || x.Refunds != 0 || x.Commission != 0 || x.Second != 0 || x.Earned != 0 || x.Reversed != 0)
            .Select(x => $"{x.Key.AffiliateId} {x.Key.Month:yyyy-MM-dd} {x.Key.ShopId} {x.Key.Currency}: {x.Clicks} {x.Unique} {x.Impressions} {x.Orders} {x.Revenue} {x.Refunds} {x.Commission} {x.Second} {x.Earned} {x.Reversed}")
            .Order(StringComparer.Ordinal).ToList());

    private async Task<List<string>> RollupRowsAsync(ReportProgram p, DateOnly day) =>
        await p.WithAsync<List<string>, ShopAffiliate.Core.Data.AppDbContext>(async db =>
            (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.DailyRollups.Where(r => r.Day == day)))
            .Where(r => r.Clicks != 0 || r.UniqueClicks != 0 || r.Orders != 0 || r.RevenueMinor != 0 || r.CommissionMinor != 0 || r.RefundsMinor != 0)
            .Select(r => $"{r.AffiliateId} {r.LinkId} {r.SubId} {r.ShopId} {r.Currency}: {r.Clicks} {r.UniqueClicks} {r.Impressions} {r.Orders} {r.RevenueMinor} {r.RefundsMinor} {r.CommissionMinor} {r.SecondTierMinor} {r.EarnedMinor} {r.ReversedMinor}")
            .Order(StringComparer.Ordinal).ToList());
}

public sealed class ReportsOnSqlite(SqliteApp fixture) : ReportsTests(fixture), IClassFixture<SqliteApp>;

public sealed class ReportsOnPostgres(PostgresApp fixture) : ReportsTests(fixture), IClassFixture<PostgresApp>
{
    /// <summary>
    /// The ranking reads a block of 10,000 affiliates by an index-only scan only if the key carries every measure it
    /// sums; a heap read per row was a page per row (ADR 0041, third amendment).
    /// </summary>
    [Fact]
    public async Task TheRankingKeyCarriesEveryMeasureTheRankingSums()
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT a.attname, k.n > i.indnkeyatts
            FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indexrelid = '"PK_RankingRollups"'::regclass ORDER BY k.n
            """, connection);
        var key = new List<string>();
        var carried = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) (reader.GetBoolean(1) ? carried : key).Add(reader.GetString(0));

        Assert.Equal(["WorkspaceKey", "Span", "Start", "AffiliateKey", "Currency", "ShopKey"], key);
        Assert.Equal(["Clicks", "UniqueClicks", "Impressions", "Orders", "RevenueMinor", "RefundsMinor", "CommissionMinor"], carried);
    }
}
