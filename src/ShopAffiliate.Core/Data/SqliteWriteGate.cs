using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace ShopAffiliate.Core.Data;

/// <summary>
/// Puts this process's inbox writers (the intake's group commit and the engine's batches) in line for SQLite's one
/// write lock. Without it they met inside SQLite: the loser's BEGIN IMMEDIATE got SQLITE_BUSY and Microsoft.Data.Sqlite
/// retried it by sleeping and polling, which put whole sleeps into webhook answers (the first benchmark run showed a
/// p50 of about 150 ms while the engine was writing). An async semaphore per database file hands the lock over as soon
/// as it is free. Other processes, and other writers of this one, still meet SQLite's own locking as before.
/// PostgreSQL has row locks and needs none of this: <see cref="EnterAsync"/> returns null there.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable?> EnterAsync(AppDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return null;
        var gate = Gates.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
