using System.Text.Json;
using System.Text.Json.Serialization;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>Which applications are approved without review (see <see cref="Applications"/>).</summary>
public enum AutoApproveRule
{
    Never,

    /// <summary>The applicant's email is on one of <see cref="ProgramPage.AutoApproveDomains"/>.</summary>
    EmailDomain,

    /// <summary>The applicant's email placed an order in one of the program's shops.</summary>
    ExistingCustomer,

    All,
}

public enum QuestionKind
{
    Text,
    Choice,
    Url,
    Number,
}

/// <summary>One of the merchant's own questions on the application form.</summary>
public sealed record ApplicationQuestion(string Key, string Label, QuestionKind Kind, bool Required, IReadOnlyList<string>? Options = null);

/// <summary>The public program page (<c>/p/{slug}</c>) and its application form: one row per workspace.</summary>
public sealed class ProgramPage : ITenantOwned, IAuditable
{
    public Guid WorkspaceId { get; init; }

    /// <summary>The merchant's pitch, plain text (paragraphs split on blank lines).</summary>
    public string Pitch { get; set; } = "";

    /// <summary>The program terms an affiliate accepts, plain text; each change is a new <see cref="TermsVersion"/>.</summary>
    public string Terms { get; set; } = "";

    public int TermsVersion { get; set; } = 1;

    /// <summary>The questions as JSON (<see cref="ReadQuestions"/>): a short list always read whole.</summary>
    public string QuestionsJson { get; set; } = "[]";

    /// <summary>Whether the page and its form are open to applicants.</summary>
    public bool AcceptingApplications { get; set; } = true;

    public AutoApproveRule AutoApprove { get; set; } = AutoApproveRule.Never;

    /// <summary>Lowercase email domains for <see cref="AutoApproveRule.EmailDomain"/>.</summary>
    public List<string> AutoApproveDomains { get; set; } = [];

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IReadOnlyList<ApplicationQuestion> ReadQuestions() =>
        JsonSerializer.Deserialize<List<ApplicationQuestion>>(QuestionsJson, Json) ?? [];

    public void WriteQuestions(IEnumerable<ApplicationQuestion> questions) => QuestionsJson = JsonSerializer.Serialize(questions.ToList(), Json);

    /// <summary>Replaces the terms; a real change is a new version every affiliate accepts again.</summary>
    public void ChangeTerms(string terms)
    {
        terms = terms.Trim();
        if (terms == Terms) return;
        Terms = terms;
        TermsVersion++;
    }
}
