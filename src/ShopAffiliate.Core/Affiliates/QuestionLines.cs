using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>
/// One problem with the edited questions: the line it is on (null for the whole list) and the message, an English
/// template the page translates (<c>{0}</c> is <see cref="QuestionLines.MaxQuestions"/>). The keywords it names (text,
/// choice, required, ...) are the editor's syntax and stay as they are in every language.
/// </summary>
public sealed record QuestionLineProblem(int? Line, string Message)
{
    public const string LinePrefix = "Line {0}: {1}";

    public override string ToString() =>
        Line is { } n ? string.Format(System.Globalization.CultureInfo.InvariantCulture, LinePrefix, n, Message) : string.Format(System.Globalization.CultureInfo.InvariantCulture, Message, QuestionLines.MaxQuestions);
}

/// <summary>
/// The questions as the admin edits them without any script: one per line,
/// <c>kind | required or optional | label | choice 1; choice 2</c> (choices only for <c>choice</c>).
/// </summary>
public static class QuestionLines
{
    public const int MaxQuestions = 20;

    public static IReadOnlyList<ApplicationQuestion> Read(string text, out List<QuestionLineProblem> problems)
    {
        problems = [];
        var questions = new List<ApplicationQuestion>();
        var lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var n = 0; n < lines.Length; n++)
        {
            var parts = lines[n].Split('|', StringSplitOptions.TrimEntries);
            var where = n + 1;
            if (parts.Length < 3) { problems.Add(new(where, "write kind | required or optional | label.")); continue; }
            if (!Enum.TryParse<QuestionKind>(parts[0], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            { problems.Add(new(where, "the kind is text, choice, url or number.")); continue; }
            if (parts[1].ToLowerInvariant() is not ("required" or "optional"))
            { problems.Add(new(where, "say required or optional.")); continue; }
            var label = parts[2];
            if (label.Length is 0 or > 300) { problems.Add(new(where, "the label is 1 to 300 characters.")); continue; }
            List<string>? options = null;
            if (kind == QuestionKind.Choice)
            {
                options = parts.Length > 3 ? parts[3].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList() : [];
                if (options.Count < 2) { problems.Add(new(where, "a choice needs at least two choices, separated by ';'.")); continue; }
            }
            var stem = WorkspaceProvisioner.Slugify(label);
            var key = stem.Length == 0 ? "q" : stem[..Math.Min(stem.Length, 40)];
            for (var i = 2; questions.Any(q => q.Key == key); i++) key = $"{stem[..Math.Min(stem.Length, 40)]}-{i}";
            questions.Add(new ApplicationQuestion(key, label, kind, parts[1].Equals("required", StringComparison.OrdinalIgnoreCase), options));
        }
        if (questions.Count > MaxQuestions) problems.Add(new(null, "At most {0} questions."));
        return questions;
    }

    public static string Write(IEnumerable<ApplicationQuestion> questions) =>
        string.Join("\n", questions.Select(q =>
            $"{q.Kind.ToString().ToLowerInvariant()} | {(q.Required ? "required" : "optional")} | {q.Label}"
            + (q.Options is { Count: > 0 } o ? " | " + string.Join("; ", o) : "")));
}
