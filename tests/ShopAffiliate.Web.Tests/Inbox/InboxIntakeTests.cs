using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;
using static ShopAffiliate.Web.Tests.Infrastructure.HostQueries;

namespace ShopAffiliate.Web.Tests.Inbox;

/// <summary>One app per class, with an intake queue of two and a one-second wait, so a full queue is easy to reach.</summary>
public abstract class IntakeApp(Db provider) : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
    {
        ["Shopify:ApiKey"] = FakeShopify.ApiKey,
        ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
        ["Inbox:IntakeQueueCapacity"] = "2",
        ["Inbox:IntakeQueueWaitSeconds"] = "1",
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class SqliteIntakeApp() : IntakeApp(Db.Sqlite);

public sealed class PostgresIntakeApp() : IntakeApp(Db.Postgres);

/// <summary>
/// The group-commit intake through <c>/webhooks/shopify</c>: a 200 means committed. The writer is held with a real
/// database lock from another connection, never a stand-in for our own code.
/// </summary>
public abstract class InboxIntakeTests(TestApp app)
{
    private InboxIntake Intake => app.Services.GetRequiredService<InboxIntake>();

    private Task<HttpResponseMessage> DeliverAsync(string webhookId, string body = """{"id":1}""")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Shopify-Hmac-Sha256", ShopifyHmac.SignWebhook(bytes, FakeShopify.ApiSecret));
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", "intake-test.myshopify.com");
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
        return app.CreateClient().SendAsync(request);
    }

    private Task<int> StoredAsync(string webhookId) => CountAsync(app, db => db.Inbox.Where(m => m.DeliveryId == webhookId));

    /// <summary>Waits until the writer holds <paramref name="writing"/> deliveries in its transaction and <paramref name="queued"/> wait behind it.</summary>
    private Task UntilAsync(int writing, int queued) =>
        Eventually.HoldsAsync(() => Task.FromResult((Intake.Writing, Intake.Queued)), s => s == (writing, queued), $"{writing} in the writer, {queued} queued");

    [Fact]
    public async Task ADeliveryIsAnsweredOnlyAfterItsTransactionCommits()
    {
        var id = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> response;
        await using (await DatabaseLock.HoldInboxAsync(app))
        {
            response = DeliverAsync(id);
            await UntilAsync(writing: 1, queued: 0);
            // The writer has the delivery and cannot commit. An answer from memory would come within this window.
            await Task.WhenAny(response, Task.Delay(300));
            Assert.False(response.IsCompleted, "answered while its transaction could not commit");
            Assert.Equal(0, await StoredAsync(id));
        }
        Assert.Equal(HttpStatusCode.OK, (await response).StatusCode);
        Assert.Equal(1, await StoredAsync(id));
    }

    [Fact]
    public async Task ADeliveryTheDatabaseRefusesIs503WithRetryAfterAndNothingOfItIsStoredWhileItsBatchNeighbourIs()
    {
        // A real refusal by the database, for one body only: a trigger.
        await DatabaseLock.ExecuteAsync(app, app.Provider == Db.Postgres
            ? """
              CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$
              BEGIN IF NEW."Body" LIKE '%poison%' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
              CREATE TRIGGER refuse_poison BEFORE INSERT ON "Inbox" FOR EACH ROW EXECUTE FUNCTION refuse_poison();
              """
            : """
              CREATE TRIGGER refuse_poison BEFORE INSERT ON "Inbox" WHEN NEW."Body" LIKE '%poison%'
              BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END;
              """);
        try
        {
            string first = Guid.NewGuid().ToString(), good = Guid.NewGuid().ToString(), bad = Guid.NewGuid().ToString();
            Task<HttpResponseMessage> firstResponse, goodResponse, badResponse;
            await using (await DatabaseLock.HoldInboxAsync(app))
            {
                firstResponse = DeliverAsync(first);
                await UntilAsync(writing: 1, queued: 0);
                goodResponse = DeliverAsync(good);
                badResponse = DeliverAsync(bad, """{"id":2,"note":"poison"}""");
                await UntilAsync(writing: 1, queued: 2); // good and bad go into the next transaction together
            }

            var refused = await badResponse;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("could not be stored", await refused.Content.ReadAsStringAsync());
            Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
            Assert.Equal(HttpStatusCode.OK, (await goodResponse).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await firstResponse).StatusCode);
            Assert.Equal(0, await StoredAsync(bad));
            Assert.Equal(1, await StoredAsync(good));
            Assert.Equal(1, await StoredAsync(first));
        }
        finally
        {
            await DatabaseLock.ExecuteAsync(app, "DROP TRIGGER refuse_poison" + (app.Provider == Db.Postgres ? " ON \"Inbox\"" : ""));
        }
    }

    [Fact]
    public async Task ADuplicateDeliveryInTheSameBatchOrALaterOneIsAnswered200AndStoredOnce()
    {
        string first = Guid.NewGuid().ToString(), twice = Guid.NewGuid().ToString();
        Task<HttpResponseMessage>[] responses;
        await using (await DatabaseLock.HoldInboxAsync(app))
        {
            var firstResponse = DeliverAsync(first);
            await UntilAsync(writing: 1, queued: 0);
            responses = [firstResponse, DeliverAsync(twice), DeliverAsync(twice)];
            await UntilAsync(writing: 1, queued: 2);
        }
        Assert.All(await Task.WhenAll(responses), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await StoredAsync(twice));

        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(twice)).StatusCode);
        Assert.Equal(1, await StoredAsync(twice));
    }

    /// <summary>
    /// Another node stores the same delivery while this one's insert waits for the database: the insert finds it
    /// stored (ON CONFLICT DO NOTHING) and the delivery is a repeat, answered 200, not a failed write answered 503.
    /// </summary>
    [Fact]
    public async Task ADeliveryAnotherNodeStoresWhileThisOneWaitsToWriteIsAnswered200AndStoredOnce()
    {
        var id = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> response;
        await using (var other = await DatabaseLock.HoldInboxAsync(app))
        {
            response = DeliverAsync(id);
            await UntilAsync(writing: 1, queued: 0);
            if (app.Provider == Db.Postgres)
            {
                // The insert itself waits on the lock (a lookup before it would not): the race the statement must settle.
                await Eventually.HoldsAsync(() => ScalarAsync("""SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '"Inbox"'::regclass"""),
                    n => n > 0, "the intake's insert waiting for the lock");
            }
            await other.CommitWithAsync($$"""
                INSERT INTO "Inbox" ("Platform", "ShopDomain", "Topic", "DeliveryId", "Body", "ReceivedAt", "Status", "Attempts", "NextAttemptAt")
                VALUES ('Shopify', 'intake-test.myshopify.com', 'orders/create', '{{id}}', '{"id":1}', '2026-01-01 00:00:00', 'Ignored', 0, '2026-01-01 00:00:00')
                """);
        }
        Assert.Equal(HttpStatusCode.OK, (await response).StatusCode);
        Assert.Equal(1, await StoredAsync(id));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task WhenTheDatabaseStallsTheQueueStaysAtItsCapacityAndTheNextDeliveryIs503AfterItsWait()
    {
        string[] ids = [.. Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString())];
        var accepted = new List<Task<HttpResponseMessage>>();
        HttpResponseMessage overflow;
        await using (await DatabaseLock.HoldInboxAsync(app))
        {
            accepted.Add(DeliverAsync(ids[0]));
            await UntilAsync(writing: 1, queued: 0);
            accepted.Add(DeliverAsync(ids[1]));
            accepted.Add(DeliverAsync(ids[2]));
            await UntilAsync(writing: 1, queued: 2);

            overflow = await DeliverAsync(ids[3]); // waits its second for room, then gives up
            Assert.Equal(2, Intake.Queued);
            Assert.All(accepted, r => Assert.False(r.IsCompleted));
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, overflow.StatusCode);
        Assert.Contains("stayed full", await overflow.Content.ReadAsStringAsync());
        Assert.All(await Task.WhenAll(accepted), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var id in ids[..3]) Assert.Equal(1, await StoredAsync(id));
        Assert.Equal(0, await StoredAsync(ids[3]));
    }
}

public sealed class InboxIntakeOnSqlite(SqliteIntakeApp fixture) : InboxIntakeTests(fixture.App), IClassFixture<SqliteIntakeApp>;

public sealed class InboxIntakeOnPostgres(PostgresIntakeApp fixture) : InboxIntakeTests(fixture.App), IClassFixture<PostgresIntakeApp>;
