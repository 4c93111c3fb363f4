using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Features.Email;

public sealed record EmailTemplateResponse(
    EmailKind Kind, string Culture, string Subject, string Body, bool Overridden, bool Essential, IReadOnlyList<string> Placeholders);

public sealed record PutEmailTemplateRequest(string? Subject, string? Body);

/// <summary>The program's mail texts: the built-in English and Danish ones, and the program's own overrides.</summary>
public static class EmailTemplateEndpoints
{
    public static RouteGroupBuilder MapEmailTemplates(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/email-templates").WithTags("Email");
        group.MapGet("/", ListAsync).WithSummary("Every kind of mail in English and Danish, with the text in use and its placeholders.");
        group.MapGet("/{kind}/{culture}", GetAsync);
        group.MapPut("/{kind}/{culture}", PutAsync).WithSummary("Replace the text of one kind and language; {{placeholder}}s must be ones the kind offers. Values are HTML-escaped when sent.");
        group.MapDelete("/{kind}/{culture}", DeleteAsync).WithSummary("Go back to the built-in text.");
        return group;
    }

    private static async Task<Ok<List<EmailTemplateResponse>>> ListAsync(AppDbContext db, ITenantContext tenant, CancellationToken ct)
    {
        var own = await db.EmailTemplateOverrides.AsNoTracking().ToListAsync(ct);
        var all = new List<EmailTemplateResponse>();
        foreach (var kind in Enum.GetValues<EmailKind>())
        {
            foreach (var culture in EmailTemplates.Cultures)
            {
                var o = own.FirstOrDefault(t => t.Kind == kind && t.Culture == culture);
                all.Add(ToResponse(kind, culture, o is null ? EmailTemplates.Default(kind, culture) : new EmailTemplate(o.Subject, o.Body), o is not null));
            }
        }
        return TypedResults.Ok(all);
    }

    private static async Task<Ok<EmailTemplateResponse>> GetAsync(AppDbContext db, ITenantContext tenant, string kind, string culture, CancellationToken ct)
    {
        var (k, c) = Parse(kind, culture);
        var o = await db.EmailTemplateOverrides.AsNoTracking().FirstOrDefaultAsync(t => t.Kind == k && t.Culture == c, ct);
        return TypedResults.Ok(ToResponse(k, c, o is null ? EmailTemplates.Default(k, c) : new EmailTemplate(o.Subject, o.Body), o is not null));
    }

    private static async Task<Ok<EmailTemplateResponse>> PutAsync(
        AppDbContext db, ITenantContext tenant, string kind, string culture, PutEmailTemplateRequest request, CancellationToken ct)
    {
        var (k, c) = Parse(kind, culture);
        var subject = request.Subject?.Trim() ?? "";
        var body = request.Body?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (subject.Length is 0 or > 300) errors["subject"] = ["A subject of 1 to 300 characters is required."];
        if (body.Length is 0 or > 20000) errors["body"] = ["A body of 1 to 20000 characters is required."];
        var allowed = EmailTemplates.PlaceholdersOf(k);
        var unknown = EmailRenderer.UnknownPlaceholders(subject + "\n" + body, allowed);
        if (unknown.Count > 0)
            errors["body"] = [$"{string.Join(", ", unknown.Select(u => "{{" + u + "}}"))} is not a placeholder of {k}; it offers {string.Join(", ", allowed.Select(a => "{{" + a + "}}"))}."];
        if (errors.Count > 0) throw new ValidationFailedException("The template is not valid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);

        var own = await db.EmailTemplateOverrides.FirstOrDefaultAsync(t => t.Kind == k && t.Culture == c, ct);
        if (own is null)
        {
            own = new EmailTemplateOverride { WorkspaceId = tenant.WorkspaceId!.Value, Kind = k, Culture = c, Subject = subject, Body = body };
            db.EmailTemplateOverrides.Add(own);
        }
        else
        {
            own.Subject = subject;
            own.Body = body;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(k, c, new EmailTemplate(subject, body), true));
    }

    private static async Task<NoContent> DeleteAsync(AppDbContext db, string kind, string culture, CancellationToken ct)
    {
        var (k, c) = Parse(kind, culture);
        await db.EmailTemplateOverrides.Where(t => t.Kind == k && t.Culture == c).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static (EmailKind Kind, string Culture) Parse(string kind, string culture)
    {
        if (!Enum.TryParse<EmailKind>(kind, ignoreCase: true, out var k) || !Enum.IsDefined(k))
            throw ValidationFailedException.For("kind", $"'{kind}' is not a kind of mail; the kinds are {string.Join(", ", Enum.GetNames<EmailKind>())}.");
        var c = culture.ToLowerInvariant();
        if (!EmailTemplates.Cultures.Contains(c))
            throw ValidationFailedException.For("culture", $"'{culture}' is not a language of the mail; use {string.Join(" or ", EmailTemplates.Cultures)}.");
        return (k, c);
    }

    private static EmailTemplateResponse ToResponse(EmailKind kind, string culture, EmailTemplate t, bool overridden) =>
        new(kind, culture, t.Subject, t.Body, overridden, EmailTemplates.IsEssential(kind), EmailTemplates.PlaceholdersOf(kind));
}
