using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Statements;

namespace ShopAffiliate.Core.Communication;

/// <summary>
/// "Your statement for November": in the first <see cref="SendDays"/> days of a month (the program's time zone), each
/// affiliate with activity or a balance in the month before gets one mail with the closing balance per currency and a
/// link to the portal's statement. The figures are <see cref="StatementService"/>'s, the portal's own; the event key
/// <c>{yyyy-MM}:{affiliate}</c> makes it once per affiliate and month across passes, restarts and nodes. Preference and
/// unsubscribe are the <see cref="Mailer"/>'s check (a non-essential kind).
/// </summary>
public sealed class MonthlyStatementMails(AppDbContext db, TenantContext tenant, Mailer mailer, StatementService statements, TimeProvider clock)
{
    /// <summary>The days of the month (1 to this) on which last month's statements are mailed.</summary>
    public const int SendDays = 3;

    /// <summary>Statements computed per program and pass at most (the rest follow in the next pass).</summary>
    public const int BatchSize = 200;

    public static string EventKey(DateOnly month, Guid affiliateId) => $"{month:yyyy-MM}:{affiliateId:N}";

    /// <summary>Every program; the number of mails enqueued.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var programs = await db.Workspaces.AsNoTracking().Select(w => w.Id).ToListAsync(ct);
        var sent = 0;
        foreach (var id in programs) sent += await RunProgramAsync(id, ct);
        return sent;
    }

    /// <summary>One program: nothing outside the first days of its month, else last month's statements not mailed yet.</summary>
    public async Task<int> RunProgramAsync(Guid workspaceId, CancellationToken ct)
    {
        var previous = tenant.WorkspaceId;
        tenant.WorkspaceId = workspaceId;
        try
        {
            var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(await SettingsStore.TimeZoneAsync(db, settings, ct));
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
            if (today.Day > SendDays) return 0;
            var month = ReportCalendar.MonthStart(today).AddMonths(-1);
            var last = month.AddMonths(1).AddDays(-1);
            var (fromUtc, toUtc) = ReportCalendar.UtcRange(month, last, zone);

            // Who can have something to read: a ledger entry before the month's end (a movement or a balance), a
            // commission on an order of the month, or a click in it. The statement itself decides.
            var withLedger = db.Ledger.Where(e => e.At < toUtc).Select(e => e.AffiliateId);
            var withOrders = db.Commissions.Where(c => db.Orders.Any(o => o.Id == c.OrderId && o.PlacedAt >= fromUtc && o.PlacedAt < toUtc)).Select(c => c.AffiliateId);
            var withClicks = db.DailyRollups.Where(r => r.Day >= month && r.Day <= last && r.Clicks > 0).Select(r => r.AffiliateId);
            var candidates = await db.Affiliates.AsNoTracking()
                .Where(a => a.ErasedAt == null && (a.Status == AffiliateStatus.Approved || a.Status == AffiliateStatus.Suspended))
                .Where(a => withLedger.Contains(a.Id) || withOrders.Contains(a.Id) || withClicks.Contains(a.Id))
                .Select(a => new { a.Id, a.Email, a.Name, a.Language }).ToListAsync(ct);
            var keys = candidates.ToDictionary(a => a.Id, a => $"email:{EmailKind.MonthlyStatement}:{EventKey(month, a.Id)}");
            var keyList = keys.Values.ToList();
            var done = (await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking()
                .Where(m => m.WorkspaceId == workspaceId && keyList.Contains(m.IdempotencyKey)).Select(m => m.IdempotencyKey).ToListAsync(ct)).ToHashSet();
            var program = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => new { w.Slug, w.Currency }).SingleAsync(ct);
            var sent = 0;
            foreach (var a in candidates.Where(a => !done.Contains(keys[a.Id])).Take(BatchSize))
            {
                var statement = await statements.GetAsync(a.Id, month, ct);
                if (!HasSomething(statement)) continue;
                var culture = await Mailer.CultureAsync(db, workspaceId, a.Language, ct);
                var format = CultureInfo.GetCultureInfo(culture == "da" ? "da-DK" : "en-GB");
                var balances = statement.Currencies.Count == 0
                    ? 0m.ToString("N2", format) + " " + program.Currency
                    : string.Join(", ", statement.Currencies.Select(c => c.ClosingBalance.ToString("N2", format) + " " + c.Currency));
                if (!await mailer.EnqueueAsync(db, new MailRequest(workspaceId, EmailKind.MonthlyStatement, a.Email, a.Name, EventKey(month, a.Id),
                        new Dictionary<string, string>
                        {
                            ["month"] = month.ToString("MMMM yyyy", format),
                            ["amount"] = balances,
                            ["portalUrl"] = $"{mailer.PortalUrl}/p/{program.Slug}/statements?month={month:yyyy-MM}",
                        }, a.Language), ct)) continue;
                try
                {
                    await db.SaveChangesAsync(ct);
                    sent++;
                }
                catch (DbUpdateException)
                {
                    // Another node mailed this statement first: the outbox's unique key refused ours.
                    db.ChangeTracker.Clear();
                }
            }
            return sent;
        }
        finally
        {
            tenant.WorkspaceId = previous;
        }
    }

    private static bool HasSomething(Statement s) =>
        s.Clicks > 0 || s.Orders > 0 || s.Currencies.Any(c => c.ClosingBalance != 0 || c.Earned != 0 || c.Refunds != 0 || c.Clawbacks != 0 || c.Payouts != 0 || c.Commissions.Count > 0);
}
