using System.Security.Cryptography;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Workspaces;

/// <summary>One affiliate program: its settings, currency, staff and shops.</summary>
public sealed class Workspace : IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }

    /// <summary>URL-safe name used by the public program page (<c>/p/{slug}</c>).</summary>
    public required string Slug { get; set; }

    /// <summary>ISO 4217 code of the program's reporting currency.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Per-workspace salt for hashing visitor IPs, so hashes cannot be joined across programs.</summary>
    public byte[] IpHashSalt { get; init; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Raw clicks before this moment may have been deleted by the raw-data retention (set before it deletes): a
    /// rebuild of a day that starts earlier keeps the day's click figures from the rollups instead of recounting.
    /// </summary>
    public DateTime? RawDataPurgedBefore { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
