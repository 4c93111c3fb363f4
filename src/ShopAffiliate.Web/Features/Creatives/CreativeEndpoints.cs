using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Campaigns;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Creatives;

public sealed record CreativeFileResponse(
    Guid Id, ImageFormatKind Format, string ContentType, int Width, int Height, int Frames, long Length, string FileName, string Url);

/// <summary><c>disclosureText</c> null means the default of the reader's language ("Ad", "Annonce"); <c>campaign</c> is the campaign's name.</summary>
public sealed record CreativeResponse(
    Guid Id, CreativeKind Kind, string Name, CreativeStatus Status, string Destination, string? Headline, string? Body,
    string? DisclosureText, IReadOnlyList<string> Tags, string? Campaign, IReadOnlyList<CreativeFileResponse> Files,
    DateTime? PublishedAt, DateTime CreatedAt, DateTime UpdatedAt)
{
    /// <summary>The campaign's id (<c>/api/v1/campaigns/{id}</c>); null when the creative is in none.</summary>
    public Guid? CampaignId { get; init; }
}

/// <summary>PATCH body: a field left out (null) keeps its value; "" clears an optional one.</summary>
public sealed record UpdateCreativeRequest(
    string? Name, string? Destination, string? Headline, string? Body, string? DisclosureText, IReadOnlyList<string>? Tags, string? Campaign);

/// <summary>
/// Materials over the API. Uploads are multipart forms (the image parts named <c>file</c>) read by hand, so the route
/// has no antiforgery metadata: it takes a bearer credential, never a cookie. Everything reads through the tenant
/// filter of the caller's program, so another program's creative answers 404.
/// </summary>
public static class CreativeEndpoints
{
    /// <summary>Room for a form with the largest image the options allow, and its fields.</summary>
    private static long UploadLimit(CreativeOptions o) => (long)o.MaxBytes * 2 + 64 * 1024;

    public static RouteGroupBuilder MapCreatives(this RouteGroupBuilder api, CreativeOptions options)
    {
        var group = api.MapGroup("/creatives").WithTags("Creatives");
        group.MapGet("/", List)
            .WithSummary("Creatives, newest first; filter kind, status, tag, campaign (its name), campaignId and q (in the name).");
        group.MapGet("/{id:guid}", Get).WithSummary("One creative with its images.");
        group.MapPost("/", Create).WithBodyLimit(UploadLimit(options))
            .WithSummary("Create a creative as a draft from a multipart form: kind (Banner, TextLink, EmailSwipe, ProductImages), name, " +
                         "destination, headline, body, disclosureText, tags (comma-separated), campaign, and the images as file parts. " +
                         "Images are checked by their bytes: PNG, JPEG, GIF or WebP within the size limits, else 400 and nothing is stored.")
            .Accepts<IFormFile>("multipart/form-data");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change a creative's fields (JSON); the destination is checked like a tracking link's.");
        group.MapPost("/{id:guid}/files", AddFiles).WithBodyLimit(UploadLimit(options))
            .WithSummary("Add images (multipart, file parts): a banner has one, a product-image set up to 20.")
            .Accepts<IFormFile>("multipart/form-data");
        group.MapDelete("/{id:guid}/files/{fileId:guid}", RemoveFile).WithSummary("Remove an image (a published creative keeps at least one).");
        group.MapPost("/{id:guid}/publish", async Task<Ok<CreativeResponse>> (Guid id, CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CancellationToken ct) =>
                TypedResults.Ok(await ResponseAsync(creatives, campaigns, await creatives.PublishAsync(id, ct), app.Value, ct)))
            .WithSummary("Publish: affiliates see it in their library and its pixel counts views. 409 when something it needs is missing.");
        group.MapPost("/{id:guid}/archive", async Task<Ok<CreativeResponse>> (Guid id, CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CancellationToken ct) =>
                TypedResults.Ok(await ResponseAsync(creatives, campaigns, await creatives.ArchiveAsync(id, ct), app.Value, ct)))
            .WithSummary("Archive: withdrawn from the library; pages that embed it show a blank pixel and count nothing.");
        group.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, CreativeService creatives, CancellationToken ct) =>
            {
                await creatives.DeleteDraftAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a draft (409 once published: archive it instead).");
        return group;
    }

    private static async Task<Ok<PagedList<CreativeResponse>>> List(
        CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CreativeKind? kind, CreativeStatus? status, string? tag, string? campaign,
        Guid? campaignId, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = Filter(creatives.Query(), kind, status, tag, q);
        if (campaignId is { } cid) query = query.Where(c => c.CampaignId == cid);
        if (!string.IsNullOrWhiteSpace(campaign))
        {
            var name = Campaign.Normalize(campaign);
            var ids = campaigns.Query().Where(k => k.NormalizedName == name).Select(k => (Guid?)k.Id);
            query = query.Where(c => ids.Contains(c.CampaignId));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var files = await creatives.FilesOfAsync(rows.Select(c => c.Id).ToList(), ct);
        var names = await CampaignNamesAsync(campaigns, rows, ct);
        return TypedResults.Ok(new PagedList<CreativeResponse>(rows.Select(c => ToResponse(c, files[c.Id].ToList(), app.Value, names)).ToList(), p, size, total));
    }

    /// <summary>The list filters, shared by the API and the admin and portal pages.</summary>
    public static IQueryable<Creative> Filter(IQueryable<Creative> query, CreativeKind? kind, CreativeStatus? status, string? tag, string? q)
    {
        if (kind is { } k) query = query.Where(c => c.Kind == k);
        if (status is { } s) query = query.Where(c => c.Status == s);
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var t = tag.Trim().ToLowerInvariant();
            query = query.Where(c => c.Tags.Contains(t));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim().ToLower();
            query = query.Where(c => c.Name.ToLower().Contains(text));
        }
        return query;
    }

    private static async Task<Ok<CreativeResponse>> Get(Guid id, CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CancellationToken ct)
    {
        var (creative, files) = await creatives.GetAsync(id, ct);
        return TypedResults.Ok(ToResponse(creative, files, app.Value, await CampaignNamesAsync(campaigns, [creative], ct)));
    }

    /// <summary>The names of the campaigns of <paramref name="creatives"/>, by id, in one query.</summary>
    public static async Task<Dictionary<Guid, string>> CampaignNamesAsync(CampaignService campaigns, IReadOnlyCollection<Creative> creatives, CancellationToken ct)
    {
        var ids = creatives.Where(c => c.CampaignId != null).Select(c => c.CampaignId!.Value).Distinct().ToList();
        return ids.Count == 0 ? [] : await campaigns.Query().Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, ct);
    }

    private static async Task<Created<CreativeResponse>> Create(HttpRequest request, CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CancellationToken ct)
    {
        var form = await ReadFormAsync(request, ct);
        if (!Enum.TryParse<CreativeKind>(form["kind"].ToString(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            throw ValidationFailedException.For("kind", "Give the kind: Banner, TextLink, EmailSwipe or ProductImages.");
        var input = new CreativeInput(
            Field(form, "name"), Field(form, "destination"), Field(form, "headline"), Field(form, "body"), Field(form, "disclosureText"),
            Field(form, "tags") is { } tags ? [tags] : null, Field(form, "campaign"));
        var creative = await creatives.CreateAsync(kind, input, await UploadsAsync(form, ct), ct);
        return TypedResults.Created($"/api/v1/creatives/{creative.Id}", await ResponseAsync(creatives, campaigns, creative, app.Value, ct));
    }

    private static async Task<Ok<CreativeResponse>> Update(Guid id, UpdateCreativeRequest body, CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CancellationToken ct)
    {
        var creative = await creatives.UpdateAsync(id, new CreativeInput(body.Name, body.Destination, body.Headline, body.Body, body.DisclosureText, body.Tags, body.Campaign), ct);
        return TypedResults.Ok(await ResponseAsync(creatives, campaigns, creative, app.Value, ct));
    }

    private static async Task<Ok<CreativeResponse>> AddFiles(Guid id, HttpRequest request, CreativeService creatives, CampaignService campaigns, IOptions<AppOptions> app, CancellationToken ct)
    {
        // Found first, so another program's id is a 404 whatever the form holds.
        await creatives.GetAsync(id, ct);
        await creatives.AddFilesAsync(id, await UploadsAsync(await ReadFormAsync(request, ct), ct), ct);
        var (creative, files) = await creatives.GetAsync(id, ct);
        return TypedResults.Ok(ToResponse(creative, files, app.Value, await CampaignNamesAsync(campaigns, [creative], ct)));
    }

    private static async Task<NoContent> RemoveFile(Guid id, Guid fileId, CreativeService creatives, CancellationToken ct)
    {
        await creatives.RemoveFileAsync(id, fileId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw ValidationFailedException.For("body", "Send a multipart/form-data form (fields, and the images as parts named file).");
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e)
        {
            throw ValidationFailedException.For("body", "The form could not be read: " + e.Message);
        }
    }

    /// <summary>The image parts, read into memory: the checks need every byte, and the limit keeps them small.</summary>
    public static async Task<List<CreativeUpload>> UploadsAsync(IFormCollection form, CancellationToken ct)
    {
        var uploads = new List<CreativeUpload>();
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
            await file.CopyToAsync(buffer, ct);
            uploads.Add(new CreativeUpload(file.FileName, buffer.ToArray()));
        }
        return uploads;
    }

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;

    private static async Task<CreativeResponse> ResponseAsync(CreativeService creatives, CampaignService campaigns, Creative c, AppOptions app, CancellationToken ct) =>
        ToResponse(c, await creatives.FilesAsync(c.Id, ct), app, await CampaignNamesAsync(campaigns, [c], ct));

    internal static CreativeResponse ToResponse(Creative c, IReadOnlyList<CreativeFile> files, AppOptions app, IReadOnlyDictionary<Guid, string> campaignNames) => new(
        c.Id, c.Kind, c.Name, c.Status, c.Destination, c.Headline, c.Body, c.DisclosureText, c.Tags,
        c.CampaignId is { } campaignId ? campaignNames.GetValueOrDefault(campaignId) : null,
        files.Select(f => new CreativeFileResponse(f.Id, f.Format, f.ContentType, f.Width, f.Height, f.Frames, f.Length, f.FileName,
            app.PublicBaseUrl.TrimEnd('/') + CreativeUrls.File(f.Hash, f.Format))).ToList(),
        c.PublishedAt, c.CreatedAt, c.UpdatedAt) { CampaignId = c.CampaignId };
}
