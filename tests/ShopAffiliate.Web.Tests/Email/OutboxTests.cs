using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Email;

/// <summary>One SMTP server and one app per class; retries are fast (0.5 s doubling to 2 s) and capped at 4 tries.</summary>
public abstract class OutboxFixture(Db provider) : IAsyncLifetime
{
    public const int MaxAttempts = 4;

    public SmtpSink Smtp { get; } = new();
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Smtp.InitializeAsync();
        try
        {
            App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>(Smtp.Settings)
            {
                ["Outbox:PollSeconds"] = "0.2",
                ["Outbox:RetryBaseSeconds"] = "0.5",
                ["Outbox:MaxDelaySeconds"] = "2",
                ["Outbox:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }.Concat(ExtraSettings).ToDictionary());
        }
        catch
        {
            // xUnit does not dispose a fixture whose InitializeAsync threw: stop the SMTP server here.
            await Smtp.DisposeAsync();
            throw;
        }
    }

    /// <summary>Settings a derived fixture adds (or overrides) for its own tests.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async Task RestartAsync(Action? whileStopped = null) => App = await App.RestartAsync(whileStopped);

    public async Task DisposeAsync()
    {
        try
        {
            await App.DisposeAsync();
        }
        finally
        {
            await Smtp.DisposeAsync();
        }
    }
}

public sealed class SqliteOutboxFixture() : OutboxFixture(Db.Sqlite);

public sealed class PostgresOutboxFixture() : OutboxFixture(Db.Postgres);

public abstract class OutboxTests(OutboxFixture fixture)
{
    private SmtpSink Smtp => fixture.Smtp;

    [Fact]
    public async Task AnEnqueuedMailIsSentOnceAndEnqueueingTheSameEventAgainAddsNothing()
    {
        var to = Address();
        var key = $"test:{Guid.NewGuid():N}";
        Assert.True(await EnqueueAsync(fixture.App, to, key));
        Assert.False(await EnqueueAsync(fixture.App, to, key));

        var message = await WaitForStatusAsync(to, OutboxStatus.Sent);

        var mail = Assert.Single(Smtp.MessagesTo(to));
        Assert.Equal($"outbox-{message.Id}@shop.example", mail.MessageId);
        Assert.Equal("Hello " + to, mail.Subject);
        Assert.Contains("plain text", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>html</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(db => db.OutboxMessages.Where(m => m.IdempotencyKey == key)));
        var attempt = Assert.Single(await AttemptsAsync(message.Id));
        Assert.True(attempt.Succeeded);
    }

    [Fact]
    public async Task MailTheServerRefusesForAWhileIsRetriedThenSentOnce()
    {
        var to = Address();
        Smtp.Refuse = true;
        try
        {
            var before = Smtp.Refusals;
            await EnqueueAsync(fixture.App, to, $"test:{Guid.NewGuid():N}");
            await Eventually.HoldsAsync(() => Task.FromResult(Smtp.Refusals - before), n => n >= 2, "two refusals");
        }
        finally
        {
            Smtp.Refuse = false;
        }

        var message = await WaitForStatusAsync(to, OutboxStatus.Sent);

        Assert.Single(Smtp.MessagesTo(to));
        var attempts = await AttemptsAsync(message.Id);
        Assert.True(attempts.Count(a => !a.Succeeded) >= 2);
        Assert.All(attempts.Where(a => !a.Succeeded), a => Assert.Equal(451, a.ResponseCode));
        Assert.True(attempts[^1].Succeeded);
        Assert.Equal(attempts.Count, message.Attempts);
    }

    [Fact]
    public async Task MailStillUnsentWhenTheAppStopsIsSentOnceAfterTheRestart()
    {
        var to = Address();
        long id;
        Smtp.Refuse = true;
        try
        {
            await EnqueueAsync(fixture.App, to, $"test:{Guid.NewGuid():N}");
            id = (await WaitForAsync(to, m => m.Attempts >= 1 && m.LockedUntil is null && m.Status == OutboxStatus.Pending, "a refused try")).Id;
            // The server takes mail again only once the first app is down: whatever is sent, the new one sends.
            await fixture.RestartAsync(whileStopped: () =>
            {
                Assert.Empty(Smtp.MessagesTo(to));
                Smtp.Refuse = false;
            });
        }
        finally
        {
            Smtp.Refuse = false;
        }

        var message = await WaitForStatusAsync(to, OutboxStatus.Sent);

        Assert.Equal(id, message.Id);
        Assert.Single(Smtp.MessagesTo(to));
    }

    [Fact]
    public async Task APermanentRefusalParksTheMessageWithTheServersReason()
    {
        var to = $"bounce-{Guid.NewGuid():N}@example.com";
        await EnqueueAsync(fixture.App, to, $"test:{Guid.NewGuid():N}");

        var message = await WaitForStatusAsync(to, OutboxStatus.Failed);

        Assert.Equal(1, message.Attempts);
        Assert.Contains("No such user", message.LastError, StringComparison.Ordinal);
        Assert.Equal(550, Assert.Single(await AttemptsAsync(message.Id)).ResponseCode);
    }

    [Fact]
    public async Task RetriesStopAtTheCapAndTheMessageIsParkedAsFailed()
    {
        var to = Address();
        Smtp.Refuse = true;
        OutboxMessage message;
        try
        {
            await EnqueueAsync(fixture.App, to, $"test:{Guid.NewGuid():N}");
            message = await WaitForStatusAsync(to, OutboxStatus.Failed);
        }
        finally
        {
            Smtp.Refuse = false;
        }

        Assert.Equal(OutboxFixture.MaxAttempts, message.Attempts);
        Assert.Contains("451", message.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxFixture.MaxAttempts, (await AttemptsAsync(message.Id)).Count);
        Assert.Empty(Smtp.MessagesTo(to));
    }

    [Fact]
    public async Task TwoNodesDispatchingAtOnceSendEachMessageOnce()
    {
        await using var second = fixture.App.SecondNode();
        var batch = $"n{Guid.NewGuid():N}"[..12];
        var addresses = Enumerable.Range(0, 30).Select(i => $"{batch}-{i}@example.com").ToList();
        await using (var scope = fixture.App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            foreach (var to in addresses) await outbox.EnqueueAsync(db, Item(to, $"test:{to}"), default);
            await db.SaveChangesAsync();
        }

        await Eventually.HoldsAsync(() => CountAsync(db => db.OutboxMessages.Where(m => m.Recipient.StartsWith(batch) && m.Status == OutboxStatus.Sent)),
            n => n == addresses.Count, "every message sent", 30_000);

        var sent = Smtp.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address.StartsWith(batch, StringComparison.Ordinal))).ToList();
        Assert.Equal(addresses.Count, sent.Count);
        Assert.Equal(addresses.Count, sent.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(addresses.Count, await CountAsync(db => db.OutboxAttempts.Where(a =>
            db.OutboxMessages.Any(m => m.Id == a.MessageId && m.Recipient.StartsWith(batch)))));
    }

    private static string Address() => $"t{Guid.NewGuid():N}@example.com";

    private static OutboxItem Item(string to, string key) => new(OutboxKinds.Email, key, "test.mail", to,
        JsonSerializer.Serialize(new EmailPayload(to, "Test", "Hello " + to, "plain text", "<p>html</p>", null), JsonSerializerOptions.Web), null);

    private static async Task<bool> EnqueueAsync(TestApp app, string to, string key)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var added = await scope.ServiceProvider.GetRequiredService<IOutbox>().EnqueueAsync(db, Item(to, key), default);
        await db.SaveChangesAsync();
        return added;
    }

    private Task<OutboxMessage> WaitForStatusAsync(string to, OutboxStatus status) =>
        WaitForAsync(to, m => m.Status == status, status.ToString());

    private async Task<OutboxMessage> WaitForAsync(string to, Func<OutboxMessage, bool> condition, string what)
    {
        var message = await Eventually.HoldsAsync(async () =>
        {
            await using var scope = fixture.App.Scope();
            return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Recipient == to);
        }, m => m is not null && condition(m), $"the mail to {to}: {what}", 20_000);
        return message!;
    }

    private async Task<List<OutboxAttempt>> AttemptsAsync(long messageId)
    {
        await using var scope = fixture.App.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxAttempts.AsNoTracking()
            .Where(a => a.MessageId == messageId).OrderBy(a => a.Attempt).ToListAsync();
    }

    private async Task<int> CountAsync<T>(Func<AppDbContext, IQueryable<T>> set)
    {
        await using var scope = fixture.App.Scope();
        return await set(scope.ServiceProvider.GetRequiredService<AppDbContext>()).CountAsync();
    }
}

public sealed class OutboxOnSqlite(SqliteOutboxFixture fixture) : OutboxTests(fixture), IClassFixture<SqliteOutboxFixture>;

public sealed class OutboxOnPostgres(PostgresOutboxFixture fixture) : OutboxTests(fixture), IClassFixture<PostgresOutboxFixture>;
