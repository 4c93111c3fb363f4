using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Inbox;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// The rollup worker's progress: callers (tests, the rebuild route, the benchmark) wait for a pass that started after
/// they asked and found nothing left to read, instead of sleeping and hoping.
/// </summary>
public sealed class RollupProgress
{
    private readonly Lock _lock = new();
    private readonly List<(long After, TaskCompletionSource Done)> _waiters = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _started;

    /// <summary>Completes when a pass that started after this call has read every row committed before it.</summary>
    public async Task CaughtUpAsync(CancellationToken ct = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _waiters.Add((_started, done));
        Wake();
        await done.Task.WaitAsync(ct);
    }

    /// <summary>Starts a pass now instead of at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); }
            catch (SemaphoreFullException) { /* already woken */ }
        }
    }

    /// <summary>Someone waits for a caught-up pass (a test, the rebuild route): the worker does not yield then.</summary>
    internal bool HasWaiters
    {
        get { lock (_lock) return _waiters.Count > 0; }
    }

    internal long PassStarting()
    {
        lock (_lock) return ++_started;
    }

    internal void PassDone(long pass, bool caughtUp)
    {
        if (!caughtUp) return;
        lock (_lock)
        {
            foreach (var w in _waiters.Where(w => w.After < pass).ToList())
            {
                w.Done.TrySetResult();
                _waiters.Remove(w);
            }
        }
    }

    internal async Task WaitAsync(TimeSpan poll, TimeProvider clock, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(poll, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the poll interval is over
        }
    }
}

/// <summary>
/// Applies new clicks and ledger entries to the rollups every few seconds (or at once when woken), off the hot paths.
/// While the inbox has at least a full engine batch due, a pass waits (in steps of <see cref="YieldStep"/>, at most
/// <see cref="MaxYield"/>, then it runs anyway, so the rollups lag by seconds, never for good): the engine needs the
/// two cores and SQLite's one writer more than the reports need to be fresh to the second. Not while someone waits
/// for a caught-up pass.
/// </summary>
public sealed partial class RollupWorker(IServiceScopeFactory scopes, RollupProgress progress, TimeProvider clock, ILogger<RollupWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HeldBackPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan YieldStep = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxYield = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await YieldToEngineAsync(stoppingToken);
            var pass = progress.PassStarting();
            bool caughtUp, failed = false, heldBack = false;
            try
            {
                (caughtUp, heldBack) = await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(e);
                caughtUp = false;
                failed = true;
            }
            progress.PassDone(pass, caughtUp);
            // After a failure too: a database that is down is not retried in a tight loop.
            if (caughtUp || failed) await progress.WaitAsync(Poll, clock, stoppingToken);
            // Rows held back by a transaction still running elsewhere: look again soon, not in a tight loop. Real
            // time: a scheduling detail, and a test's frozen clock must not stall it.
            else if (heldBack) await progress.WaitAsync(HeldBackPoll, TimeProvider.System, stoppingToken);
        }
    }

    /// <summary>Waits while the inbox has a backlog (see the class), at most <see cref="MaxYield"/>. Real time: scheduling.</summary>
    private async Task YieldToEngineAsync(CancellationToken ct)
    {
        for (var waited = TimeSpan.Zero; waited < MaxYield && !progress.HasWaiters && await InboxBacklogAsync(ct); waited += YieldStep)
            await Task.Delay(YieldStep, TimeProvider.System, ct);
    }

    /// <summary>At least one full engine batch of deliveries is due (one indexed query; false when it cannot be asked).</summary>
    private async Task<bool> InboxBacklogAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            return await db.Inbox.AsNoTracking().Where(m => m.Status == InboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.Id).Skip(InboxWorker.MaxBatch - 1).AnyAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return false; // the pass will meet the same trouble and report it
        }
    }

    /// <summary>
    /// One batch of each source. Caught up when neither had more to read and no committed row waits behind a running
    /// transaction (<see cref="RollupUpdater.AnyHeldBackAsync"/>); held back when only such rows are left.
    /// </summary>
    private async Task<(bool CaughtUp, bool HeldBack)> PassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var updater = scope.ServiceProvider.GetRequiredService<RollupUpdater>();
        var clicks = await updater.ApplyClicksAsync(ct);
        var ledger = await updater.ApplyLedgerAsync(ct);
        var impressions = await updater.ApplyImpressionsAsync(ct);
        if (clicks >= RollupUpdater.ClickBatch || ledger >= RollupUpdater.LedgerBatch || impressions >= RollupUpdater.ClickBatch) return (false, false);
        var heldBack = await updater.AnyHeldBackAsync(ct);
        return (!heldBack, heldBack);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Updating the report rollups failed; will retry")]
    private partial void LogPassFailed(Exception e);
}
