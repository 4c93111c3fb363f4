using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Web.Features.Communication;

public sealed record AnnouncementRequest(string? Subject, string? Body, Segment? Segment);

public sealed record AnnouncementResponse(Guid Id, string Subject, string Body, Segment Segment, DateTime? SentAt, int Recipients, int Read);

/// <summary>Announcements to a segment of the program's affiliates: shown in their portal and mailed through the outbox.</summary>
public static class AnnouncementEndpoints
{
    public static RouteGroupBuilder MapAnnouncements(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/announcements").WithTags("Announcements");
        group.MapGet("/", ListAsync);
        group.MapPost("/", SendAsync).WithSummary("Send an announcement now to a segment (kind: all, group, status, topPerformers, inactive). Audited.");
        return group;
    }

    private static async Task<Ok<List<AnnouncementResponse>>> ListAsync(AppDbContext db, AnnouncementService announcements, CancellationToken ct)
    {
        var list = await announcements.ListAsync(200, ct);
        var read = await ReadCountsAsync(db, ct);
        return TypedResults.Ok(list.Select(a => ToResponse(a, read.GetValueOrDefault(a.Id))).ToList());
    }

    private static async Task<Created<AnnouncementResponse>> SendAsync(AnnouncementService announcements, AnnouncementRequest body, CancellationToken ct)
    {
        var a = await announcements.SendAsync(new AnnouncementInput(body.Subject, body.Body, body.Segment), ct);
        return TypedResults.Created("/api/v1/announcements", ToResponse(a, 0));
    }

    private static async Task<Dictionary<Guid, int>> ReadCountsAsync(AppDbContext db, CancellationToken ct) =>
        await db.AnnouncementRecipients.Where(r => r.ReadAt != null).GroupBy(r => r.AnnouncementId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

    private static AnnouncementResponse ToResponse(Announcement a, int read) =>
        new(a.Id, a.Subject, a.Body, a.Segment, a.SentAt, a.RecipientCount, read);
}
