using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Affiliates;

public enum ApplyOutcome
{
    /// <summary>Stored as Pending for the applications queue.</summary>
    Received,

    /// <summary>Stored and approved by the program's rule; the approval email went out.</summary>
    AutoApproved,

    /// <summary>The email already applied to this program: nothing stored, the page answers as for a new one.</summary>
    AlreadyApplied,
}

/// <summary>Where the client came from, as far as the host knows it, and the language they applied in.</summary>
/// <summary><paramref name="RecruiterCode"/>: the referral code of the recruit link the applicant came by (an approved
/// affiliate of the program becomes their recruiter, the second tier; any other code is ignored).</summary>
public sealed record ApplicantOrigin(string? Ip, string? Country, string? Language = null, string? RecruiterCode = null);

/// <summary>
/// Applications end to end: screening on apply, the auto-approve rule, the staff decision and the emails that tell
/// the applicant. The public form and the admin queue both call this; <paramref name="portalBaseUrl"/> is where the
/// emails' links point. Every mail goes through the outbox (<see cref="Mailer"/>), stored in the same SaveChanges as
/// the change it reports, in the affiliate's language (else the program's).
/// </summary>
public sealed class Applications(AppDbContext db, UserManager<AppUser> users, Mailer mail, Audit.AuditTrail audit, TimeProvider clock)
{
    public async Task<ApplyOutcome> ApplyAsync(
        Workspace workspace, ProgramPage page, CheckedApplication form, ApplicantOrigin origin, string portalBaseUrl, CancellationToken ct)
    {
        if (!form.IsValid) throw new ValidationFailedException("The application is not complete.", form.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        var affiliates = db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == workspace.Id);
        if (await affiliates.AnyAsync(a => a.Email == form.Email, ct)) return ApplyOutcome.AlreadyApplied;

        string? ipHash;
        using (var hasher = new IpHasher(workspace.IpHashSalt)) ipHash = hasher.Hash(origin.Ip);
        var mailbox = Screening.Mailbox(form.Email);
        var domainPart = "@" + Screening.DomainOf(form.Email);
        // +tag variants share the domain; the mailbox comparison is done here on those few candidates.
        var sameDomain = await affiliates.Where(a => a.Email.EndsWith(domainPart)).Select(a => a.Email).ToListAsync(ct);
        var facts = new ScreeningFacts(
            form.Email,
            form.Website,
            SameMailboxExists: sameDomain.Any(e => Screening.Mailbox(e) == mailbox),
            SameIpHashExists: ipHash is not null && await db.AffiliateApplications.IgnoreQueryFilters()
                .AnyAsync(a => a.WorkspaceId == workspace.Id && a.IpHash == ipHash, ct),
            IsExistingCustomer: await db.Orders.IgnoreQueryFilters().AnyAsync(o => o.WorkspaceId == workspace.Id && o.CustomerEmail == form.Email, ct));
        var signals = Screening.Signals(facts);
        var approve = Screening.AutoApproves(page.AutoApprove, page.AutoApproveDomains, form.Email, signals);

        var now = clock.GetUtcNow().UtcDateTime;
        var recruiter = origin.RecruiterCode?.Trim() is { Length: > 0 and <= 100 } by
            ? await affiliates.Where(a => a.ReferralCode == by && a.Status == AffiliateStatus.Approved).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct)
            : null;
        var affiliate = new Affiliate
        {
            WorkspaceId = workspace.Id,
            Name = form.Name,
            Email = form.Email,
            Website = form.Website,
            ReferralCode = await ReferralCodes.FreeAsync(affiliates, WorkspaceProvisioner.Slugify(form.Name.Split(' ')[0]), ct),
            Status = AffiliateStatus.Pending,
            Language = origin.Language,
            ParentAffiliateId = recruiter,
        };
        var application = new AffiliateApplication
        {
            WorkspaceId = workspace.Id,
            AffiliateId = affiliate.Id,
            IpHash = ipHash,
            Country = origin.Country,
            Signals = signals,
            CreatedAt = now,
        };
        application.WriteAnswers(form.Answers);
        db.Affiliates.Add(affiliate);
        db.AffiliateApplications.Add(application);
        // Auto-approved applicants hear of the decision instead (DecideAsync, after this save).
        if (!approve) await MailAsync(affiliate, EmailKind.ApplicationReceived, "received", [], ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return ApplyOutcome.AlreadyApplied; // the same email twice at once: the unique index kept one
        }

        if (approve)
        {
            await DecideAsync(affiliate, application, approve: true, reason: null, decidedBy: null, portalBaseUrl, ct);
            return ApplyOutcome.AutoApproved;
        }
        return ApplyOutcome.Received;
    }

    /// <summary>
    /// Approves (linking or creating the person's one account) or rejects with a reason the applicant reads.
    /// The caller has entered the workspace; <paramref name="decidedBy"/> is null for the auto-approve rule.
    /// </summary>
    public async Task DecideAsync(
        Affiliate affiliate, AffiliateApplication? application, bool approve, string? reason, Guid? decidedBy,
        string portalBaseUrl, CancellationToken ct)
    {
        var to = approve ? AffiliateStatus.Approved : AffiliateStatus.Rejected;
        if (!Affiliate.CanBecome(affiliate.Status, to))
            throw new ConflictException($"{affiliate.Name} is {affiliate.Status}; that cannot become {to}.");
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (!approve && reason is null)
            throw ValidationFailedException.For("Reason", "Give the applicant a reason: they read it in the email.");
        if (reason is { Length: > 2000 }) throw ValidationFailedException.For("Reason", "Keep the reason under 2000 characters.");

        // Created first: Identity saves a new account on its own, before the decision below is stored with its mail.
        var user = approve ? await AccountForAsync(affiliate, ct) : null;
        var from = affiliate.Status;
        var decidedAt = clock.GetUtcNow().UtcDateTime;
        affiliate.Status = to;
        affiliate.StatusReason = reason;
        if (application is not null)
        {
            application.DecidedAt = decidedAt;
            application.DecidedByUserId = decidedBy;
            application.AutoApproved = approve && decidedBy is null;
        }

        // The decision, its audit entry and its mail are stored in one SaveChanges; the key lets a reconsidered applicant hear again.
        audit.Record(Audit.AuditActions.ForStatus(from, to), affiliate, reason);
        var eventKey = $"{from}->{to}:{decidedAt.Ticks}";
        if (!approve)
        {
            await MailAsync(affiliate, EmailKind.ApplicationRejected, eventKey, new() { ["reason"] = reason! }, ct);
            await db.SaveChangesAsync(ct);
            return;
        }
        var portal = portalBaseUrl.TrimEnd('/') + "/portal";
        string link;
        if (user!.EmailConfirmed && user.PasswordHash is not null)
        {
            link = portal + "/login";
        }
        else
        {
            // Identity's confirmation token: the welcome page confirms the address and sets the first password.
            var token = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
            link = $"{portal}/welcome?user={user.Id}&code={token}";
        }
        await MailAsync(affiliate, EmailKind.ApplicationApproved, eventKey, new() { ["portalUrl"] = link }, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Suspends an approved affiliate (their links keep working for shoppers but earn nothing) or reinstates a suspended
    /// one. A suspension needs the reason, which is recorded; the affiliate sees it on their portal.
    /// </summary>
    public async Task SetSuspendedAsync(Affiliate affiliate, bool suspend, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(affiliate);
        var to = suspend ? AffiliateStatus.Suspended : AffiliateStatus.Approved;
        if (!Affiliate.CanBecome(affiliate.Status, to) || (!suspend && affiliate.Status != AffiliateStatus.Suspended))
            throw new ConflictException($"{affiliate.Name} is {affiliate.Status}; that cannot become {to}.");
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (suspend && reason is null) throw ValidationFailedException.For("Reason", "Give a reason for the suspension.");
        if (reason is { Length: > 2000 }) throw ValidationFailedException.For("Reason", "Keep the reason under 2000 characters.");
        var from = affiliate.Status;
        affiliate.Status = to;
        affiliate.StatusReason = reason;
        audit.Record(Audit.AuditActions.ForStatus(from, to), affiliate, reason);
        await db.SaveChangesAsync(ct);
    }

    private Task<bool> MailAsync(Affiliate affiliate, EmailKind kind, string eventKey, Dictionary<string, string> values, CancellationToken ct) =>
        mail.EnqueueAsync(db, new MailRequest(affiliate.WorkspaceId, kind, affiliate.Email, affiliate.Name, $"{affiliate.Id}:{eventKey}", values, affiliate.Language), ct);

    /// <summary>
    /// The person's one account (by email), created without a password when they have none yet; one account serves
    /// every program the person is an affiliate of.
    /// </summary>
    private async Task<AppUser> AccountForAsync(Affiliate affiliate, CancellationToken ct)
    {
        var user = affiliate.UserId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        user ??= await users.FindByEmailAsync(affiliate.Email);
        if (user is null)
        {
            user = new AppUser { UserName = affiliate.Email, Email = affiliate.Email, DisplayName = affiliate.Name };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded) throw new ConflictException("The account could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        affiliate.UserId = user.Id;
        ct.ThrowIfCancellationRequested();
        return user;
    }
}

public static class ReferralCodes
{
    /// <summary>The stem, or the stem with the first free number, among <paramref name="affiliates"/> (one program's).</summary>
    public static async Task<string> FreeAsync(IQueryable<Affiliate> affiliates, string stem, CancellationToken ct)
    {
        stem = stem.Length < 2 ? "aff" : stem[..Math.Min(stem.Length, 48)];
        var code = stem;
        for (var n = 2; await affiliates.AnyAsync(a => a.ReferralCode == code, ct); n++) code = $"{stem}{n}";
        return code;
    }
}
