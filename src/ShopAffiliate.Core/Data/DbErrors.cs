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
}
