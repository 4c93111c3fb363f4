using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Outbox;

namespace ShopAffiliate.Core.Privacy;

/// <summary>How much of each kind the program holds on one affiliate (what the portal's privacy page lists).</summary>
/// <summary>An erasure's record, and whether the login was closed (false: it stays for the person's other programs).</summary>
public sealed record AffiliateErasure(PrivacyRequest Request, bool LoginClosed);

public sealed record AffiliateDataSummary(int Applications, int TermsAcceptances, int Links, int Coupons, int Commissions, int Payouts, int Disputes, int Emails);

/// <summary>
/// An affiliate's own data in one program, for their copy (GDPR article 15) and their erasure (article 17). Both read
/// and write one program's rows of one affiliate only; the caller has checked who asks.
/// </summary>
public sealed class AffiliatePrivacy(AppDbContext db, Mailer mailer, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>What an erased affiliate is called from then on, everywhere their name was.</summary>
    public static string Pseudonym(Guid affiliateId) => "Erased affiliate " + affiliateId.ToString("N")[..8];

    public async Task<AffiliateDataSummary> SummaryAsync(Guid workspaceId, Guid affiliateId, CancellationToken ct)
    {
        var email = await db.Affiliates.IgnoreQueryFilters().Where(a => a.WorkspaceId == workspaceId && a.Id == affiliateId).Select(a => a.Email).FirstAsync(ct);
        return new AffiliateDataSummary(
            await db.AffiliateApplications.IgnoreQueryFilters().CountAsync(a => a.WorkspaceId == workspaceId && a.AffiliateId == affiliateId, ct),
            await db.TermsAcceptances.IgnoreQueryFilters().CountAsync(t => t.WorkspaceId == workspaceId && t.AffiliateId == affiliateId, ct),
            await db.TrackingLinks.IgnoreQueryFilters().CountAsync(l => l.WorkspaceId == workspaceId && l.AffiliateId == affiliateId, ct),
            await db.Coupons.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == workspaceId && c.AffiliateId == affiliateId, ct),
            await db.Commissions.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == workspaceId && c.AffiliateId == affiliateId, ct),
            await db.PayoutItems.IgnoreQueryFilters().CountAsync(p => p.WorkspaceId == workspaceId && p.AffiliateId == affiliateId, ct),
            await db.Disputes.IgnoreQueryFilters().CountAsync(d => d.WorkspaceId == workspaceId && d.AffiliateId == affiliateId, ct),
            await db.OutboxMessages.CountAsync(m => m.WorkspaceId == workspaceId && m.Kind == OutboxKinds.Email && m.Recipient == email, ct));
    }

    /// <summary>Everything the program holds on the affiliate, as indented JSON (camelCase; money as decimal strings).</summary>
    public async Task<string> ExportJsonAsync(Guid workspaceId, Guid affiliateId, CancellationToken ct)
    {
        var a = await db.Affiliates.IgnoreQueryFilters().AsNoTracking().FirstAsync(x => x.WorkspaceId == workspaceId && x.Id == affiliateId, ct);
        var program = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => new { w.Name, w.Slug }).FirstAsync(ct);
        var applications = await db.AffiliateApplications.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId).OrderBy(x => x.CreatedAt).ToListAsync(ct);
        var terms = await db.TermsAcceptances.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId).OrderBy(x => x.AcceptedAt)
            .Select(x => new { version = x.Version, acceptedAt = x.AcceptedAt }).ToListAsync(ct);
        var links = await db.TrackingLinks.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId).OrderBy(x => x.CreatedAt)
            .Select(x => new { code = x.Code, destination = x.Destination, subId = x.SubId, archived = x.IsArchived, createdAt = x.CreatedAt }).ToListAsync(ct);
        var coupons = await db.Coupons.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId).OrderBy(x => x.CreatedAt)
            .Select(x => new { code = x.Code, discountType = x.DiscountType.ToString(), amount = x.Amount, archived = x.IsArchived, createdAt = x.CreatedAt }).ToListAsync(ct);
        var commissions = await (
                from c in db.Commissions.IgnoreQueryFilters().AsNoTracking()
                join o in db.Orders.IgnoreQueryFilters() on c.OrderId equals o.Id
                where c.WorkspaceId == workspaceId && c.AffiliateId == affiliateId
                orderby c.CreatedAt
                select new { id = c.Id, order = o.Number, orderPlacedAt = o.PlacedAt, tier = c.Tier, status = c.Status.ToString(), amount = c.Amount, currency = c.Currency,
                    explanation = c.Explanation, createdAt = c.CreatedAt, approvedAt = c.ApprovedAt, paidAt = c.PaidAt })
            .ToListAsync(ct);
        var payouts = await (
                from i in db.PayoutItems.IgnoreQueryFilters().AsNoTracking()
                join b in db.PayoutBatches.IgnoreQueryFilters() on i.PayoutBatchId equals b.Id
                where i.WorkspaceId == workspaceId && i.AffiliateId == affiliateId
                orderby b.CreatedAt
                select new { batch = b.Reference, reference = i.Reference, amount = i.Amount, currency = b.Currency, status = b.Status.ToString(), paidAt = b.PaidAt, paidTo = i.Email })
            .ToListAsync(ct);
        var disputes = await db.Disputes.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId).OrderBy(x => x.CreatedAt).ToListAsync(ct);
        var disputeIds = disputes.Select(d => d.Id).ToList();
        var entries = (await db.DisputeEntries.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.WorkspaceId == workspaceId && disputeIds.Contains(e.DisputeId)).OrderBy(e => e.At).ToListAsync(ct))
            .ToLookup(e => e.DisputeId);
        var emails = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && m.Kind == OutboxKinds.Email && m.Recipient == a.Email).OrderBy(m => m.CreatedAt)
            .Select(m => new { kind = m.Topic, createdAt = m.CreatedAt, status = m.Status.ToString(), sentAt = m.SentAt }).ToListAsync(ct);

        var export = new
        {
            exportedAt = clock.GetUtcNow().UtcDateTime,
            program = new { name = program.Name, slug = program.Slug },
            profile = new
            {
                id = a.Id, name = a.Name, email = a.Email, referralCode = a.ReferralCode, status = a.Status.ToString(), website = a.Website,
                payoutDetails = a.PayoutDetails, language = a.Language, acceptedTermsVersion = a.AcceptedTermsVersion, joinedAt = a.CreatedAt,
            },
            applications = applications.Select(x => new
            {
                submittedAt = x.CreatedAt, answers = x.ReadAnswers().Select(q => new { question = q.Label, answer = q.Value }),
                country = x.Country, signupAddressHashKept = x.IpHash is not null, decidedAt = x.DecidedAt,
            }),
            termsAcceptances = terms,
            links,
            coupons,
            commissions = commissions.Select(c => new
            {
                c.id, c.order, c.orderPlacedAt, c.tier, c.status, amount = Money(c.amount), c.currency, c.explanation, c.createdAt, c.approvedAt, c.paidAt,
            }),
            payouts = payouts.Select(p => new { p.batch, p.reference, amount = Money(p.amount), p.currency, p.status, p.paidAt, p.paidTo }),
            disputes = disputes.Select(d => new
            {
                orderNumber = d.OrderNumber, orderDate = d.OrderDate, note = d.Note, status = d.Status.ToString(), decisionReason = d.DecisionReason, createdAt = d.CreatedAt,
                messages = entries[d.Id].Select(e => new { at = e.At, from = e.Author.ToString(), name = e.ActorName, text = e.Text }),
            }),
            emails,
            notKept = "Clicks on your links are stored without the visitor's identity. We keep no copy of your identity documents or bank statements.",
        };
        return JsonSerializer.Serialize(export, Json);
    }

    private static string Money(decimal amount) => amount.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Erases the affiliate's personal data in this program and closes their access to it, in one transaction. Money
    /// records stay, as bookkeeping law requires: commissions, ledger entries and payout lines are kept, the affiliate in
    /// them pseudonymised (<see cref="Pseudonym"/>). Their name is replaced in the explanations of the program's orders
    /// and commissions; application answers, website, payout details, dispute notes and the mail sent to them are
    /// emptied; links and coupons are archived; mail still waiting to be sent to them is dropped. The one mail left
    /// is the notice of the erasure itself (article 19), to the address as it was. The login is anonymised and locked
    /// when the person is in no other program; otherwise it stays for those programs.
    /// </summary>
    public async Task<AffiliateErasure> EraseAsync(Guid workspaceId, Guid affiliateId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var a = await db.Affiliates.IgnoreQueryFilters().FirstAsync(x => x.WorkspaceId == workspaceId && x.Id == affiliateId, ct);
        if (a.ErasedAt is not null) throw new InvalidOperationException("This affiliate is already erased.");
        var (name, email, language, userId) = (a.Name, a.Email, a.Language, a.UserId);
        var pseudonym = Pseudonym(affiliateId);
        var code = "erased-" + affiliateId.ToString("N")[..8];

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        a.Name = pseudonym;
        a.Email = $"erased-{affiliateId:N}@erased.invalid";
        a.ReferralCode = code;
        a.Website = null;
        a.PayoutDetails = null;
        a.Language = null;
        a.UserId = null;
        a.Status = AffiliateStatus.Suspended;
        a.StatusReason = "Erased at the affiliate's request.";
        a.ErasedAt = now;

        await db.AffiliateApplications.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AnswersJson, "[]").SetProperty(x => x.IpHash, (string?)null).SetProperty(x => x.Country, (string?)null), ct);
        await db.TrackingLinks.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsArchived, true).SetProperty(x => x.UpdatedAt, now), ct);
        await db.Coupons.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IsArchived, true).SetProperty(x => x.UpdatedAt, now), ct);
        await db.Clicks.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReferralCode, code), ct);
        await db.PayoutItems.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, pseudonym).SetProperty(x => x.Email, a.Email), ct);
        var disputes = db.Disputes.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.AffiliateId == affiliateId);
        await db.DisputeEntries.IgnoreQueryFilters()
            .Where(e => e.WorkspaceId == workspaceId && e.Author == DisputeAuthor.Affiliate && disputes.Any(d => d.Id == e.DisputeId))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Text, "[erased]").SetProperty(e => e.ActorName, pseudonym), ct);
        await disputes.ExecuteUpdateAsync(s => s.SetProperty(d => d.Note, "[erased]"), ct);
        await db.AffiliateMessages.IgnoreQueryFilters()
            .Where(m => m.WorkspaceId == workspaceId && m.AffiliateId == affiliateId && m.Author == DisputeAuthor.Affiliate)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Text, "[erased]").SetProperty(m => m.ActorName, pseudonym), ct);
        await ReplaceNameAsync(workspaceId, affiliateId, name, pseudonym, ct);

        // Mail: what waits for them is dropped; what was sent keeps its date and kind, not its text or address.
        await db.OutboxMessages.Where(m => m.WorkspaceId == workspaceId && m.Recipient == email && m.Status == OutboxStatus.Pending).ExecuteDeleteAsync(ct);
        await db.OutboxMessages.Where(m => m.WorkspaceId == workspaceId && m.Recipient == email)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Recipient, a.Email).SetProperty(m => m.Payload, "{}"), ct);
        await db.EmailSuppressions.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && x.Email == email).ExecuteDeleteAsync(ct);

        var closed = userId is { } uid && await CloseLoginAsync(uid, affiliateId, ct);
        await mailer.EnqueueAsync(db, new MailRequest(workspaceId, EmailKind.AccountErased, email, name, $"erased:{affiliateId}", Culture: language), ct);
        var request = new PrivacyRequest
        {
            WorkspaceId = workspaceId, ShopDomain = "", Kind = PrivacyRequestKind.AffiliateErasure, CustomerReference = pseudonym,
            Outcome = $"Erased the personal data of {pseudonym} at their request; commissions, payouts and ledger kept pseudonymised"
                      + (closed ? "; the login is closed." : "; the login stays for their other programs."),
            ReceivedAt = now, CompletedAt = now,
        };
        db.PrivacyRequests.Add(request);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AffiliateErasure(request, closed);
    }

    /// <summary>
    /// The name, where the orders the affiliate was credited or paid on (and those orders' commissions) explain
    /// themselves with it. Only those orders: a short name would otherwise be replaced inside other people's words.
    /// </summary>
    private async Task ReplaceNameAsync(Guid workspaceId, Guid affiliateId, string name, string pseudonym, CancellationToken ct)
    {
        var theirs = db.Orders.IgnoreQueryFilters().Where(o => o.WorkspaceId == workspaceId
            && (o.AffiliateId == affiliateId || db.Commissions.IgnoreQueryFilters().Any(c => c.OrderId == o.Id && c.AffiliateId == affiliateId)));
        var named = db.Commissions.IgnoreQueryFilters().Where(c => c.WorkspaceId == workspaceId && theirs.Any(o => o.Id == c.OrderId) && c.Explanation.Contains(name));
        // The parts (ADR 0051) through their own model, as the state below: the English text always names whom the parts name.
        foreach (var commission in await named.Where(c => c.ExplanationJson != null).ToListAsync(ct))
            commission.ExplanationJson = Pseudonymise(commission.ExplanationJson, name, pseudonym);
        await named.ExecuteUpdateAsync(s => s.SetProperty(c => c.Explanation, c => c.Explanation.Replace(name, pseudonym)), ct);
        var orders = await theirs.Where(o => o.AttributionExplanation.Contains(name) || o.StateJson.Contains(name)).ToListAsync(ct);
        foreach (var order in orders)
        {
            order.AttributionExplanation = order.AttributionExplanation.Replace(name, pseudonym, StringComparison.Ordinal);
            order.AttributionExplanationJson = Pseudonymise(order.AttributionExplanationJson, name, pseudonym);
            // Through the state's own model, never as text: a name could also spell a JSON key.
            var state = OrderStateJson.Deserialize(order.StateJson);
            if (state.Attribution is { } at && at.Explanation.Contains(name, StringComparison.Ordinal))
            {
                var parts = at.Parts is null ? null : ExplanationJson.Replace(at.Parts, name, pseudonym);
                order.StateJson = OrderStateJson.Serialize(state with
                {
                    Attribution = at with { Explanation = at.Explanation.Replace(name, pseudonym, StringComparison.Ordinal), Parts = parts },
                });
                order.Revision++;
            }
        }
    }

    private static string? Pseudonymise(string? json, string name, string pseudonym) =>
        ExplanationJson.Deserialize(json) is { } parts ? ExplanationJson.Serialize(ExplanationJson.Replace(parts, name, pseudonym)) : json;

    /// <summary>Anonymises and locks the login when it belongs to no other program (as affiliate or staff); true when closed.</summary>
    private async Task<bool> CloseLoginAsync(Guid userId, Guid affiliateId, CancellationToken ct)
    {
        var elsewhere = await db.Affiliates.IgnoreQueryFilters().AnyAsync(x => x.UserId == userId && x.Id != affiliateId, ct)
                        || await db.StaffMembers.IgnoreQueryFilters().AnyAsync(s => s.UserId == userId, ct);
        if (elsewhere) return false;
        var user = await db.Users.FirstAsync(u => u.Id == userId, ct);
        var login = $"erased-{userId:N}@erased.invalid";
        user.Email = user.UserName = login;
        user.NormalizedEmail = user.NormalizedUserName = login.ToUpperInvariant();
        user.DisplayName = null;
        user.PasswordHash = null;
        user.PhoneNumber = null;
        user.EmailConfirmed = false;
        // A new stamp ends every session of the login at its next request; the lockout keeps it shut.
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        return true;
    }
}
