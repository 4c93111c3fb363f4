using System.Globalization;
using System.Net.Mail;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Core.Affiliates;

/// <summary>What an applicant typed into <c>/p/{slug}/apply</c>.</summary>
public sealed record ApplicationInput(string? Name, string? Email, string? Website, IReadOnlyDictionary<string, string?> Answers);

/// <summary>A checked application: the values to store, or the message per field (keys: Name, Email, Website, a question's key).</summary>
public sealed record CheckedApplication(string Name, string Email, string? Website, IReadOnlyList<ApplicationAnswer> Answers, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Checks an application against the program's questions. Pure: no database, no HTTP.</summary>
public static class ApplicationForm
{
    public const int MaxAnswerLength = 2000;

    /// <param name="text">Turns a message template (English, with <c>{0}</c> placeholders) into the reader's language;
    /// the API's default writes the English.</param>
    public static CheckedApplication Check(ApplicationInput input, IReadOnlyList<ApplicationQuestion> questions, Func<string, object[], string>? text = null)
    {
        text ??= (template, args) => string.Format(CultureInfo.InvariantCulture, template, args);
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200) errors["Name"] = text("Enter your name (up to 200 characters).", []);
        var email = input.Email?.Trim().ToLowerInvariant() ?? "";
        if (!IsEmail(email)) errors["Email"] = text("Enter an email address we can write to.", []);
        string? website = null;
        if (!string.IsNullOrWhiteSpace(input.Website))
        {
            if (SafeUrl.TryParse(input.Website.Trim(), out var site, out var problem)) website = site.AbsoluteUri;
            else errors["Website"] = text("The website must be an http(s) address a person can open. {0}", [problem ?? ""]);
        }

        var answers = new List<ApplicationAnswer>();
        foreach (var q in questions)
        {
            var value = input.Answers.TryGetValue(q.Key, out var raw) ? raw?.Trim() ?? "" : "";
            if (value.Length == 0)
            {
                if (q.Required) errors[q.Key] = text("Answer \"{0}\".", [q.Label]);
                continue;
            }
            if (value.Length > MaxAnswerLength)
            {
                errors[q.Key] = text("Keep the answer under {0} characters.", [MaxAnswerLength]);
                continue;
            }
            switch (q.Kind)
            {
                case QuestionKind.Number when !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _)
                                              && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.CurrentCulture, out _):
                    errors[q.Key] = text("Enter a number.", []);
                    continue;
                case QuestionKind.Url when !SafeUrl.TryParse(value, out _, out _):
                    errors[q.Key] = text("Enter an http(s) address a person can open.", []);
                    continue;
                case QuestionKind.Choice when q.Options is null || !q.Options.Contains(value):
                    errors[q.Key] = text("Pick one of the choices.", []);
                    continue;
            }
            answers.Add(new ApplicationAnswer(q.Key, q.Label, value));
        }
        return new CheckedApplication(name, email, website, answers, errors);
    }

    public static bool IsEmail(string email) =>
        email.Length <= 254 && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('.');
}
