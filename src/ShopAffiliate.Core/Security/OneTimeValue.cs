using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Security;

/// <summary>
/// A one-time value that was used: a launch nonce, an OAuth state, a connect code. The primary key is the check, so
/// two nodes (or two requests) spending the same value cannot both succeed. Rows are kept until the value could no
/// longer be accepted anyway, then deleted. Not tenant-filtered: a spend happens before anyone is signed in.
/// </summary>
public sealed class OneTimeValue
{
    /// <summary><c>{purpose}:{hex SHA-256 of the value}</c>; the value itself is not kept.</summary>
    public required string Key { get; init; }

    /// <summary>After this the value is refused by its own expiry, so the row is no longer needed.</summary>
    public DateTime ExpiresAt { get; init; }
}

public static class OneTimeValues
{
    /// <summary>
    /// Marks <paramref name="value"/> used for <paramref name="purpose"/>; false when it was used before. Expired rows
    /// are removed on the way (spends are rare: a launch, an install, a connect).
    /// </summary>
    public static async Task<bool> TrySpendAsync(AppDbContext db, string purpose, string value, DateTime expiresAt, DateTime now, CancellationToken ct)
    {
        await db.OneTimeValues.Where(v => v.ExpiresAt < now).ExecuteDeleteAsync(ct);
        return await DbErrors.TryInsertAsync(db, new OneTimeValue { Key = KeyOf(purpose, value), ExpiresAt = expiresAt }, ct);
    }

    public static string KeyOf(string purpose, string value) =>
        purpose + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
