using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Tests.Tracking;

/// <summary>A batch that has to be retried is classified once: a retry must not see its own clicks as repeats.</summary>
public sealed class ClickWriterRetryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sa-clickwriter-").FullName;

    [Fact]
    public async Task AClickWhoseFirstWriteTimedOutIsStoredOnceAndStillCounts()
    {
        // "Default Timeout=1": the writer's transaction gives up after a second of waiting for the lock, so the
        // first attempt fails (SQLITE_BUSY, transient) and the writer retries.
        var connectionString = $"Data Source={Path.Combine(_folder, "clicks.db")};Foreign Keys=False;Pooling=False;Default Timeout=1";
        var workspace = new Workspace { Name = "Retry", Slug = "retry" };
        await using (var setup = Context(connectionString))
        {
            await setup.Database.EnsureCreatedAsync();
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            setup.Workspaces.Add(workspace);
            await setup.SaveChangesAsync();
        }
        var services = new ServiceCollection().AddScoped<AppDbContext>(_ => Context(connectionString)).BuildServiceProvider();
        var channel = new ClickChannel();
        channel.Complete(); // the host is stopping: RecordAsync writes directly, through the same retrying path
        var log = new RetryLog();
        var writer = new ClickWriter(channel, services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, log);

        await using var other = new SqliteConnection(connectionString);
        await other.OpenAsync();
        var otherTransaction = other.BeginTransaction(); // holds the write lock
        var click = new PendingClick(ClickIds.Next(DateTimeOffset.UtcNow), DateTime.UtcNow, workspace.Id, Guid.NewGuid(), Guid.NewGuid(),
            "jane", null, ClickSource.Redirect, "203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0", null, null);
        var record = writer.RecordAsync(click).AsTask();
        await log.FirstRetry.WaitAsync(TimeSpan.FromSeconds(20)); // not a sleep: the first attempt has failed
        Assert.False(record.IsCompleted);
        otherTransaction.Commit();
        await record.WaitAsync(TimeSpan.FromSeconds(20));

        await using var check = Context(connectionString);
        var stored = await check.Clicks.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(click.Id, stored.Id);
        Assert.False(stored.IsDuplicate, "the retry classified the click again and took it for a repeat of itself");
        Assert.True(stored.Counts);
    }

    /// <summary>The writer's log; <see cref="FirstRetry"/> completes when it says it is retrying a batch.</summary>
    private sealed class RetryLog : ILogger<ClickWriter>
    {
        private readonly TaskCompletionSource _retry = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstRetry => _retry.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && formatter(state, exception).EndsWith("retrying", StringComparison.Ordinal)) _retry.TrySetResult();
        }
    }

    private static SqliteAppDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).Options);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
