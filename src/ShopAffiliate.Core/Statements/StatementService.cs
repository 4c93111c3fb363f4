using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Statements;

/// <summary>The affiliate's commissions on orders placed in the month, by their status now.</summary>
public sealed record StatusLine(CommissionStatus Status, int Count, decimal Amount);

/// <summary>
/// One currency of a statement, all from the ledger except <see cref="Commissions"/>. The balance is what the program
/// owes the affiliate (every bucket but Paid): <see cref="ClosingBalance"/> = <see cref="OpeningBalance"/> +
/// <see cref="Earned"/> + <see cref="Refunds"/> + <see cref="Clawbacks"/> - <see cref="Payouts"/>. Refunds and
/// clawbacks are negative; payouts are what was paid (positive). At the close the balance splits into
/// <see cref="Pending"/> (in the hold period or awaiting review), <see cref="Approved"/> and <see cref="Carried"/>
/// (clawbacks after payment, netted in the next payout).
/// </summary>
public sealed record CurrencyStatement(
    string Currency, decimal OpeningBalance, decimal Earned, decimal Refunds, decimal Clawbacks, decimal Payouts, decimal ClosingBalance,
    decimal Pending, decimal Approved, decimal Carried, IReadOnlyList<StatusLine> Commissions)
{
    public decimal Payable => Approved + Carried;
}

/// <summary>
/// An affiliate's month (<see cref="From"/> to <see cref="To"/>, both included, in <see cref="TimeZone"/>).
/// <see cref="Clicks"/>, <see cref="UniqueClicks"/> and <see cref="Orders"/> are the reports' figures (not bots; neither
/// bots nor repeats; attributed orders), read from the same rollups as <c>/api/v1/reports</c>.
/// </summary>
public sealed record Statement(
    Guid AffiliateId, string AffiliateName, string Month, DateOnly From, DateOnly To, string TimeZone, long Clicks, long UniqueClicks, long Orders,
    IReadOnlyList<CurrencyStatement> Currencies);

/// <summary>
/// Monthly statements, for the API and the affiliate portal alike: the same figures from the same code. The month is
/// the program's (its time zone); money is per currency, never summed across. Ledger entries are read as a stream and
/// added up as they come (SQLite cannot SUM decimals), so a long history costs time, not memory.
/// </summary>
public sealed class StatementService(AppDbContext db, ReportService reports)
{
    /// <summary>"2026-11" as a month; a 400 naming <paramref name="field"/> otherwise.</summary>
    public static DateOnly ParseMonth(string? month, string field = "month") =>
        DateOnly.TryParseExact(month?.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            ? first
            : throw ValidationFailedException.For(field, $"'{month}' is not a month: use yyyy-MM, e.g. 2026-11.");

    /// <summary>The statement of one affiliate of the current workspace; 404 for an affiliate it does not have.</summary>
    public async Task<Statement> GetAsync(Guid affiliateId, DateOnly month, CancellationToken ct)
    {
        var affiliate = await db.Affiliates.AsNoTracking().Where(a => a.Id == affiliateId)
            .Select(a => new { a.Name, a.WorkspaceId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No affiliate with that id in this program.");
        var settings = await SettingsStore.GetAsync(db, affiliate.WorkspaceId, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await SettingsStore.TimeZoneAsync(db, settings, ct));
        var first = ReportCalendar.MonthStart(month);
        var last = first.AddMonths(1).AddDays(-1);
        var (fromUtc, toUtc) = ReportCalendar.UtcRange(first, last, zone);
        // Clicks and orders as every report counts them, from the same rollups.
        var activity = await reports.FiguresAsync(new ReportPeriod(first, last, AffiliateId: affiliateId), ct);

        var sums = new Dictionary<string, Sums>(StringComparer.Ordinal);
        var entries = db.Ledger.AsNoTracking().Where(e => e.AffiliateId == affiliateId && e.At < toUtc)
            .Select(e => new LedgerRow(e.Currency, e.Kind, e.Bucket, e.Amount, e.At)).AsAsyncEnumerable();
        await foreach (var e in entries.WithCancellation(ct))
        {
            if (!sums.TryGetValue(e.Currency, out var s)) sums[e.Currency] = s = new Sums();
            s.Add(e, e.At >= fromUtc);
        }

        var commissions = await db.Commissions.AsNoTracking().Where(c => c.AffiliateId == affiliateId)
            .Join(db.Orders.Where(o => o.PlacedAt >= fromUtc && o.PlacedAt < toUtc), c => c.OrderId, o => o.Id, (c, o) => new { c.Currency, c.Status, c.Amount })
            .ToListAsync(ct);
        var byCurrency = commissions.GroupBy(c => c.Currency).ToDictionary(g => g.Key,
            g => g.GroupBy(c => c.Status).OrderBy(s => s.Key).Select(s => new StatusLine(s.Key, s.Count(), s.Sum(c => c.Amount))).ToList(),
            StringComparer.Ordinal);

        var currencies = sums.Keys.Union(byCurrency.Keys).Order(StringComparer.Ordinal).Select(currency =>
        {
            var s = sums.GetValueOrDefault(currency) ?? new Sums();
            return new CurrencyStatement(currency, s.Opening, s.Earned, s.Refunds, s.Clawbacks, s.Payouts, s.Opening + s.Earned + s.Refunds + s.Clawbacks - s.Payouts,
                s.Pending, s.Approved, s.Carried, byCurrency.GetValueOrDefault(currency) ?? []);
        }).ToList();
        return new Statement(affiliateId, affiliate.Name, first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, last, zone.Id,
            activity.Clicks, activity.UniqueClicks, activity.Orders, currencies);
    }

    /// <summary>
    /// The months (their first day, in the program's time zone) with a statement worth reading for the affiliate: a
    /// ledger movement, or an order credited to them, in the month. Newest first.
    /// </summary>
    public async Task<IReadOnlyList<DateOnly>> MonthsAsync(Guid affiliateId, CancellationToken ct)
    {
        var workspaceId = await db.Affiliates.AsNoTracking().Where(a => a.Id == affiliateId).Select(a => (Guid?)a.WorkspaceId).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No affiliate with that id in this program.");
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await SettingsStore.TimeZoneAsync(db, settings, ct));
        var months = new SortedSet<DateOnly>();
        void Add(DateTime utc) =>
            months.Add(ReportCalendar.MonthStart(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone))));
        await foreach (var at in db.Ledger.AsNoTracking().Where(e => e.AffiliateId == affiliateId).Select(e => e.At).AsAsyncEnumerable().WithCancellation(ct))
            Add(at);
        var placed = db.Commissions.AsNoTracking().Where(c => c.AffiliateId == affiliateId)
            .Join(db.Orders.Where(o => o.PlacedAt != null), c => c.OrderId, o => o.Id, (c, o) => o.PlacedAt!.Value).AsAsyncEnumerable();
        await foreach (var at in placed.WithCancellation(ct))
            Add(at);
        return months.Reverse().ToList();
    }

    private sealed record LedgerRow(string Currency, LedgerEntryKind Kind, LedgerBucket Bucket, decimal Amount, DateTime At);

    /// <summary>One currency's running sums over the entries up to the month's end.</summary>
    private sealed class Sums
    {
        public decimal Opening { get; private set; }
        public decimal Earned { get; private set; }
        public decimal Refunds { get; private set; }
        public decimal Clawbacks { get; private set; }
        public decimal Payouts { get; private set; }
        public decimal Pending { get; private set; }
        public decimal Approved { get; private set; }
        public decimal Carried { get; private set; }

        public void Add(LedgerRow e, bool inMonth)
        {
            switch (e.Bucket)
            {
                case LedgerBucket.Pending: Pending += e.Amount; break;
                case LedgerBucket.Approved: Approved += e.Amount; break;
                case LedgerBucket.Carried: Carried += e.Amount; break;
            }
            // Money paid out leaves the balance; the transfers' other legs move it between buckets of the balance.
            if (!inMonth)
            {
                if (e.Bucket != LedgerBucket.Paid) Opening += e.Amount;
                return;
            }
            switch (e.Kind)
            {
                case LedgerEntryKind.Paid when e.Bucket == LedgerBucket.Paid: Payouts += e.Amount; break;
                case LedgerEntryKind.Approved or LedgerEntryKind.Paid: break;
                case LedgerEntryKind.Clawback: Clawbacks += e.Amount; break;
                case LedgerEntryKind.Earned: Earned += e.Amount; break;
                case LedgerEntryKind.Adjusted when e.Amount > 0m: Earned += e.Amount; break;
                default: Refunds += e.Amount; break; // Reversed, and Adjusted down (a partial refund, a smaller version)
            }
        }
    }
}
