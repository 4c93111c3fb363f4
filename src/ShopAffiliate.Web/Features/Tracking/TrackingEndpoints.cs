using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Observability;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Tracking;

/// <summary>The storefront's way in: tracking-link redirects and the landing beacon of sa.js.</summary>
public static class TrackingEndpoints
{
    public sealed record LandingBeacon(string? Workspace, string? Ref, Guid? ClickId, string? Url, string? Referrer);

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/track/landing", Landing).WithTags("Tracking").AllowAnonymous().WithBodyLimit(16 * 1024).RequireRateLimiting(RateLimits.Landing)
            .WithSummary("The storefront script reports a ?ref= landing that did not pass /r/ (body may be sent as text/plain by sendBeacon).");
        return app;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Landing(
        HttpRequest request, AppDbContext db, ClickWriter clicks, TimeProvider clock)
    {
        LandingBeacon? beacon;
        try
        {
            // sendBeacon posts text/plain to avoid a CORS preflight, so the body is read whatever its type says.
            beacon = await JsonSerializer.DeserializeAsync<LandingBeacon>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "The beacon is not valid JSON.", detail: e.Message);
        }
        if (beacon is not { Workspace.Length: > 0, Ref.Length: > 0 })
            return TypedResults.Problem(statusCode: 400, title: "Incomplete beacon.", detail: "Send the workspace (slug or id) and ref.");

        var code = beacon.Ref.Trim().ToLowerInvariant();
        var affiliate = await (
            from a in db.Affiliates.IgnoreQueryFilters()
            join w in db.Workspaces on a.WorkspaceId equals w.Id
            where (w.Slug == beacon.Workspace || w.Id.ToString() == beacon.Workspace) && a.ReferralCode == code
            select new { a.Id, a.WorkspaceId, a.ReferralCode, a.Status }).FirstOrDefaultAsync();
        // Unknown codes are accepted silently: a beacon must not let anyone probe which codes exist.
        if (affiliate is null || affiliate.Status is AffiliateStatus.Rejected) return TypedResults.Accepted((string?)null);

        var now = clock.GetUtcNow();
        var clickId = beacon.ClickId ?? ClickIds.Next(now);
        if (beacon.ClickId is { } known && await db.Clicks.IgnoreQueryFilters().AnyAsync(c => c.Id == known))
        {
            return TypedResults.Accepted((string?)null); // it passed /r/ already, or the beacon was repeated
        }
        var click = new PendingClick(clickId, now.UtcDateTime, affiliate.WorkspaceId, affiliate.Id, null,
            affiliate.ReferralCode, null, ClickSource.Landing, request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            request.Headers.UserAgent, beacon.Referrer, beacon.Url);
        await clicks.RecordAsync(click);
        return TypedResults.Accepted((string?)null);
    }
}

/// <summary>
/// <c>GET /r/{code}</c> and <c>/r/{code}/{subId}</c>, the hot path: memory lookup, queue the click, 302. No database
/// unless the code is unknown to this node. A middleware ahead of routing rather than an endpoint: it needs no route
/// matching, request services, authentication or endpoint metadata, and skipping them cut its CPU per request by a
/// fifth (tests/ShopAffiliate.Benchmarks). It sits after the exception handler, so a failure is still a ProblemDetails.
/// </summary>
public sealed class RedirectMiddleware(RequestDelegate next, LinkCache links, ClickWriter clicks, CreativeCache creatives, TimeProvider clock, AppMetrics metrics)
{
    public const string Prefix = "/r/";

    private const string DeadLinkPage =
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
        "<title>Link not found</title><body style=\"font:16px system-ui;max-width:32rem;margin:4rem auto;padding:0 1rem\">" +
        "<h1>This link is not active</h1><p>The referral link you followed does not exist or has been retired. " +
        "Please visit the shop directly.</p></body></html>";

    public Task InvokeAsync(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && TryParse(http.Request.Path.Value, out var code, out var subId)
            ? RedirectAsync(http, code, subId)
            : next(http);

    /// <summary><c>/r/{code}</c> or <c>/r/{code}/{subId}</c> (a trailing slash allowed); anything else is not ours.</summary>
    public static bool TryParse(string? path, out string code, out string? subId)
    {
        code = "";
        subId = null;
        if (path is null || !path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = path.AsSpan(Prefix.Length);
        if (rest.EndsWith("/")) rest = rest[..^1];
        var slash = rest.IndexOf('/');
        var first = slash < 0 ? rest : rest[..slash];
        var second = slash < 0 ? [] : rest[(slash + 1)..];
        if (first.IsEmpty || second.Contains('/') || (slash >= 0 && second.IsEmpty)) return false;
        code = first.ToString();
        subId = second.IsEmpty ? null : second.ToString();
        return true;
    }

    private async Task RedirectAsync(HttpContext http, string code, string? subId)
    {
        var target = links.TryGet(code, out var cached) ? cached : await links.FindAsync(code, http.RequestAborted);
        if (target is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(DeadLinkPage, http.RequestAborted);
            return;
        }

        var now = clock.GetUtcNow();
        var click = new PendingClick(
            ClickIds.Next(now), now.UtcDateTime, target.WorkspaceId, target.AffiliateId, target.LinkId,
            target.ReferralCode, subId ?? target.SubId, ClickSource.Redirect,
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent, http.Request.Headers.Referer, null,
            http.Request.QueryString.HasValue ? await CreativeOfAsync(http, target) : null);
        await clicks.RecordAsync(click);
        metrics.Redirects.Add(1);

        http.Response.StatusCode = StatusCodes.Status302Found;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Location = target.RedirectUrl(click.Id);
    }

    /// <summary>
    /// <c>?c={creativeId}</c> from an embed code: recorded only for a creative of the link's own program that affiliates
    /// may show, so a made-up id cannot put clicks on another program's (or a draft's) figures.
    /// </summary>
    private async ValueTask<Guid?> CreativeOfAsync(HttpContext http, LinkTarget target) =>
        Guid.TryParse(http.Request.Query["c"], out var id) && await creatives.FindAsync(id, http.RequestAborted) is { } creative
        && creative.WorkspaceId == target.WorkspaceId
            ? creative.Id
            : null;
}

/// <summary>Picks up links and creatives created or changed on other nodes.</summary>
internal sealed class LinkCacheRefresher(LinkCache links, CreativeCache creatives, Microsoft.Extensions.Options.IOptions<TrackingOptions> options, ILogger<LinkCacheRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LinkRefreshSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await links.RefreshAsync(stoppingToken);
                await creatives.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Refreshing the link or creative cache failed; will retry");
            }
        }
    }
}
