using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Core.Disputes;

/// <summary>Who acts on a dispute: an affiliate (only on their own) or staff (on any of the program's).</summary>
public sealed record DisputeActor(DisputeAuthor Side, string Name, Guid? AffiliateId = null)
{
    public static DisputeActor Staff(string name) => new(DisputeAuthor.Staff, name);

    public static DisputeActor Affiliate(Guid affiliateId, string name) => new(DisputeAuthor.Affiliate, name, affiliateId);
}

/// <summary>A stored order a dispute may be about, with the engine's explanation of whom it credits and why.</summary>
public sealed record DisputeOrderMatch(Guid OrderId, string? Number, DateTime? PlacedAt, Guid? AffiliateId, AttributionMethod Method, string Explanation)
{
    /// <summary>The explanation's parts, for the admin page's language (ADR 0051); not part of the API's answer.</summary>
    [JsonIgnore]
    public string? ExplanationJson { get; init; }
}

/// <summary>
/// Opens, discusses and settles disputes. Every query runs under the tenant filter, so a dispute, order or affiliate
/// of another program is not found; an affiliate acting is further held to their own disputes.
/// </summary>
public sealed class DisputeService(AppDbContext db, OrderProcessor orders, Mailer mail, AuditTrail audit, TimeProvider clock)
{
    public const int MaxText = 2000;
    public const int MaxOrderNumber = 64;

    public async Task<Dispute> OpenAsync(Guid affiliateId, string? orderNumber, DateOnly? orderDate, string? note, DisputeActor actor, CancellationToken ct)
    {
        var number = orderNumber?.Trim() ?? "";
        var text = note?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (number.Length is 0 or > MaxOrderNumber) errors["orderNumber"] = [$"Give the order number as the shop shows it (up to {MaxOrderNumber} characters)."];
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // A day of slack: the affiliate's local date may be a day ahead of UTC.
        if (orderDate is not { } date || date > today.AddDays(1) || date < today.AddYears(-2))
            errors["orderDate"] = ["Give the date of the order (yyyy-MM-dd), not in the future and at most two years ago."];
        if (text.Length is 0 or > MaxText) errors["note"] = [$"Say what is missing or wrong (up to {MaxText} characters)."];
        if (errors.Count > 0) throw new ValidationFailedException("The claim is incomplete.", errors);
        if (actor.Side == DisputeAuthor.Affiliate && actor.AffiliateId != affiliateId)
            throw new NotFoundException("No affiliate with that id in this program.");

        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == affiliateId, ct)
            ?? throw ValidationFailedException.For("affiliateId", "No affiliate with that id in this program.");
        var bare = Bare(number);
        if (await db.Disputes.AnyAsync(d => d.AffiliateId == affiliateId && d.Status == DisputeStatus.Open
                && (d.OrderNumber == bare || d.OrderNumber == "#" + bare), ct))
            throw new ConflictException($"{affiliate.Name} already has an open claim for order {number}: add to its thread instead.");

        var dispute = new Dispute { WorkspaceId = affiliate.WorkspaceId, AffiliateId = affiliateId, OrderNumber = number, OrderDate = orderDate!.Value, Note = text };
        db.Disputes.Add(dispute);
        AddEntry(dispute, DisputeEntryKind.Opened, actor, text);
        // Staff filing for an affiliate is a staff action; the affiliate's own claim is on its thread.
        if (actor.Side == DisputeAuthor.Staff) audit.Record(AuditActions.DisputeOpened, dispute);
        await db.SaveChangesAsync(ct);
        return dispute;
    }

    /// <summary>The dispute, if the actor may see it: staff see the program's, an affiliate only their own.</summary>
    public async Task<Dispute> GetAsync(Guid id, DisputeActor actor, CancellationToken ct)
    {
        var dispute = await db.Disputes.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (dispute is null || actor.Side == DisputeAuthor.Affiliate && dispute.AffiliateId != actor.AffiliateId)
            throw new NotFoundException("No dispute with that id in this program.");
        return dispute;
    }

    public Task<List<DisputeEntry>> ThreadAsync(Guid disputeId, CancellationToken ct) =>
        db.DisputeEntries.AsNoTracking().Where(e => e.DisputeId == disputeId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);

    public async Task<DisputeEntry> AddMessageAsync(Guid id, string? text, DisputeActor actor, CancellationToken ct)
    {
        var body = text?.Trim() ?? "";
        if (body.Length is 0 or > MaxText) throw ValidationFailedException.For("text", $"Write a message (up to {MaxText} characters).");
        var dispute = await GetAsync(id, actor, ct);
        var entry = AddEntry(dispute, DisputeEntryKind.Message, actor, body);
        dispute.UpdatedAt = Now; // the list shows the latest activity
        if (actor.Side == DisputeAuthor.Staff)
            audit.Record(AuditActions.DisputeReplied, nameof(Dispute), dispute.Id.ToString(), before: null, after: new { text = body }, workspaceId: dispute.WorkspaceId);
        await db.SaveChangesAsync(ct);
        return entry;
    }

    /// <summary>The program's orders with the dispute's number, in any of its shops ("1042" finds "#1042" too).</summary>
    public async Task<List<DisputeOrderMatch>> MatchingOrdersAsync(Dispute dispute, CancellationToken ct)
    {
        var bare = Bare(dispute.OrderNumber);
        return await db.Orders.AsNoTracking()
            .Where(o => o.HasOrder && (o.Number == bare || o.Number == "#" + bare || o.ExternalId == bare))
            .OrderBy(o => o.PlacedAt).Take(10)
            .Select(o => new DisputeOrderMatch(o.Id, o.Number, o.PlacedAt, o.AffiliateId, o.AttributionMethod, o.AttributionExplanation) { ExplanationJson = o.AttributionExplanationJson })
            .ToListAsync(ct);
    }

    /// <summary>
    /// Accepts the claim: the order (<paramref name="orderId"/>, or the one order with the dispute's number) is assigned
    /// to the affiliate by hand with <paramref name="reason"/>, through the engine; a commission of theirs on it that
    /// staff or the self-referral rule rejected is approved. The assignment commits first and is idempotent, so an accept
    /// that fails after it can simply be sent again.
    /// </summary>
    public async Task<Dispute> AcceptAsync(Guid id, Guid? orderId, string? reason, DisputeActor actor, CancellationToken ct)
    {
        var why = RequireReason(reason, "accept the claim");
        var dispute = await RequireOpenAsync(id, actor, ct);
        var order = await OrderForAsync(dispute, orderId, ct);
        await orders.AssignAsync(order, dispute.AffiliateId, why, actor.Name, ct);
        var rejected = await db.Commissions.AsNoTracking()
            .Where(c => c.OrderId == order && c.AffiliateId == dispute.AffiliateId && c.Tier == 1 && c.Status == CommissionStatus.Rejected)
            .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (rejected is { } commissionId) await orders.DecideAsync(commissionId, DecisionKind.Approve, why, ct);

        // The engine cleared the change tracker: the dispute is read again to be settled.
        dispute = await RequireOpenAsync(id, actor, ct);
        dispute.OrderId = order;
        await SettleAsync(dispute, DisputeStatus.Accepted, why, actor, ct);
        return dispute;
    }

    /// <summary>Declines the claim with a reason the affiliate is mailed; the ledger is not touched.</summary>
    public async Task<Dispute> DeclineAsync(Guid id, string? reason, DisputeActor actor, CancellationToken ct)
    {
        var why = RequireReason(reason, "decline the claim");
        var dispute = await RequireOpenAsync(id, actor, ct);
        await SettleAsync(dispute, DisputeStatus.Declined, why, actor, ct);
        return dispute;
    }

    private async Task SettleAsync(Dispute dispute, DisputeStatus status, string reason, DisputeActor actor, CancellationToken ct)
    {
        dispute.Status = status;
        dispute.DecisionReason = reason;
        dispute.DecidedBy = actor.Name;
        dispute.DecidedAt = Now;
        AddEntry(dispute, status == DisputeStatus.Accepted ? DisputeEntryKind.Accepted : DisputeEntryKind.Declined, actor, reason);
        // Stored in the same save as the decision (ADR 0033).
        audit.Record(status == DisputeStatus.Accepted ? AuditActions.DisputeAccepted : AuditActions.DisputeDeclined, dispute, reason);

        var affiliate = await db.Affiliates.AsNoTracking().FirstAsync(a => a.Id == dispute.AffiliateId, ct);
        var settings = await SettingsStore.GetAsync(db, dispute.WorkspaceId, ct);
        var culture = settings.DefaultLanguage == "da" ? "da" : "en";
        var slug = await db.Workspaces.Where(w => w.Id == dispute.WorkspaceId).Select(w => w.Slug).FirstAsync(ct);
        // Stored with the decision (one SaveChanges) and keyed by it: the affiliate hears of each decision once.
        await mail.EnqueueAsync(db, new MailRequest(dispute.WorkspaceId, EmailKind.DisputeUpdated, affiliate.Email, affiliate.Name,
            $"dispute:{dispute.Id}:{status}", new Dictionary<string, string>
            {
                ["orderNumber"] = dispute.OrderNumber,
                ["status"] = StatusWord(status, culture),
                ["note"] = reason,
                ["portalUrl"] = $"{mail.PortalUrl}/p/{slug}/disputes/{dispute.Id}",
            }, culture), ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task<Guid> OrderForAsync(Dispute dispute, Guid? orderId, CancellationToken ct)
    {
        if (orderId is { } chosen)
        {
            return await db.Orders.AnyAsync(o => o.Id == chosen && o.HasOrder, ct)
                ? chosen
                : throw ValidationFailedException.For("orderId", "No order with that id in this program.");
        }
        var matches = await MatchingOrdersAsync(dispute, ct);
        return matches.Count switch
        {
            1 => matches[0].OrderId,
            0 => throw new ConflictException(
                $"No order numbered {dispute.OrderNumber} has reached this program's shops. Ask the affiliate to check the number, or wait until the shop sends it."),
            _ => throw ValidationFailedException.For("orderId",
                $"{matches.Count} orders are numbered {dispute.OrderNumber} (one per shop); say which with orderId."),
        };
    }

    private async Task<Dispute> RequireOpenAsync(Guid id, DisputeActor actor, CancellationToken ct)
    {
        if (actor.Side != DisputeAuthor.Staff) throw new NotFoundException("No dispute with that id in this program.");
        var dispute = await GetAsync(id, actor, ct);
        return dispute.Status == DisputeStatus.Open
            ? dispute
            : throw new ConflictException($"This claim was {dispute.Status.ToString().ToLowerInvariant()} on {dispute.DecidedAt:yyyy-MM-dd} by {dispute.DecidedBy}.");
    }

    private DisputeEntry AddEntry(Dispute dispute, DisputeEntryKind kind, DisputeActor actor, string text)
    {
        var entry = new DisputeEntry
        {
            WorkspaceId = dispute.WorkspaceId, DisputeId = dispute.Id, Kind = kind, Author = actor.Side,
            ActorName = actor.Name.Length > 320 ? actor.Name[..320] : actor.Name, Text = text, At = Now,
        };
        db.DisputeEntries.Add(entry);
        return entry;
    }

    private static string RequireReason(string? reason, string action)
    {
        var why = reason?.Trim() ?? "";
        return why.Length is > 0 and <= MaxText
            ? why
            : throw ValidationFailedException.For("reason", $"Give a reason (up to {MaxText} characters) to {action}: the affiliate sees it.");
    }

    private static string Bare(string number) => number.Trim().TrimStart('#').Trim();

    private static string StatusWord(DisputeStatus status, string culture) => (status, culture) switch
    {
        (DisputeStatus.Accepted, "da") => "godkendt",
        (DisputeStatus.Declined, "da") => "afvist",
        _ => status.ToString().ToLowerInvariant(),
    };

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
