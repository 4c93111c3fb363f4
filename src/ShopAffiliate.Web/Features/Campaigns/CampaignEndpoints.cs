using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Campaigns;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Web.Features.Campaigns;

/// <summary>Create and update body: every field (null dates are open; a missing segment is every approved affiliate).</summary>
public sealed record CampaignRequest(string? Name, DateOnly? StartsOn, DateOnly? EndsOn, Segment? Segment);

public sealed record CampaignCreativesRequest(IReadOnlyList<Guid>? CreativeIds);

public sealed record CampaignCouponsRequest(IReadOnlyList<Guid>? CouponIds);

public sealed record CampaignAnnounceRequest(string? Subject, string? Body);

public sealed record CampaignAnnouncedResponse(Guid AnnouncementId, int Recipients);

/// <summary><c>startsOn</c>/<c>endsOn</c> are days in the program's time zone, both included; <c>status</c> is today's.</summary>
public sealed record CampaignResponse(
    Guid Id, string Name, DateOnly? StartsOn, DateOnly? EndsOn, Segment Segment, CampaignStatus Status,
    IReadOnlyList<Guid> CreativeIds, IReadOnlyList<Guid> CouponIds, DateTime? AnnouncedAt, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Campaigns over the API: the same <see cref="CampaignService"/> the admin pages call. Another program's ids answer 404.</summary>
public static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaigns(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/campaigns").WithTags("Campaigns");
        group.MapGet("/", ListAsync).WithSummary("The program's campaigns, newest first, with today's status (Scheduled, Running, Ended).");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One campaign with its creatives' and coupons' ids.");
        group.MapPost("/", CreateAsync)
            .WithSummary("Create a campaign: name (unique in the program), startsOn and endsOn (yyyy-MM-dd in the program's time zone, optional), " +
                         "segment (who sees it: kind all, group, status, topPerformers or inactive, as announcements). 400 for an end before the start or an unknown group. Audited.");
        group.MapPut("/{id:guid}", UpdateAsync).WithSummary("Replace a campaign's name, dates and segment. Audited.");
        group.MapPost("/{id:guid}/creatives", async Task<Ok<CampaignResponse>> (Guid id, CampaignCreativesRequest body, CampaignService campaigns, AppDbContext db, CancellationToken ct) =>
                TypedResults.Ok(await ResponseAsync(db, campaigns, await campaigns.AttachCreativesAsync(id, body.CreativeIds, ct), ct)))
            .WithSummary("Attach creatives (creativeIds); a creative is in one campaign at a time, so this moves it from another. 404 for an id not in the program.");
        group.MapDelete("/{id:guid}/creatives/{creativeId:guid}", async Task<NoContent> (Guid id, Guid creativeId, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.DetachCreativeAsync(id, creativeId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Take a creative out of the campaign (it is then offered like any creative without a campaign).");
        group.MapPost("/{id:guid}/coupons", async Task<Ok<CampaignResponse>> (Guid id, CampaignCouponsRequest body, CampaignService campaigns, AppDbContext db, CancellationToken ct) =>
                TypedResults.Ok(await ResponseAsync(db, campaigns, await campaigns.AttachCouponsAsync(id, body.CouponIds, ct), ct)))
            .WithSummary("Attach coupons (couponIds): each affiliate sees their own ones with the campaign. 404 for an id not in the program.");
        group.MapDelete("/{id:guid}/coupons/{couponId:guid}", async Task<NoContent> (Guid id, Guid couponId, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.DetachCouponAsync(id, couponId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Take a coupon out of the campaign.");
        group.MapPost("/{id:guid}/announce", async Task<Created<CampaignAnnouncedResponse>> (Guid id, CampaignAnnounceRequest body, CampaignService campaigns, CancellationToken ct) =>
            {
                var sent = await campaigns.AnnounceAsync(id, body.Subject, body.Body, ct);
                return TypedResults.Created("/api/v1/announcements", new CampaignAnnouncedResponse(sent.Id, sent.RecipientCount));
            })
            .WithSummary("Send an announcement (subject, body) to the campaign's segment now: the portal and mail. 409 once the campaign has ended. Audited.");
        return group;
    }

    private static async Task<Ok<List<CampaignResponse>>> ListAsync(CampaignService campaigns, AppDbContext db, CancellationToken ct)
    {
        var rows = await campaigns.ListAsync(ct);
        var members = await MembersAsync(db, rows.Select(r => r.Campaign.Id).ToList(), ct);
        return TypedResults.Ok(rows.Select(r => ToResponse(r.Campaign, r.Status, members)).ToList());
    }

    private static async Task<Ok<CampaignResponse>> GetAsync(Guid id, CampaignService campaigns, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ResponseAsync(db, campaigns, await campaigns.GetAsync(id, ct), ct));

    private static async Task<Created<CampaignResponse>> CreateAsync(CampaignRequest body, CampaignService campaigns, AppDbContext db, CancellationToken ct)
    {
        var campaign = await campaigns.CreateAsync(new CampaignInput(body.Name, body.StartsOn, body.EndsOn, body.Segment), ct);
        return TypedResults.Created($"/api/v1/campaigns/{campaign.Id}", await ResponseAsync(db, campaigns, campaign, ct));
    }

    private static async Task<Ok<CampaignResponse>> UpdateAsync(Guid id, CampaignRequest body, CampaignService campaigns, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ResponseAsync(db, campaigns,
            await campaigns.UpdateAsync(id, new CampaignInput(body.Name, body.StartsOn, body.EndsOn, body.Segment), ct), ct));

    private static async Task<CampaignResponse> ResponseAsync(AppDbContext db, CampaignService campaigns, Campaign c, CancellationToken ct) =>
        ToResponse(c, c.StatusOn(await campaigns.TodayAsync(ct)), await MembersAsync(db, [c.Id], ct));

    private sealed record Members(ILookup<Guid, Guid> Creatives, ILookup<Guid, Guid> Coupons);

    private static async Task<Members> MembersAsync(AppDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var creatives = await db.Creatives.AsNoTracking().Where(c => c.CampaignId != null && ids.Contains(c.CampaignId.Value))
            .OrderBy(c => c.CreatedAt).Select(c => new { Campaign = c.CampaignId!.Value, c.Id }).ToListAsync(ct);
        var coupons = await db.Coupons.AsNoTracking().Where(c => c.CampaignId != null && ids.Contains(c.CampaignId.Value))
            .OrderBy(c => c.CreatedAt).Select(c => new { Campaign = c.CampaignId!.Value, c.Id }).ToListAsync(ct);
        return new(creatives.ToLookup(x => x.Campaign, x => x.Id), coupons.ToLookup(x => x.Campaign, x => x.Id));
    }

    private static CampaignResponse ToResponse(Campaign c, CampaignStatus status, Members members) => new(
        c.Id, c.Name, c.StartsOn, c.EndsOn, c.Segment, status, members.Creatives[c.Id].ToList(), members.Coupons[c.Id].ToList(),
        c.AnnouncedAt, c.CreatedAt, c.UpdatedAt);
}
