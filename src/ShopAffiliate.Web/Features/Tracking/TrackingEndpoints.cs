using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Web.Features.Tracking;

/// <summary>The storefront's way in: tracking-link redirects and the landing beacon of sa.js.</summary>
public static class TrackingEndpoints
{
    private const string DeadLinkPage =
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
        "<title>Link not found</title><body style=\"font:16px system-ui;max-width:32rem;margin:4rem auto;padding:0 1rem\">" +
        "<h1>This link is not active</h1><p>The referral link you followed does not exist or has been retired. " +
        "Please visit the shop directly.</p></body></html>";

    public sealed record LandingBeacon(string? Workspace, string? Ref, Guid? ClickId, string? Url, string? Referrer);

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        // The hot path: memory lookup, queue the click, 302. No database unless the code is unknown to this node.
        // ShortCircuit: runs at routing, skipping static files, authentication and the tenant middleware it never needs.
        app.MapGet("/r/{code}/{subId?}", Redirect).ExcludeFromDescription().AllowAnonymous().ShortCircuit();
        app.MapPost("/api/track/landing", Landing).WithTags("Tracking").AllowAnonymous()
            .WithSummary("The storefront script reports a ?ref= landing that did not pass /r/ (body may be sent as text/plain by sendBeacon).");
        return app;
    }

    private static async Task<IResult> Redirect(
        string code, string? subId, HttpContext http, LinkCache links, ClickWriter clicks, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var target = links.TryGet(code, out var cached) ? cached : await links.FindAsync(code, ct);
        if (target is null) return Results.Content(DeadLinkPage, "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

        var click = new PendingClick(
            Guid.CreateVersion7(), clock.GetUtcNow().UtcDateTime, target.WorkspaceId, target.AffiliateId, target.LinkId,
            target.ReferralCode, subId ?? target.SubId, ClickSource.Redirect,
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent, http.Request.Headers.Referer, null);
        await clicks.RecordAsync(click);

        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(target.RedirectUrl(click.Id));
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

        var clickId = beacon.ClickId ?? Guid.CreateVersion7();
        if (beacon.ClickId is { } known && await db.Clicks.IgnoreQueryFilters().AnyAsync(c => c.Id == known))
        {
            return TypedResults.Accepted((string?)null); // it passed /r/ already, or the beacon was repeated
        }
        var click = new PendingClick(clickId, clock.GetUtcNow().UtcDateTime, affiliate.WorkspaceId, affiliate.Id, null,
            affiliate.ReferralCode, null, ClickSource.Landing, request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            request.Headers.UserAgent, beacon.Referrer, beacon.Url);
        await clicks.RecordAsync(click);
        return TypedResults.Accepted((string?)null);
    }
}

/// <summary>Picks up links created or changed on other nodes.</summary>
internal sealed class LinkCacheRefresher(LinkCache links, Microsoft.Extensions.Options.IOptions<TrackingOptions> options, ILogger<LinkCacheRefresher> logger)
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
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Refreshing the link cache failed; will retry");
            }
        }
    }
}
