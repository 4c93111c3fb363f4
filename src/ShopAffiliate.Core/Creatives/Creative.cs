using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Creatives;

public enum CreativeKind
{
    /// <summary>One image (PNG, JPEG, GIF or WebP) linking to the destination, counted by its impression pixel.</summary>
    Banner,

    /// <summary>A link text and an optional sentence around it (<c>{link}</c> marks where the link goes).</summary>
    TextLink,

    /// <summary>A subject and a body for an affiliate's newsletter; <c>{link}</c> in the body becomes their link.</summary>
    EmailSwipe,

    /// <summary>Several product images an affiliate may use on their own pages.</summary>
    ProductImages,
}

/// <summary>Affiliates see only <see cref="Published"/> creatives; an archived one is withdrawn (its pixel shows nothing).</summary>
public enum CreativeStatus
{
    Draft,
    Published,
    Archived,
}

/// <summary>Marketing material a program offers its affiliates (ADR 0035).</summary>
public sealed class Creative : ITenantOwned, IAuditable, Campaigns.ICampaignMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public CreativeKind Kind { get; init; }
    public required string Name { get; set; }

    /// <summary>Where the creative's link leads: checked like a tracking link's (the program's shops or allowed hosts).</summary>
    public required string Destination { get; set; }

    /// <summary>The merchant's own disclosure text; null means the default of the reader's language (<see cref="DefaultDisclosure"/>).</summary>
    public string? DisclosureText { get; set; }

    /// <summary>A banner's alt text, a text link's link text, an email swipe's subject.</summary>
    public string? Headline { get; set; }

    /// <summary>A text link's sentence or an email swipe's body; <c>{link}</c> is replaced by the affiliate's link.</summary>
    public string? Body { get; set; }

    public List<string> Tags { get; set; } = [];
    /// <summary>The campaign it belongs to (<see cref="Campaigns.Campaign"/>); null = always offered while published.</summary>
    public Guid? CampaignId { get; set; }
    public CreativeStatus Status { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool HasImages => Kind is CreativeKind.Banner or CreativeKind.ProductImages;

    public string Disclosure(string? language) => DisclosureText ?? DefaultDisclosure(language);

    /// <summary>Danish marketing law and the FTC alike want the ad called an ad, in the reader's words.</summary>
    public static string DefaultDisclosure(string? language) =>
        language is not null && language.StartsWith("da", StringComparison.OrdinalIgnoreCase) ? "Annonce" : "Ad";
}

/// <summary>
/// An image of a creative, as checked on upload (<see cref="UploadInspector"/>): the format and size were read from
/// the bytes. The bytes live in an <see cref="ICreativeStore"/> under <see cref="Hash"/>, so equal files are stored once.
/// </summary>
public sealed class CreativeFile : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid CreativeId { get; init; }

    /// <summary>SHA-256 of the bytes, lowercase hex: the storage key and the file's URL.</summary>
    public required string Hash { get; init; }

    public ImageFormatKind Format { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public int Frames { get; init; }
    public long Length { get; init; }

    /// <summary>The uploader's file name, cleaned, for the download's name only (never to decide anything).</summary>
    public required string FileName { get; init; }

    public DateTime CreatedAt { get; init; }

    public string ContentType => ImageFormats.ContentType(Format);
    public string Extension => ImageFormats.Extension(Format);
}

/// <summary>The bytes of an upload when the database is the store (<c>Creatives:Storage=Database</c>).</summary>
public sealed class CreativeBlob
{
    public required string Hash { get; init; }
    public required byte[] Data { get; init; }
    public DateTime CreatedAt { get; init; }
}

public enum ImageFormatKind
{
    Png,
    Jpeg,
    Gif,
    Webp,
}

public static class ImageFormats
{
    public static string ContentType(ImageFormatKind format) => format switch
    {
        ImageFormatKind.Png => "image/png",
        ImageFormatKind.Jpeg => "image/jpeg",
        ImageFormatKind.Gif => "image/gif",
        _ => "image/webp",
    };

    public static string Extension(ImageFormatKind format) => format switch
    {
        ImageFormatKind.Png => "png",
        ImageFormatKind.Jpeg => "jpg",
        ImageFormatKind.Gif => "gif",
        _ => "webp",
    };
}
