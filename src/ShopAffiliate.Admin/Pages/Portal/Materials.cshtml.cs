using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Campaigns;
using ShopAffiliate.Core.Coupons;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's library: the program's published creatives, each with embed code that carries the affiliate's
/// tracking link (<c>/r/{code}?c={creativeId}</c>), the impression pixel and the disclosure. The link is one of the
/// affiliate's tracking links to the creative's destination; when there is none yet, "Get the code" (a POST) makes it,
/// so that showing the page changes nothing. A creative of a campaign is offered only while the campaign runs and the
/// affiliate is in its segment (creatives without a campaign always); the campaigns are listed with the affiliate's own
/// coupons in them.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class MaterialsModel(
    AppDbContext db, TenantContext tenant, LinkCache links, ICreativeStore store, IConfiguration configuration, ReportService reports, CampaignService campaigns)
    : PortalPageModel(db, tenant)
{
    /// <summary>The affiliate's own results per creative over the last 30 days (the reports' <c>top?by=creative</c>, ADR 0039).</summary>
    public IReadOnlyList<TopRow> Results { get; private set; } = [];
    public sealed record Item(Creative Creative, IReadOnlyList<CreativeFile> Files, string? LinkCode);

    public List<Item> Items { get; private set; } = [];
    public List<string> Tags { get; private set; } = [];

    /// <summary>The running campaigns this affiliate sees, with their own coupons in each.</summary>
    public List<(Core.Campaigns.Campaign Campaign, List<Coupon> Coupons)> Campaigns { get; private set; } = [];

    [FromQuery(Name = "kind")] public CreativeKind? Kind { get; set; }
    [FromQuery(Name = "tag")] public string? Tag { get; set; }
    [FromQuery(Name = "campaign")] public Guid? CampaignFilter { get; set; }

    public string? CampaignName(Creative c) => c.CampaignId is { } id ? Campaigns.FirstOrDefault(x => x.Campaign.Id == id).Campaign?.Name : null;

    /// <summary>The published creatives this affiliate may use now: without a campaign, or of a running campaign they see.</summary>
    private async Task<IQueryable<Creative>> OfferedAsync(CancellationToken ct)
    {
        var visible = (await campaigns.RunningForAsync(Current.Affiliate.Id, ct)).Select(c => (Guid?)c.Id).ToList();
        return Db.Creatives.AsNoTracking().Where(c => c.Status == CreativeStatus.Published && (c.CampaignId == null || visible.Contains(c.CampaignId)));
    }

    public string BaseUrl => ApplyModel.PublicBaseUrl(configuration).TrimEnd('/');

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var running = await campaigns.RunningForAsync(Current.Affiliate.Id, ct);
        var runningIds = running.Select(c => (Guid?)c.Id).ToList();
        var coupons = (await Db.Coupons.AsNoTracking()
                .Where(c => c.AffiliateId == Current.Affiliate.Id && c.CampaignId != null && runningIds.Contains(c.CampaignId) && c.DeactivatedAt == null && !c.IsArchived)
                .OrderBy(c => c.Code).ToListAsync(ct))
            .ToLookup(c => c.CampaignId!.Value);
        Campaigns = running.Select(c => (c, coupons[c.Id].ToList())).ToList();
        var published = Db.Creatives.AsNoTracking().Where(c => c.Status == CreativeStatus.Published && (c.CampaignId == null || runningIds.Contains(c.CampaignId)));
        Tags = (await published.Select(c => c.Tags).ToListAsync(ct)).SelectMany(t => t).Distinct().Order(StringComparer.Ordinal).ToList();
        if (Kind is { } kind) published = published.Where(c => c.Kind == kind);
        if (!string.IsNullOrWhiteSpace(Tag)) published = published.Where(c => c.Tags.Contains(Tag.Trim().ToLowerInvariant()));
        if (CampaignFilter is { } campaign) published = published.Where(c => c.CampaignId == campaign);
        var creatives = await published.OrderByDescending(c => c.PublishedAt).ThenBy(c => c.Id).Take(200).ToListAsync(ct);
        var ids = creatives.Select(c => c.Id).ToList();
        var files = (await Db.CreativeFiles.AsNoTracking().Where(f => ids.Contains(f.CreativeId)).OrderBy(f => f.CreatedAt).ToListAsync(ct)).ToLookup(f => f.CreativeId);
        var destinations = creatives.Select(c => c.Destination).Distinct().ToList();
        var codes = (await Db.TrackingLinks.AsNoTracking()
                .Where(l => l.AffiliateId == Current.Affiliate.Id && !l.IsArchived && l.SubId == null && destinations.Contains(l.Destination))
                .OrderBy(l => l.CreatedAt).Select(l => new { l.Destination, l.Code }).ToListAsync(ct))
            .GroupBy(l => l.Destination).ToDictionary(g => g.Key, g => g.First().Code);
        Items = creatives.Select(c => new Item(c, files[c.Id].ToList(), codes.GetValueOrDefault(c.Destination))).ToList();
        var today = await reports.TodayAsync(ct);
        Results = (await reports.TopAsync(TopDimension.Creative, ReportMetric.Impressions,
            new ReportPeriod(today.AddDays(-29), today, AffiliateId: Current.Affiliate.Id), ReportService.MaxLimit, null, ct)).Rows;
        return Page();
    }

    /// <summary>Makes the affiliate's tracking link to the creative's destination (once), then shows its code.</summary>
    public async Task<IActionResult> OnPostLinkAsync(string slug, Guid creative, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var row = await (await OfferedAsync(ct)).FirstOrDefaultAsync(c => c.Id == creative, ct);
        if (row is null) return NotFound();
        var exists = await Db.TrackingLinks.AnyAsync(l => l.AffiliateId == Current.Affiliate.Id && !l.IsArchived && l.SubId == null && l.Destination == row.Destination, ct);
        if (!exists) await LinkCreation.CreateAsync(Db, links, Current.Affiliate, row.Destination, null, ct);
        return Redirect($"/portal/p/{slug}/materials#creative-{row.Id}");
    }

    /// <summary>The original file, for a creative of this program the affiliate is offered only (else 404, whatever the id).</summary>
    public async Task<IActionResult> OnGetDownloadAsync(string slug, Guid file, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var row = await (
            from f in Db.CreativeFiles.AsNoTracking()
            join c in await OfferedAsync(ct) on f.CreativeId equals c.Id
            where f.Id == file
            select f).FirstOrDefaultAsync(ct);
        if (row is null || await store.ReadAsync(row.Hash, ct) is not { } bytes) return NotFound();
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(bytes, row.ContentType, row.FileName);
    }

    public string Disclosure(Creative c) => c.Disclosure(System.Globalization.CultureInfo.CurrentUICulture.Name);

    public string ClickUrl(Item item) => $"{BaseUrl}/r/{item.LinkCode}?c={item.Creative.Id:D}";

    public string PixelUrl(Item item) => BaseUrl + CreativeUrls.Pixel(item.Creative.Id, Current.Affiliate.ReferralCode);

    /// <summary>HTML to paste: the linked image (or text) with the pixel, and the disclosure next to it.</summary>
    public string Html(Item item)
    {
        var c = item.Creative;
        var href = WebUtility.HtmlEncode(ClickUrl(item));
        var pixel = WebUtility.HtmlEncode(PixelUrl(item));
        var disclosure = $"<small>{WebUtility.HtmlEncode(Disclosure(c))}</small>";
        if (c.HasImages && item.Files.FirstOrDefault() is { } image)
        {
            return $"<a href=\"{href}\" rel=\"sponsored noopener\"><img src=\"{pixel}\" width=\"{image.Width}\" height=\"{image.Height}\" " +
                   $"alt=\"{WebUtility.HtmlEncode(c.Headline ?? c.Name)}\"></a> {disclosure}";
        }
        var anchor = $"<a href=\"{href}\" rel=\"sponsored noopener\">{WebUtility.HtmlEncode(c.Headline ?? c.Name)}</a>";
        var text = c.Kind == CreativeKind.TextLink && c.Body is { } sentence
            ? WebUtility.HtmlEncode(sentence).Replace("{link}", anchor, StringComparison.Ordinal)
            : anchor;
        return $"{text}<img src=\"{pixel}\" width=\"1\" height=\"1\" alt=\"\"> {disclosure}";
    }

    /// <summary>Markdown to paste: the same link, pixel and disclosure.</summary>
    public string Markdown(Item item)
    {
        var c = item.Creative;
        var label = (c.Headline ?? c.Name).Replace("]", "\\]", StringComparison.Ordinal);
        if (c.HasImages && item.Files.Count > 0) return $"[![{label}]({PixelUrl(item)})]({ClickUrl(item)}) *{Disclosure(c)}*";
        var link = $"[{label}]({ClickUrl(item)})";
        var text = c.Kind == CreativeKind.TextLink && c.Body is { } sentence ? sentence.Replace("{link}", link, StringComparison.Ordinal) : link;
        return $"{text} ![]({PixelUrl(item)}) *{Disclosure(c)}*";
    }

    /// <summary>An email swipe's body with the affiliate's link filled in, and the disclosure.</summary>
    public string Email(Item item) =>
        $"{(item.Creative.Body ?? "").Replace("{link}", ClickUrl(item), StringComparison.Ordinal)}\n\n{Disclosure(item.Creative)}";
}

/// <summary>The English names of the kinds, which are also their keys in the Danish resources.</summary>
public static class MaterialsModelText
{
    public static string Kind(CreativeKind kind) => kind switch
    {
        CreativeKind.TextLink => "Text link",
        CreativeKind.EmailSwipe => "Email text",
        CreativeKind.ProductImages => "Product images",
        _ => "Banner",
    };
}
