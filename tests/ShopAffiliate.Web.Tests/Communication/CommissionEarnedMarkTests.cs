using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Communication;

/// <summary>
/// The commission-earned sender reads forward from its stored mark: a pass after a pass reads nothing, a commission
/// created later is read and mailed once, and one created during a long outage (older than the lookback) is not mailed
/// late. The host's own sender is off here (the test app's default); each pass runs on a clock of the test's.
/// </summary>
public abstract class CommissionEarnedMarkTests(OutboxFixture fixture)
{
    private const double SettleSeconds = 30;

    private TestApp App => fixture.App;

    private async Task<CommissionMailPass> PassAsync(DateTime at)
    {
        await using var scope = App.Scope();
        var sp = scope.ServiceProvider;
        return await new CommissionEarnedMails(sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<Mailer>(),
                new FakeTimeProvider(new DateTimeOffset(at)), Options.Create(new CommissionEarnedMailOptions { SettleSeconds = SettleSeconds }))
            .RunBatchAsync(default);
    }

    /// <summary>Passes until one reads nothing: the mark is past everything older than the settle time.</summary>
    private async Task DrainAsync(DateTime at)
    {
        for (var i = 0; i < 100 && (await PassAsync(at)).Read > 0; i++) { }
    }

    private async Task<int> QueuedAsync(Guid commission)
    {
        await using var scope = App.Scope();
        var key = $"email:CommissionEarned:{CommissionEarnedMails.EventKey(commission)}";
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.IgnoreQueryFilters().CountAsync(m => m.IdempotencyKey == key);
    }

    [Fact]
    public async Task ASecondPassReadsNothingAndALaterCommissionIsReadAndMailedOnce()
    {
        await DrainAsync(DateTime.UtcNow.AddSeconds(SettleSeconds + 1));
        var ann = await CommissionMailScenario.AffiliateAsync(App, "Anna", "en");
        var first = await CommissionMailScenario.OrderAsync(App, ann.Code, 100m);

        // Younger than the settle time: not read yet (its batch might still be committing behind a later one).
        Assert.Equal(new CommissionMailPass(0, 0), await PassAsync(DateTime.UtcNow));
        var later = DateTime.UtcNow.AddSeconds(SettleSeconds + 1);
        Assert.Equal(new CommissionMailPass(1, 1), await PassAsync(later));
        Assert.Equal(new CommissionMailPass(0, 0), await PassAsync(later)); // the mark moved past it: nothing is reread
        Assert.Equal(1, await QueuedAsync(first.Id));

        var second = await CommissionMailScenario.OrderAsync(App, ann.Code, 40m);
        later = DateTime.UtcNow.AddSeconds(SettleSeconds + 1);
        Assert.Equal(new CommissionMailPass(1, 1), await PassAsync(later));
        Assert.Equal(new CommissionMailPass(0, 0), await PassAsync(later));
        Assert.Equal((1, 1), (await QueuedAsync(first.Id), await QueuedAsync(second.Id)));
        var mails = await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(ann.Email)
            .Where(m => m.Subject?.StartsWith("You earned", StringComparison.Ordinal) == true).ToList()), m => m.Count >= 2, "both mails");
        Assert.Equal(2, mails.Count);
    }

    [Fact]
    public async Task ACommissionCreatedDuringALongOutageIsNotMailedLate()
    {
        var now = DateTime.UtcNow;
        await DrainAsync(now.AddSeconds(SettleSeconds + 1));
        var bo = await CommissionMailScenario.AffiliateAsync(App, "Bo", "da");
        var during = await CommissionMailScenario.OrderAsync(App, bo.Code, 70m);
        await using (var scope = App.Scope())
        {
            // The senders were down for three days: the mark is that old, and this commission was made 2.5 days ago.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.MailSenderMarks.Where(m => m.Sender == CommissionEarnedMails.MarkName).ExecuteUpdateAsync(u => u.SetProperty(m => m.At, now.AddDays(-3)));
            await db.Commissions.IgnoreQueryFilters().Where(c => c.Id == during.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.CreatedAt, now.AddDays(-2.5)));
        }
        var after = await CommissionMailScenario.OrderAsync(App, bo.Code, 30m);

        // From the lookback on, rows the earlier tests' passes read are read again (their mails exist: none is added).
        Assert.Equal(1, (await PassAsync(DateTime.UtcNow.AddSeconds(SettleSeconds + 1))).Enqueued);
        Assert.Equal((0, 1), (await QueuedAsync(during.Id), await QueuedAsync(after.Id)));
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(bo.Email).Count(m => m.Subject?.StartsWith("Du har tjent", StringComparison.Ordinal) == true)),
            n => n == 1, "the mail of the commission made after the outage");
    }
}

public sealed class CommissionEarnedMarkOnSqlite(SqliteOutboxFixture fixture) : CommissionEarnedMarkTests(fixture), IClassFixture<SqliteOutboxFixture>;

public sealed class CommissionEarnedMarkOnPostgres(PostgresOutboxFixture fixture) : CommissionEarnedMarkTests(fixture), IClassFixture<PostgresOutboxFixture>;
