using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Urls;
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
        AppDbContext db, ITenantContext tenant, LinkCache cache, IOptions<AppOptions> app, CreateLinkRequest request, CancellationToken ct)
    {
        var workspaceId = tenant.WorkspaceId!.Value;
        if (request.AffiliateId is not { } affiliateId)
            throw ValidationFailedException.For("affiliateId", "Say which affiliate the link is for (affiliateId).");
        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == affiliateId, ct)
            ?? throw ValidationFailedException.For("affiliateId", "No affiliate with that id in this program.");
        if (affiliate.Status is AffiliateStatus.Rejected)
            throw new ConflictException($"{affiliate.Name} was rejected; approve them before giving them links.");
        var subId = request.SubId?.Trim();
        if (subId is { Length: > 100 })
            throw ValidationFailedException.For("subId", "A sub-id is at most 100 characters.");

        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        var allowed = await SettingsStore.AllowedHostsAsync(db, settings, ct);
        var destination = await DestinationAsync(db, request.Destination, allowed, ct);

        var link = new TrackingLink
        {
            WorkspaceId = workspaceId,
            AffiliateId = affiliate.Id,
            Code = TrackingLink.NewCode(),
            Destination = destination,
            SubId = string.IsNullOrEmpty(subId) ? null : subId,
        };
        db.TrackingLinks.Add(link);
        await db.SaveChangesAsync(ct);
        cache.Upsert(link, affiliate.ReferralCode);
        return TypedResults.Created($"/api/v1/links/{link.Id}", ToResponse(link, app.Value));
    }

    /// <summary>Only the program's shops and allowed hosts: a tracking link must never be an open redirect.</summary>
    private static async Task<string> DestinationAsync(AppDbContext db, string? requested, HashSet<string> allowedHosts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            var shop = await db.Shops.AsNoTracking().OrderBy(s => s.CreatedAt).Select(s => s.Domain).FirstOrDefaultAsync(ct)
                ?? throw ValidationFailedException.For("destination", "Give a destination URL: no shop is connected yet to use as the default.");
            return "https://" + shop.TrimEnd('/') + "/";
        }
        if (!SafeUrl.TryParse(requested, out var uri, out var problem))
            throw ValidationFailedException.For("destination", "The destination must be an http(s) address. " + problem);
        // Also for hosts allowed before this rule: a link never sends shoppers to an internal or metadata address.
        if (NetworkAddresses.ClassifyHost(uri.IdnHost) is not AddressClass.Public and var kind)
        {
            throw ValidationFailedException.For("destination",
                $"Links may point only at public web hosts; '{uri.IdnHost}' is {NetworkAddresses.Describe(kind)}.");
        }
        if (!allowedHosts.Contains(uri.IdnHost))
        {
            throw ValidationFailedException.For("destination",
                $"Links may point only at the program's shops or its allowed hosts; '{uri.IdnHost}' is neither. " +
                "Add it to allowedDestinationHosts in the program settings if it is yours.");
        }
        return uri.AbsoluteUri;
    }

    internal static LinkResponse ToResponse(TrackingLink l, AppOptions app) =>
        new(l.Id, l.AffiliateId, l.Code, $"{app.PublicBaseUrl.TrimEnd('/')}/r/{l.Code}", l.Destination, l.SubId, l.CreatedAt);
}
