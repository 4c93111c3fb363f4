using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Core.Creatives;

public enum CreativeStorage
{
    /// <summary>Files under <see cref="CreativeOptions.Folder"/> (one node, or a folder every node shares).</summary>
    FileSystem,

    /// <summary>Rows of the database, so several nodes need no shared folder.</summary>
    Database,
}

/// <summary>Bound from <c>Creatives</c>: where uploads are stored and what an upload may be.</summary>
public sealed class CreativeOptions
{
    public const string Section = "Creatives";

    public CreativeStorage Storage { get; set; } = CreativeStorage.FileSystem;

    /// <summary>The file store's folder (relative to the working directory, like the SQLite file).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Creatives:Folder must name a folder.")]
    public string Folder { get; set; } = "data/creatives";

    [Range(1024, 100 * 1024 * 1024, ErrorMessage = "Creatives:MaxBytes must be between 1024 and 104857600.")]
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;

    [Range(1, 20_000, ErrorMessage = "Creatives:MaxWidth must be between 1 and 20000.")]
    public int MaxWidth { get; set; } = 4000;

    [Range(1, 20_000, ErrorMessage = "Creatives:MaxHeight must be between 1 and 20000.")]
    public int MaxHeight { get; set; } = 4000;

    /// <summary>Width x height x frames: what decoding the upload may cost (4 bytes a pixel), so a bomb is refused unread.</summary>
    [Range(1, 100_000_000, ErrorMessage = "Creatives:MaxPixels must be between 1 and 100000000.")]
    public long MaxPixels { get; set; } = 16_777_216;

    [Range(1, 1000, ErrorMessage = "Creatives:MaxFrames must be between 1 and 1000.")]
    public int MaxFrames { get; set; } = 100;

    /// <summary>Impressions held in memory before the pixel waits for the writer.</summary>
    [Range(1_000, 5_000_000, ErrorMessage = "Creatives:ImpressionQueueCapacity must be between 1000 and 5000000.")]
    public int ImpressionQueueCapacity { get; set; } = 50_000;
}
