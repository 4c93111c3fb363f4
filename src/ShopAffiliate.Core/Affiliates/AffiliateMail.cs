namespace ShopAffiliate.Core.Affiliates;

/// <summary>A transactional email to an applicant or affiliate, already written in their language.</summary>
public sealed record AffiliateEmail(string To, string Subject, string Body);

/// <summary>
/// Where the affiliate side's emails go. The host's implementation writes them as <c>.eml</c> files; the durable
/// outbox (issue 15, comms) replaces it behind this one seam.
/// </summary>
public interface IAffiliateMail
{
    Task SendAsync(AffiliateEmail email, CancellationToken ct);
}
