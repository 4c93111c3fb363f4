using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Urls;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Features.Affiliates;

public sealed record AffiliateResponse(
    Guid Id, string Name, string Email, string ReferralCode, AffiliateStatus Status, string? StatusReason,
    string? Website, Guid? ParentAffiliateId, Guid? GroupId, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record CreateAffiliateRequest(string? Name, string? Email, string? ReferralCode, string? Website, Guid? ParentAffiliateId, Guid? GroupId = null);

/// <summary>Fields left out keep their value.</summary>
public sealed record UpdateAffiliateRequest(string? Name, string? Website, string? ReferralCode, Guid? GroupId, Guid? ParentAffiliateId);

public static partial class AffiliateEndpoints
{
    public static RouteGroupBuilder MapAffiliates(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/affiliates").WithTags("Affiliates");
        group.MapGet("/", List).WithSummary("List affiliates (search by name, email or code; filter by status; paged).");
        group.MapGet("/{id:guid}", Get).WithName("GetAffiliate");
        group.MapPost("/", Create).WithSummary("Create an affiliate (Pending unless the program auto-approves).");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change name, website, referral code, group or recruiter; fields left out keep their value.");
        group.MapPost("/{id:guid}/approve", (AppDbContext db, Mailer mail, AuditTrail audit, Guid id, ReasonRequest? body, CancellationToken ct) =>
            DecideAsync(db, mail, audit, id, AffiliateStatus.Approved, body?.Reason?.Trim(), ct)).WithSummary("Approve an application (reason optional); the applicant is mailed.");
        group.MapPost("/{id:guid}/reject", (AppDbContext db, Mailer mail, AuditTrail audit, Guid id, ReasonRequest body, CancellationToken ct) =>
            DecideAsync(db, mail, audit, id, AffiliateStatus.Rejected, body.Require("reject"), ct)).WithSummary("Reject an application, with the reason the applicant sees in the mail.");
        group.MapPost("/{id:guid}/suspend", (AppDbContext db, Mailer mail, AuditTrail audit, Guid id, ReasonRequest body, CancellationToken ct) =>
            DecideAsync(db, mail, audit, id, AffiliateStatus.Suspended, body.Require("suspend"), ct)).WithSummary("Suspend an approved affiliate: their links keep working for shoppers but earn nothing.");
        return group;
    }

    private static async Task<Ok<PagedList<AffiliateResponse>>> List(
        AppDbContext db, string? search, AffiliateStatus? status, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Paging.Normalize(page, pageSize);
        var query = db.Affiliates.AsNoTracking();
        if (status is { } s) query = query.Where(a => a.Status == s);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(a => a.Name.ToLower().Contains(term) || a.Email.Contains(term) || a.ReferralCode.Contains(term));
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id)
            .Skip((p - 1) * size).Take(size)
            .Select(a => ToResponse(a)).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<AffiliateResponse>(items, p, size, total));
    }

    private static async Task<Results<Ok<AffiliateResponse>, NotFound>> Get(AppDbContext db, Guid id, CancellationToken ct)
    {
        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return affiliate is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(affiliate));
    }

    private static async Task<Created<AffiliateResponse>> Create(
        AppDbContext db, ITenantContext tenant, AuditTrail audit, CreateAffiliateRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200) errors["name"] = ["A name of 1 to 200 characters is required."];
        var email = request.Email?.Trim().ToLowerInvariant() ?? "";
        if (!ApplicationForm.IsEmail(email)) errors["email"] = [$"'{request.Email}' is not an email address."];
        var code = request.ReferralCode?.Trim().ToLowerInvariant();
        if (code is not null && !ReferralCodePattern().IsMatch(code))
            errors["referralCode"] = ["A referral code is 2 to 64 letters, digits, '-' or '_'."];
        string? website = null;
        if (!string.IsNullOrWhiteSpace(request.Website))
        {
            if (SafeUrl.TryParse(request.Website, out var site, out var problem)) website = site.AbsoluteUri;
            else errors["website"] = [WebsiteProblem(problem)];
        }
        if (errors.Count > 0) throw new ValidationFailedException("The affiliate is not valid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);

        if (await db.Affiliates.AnyAsync(a => a.Email == email, ct))
            throw new ConflictException($"An affiliate with the email {email} already exists in this program.");
        if (request.ParentAffiliateId is { } parent && !await db.Affiliates.AnyAsync(a => a.Id == parent, ct))
            throw ValidationFailedException.For("parentAffiliateId", "The parent affiliate does not exist in this program.");
        if (request.GroupId is { } groupId && !await db.CommissionGroups.AnyAsync(g => g.Id == groupId, ct))
            throw ValidationFailedException.For("groupId", "No commission group with that id in this program.");

        code ??= await ReferralCodes.FreeAsync(db.Affiliates, WorkspaceProvisioner.Slugify(name.Split(' ')[0]), ct);
        if (await db.Affiliates.AnyAsync(a => a.ReferralCode == code, ct))
            throw new ConflictException($"The referral code '{code}' is taken in this program.");

        var affiliate = new Affiliate
        {
            WorkspaceId = tenant.WorkspaceId!.Value,
            Name = name,
            Email = email,
            ReferralCode = code,
            Website = website,
            ParentAffiliateId = request.ParentAffiliateId,
            GroupId = request.GroupId,
            Status = (await SettingsStore.GetAsync(db, tenant.WorkspaceId!.Value, ct)).AutoApproveAffiliates ? AffiliateStatus.Approved : AffiliateStatus.Pending,
        };
        db.Affiliates.Add(affiliate);
        audit.Record(AuditActions.AffiliateCreated, affiliate);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/affiliates/{affiliate.Id}", ToResponse(affiliate));
    }

    private static async Task<Results<Ok<AffiliateResponse>, NotFound>> Update(
        AppDbContext db, LinkCache links, AuditTrail audit, Guid id, UpdateAffiliateRequest request, CancellationToken ct)
    {
        var affiliate = await db.Affiliates.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (affiliate is null) return TypedResults.NotFound();
        if (request.Name is { } name)
        {
            name = name.Trim();
            if (name.Length is 0 or > 200) throw ValidationFailedException.For("name", "A name of 1 to 200 characters is required.");
            affiliate.Name = name;
        }
        if (request.Website is { } site)
        {
            if (string.IsNullOrWhiteSpace(site)) affiliate.Website = null;
            else if (SafeUrl.TryParse(site, out var uri, out var problem)) affiliate.Website = uri.AbsoluteUri;
            else throw ValidationFailedException.For("website", WebsiteProblem(problem));
        }
        if (request.GroupId is { } groupId)
        {
            if (!await db.CommissionGroups.AnyAsync(g => g.Id == groupId, ct)) throw ValidationFailedException.For("groupId", "No commission group with that id.");
            affiliate.GroupId = groupId;
        }
        if (request.ParentAffiliateId is { } parent)
        {
            if (parent == id || !await db.Affiliates.AnyAsync(a => a.Id == parent, ct))
                throw ValidationFailedException.For("parentAffiliateId", "The recruiter must be another affiliate of this program.");
            affiliate.ParentAffiliateId = parent;
        }
        var codeChanged = false;
        if (request.ReferralCode is { } rawCode)
        {
            var code = rawCode.Trim().ToLowerInvariant();
            if (!ReferralCodePattern().IsMatch(code)) throw ValidationFailedException.For("referralCode", "A referral code is 2 to 64 letters, digits, '-' or '_'.");
            if (code != affiliate.ReferralCode && await db.Affiliates.AnyAsync(a => a.ReferralCode == code, ct))
                throw new ConflictException($"The referral code '{code}' is taken in this program.");
            codeChanged = code != affiliate.ReferralCode;
            affiliate.ReferralCode = code;
        }
        audit.Record(request.GroupId is not null && request is { Name: null, Website: null, ReferralCode: null, ParentAffiliateId: null }
            ? AuditActions.AffiliateGroupChanged : AuditActions.AffiliateUpdated, affiliate);
        await db.SaveChangesAsync(ct);
        if (codeChanged)
        {
            // The redirect adds ?ref= from memory: refresh this affiliate's links there.
            foreach (var link in await db.TrackingLinks.AsNoTracking().Where(l => l.AffiliateId == id).ToListAsync(ct)) links.Upsert(link, affiliate.ReferralCode);
        }
        return TypedResults.Ok(ToResponse(affiliate));
    }

    private static async Task<Results<Ok<AffiliateResponse>, NotFound>> DecideAsync(
        AppDbContext db, Mailer mail, AuditTrail audit, Guid id, AffiliateStatus to, string? reason, CancellationToken ct)
    {
        var affiliate = await db.Affiliates.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (affiliate is null) return TypedResults.NotFound();
        if (!Affiliate.CanBecome(affiliate.Status, to))
            throw new ConflictException($"{affiliate.Name} is {affiliate.Status}; that cannot become {to}.");
        var from = affiliate.Status;
        affiliate.Status = to;
        affiliate.StatusReason = reason;
        audit.Record(AuditActions.ForStatus(from, to), affiliate, reason);
        if (from is AffiliateStatus.Pending or AffiliateStatus.Rejected && to is AffiliateStatus.Approved or AffiliateStatus.Rejected)
        {
            // Stored with the decision (one SaveChanges): the applicant hears of every decision, and only of real ones.
            await mail.EnqueueAsync(db, new MailRequest(affiliate.WorkspaceId,
                to == AffiliateStatus.Approved ? EmailKind.ApplicationApproved : EmailKind.ApplicationRejected,
                affiliate.Email, affiliate.Name, $"{affiliate.Id}:{from}->{to}:{affiliate.UpdatedAt.Ticks}",
                new Dictionary<string, string> { ["reason"] = reason ?? "", ["portalUrl"] = mail.PortalUrl }), ct);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(affiliate));
    }

    /// <summary>Staff open the website to review the affiliate, so only an address that is safe to click is stored.</summary>
    private static string WebsiteProblem(string problem) => "The website must be an http(s) address a person can open. " + problem;

    internal static AffiliateResponse ToResponse(Affiliate a) => new(
        a.Id, a.Name, a.Email, a.ReferralCode, a.Status, a.StatusReason, a.Website, a.ParentAffiliateId, a.GroupId, a.CreatedAt, a.UpdatedAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,63}$")]
    private static partial Regex ReferralCodePattern();
}
