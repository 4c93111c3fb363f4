using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Workspaces;

/// <summary>
/// A workspace API key. Only a SHA-256 hash is stored: keys are high-entropy random strings, so a fast hash is
/// enough, and looking a key up by its hash means the secret itself is never compared or kept.
/// </summary>
public sealed class ApiKey : ITenantOwned, IAuditable
{
    public const string Prefix = "sa_";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the full key.</summary>
    public required string Hash { get; init; }

    /// <summary>The first characters of the key, shown in lists so staff can tell keys apart.</summary>
    public required string Hint { get; init; }

    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string HashOf(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// The live (not revoked) key a caller presented, looked up by its hash, or null. Marks it used, at most once every
    /// five minutes: a write per request would serialize every API call on SQLite.
    /// </summary>
    public static async Task<(Guid Id, Guid WorkspaceId, string Name)?> FindLiveAsync(AppDbContext db, string key, DateTime now, CancellationToken ct)
    {
        var hash = HashOf(key);
        var found = await db.ApiKeys.IgnoreQueryFilters()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.WorkspaceId, k.Name, k.LastUsedAt })
            .FirstOrDefaultAsync(ct);
        if (found is null) return null;
        if (found.LastUsedAt is null || now - found.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == found.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }
        return (found.Id, found.WorkspaceId, found.Name);
    }

    /// <summary>A new random key (256 bits) in the form <c>sa_…</c>.</summary>
    public static string Generate() =>
        Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static ApiKey For(Guid workspaceId, string name, string key) => new()
    {
        WorkspaceId = workspaceId,
        Name = name,
        Hash = HashOf(key),
        Hint = key.Length > 10 ? key[..10] : key[..Math.Min(3, key.Length)],
    };

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
