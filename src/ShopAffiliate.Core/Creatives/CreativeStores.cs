using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Creatives;

/// <summary>
/// Where the bytes of uploads live, by content hash (ADR 0035). Writing the same hash twice is harmless; the caller
/// deletes a hash only when no creative file of any program refers to it any more.
/// </summary>
public interface ICreativeStore
{
    Task SaveAsync(string hash, byte[] bytes, CancellationToken ct);

    /// <summary>The bytes, or null when nothing is stored under the hash.</summary>
    Task<byte[]?> ReadAsync(string hash, CancellationToken ct);

    Task DeleteAsync(string hash, CancellationToken ct);
}

/// <summary>One file per hash under <see cref="CreativeOptions.Folder"/>, in folders by the first two hex digits.</summary>
public sealed class FileSystemCreativeStore(IOptions<CreativeOptions> options) : ICreativeStore
{
    public async Task SaveAsync(string hash, byte[] bytes, CancellationToken ct)
    {
        var path = PathOf(hash);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and moved into place, so a reader never sees half a file under the final name.
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<byte[]?> ReadAsync(string hash, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(hash), ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string hash, CancellationToken ct)
    {
        File.Delete(PathOf(hash));
        return Task.CompletedTask;
    }

    private string PathOf(string hash) =>
        Path.Combine(Path.GetFullPath(options.Value.Folder), CreativeHashes.Checked(hash)[..2], hash);
}

/// <summary>Rows of <c>CreativeBlobs</c>: every node sees the same files with no shared folder.</summary>
public sealed class DatabaseCreativeStore(IServiceScopeFactory scopes, TimeProvider clock) : ICreativeStore
{
    public async Task SaveAsync(string hash, byte[] bytes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"CreativeBlobs\" (\"Hash\", \"Data\", \"CreatedAt\") VALUES ({0}, {1}, {2}) ON CONFLICT (\"Hash\") DO NOTHING",
            [CreativeHashes.Checked(hash), bytes, clock.GetUtcNow().UtcDateTime], ct);
    }

    public async Task<byte[]?> ReadAsync(string hash, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.CreativeBlobs.Where(b => b.Hash == hash).Select(b => b.Data).FirstOrDefaultAsync(ct);
    }

    public async Task DeleteAsync(string hash, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        using var gate = await SqliteWriteGate.EnterAsync(db, ct);
        await db.CreativeBlobs.Where(b => b.Hash == hash).ExecuteDeleteAsync(ct);
    }
}

public static class CreativeHashes
{
    public static string Of(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static bool IsValid(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigitLower);

    /// <summary>The hash becomes a path: anything but 64 lowercase hex digits is a bug, never a file name.</summary>
    public static string Checked(string hash) =>
        IsValid(hash) ? hash : throw new ArgumentException("Not a SHA-256 hex digest.", nameof(hash));
}
