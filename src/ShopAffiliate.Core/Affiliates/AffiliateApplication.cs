using System.Text.Json;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>An automatic screening observation the applications queue shows beside the answers.</summary>
public enum ScreeningSignal
{
    /// <summary>Another affiliate or applicant of the program has the same mailbox (ignoring +tags and case).</summary>
    DuplicateEmail,

    /// <summary>Another application to the program came from the same address (by its hash).</summary>
    DuplicateIp,

    /// <summary>The email is on a throwaway-mailbox domain.</summary>
    DisposableEmail,

    /// <summary>The email's domain is the website's: the applicant likely runs the site.</summary>
    EmailMatchesWebsite,

    /// <summary>A website is given and the email is on another domain (common and fine for free-mail users).</summary>
    EmailDiffersFromWebsite,

    /// <summary>The email placed an order in one of the program's shops.</summary>
    ExistingCustomer,
}

/// <summary>One affiliate's application: what they answered and what screening saw, kept after the decision.</summary>
public sealed class AffiliateApplication : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }

    /// <summary>Question key to answer, as JSON; the questions' labels at the time are kept with them.</summary>
    public string AnswersJson { get; set; } = "[]";

    /// <summary>The signup address as the workspace's IP hash (never the address itself).</summary>
    public string? IpHash { get; set; }

    /// <summary>ISO 3166 code from a trusted proxy header, null when unknown.</summary>
    public string? Country { get; set; }

    public List<ScreeningSignal> Signals { get; set; } = [];

    /// <summary>Approved by the program's auto-approve rule rather than by a person.</summary>
    public bool AutoApproved { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }

    public IReadOnlyList<ApplicationAnswer> ReadAnswers() =>
        JsonSerializer.Deserialize<List<ApplicationAnswer>>(AnswersJson, ProgramPage.Json) ?? [];

    public void WriteAnswers(IEnumerable<ApplicationAnswer> answers) => AnswersJson = JsonSerializer.Serialize(answers.ToList(), ProgramPage.Json);
}

public sealed record ApplicationAnswer(string Key, string Label, string Value);

/// <summary>Who accepted which version of the program terms, and when; a new version asks again.</summary>
public sealed class TermsAcceptance : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid AffiliateId { get; init; }
    public Guid UserId { get; init; }
    public int Version { get; init; }
    public DateTime AcceptedAt { get; init; }
}
