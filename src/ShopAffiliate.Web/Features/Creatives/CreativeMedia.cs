using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Creatives;

/// <summary>
/// <c>GET /i/{creativeId}/{referralCode}</c>, the impression pixel, answered as the redirect is: ahead of routing,
/// from memory (<see cref="CreativeCache"/>), the view queued for <see cref="ImpressionWriter"/>. The answer itself is
/// <c>no-store</c>, so every view reaches us, while the banner's bytes come from its content-addressed URL
/// (a 302 to <c>/c/{hash}.{ext}</c>), which browsers keep for a year. Text creatives get a 1x1 GIF. Like <c>/r/</c>
/// it has no rate limit: a view refused would be a view lost, and a flood only fills the bounded queue (the pixel then
/// waits for the writer).
/// </summary>
public sealed class PixelMiddleware(RequestDelegate next, CreativeCache creatives, ImpressionWriter impressions, TimeProvider clock)
{
    /// <summary>A transparent 1x1 GIF (43 bytes).</summary>
    internal static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public Task InvokeAsync(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && TryParse(http.Request.Path.Value, out var id, out var code)
            ? ServeAsync(http, id, code)
            : next(http);

    /// <summary><c>/i/{guid}/{code}</c>, nothing more.</summary>
    public static bool TryParse(string? path, out Guid creativeId, out string referralCode)
    {
        creativeId = Guid.Empty;
        referralCode = "";
        if (path is null || !path.StartsWith(CreativeUrls.PixelPrefix, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = path.AsSpan(CreativeUrls.PixelPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !Guid.TryParse(rest[..slash], out creativeId)) return false;
        var code = rest[(slash + 1)..];
        if (code.IsEmpty || code.Length > 64 || code.Contains('/')) return false;
        referralCode = code.ToString();
        return true;
    }

    private async Task ServeAsync(HttpContext http, Guid creativeId, string referralCode)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var creative = await creatives.FindAsync(creativeId, http.RequestAborted);
        var affiliate = creative is null ? null : await creatives.AffiliateAsync(creative.WorkspaceId, referralCode, http.RequestAborted);
        // Unknown, draft, another program's affiliate: one answer, so ids and codes cannot be told apart by probing.
        if (creative is null || affiliate is not { } affiliateId)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (creative.Status == CreativeStatus.Published && HttpMethods.IsGet(http.Request.Method))
        {
            var now = clock.GetUtcNow();
            await impressions.RecordAsync(new PendingImpression(
                ClickIds.Next(now), now.UtcDateTime, creative.WorkspaceId, creative.Id, affiliateId, http.Request.Headers.UserAgent));
        }
        if (creative.Status == CreativeStatus.Published && creative.FilePath is { } file)
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = file;
            return;
        }
        // Text creatives, and archived ones (withdrawn: pages that still embed them show nothing).
        http.Response.ContentType = "image/gif";
        http.Response.ContentLength = Pixel.Length;
        if (HttpMethods.IsGet(http.Request.Method)) await http.Response.Body.WriteAsync(Pixel, http.RequestAborted);
    }
}

/// <summary>The bytes of published creatives at their content-addressed URL, and the cache refresh of the pixel.</summary>
public static class CreativeMediaEndpoints
{
    public const string FileRoute = "/c/{file}";

    public static IEndpointRouteBuilder MapCreativeMedia(this IEndpointRouteBuilder app)
    {
        app.MapGet(FileRoute, File).WithTags("Creatives").AllowAnonymous().RequireRateLimiting(RateLimits.CreativeFiles)
            .WithSummary("A published creative's image by its SHA-256 ({hash}.{ext}): immutable, cached for a year.");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> File(string file, HttpResponse response, AppDbContext db, ICreativeStore store, CancellationToken ct)
    {
        var dot = file.IndexOf('.');
        var hash = dot < 0 ? file : file[..dot];
        if (!CreativeHashes.IsValid(hash)) return TypedResults.NotFound();
        // Only while a creative holding these bytes is published: a draft's image is seen in the admin alone.
        var found = await (
            from f in db.CreativeFiles.IgnoreQueryFilters()
            join c in db.Creatives.IgnoreQueryFilters() on f.CreativeId equals c.Id
            where f.Hash == hash && c.Status == CreativeStatus.Published
            select new { f.Format }).FirstOrDefaultAsync(ct);
        if (found is null || file != CreativeUrls.File(hash, found.Format)[CreativeUrls.FilePrefix.Length..]) return TypedResults.NotFound();
        var bytes = await store.ReadAsync(hash, ct);
        if (bytes is null) return TypedResults.NotFound();
        Immutable(response);
        return TypedResults.File(bytes, ImageFormats.ContentType(found.Format), entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{hash}\""));
    }

    /// <summary>The headers of content-addressed bytes: they never change under their URL, and are never sniffed.</summary>
    public static void Immutable(HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
