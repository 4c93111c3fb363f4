using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace ShopAffiliate.Core.Data;

/// <summary>
/// Puts this process's writers (the intake's group commit, the engine's batches, the click writer, the rollups) in line for SQLite's one
/// write lock. Without it they met inside SQLite: the loser's BEGIN IMMEDIATE got SQLITE_BUSY and Microsoft.Data.Sqlite
/// retried it by sleeping and polling, which put whole sleeps into webhook answers (the first benchmark run showed a
/// p50 of about 150 ms while the engine was writing). The gate hands the lock over as soon as it is free, and an
/// <c>urgent</c> waiter (the intake: requests are waiting on it) goes before the others (the engine, which can wait).
/// Other processes, and other writers of this one, still meet SQLite's own locking as before.
/// PostgreSQL has row locks and needs none of this: <see cref="EnterAsync"/> returns null there.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable?> EnterAsync(AppDbContext db, CancellationToken ct, bool urgent = false)
    {
        if (!db.Database.IsSqlite()) return null;
        var gate = Gates.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new Gate());
        await gate.EnterAsync(urgent, ct);
        return new Release(gate);
    }

    /// <summary>How many wait for the gate of this database (tests watch a writer queue up instead of sleeping).</summary>
    internal static int Waiting(string connectionString) =>
        Gates.TryGetValue(connectionString, out var gate) ? gate.Waiting : 0;

    /// <summary>One holder at a time; on release the turn goes to the oldest urgent waiter, else the oldest other one.</summary>
    private sealed class Gate
    {
        private readonly Lock _lock = new();
        private readonly Queue<TaskCompletionSource> _urgent = new();
        private readonly Queue<TaskCompletionSource> _others = new();
        private bool _held;

        public int Waiting
        {
            get
            {
                lock (_lock) return _urgent.Count(t => !t.Task.IsCompleted) + _others.Count(t => !t.Task.IsCompleted);
            }
        }

        public Task EnterAsync(bool urgent, CancellationToken ct)
        {
            TaskCompletionSource turn;
            lock (_lock)
            {
                if (!_held)
                {
                    _held = true;
                    return Task.CompletedTask;
                }
                turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (urgent ? _urgent : _others).Enqueue(turn);
            }
            if (!ct.CanBeCanceled) return turn.Task;
            // A cancelled waiter stays queued as a cancelled task; Exit skips it, so the turn is never handed to nobody.
            var registration = ct.Register(() => turn.TrySetCanceled(ct));
            return turn.Task.ContinueWith(t =>
            {
                registration.Dispose();
                return t;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        }

        public void Exit()
        {
            lock (_lock)
            {
                while (_urgent.TryDequeue(out var next) || _others.TryDequeue(out next))
                {
                    if (next.TrySetResult()) return; // the turn passes on; _held stays true
                }
                _held = false;
            }
        }
    }

    private sealed class Release(Gate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Exit();
        }
    }
}
