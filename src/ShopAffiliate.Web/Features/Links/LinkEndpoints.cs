using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Links;

public sealed record CreateLinkRequest(Guid? AffiliateId, string? Destination, string? SubId);

public sealed record LinkResponse(Guid Id, Guid AffiliateId, string Code, string Url, string Destination, string? SubId, DateTime CreatedAt);

public static class LinkEndpoints
{
    public static RouteGroupBuilder MapLinks(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/links").WithTags("Links");
        group.MapGet("/", List).WithSummary("Tracking links, newest first (filter by affiliateId).");
        group.MapPost("/", Create).WithSummary("Create a tracking link; the destination must be on a shop of the program or an allowed host.");
        return group;
    }

    private static async Task<Ok<PagedList<LinkResponse>>> List(
        AppDbContext db, IOptions<AppOptions> app, Guid? affiliateId, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = db.TrackingLinks.AsNoTracking().Where(l => !l.IsArchived);
        if (affiliateId is { } id) query = query.Where(l => l.AffiliateId == id);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<LinkResponse>(rows.Select(l => ToResponse(l, app.Value)).ToList(), p, size, total));
    }

    private static async Task<Created<LinkResponse>> Create(
        AppDbContext db, LinkCache cache, IOptions<AppOptions> app, CreateLinkRequest request, CancellationToken ct)
    {
        if (request.AffiliateId is not { } affiliateId)
            throw ValidationFailedException.For("affiliateId", "Say which affiliate the link is for (affiliateId).");
        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == affiliateId, ct)
            ?? throw ValidationFailedException.For("affiliateId", "No affiliate with that id in this program.");
        var link = await LinkCreation.CreateAsync(db, cache, affiliate, request.Destination, request.SubId, ct);
        return TypedResults.Created($"/api/v1/links/{link.Id}", ToResponse(link, app.Value));
    }

    internal static LinkResponse ToResponse(TrackingLink l, AppOptions app) =>
        new(l.Id, l.AffiliateId, l.Code, $"{app.PublicBaseUrl.TrimEnd('/')}/r/{l.Code}", l.Destination, l.SubId, l.CreatedAt);
}
