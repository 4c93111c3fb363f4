using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Security;

namespace ShopAffiliate.Core.Shops;

/// <summary>
/// A short-lived code a signed-in owner or manager creates for the WooCommerce plugin's Connect button, so the plugin
/// never carries a workspace API key. Only its SHA-256 hash is stored (like API keys, ADR 0003); it is spent once, in
/// <see cref="OneTimeValue"/>, when the merchant confirms the connection.
/// </summary>
public sealed class ConnectCode : ITenantOwned, IAuditable
{
    public const string Prefix = "sac_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private const string SpendPurpose = "connect-code";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>Lowercase hex SHA-256 of the code.</summary>
    public required string Hash { get; init; }

    /// <summary>The staff account that made it; null when a store admin made it inside the Shopify admin (no account there, ADR 0032).</summary>
    public Guid? CreatedByUserId { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static bool LooksLikeCode(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A new code (24 characters of 31 unambiguous letters and digits: about 119 random bits) and its row; the code is shown once.</summary>
    public static (string Code, ConnectCode Row) Create(Guid workspaceId, Guid? userId, DateTime now)
    {
        var code = Prefix + RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 24);
        return (code, new ConnectCode { WorkspaceId = workspaceId, Hash = Workspaces.ApiKey.HashOf(code), CreatedByUserId = userId, ExpiresAt = now + Lifetime });
    }

    /// <summary>The program a live (unexpired, unspent) code connects to, or null.</summary>
    public static async Task<Guid?> FindLiveAsync(AppDbContext db, string code, DateTime now, CancellationToken ct)
    {
        var hash = Workspaces.ApiKey.HashOf(code.Trim());
        var found = await db.ConnectCodes.IgnoreQueryFilters().Where(c => c.Hash == hash && c.ExpiresAt > now)
            .Select(c => new { c.WorkspaceId }).FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var key = OneTimeValues.KeyOf(SpendPurpose, hash);
        return await db.OneTimeValues.AnyAsync(v => v.Key == key, ct) ? null : found.WorkspaceId;
    }

    /// <summary>Spends a live code: true for exactly one caller, on any node.</summary>
    public static async Task<bool> TrySpendAsync(AppDbContext db, string code, DateTime now, CancellationToken ct)
    {
        var hash = Workspaces.ApiKey.HashOf(code.Trim());
        var expiresAt = await db.ConnectCodes.IgnoreQueryFilters().Where(c => c.Hash == hash).Select(c => (DateTime?)c.ExpiresAt).FirstOrDefaultAsync(ct);
        return expiresAt > now && await OneTimeValues.TrySpendAsync(db, SpendPurpose, hash, expiresAt.Value, now, ct);
    }
}
