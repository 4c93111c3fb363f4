using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Statements;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Communication;

/// <summary>
/// The monthly statement mail, once per affiliate and month, in the first days of the next month, with the closing
/// balance per currency from the portal's statement code. Each test has a program and a clock of its own (the host's
/// sender is off; the test runs the passes), so no test depends on another's data or order.
/// </summary>
public abstract class MonthlyStatementMailTests(OutboxFixture fixture)
{
    private TestApp App => fixture.App;

    /// <summary>The month the test's orders fall in (they are placed now, by the host's clock), and a day of the next one.</summary>
    private static (DateOnly Month, DateTime Day) NextMonthsDay(int day)
    {
        var now = DateTime.UtcNow;
        var month = new DateOnly(now.Year, now.Month, 1);
        return (month, month.AddMonths(1).AddDays(day - 1).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc));
    }

    private async Task<int> PassAsync(NewProgram program, DateTime at)
    {
        await using var scope = App.Scope();
        var sp = scope.ServiceProvider;
        return await new MonthlyStatementMails(sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<TenantContext>(), sp.GetRequiredService<Mailer>(),
                sp.GetRequiredService<StatementService>(), new FakeTimeProvider(new DateTimeOffset(at)))
            .RunProgramAsync(program.WorkspaceId, default);
    }

    private async Task<NewProgram> ProgramAsync()
    {
        var program = await NewProgram.CreateAsync(App, "Statements");
        await program.SettingsAsync(new { defaultCommissionRate = 0.1m, timeZone = "UTC" });
        return program;
    }

    private async Task<(Guid Id, string Email, string Code)> AffiliateAsync(NewProgram program, string name, string? language)
    {
        var code = $"{name.ToLowerInvariant()}{Guid.NewGuid():N}"[..12];
        var affiliate = await program.ApprovedAffiliateAsync(name, code);
        await using var scope = App.Scope(program.WorkspaceId);
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Affiliates.Where(a => a.Id == affiliate.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Language, language));
        return (affiliate.Id, affiliate.Email, code);
    }

    private async Task<int> QueuedAsync(NewProgram program, string email)
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.IgnoreQueryFilters()
            .CountAsync(m => m.WorkspaceId == program.WorkspaceId && m.Recipient == email && m.Topic == nameof(EmailKind.MonthlyStatement));
    }

    private async Task<decimal> ClosingAsync(NewProgram program, Guid affiliate, DateOnly month, string currency)
    {
        await using var scope = App.Scope(program.WorkspaceId);
        var statement = await scope.ServiceProvider.GetRequiredService<StatementService>().GetAsync(affiliate, month, default);
        return statement.Currencies.Single(c => c.Currency == currency).ClosingBalance;
    }

    [Fact]
    public async Task EachAffiliateWithActivityGetsOneStatementInTheirLanguageWithTheClosingBalancePerCurrency()
    {
        var program = await ProgramAsync();
        var usd = await program.ShopAsync("USD");
        var eur = await program.ShopAsync("EUR");
        var dane = await AffiliateAsync(program, "Dorthe", "da");
        var english = await AffiliateAsync(program, "Emily", "en");
        var idle = await AffiliateAsync(program, "Ivan", "en");
        var off = await AffiliateAsync(program, "Olga", "en");
        await program.ApprovedCommissionAsync(usd, dane.Code, 1234.5m);
        await program.ApprovedCommissionAsync(eur, dane.Code, 80m, "EUR");
        await program.ApprovedCommissionAsync(usd, english.Code, 80m);
        await program.ApprovedCommissionAsync(usd, off.Code, 50m);
        await using (var scope = App.Scope(program.WorkspaceId))
        {
            await scope.ServiceProvider.GetRequiredService<NotificationPreferenceService>()
                .SetAsync(off.Id, off.Email, new NotificationChoice(true, true, MonthlyStatement: false), default);
        }
        var (month, day2) = NextMonthsDay(2);

        Assert.Equal(2, await PassAsync(program, day2));
        Assert.Equal(0, await PassAsync(program, day2.AddHours(1))); // once per affiliate and month
        Assert.Equal((1, 1, 0, 0), (await QueuedAsync(program, dane.Email), await QueuedAsync(program, english.Email),
            await QueuedAsync(program, idle.Email), await QueuedAsync(program, off.Email)));

        var da = CultureInfo.GetCultureInfo("da-DK");
        var danish = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(dane.Email).Where(m => m.Subject?.StartsWith("Din opgørelse", StringComparison.Ordinal) == true).ToList()), m => m.Count > 0, "the Danish statement"));
        Assert.Equal($"Din opgørelse fra {program.Name} for {month.ToString("MMMM yyyy", da)}", danish.Subject);
        var usdClosing = await ClosingAsync(program, dane.Id, month, "USD");
        var eurClosing = await ClosingAsync(program, dane.Id, month, "EUR");
        Assert.True(usdClosing > 0 && eurClosing > 0);
        Assert.Contains($"Din saldo ved månedens udgang: {eurClosing.ToString("N2", da)} EUR, {usdClosing.ToString("N2", da)} USD.", danish.TextBody, StringComparison.Ordinal);
        var slug = await WorkspaceSlugAsync(program);
        Assert.Contains($"/portal/p/{slug}/statements?month={month:yyyy-MM}", danish.TextBody, StringComparison.Ordinal);
        Assert.True(danish.Headers.Contains("List-Unsubscribe")); // non-essential

        var en = CultureInfo.GetCultureInfo("en-GB");
        var mail = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(english.Email).Where(m => m.Subject?.StartsWith("Your ", StringComparison.Ordinal) == true).ToList()), m => m.Count > 0, "the English statement"));
        Assert.Equal($"Your {program.Name} statement for {month.ToString("MMMM yyyy", en)}", mail.Subject);
        Assert.Contains($"Your balance at the end of the month: {(await ClosingAsync(program, english.Id, month, "USD")).ToString("N2", en)} USD.", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingIsMailedAfterTheFirstDaysOfTheMonthNorToAnUnsubscribedAddress()
    {
        var program = await ProgramAsync();
        var usd = await program.ShopAsync("USD");
        var kept = await AffiliateAsync(program, "Karen", "en");
        var gone = await AffiliateAsync(program, "Gorm", "da");
        await program.ApprovedCommissionAsync(usd, kept.Code, 100m);
        await program.ApprovedCommissionAsync(usd, gone.Code, 100m);
        await using (var scope = App.Scope(program.WorkspaceId))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.EmailSuppressions.Add(new EmailSuppression { WorkspaceId = program.WorkspaceId, Email = gone.Email.ToLowerInvariant(), At = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, await PassAsync(program, NextMonthsDay(MonthlyStatementMails.SendDays + 1).Day));
        Assert.Equal(0, await QueuedAsync(program, kept.Email));
        Assert.Equal(1, await PassAsync(program, NextMonthsDay(1).Day));
        Assert.Equal((1, 0), (await QueuedAsync(program, kept.Email), await QueuedAsync(program, gone.Email)));
    }

    private async Task<string> WorkspaceSlugAsync(NewProgram program)
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.Where(w => w.Id == program.WorkspaceId).Select(w => w.Slug).SingleAsync();
    }
}

public sealed class MonthlyStatementMailOnSqlite(SqliteOutboxFixture fixture) : MonthlyStatementMailTests(fixture), IClassFixture<SqliteOutboxFixture>;

public sealed class MonthlyStatementMailOnPostgres(PostgresOutboxFixture fixture) : MonthlyStatementMailTests(fixture), IClassFixture<PostgresOutboxFixture>;
