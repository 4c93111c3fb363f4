using Microsoft.EntityFrameworkCore;

namespace ShopAffiliate.Core.Data;

public static class DbErrors
{
    /// <summary>A unique index refused the write (a duplicate delivery, code or external id), on either provider.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal),
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// Adds and saves <paramref name="entity"/>; false when a unique index already holds its key (the entity is then
    /// detached, and whatever else the context tracks is left as it was). The index is the check, so concurrent
    /// writers, on any node, cannot both add it.
    /// </summary>
    public static async Task<bool> TryInsertAsync<T>(AppDbContext db, T entity, CancellationToken ct) where T : class
    {
        db.Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            db.Entry(entity).State = EntityState.Detached;
            return false;
        }
    }
}
