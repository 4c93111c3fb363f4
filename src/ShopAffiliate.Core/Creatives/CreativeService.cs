using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Creatives;

/// <summary>The editable fields of a creative; null keeps a field as it is, "" clears an optional one.</summary>
public sealed record CreativeInput(
    string? Name = null, string? Destination = null, string? Headline = null, string? Body = null,
    string? DisclosureText = null, IReadOnlyList<string>? Tags = null, string? Campaign = null);

/// <summary>An uploaded file as received: the name is kept for downloads only.</summary>
public sealed record CreativeUpload(string FileName, byte[] Bytes);

/// <summary>
/// The merchant's side of creatives, for the API and the admin pages alike. Reads and writes go through the tenant
/// filter of <paramref name="db"/>, so another program's creative is "not found". Uploads are all checked before any
/// is stored: a refused file leaves nothing behind.
/// </summary>
public sealed class CreativeService(
    AppDbContext db, ICreativeStore store, CreativeCache cache, IOptions<CreativeOptions> options, TimeProvider clock, Campaigns.CampaignService campaigns)
{
    public const int MaxImages = 20;
    public const int MaxTags = 20;

    public IQueryable<Creative> Query() => db.Creatives.AsNoTracking();

    public async Task<(Creative Creative, List<CreativeFile> Files)> GetAsync(Guid id, CancellationToken ct)
    {
        var creative = await db.Creatives.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFound();
        return (creative, await FilesAsync(id, ct));
    }

    /// <summary>The images of several creatives in one query, by creative.</summary>
    public async Task<ILookup<Guid, CreativeFile>> FilesOfAsync(IReadOnlyCollection<Guid> creativeIds, CancellationToken ct) =>
        (await db.CreativeFiles.AsNoTracking().Where(f => creativeIds.Contains(f.CreativeId)).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).ToListAsync(ct))
        .ToLookup(f => f.CreativeId);

    public Task<List<CreativeFile>> FilesAsync(Guid creativeId, CancellationToken ct) =>
        db.CreativeFiles.AsNoTracking().Where(f => f.CreativeId == creativeId).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).ToListAsync(ct);

    public async Task<Creative> CreateAsync(CreativeKind kind, CreativeInput input, IReadOnlyList<CreativeUpload> uploads, CancellationToken ct)
    {
        var workspaceId = db.CurrentWorkspaceId ?? throw new InvalidOperationException("No program is selected.");
        if (!Enum.IsDefined(kind)) throw ValidationFailedException.For("kind", "The kind is Banner, TextLink, EmailSwipe or ProductImages.");
        if (string.IsNullOrWhiteSpace(input.Name)) throw ValidationFailedException.For("name", "Give the creative a name.");
        var creative = new Creative
        {
            WorkspaceId = workspaceId,
            Kind = kind,
            Name = "",
            Destination = await LinkCreation.DestinationAsync(db, workspaceId, input.Destination, ct),
        };
        Apply(creative, input with { Destination = null });
        await ApplyCampaignAsync(creative, input.Campaign, ct);
        CheckUploadCount(creative, 0, uploads.Count);
        var checkedUploads = Inspect(uploads);
        db.Creatives.Add(creative);
        await StoreAsync(creative, checkedUploads, ct);
        await db.SaveChangesAsync(ct);
        return creative;
    }

    public async Task<Creative> UpdateAsync(Guid id, CreativeInput input, CancellationToken ct)
    {
        var creative = await TrackedAsync(id, ct);
        if (input.Name is { } name && string.IsNullOrWhiteSpace(name)) throw ValidationFailedException.For("name", "A creative keeps a name.");
        if (input.Destination is not null) creative.Destination = await LinkCreation.DestinationAsync(db, creative.WorkspaceId, input.Destination, ct);
        Apply(creative, input with { Destination = null });
        await ApplyCampaignAsync(creative, input.Campaign, ct);
        if (creative.Status == CreativeStatus.Published) CheckPublishable(creative, await db.CreativeFiles.CountAsync(f => f.CreativeId == id, ct));
        await db.SaveChangesAsync(ct);
        return creative;
    }

    public async Task<List<CreativeFile>> AddFilesAsync(Guid id, IReadOnlyList<CreativeUpload> uploads, CancellationToken ct)
    {
        var creative = await TrackedAsync(id, ct);
        if (uploads.Count == 0) throw ValidationFailedException.For("file", "Attach at least one image.");
        CheckUploadCount(creative, await db.CreativeFiles.CountAsync(f => f.CreativeId == id, ct), uploads.Count);
        var added = await StoreAsync(creative, Inspect(uploads), ct);
        db.Entry(creative).State = EntityState.Modified; // a new UpdatedAt: other nodes' caches pick the new first image up
        await db.SaveChangesAsync(ct);
        await RefreshCacheAsync(creative, ct);
        return added;
    }

    public async Task RemoveFileAsync(Guid id, Guid fileId, CancellationToken ct)
    {
        var creative = await TrackedAsync(id, ct);
        var file = await db.CreativeFiles.FirstOrDefaultAsync(f => f.Id == fileId && f.CreativeId == id, ct)
                   ?? throw new NotFoundException("That image is not part of this creative.");
        var left = await db.CreativeFiles.CountAsync(f => f.CreativeId == id, ct) - 1;
        if (creative.Status == CreativeStatus.Published && left == 0)
            throw new ConflictException("A published creative keeps at least one image: upload the new one first, or archive the creative.");
        db.CreativeFiles.Remove(file);
        db.Entry(creative).State = EntityState.Modified;
        await db.SaveChangesAsync(ct);
        await ForgetBytesAsync([file.Hash], ct);
        await RefreshCacheAsync(creative, ct);
    }

    public async Task<Creative> PublishAsync(Guid id, CancellationToken ct)
    {
        var creative = await TrackedAsync(id, ct);
        CheckPublishable(creative, await db.CreativeFiles.CountAsync(f => f.CreativeId == id, ct));
        if (creative.Status != CreativeStatus.Published) creative.PublishedAt = clock.GetUtcNow().UtcDateTime;
        creative.Status = CreativeStatus.Published;
        await db.SaveChangesAsync(ct);
        await RefreshCacheAsync(creative, ct);
        return creative;
    }

    public async Task<Creative> ArchiveAsync(Guid id, CancellationToken ct)
    {
        var creative = await TrackedAsync(id, ct);
        creative.Status = CreativeStatus.Archived;
        await db.SaveChangesAsync(ct);
        await RefreshCacheAsync(creative, ct);
        return creative;
    }

    /// <summary>Only a draft: once published, affiliates may have embedded it and its figures belong to the reports.</summary>
    public async Task DeleteDraftAsync(Guid id, CancellationToken ct)
    {
        var creative = await TrackedAsync(id, ct);
        if (creative.Status != CreativeStatus.Draft)
            throw new ConflictException($"'{creative.Name}' has been published, so affiliates may use it and its figures are in the reports: archive it instead.");
        var hashes = await db.CreativeFiles.Where(f => f.CreativeId == id).Select(f => f.Hash).ToListAsync(ct);
        db.Creatives.Remove(creative); // its files go with it (cascade)
        await db.SaveChangesAsync(ct);
        await ForgetBytesAsync(hashes, ct);
        cache.Remove(id);
    }

    private async Task<Creative> TrackedAsync(Guid id, CancellationToken ct) =>
        await db.Creatives.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw NotFound();

    private static NotFoundException NotFound() => new("No creative with that id in this program.");

    private List<(CreativeUpload Upload, InspectedImage Image)> Inspect(IReadOnlyList<CreativeUpload> uploads) =>
        uploads.Select(u => (u, UploadInspector.Inspect(u.Bytes, options.Value))).ToList();

    private async Task<List<CreativeFile>> StoreAsync(Creative creative, List<(CreativeUpload Upload, InspectedImage Image)> uploads, CancellationToken ct)
    {
        var files = new List<CreativeFile>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (upload, image) in uploads)
        {
            var hash = CreativeHashes.Of(upload.Bytes);
            await store.SaveAsync(hash, upload.Bytes, ct);
            var file = new CreativeFile
            {
                WorkspaceId = creative.WorkspaceId,
                CreativeId = creative.Id,
                Hash = hash,
                Format = image.Format,
                Width = image.Width,
                Height = image.Height,
                Frames = image.Frames,
                Length = upload.Bytes.Length,
                FileName = CleanFileName(upload.FileName, image.Format),
                // A microsecond apart each (PostgreSQL keeps microseconds, not ticks), so "the first image" is the first
                // uploaded even within one request: v7 ids made in the same millisecond are in no particular order.
                CreatedAt = now.AddMicroseconds(files.Count),
            };
            db.CreativeFiles.Add(file);
            files.Add(file);
        }
        return files;
    }

    /// <summary>Bytes are shared by equal uploads (of any program): removed only when no file refers to them.</summary>
    private async Task ForgetBytesAsync(List<string> hashes, CancellationToken ct)
    {
        foreach (var hash in hashes.Distinct())
        {
            if (!await db.CreativeFiles.IgnoreQueryFilters().AnyAsync(f => f.Hash == hash, ct)) await store.DeleteAsync(hash, ct);
        }
    }

    private async Task RefreshCacheAsync(Creative creative, CancellationToken ct)
    {
        var first = await db.CreativeFiles.AsNoTracking().Where(f => f.CreativeId == creative.Id).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).FirstOrDefaultAsync(ct);
        cache.Set(creative, first);
    }

    private static void CheckUploadCount(Creative creative, int existing, int adding)
    {
        if (adding == 0) return;
        var max = creative.Kind switch
        {
            CreativeKind.Banner => 1,
            CreativeKind.ProductImages => MaxImages,
            _ => 0,
        };
        if (max == 0) throw ValidationFailedException.For("file", $"A {Describe(creative.Kind)} has no images; leave the file out.");
        if (existing + adding > max)
        {
            throw ValidationFailedException.For("file", max == 1
                ? "A banner has one image: remove the current one before uploading another."
                : $"A product-image set has at most {max} images.");
        }
    }

    private static void CheckPublishable(Creative creative, int images)
    {
        var missing = creative.Kind switch
        {
            CreativeKind.Banner or CreativeKind.ProductImages when images == 0 => "an image",
            CreativeKind.TextLink when string.IsNullOrWhiteSpace(creative.Headline) => "its link text (headline)",
            CreativeKind.EmailSwipe when string.IsNullOrWhiteSpace(creative.Headline) => "a subject (headline)",
            CreativeKind.EmailSwipe when string.IsNullOrWhiteSpace(creative.Body) => "a body",
            _ => null,
        };
        if (missing is not null) throw new ConflictException($"'{creative.Name}' needs {missing} before affiliates can use it.");
    }

    private static void Apply(Creative c, CreativeInput input)
    {
        if (input.Name is { } name) c.Name = Limit(name.Trim(), 200, "name")!;
        if (input.Headline is { } headline) c.Headline = Optional(headline, 200, "headline");
        if (input.Body is { } body) c.Body = Optional(body, 10_000, "body");
        if (input.DisclosureText is { } disclosure) c.DisclosureText = Optional(disclosure, 200, "disclosureText");
        if (input.Tags is { } tags) c.Tags = NormalizeTags(tags);
    }

    /// <summary>A campaign's name finds the campaign (any case) or starts a new one; "" takes the creative out of its campaign.</summary>
    private async Task ApplyCampaignAsync(Creative c, string? name, CancellationToken ct)
    {
        if (name is null) return;
        c.CampaignId = string.IsNullOrWhiteSpace(name) ? null : (await campaigns.FindOrAddAsync(name, ct)).Id;
    }

    public static List<string> NormalizeTags(IEnumerable<string> tags)
    {
        var clean = tags.SelectMany(t => t.Split(',')).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToList();
        if (clean.Count > MaxTags) throw ValidationFailedException.For("tags", $"At most {MaxTags} tags.");
        if (clean.FirstOrDefault(t => t.Length > 40) is { } tooLong)
            throw ValidationFailedException.For("tags", $"A tag is at most 40 characters; '{tooLong[..40]}…' is longer.");
        return clean;
    }

    private static string? Optional(string value, int max, string field) => value.Trim() is { Length: > 0 } v ? Limit(v, max, field) : null;

    private static string? Limit(string value, int max, string field) =>
        value.Length <= max ? value : throw ValidationFailedException.For(field, $"{field} is at most {max} characters.");

    private static string Describe(CreativeKind kind) => kind switch
    {
        CreativeKind.TextLink => "text link",
        CreativeKind.EmailSwipe => "email swipe",
        CreativeKind.ProductImages => "product-image set",
        _ => "banner",
    };

    /// <summary>Letters, digits, dot, dash and underscore, with the extension of what the file really is.</summary>
    private static string CleanFileName(string name, ImageFormatKind format)
    {
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName(name.Replace('\\', '/')));
        var clean = new StringBuilder();
        foreach (var ch in stem)
        {
            if (clean.Length >= 80) break;
            clean.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '-');
        }
        return (clean.Length == 0 ? "creative" : clean.ToString()) + "." + ImageFormats.Extension(format);
    }
}
