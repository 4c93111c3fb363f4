using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using QRCoder;
using ShopAffiliate.Admin.Pages.Program;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>The link builder: a tracking link to any page of the program's shops, with a sub-ID, and its QR code.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class LinksModel(AppDbContext db, TenantContext tenant, LinkCache cache, IConfiguration configuration) : PortalPageModel(db, tenant)
{
    public List<TrackingLink> Links { get; private set; } = [];

    [BindProperty] public string? Destination { get; set; }
    [BindProperty] public string? SubId { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        try
        {
            await LinkCreation.CreateAsync(Db, cache, Current.Affiliate, Destination, SubId, ct);
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            ModelState.AddModelError(e is ValidationFailedException v && v.Errors.ContainsKey("subId") ? nameof(SubId) : nameof(Destination), e.Message);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(ct);
            return Page();
        }
        return RedirectToPage(new { slug });
    }

    /// <summary>The link's QR code as PNG or SVG; only for the affiliate's own links in this program (else 404).</summary>
    public async Task<IActionResult> OnGetQrAsync(string slug, Guid link, string format, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        if (format is not ("png" or "svg")) return NotFound();
        var row = await Db.TrackingLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Id == link && l.AffiliateId == Current.Affiliate.Id, ct);
        if (row is null) return NotFound();
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(UrlOf(row), QRCodeGenerator.ECCLevel.M);
        var name = $"link-{row.Code}.{format}";
        return format == "png"
            ? File(new PngByteQRCode(data).GetGraphic(12), "image/png", name)
            : File(System.Text.Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(12)), "image/svg+xml", name);
    }

    public string UrlOf(TrackingLink link) => $"{ApplyModel.PublicBaseUrl(configuration).TrimEnd('/')}/r/{link.Code}";

    private async Task LoadAsync(CancellationToken ct) =>
        Links = await Db.TrackingLinks.AsNoTracking().Where(l => l.AffiliateId == Current.Affiliate.Id && !l.IsArchived)
            .OrderByDescending(l => l.CreatedAt).ToListAsync(ct);
}
