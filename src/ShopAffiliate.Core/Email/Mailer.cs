using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Outbox;

namespace ShopAffiliate.Core.Email;

/// <summary>
/// One email to enqueue. <paramref name="EventKey"/> names the event it reports (an affiliate's decision, a payout
/// line): the same kind and key enqueued again is a no-op. <paramref name="Culture"/> is the reader's own choice, "en" or
/// "da"; without one the program's <c>DefaultLanguage</c> is used, else English.
/// </summary>
public sealed record MailRequest(
    Guid WorkspaceId, EmailKind Kind, string To, string? ToName, string EventKey,
    IReadOnlyDictionary<string, string>? Values = null, string? Culture = null);

/// <summary>Where links in mail point: the app's public address (<c>App:PublicBaseUrl</c>).</summary>
public sealed class MailLinkOptions
{
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
}

/// <summary>
/// Renders a mail from the program's template (its override, else the built-in text) and adds it to the caller's
/// unit of work through the outbox: call before your SaveChanges, so the mail is stored with the change it reports.
/// </summary>
public sealed class Mailer(IOutbox outbox, UnsubscribeTokens tokens, IOptions<MailLinkOptions> links)
{
    /// <summary>The affiliate portal's address, for mails that send the affiliate there.</summary>
    public string PortalUrl => $"{links.Value.PublicBaseUrl.TrimEnd('/')}/portal";

    /// <summary>The merchant admin's address, for mails that send staff there.</summary>
    public string AdminUrl => $"{links.Value.PublicBaseUrl.TrimEnd('/')}/admin";

    /// <summary>False when nothing was added: the event was mailed already, or the address unsubscribed from this kind.</summary>
    public async Task<bool> EnqueueAsync(AppDbContext db, MailRequest request, CancellationToken ct)
    {
        var to = request.To.Trim().ToLowerInvariant();
        var essential = EmailTemplates.IsEssential(request.Kind);
        if (!essential && await db.EmailSuppressions.IgnoreQueryFilters()
                .AnyAsync(s => s.WorkspaceId == request.WorkspaceId && s.Email == to, ct)) return false;
        if (!essential && !await Communication.NotificationPreferenceService.WantsAsync(db, request.WorkspaceId, to, request.Kind, ct)) return false;

        var culture = await CultureAsync(db, request.WorkspaceId, request.Culture, ct);
        var template = await TemplateAsync(db, request.WorkspaceId, request.Kind, culture, ct);
        var programName = await db.Workspaces.Where(w => w.Id == request.WorkspaceId).Select(w => w.Name).FirstAsync(ct);
        var values = new Dictionary<string, string>(request.Values ?? new Dictionary<string, string>())
        {
            ["programName"] = programName,
        };
        values.TryAdd("affiliateName", request.ToName ?? to);
        var unsubscribe = essential ? null : $"{links.Value.PublicBaseUrl.TrimEnd('/')}/u/{tokens.Create(request.WorkspaceId, to)}";
        var rendered = EmailRenderer.Render(template, values, unsubscribe, culture);
        var payload = JsonSerializer.Serialize(new EmailPayload(to, request.ToName, rendered.Subject, rendered.Text, rendered.Html, unsubscribe), EmailJson.Options);
        return await outbox.EnqueueAsync(db, new OutboxItem(
            OutboxKinds.Email, $"email:{request.Kind}:{request.EventKey}", request.Kind.ToString(), to, payload, request.WorkspaceId), ct);
    }

    /// <summary>The reader's chosen language when it is one we write in, else the program's default, else English.</summary>
    public static async Task<string> CultureAsync(AppDbContext db, Guid workspaceId, string? chosen, CancellationToken ct)
    {
        if (Supported(chosen) is { } own) return own;
        var program = await db.WorkspaceSettings.IgnoreQueryFilters().Where(s => s.WorkspaceId == workspaceId)
            .Select(s => s.DefaultLanguage).FirstOrDefaultAsync(ct);
        return Supported(program) ?? "en";
    }

    private static string? Supported(string? culture) =>
        culture?.Trim().Split('-', '_')[0].ToLowerInvariant() is { } c && EmailTemplates.Cultures.Contains(c) ? c : null;

    /// <summary>The program's override for the kind and language, else the built-in text.</summary>
    public static async Task<EmailTemplate> TemplateAsync(AppDbContext db, Guid workspaceId, EmailKind kind, string culture, CancellationToken ct)
    {
        var own = await db.EmailTemplateOverrides.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.WorkspaceId == workspaceId && t.Kind == kind && t.Culture == culture)
            .Select(t => new EmailTemplate(t.Subject, t.Body)).FirstOrDefaultAsync(ct);
        return own ?? EmailTemplates.Default(kind, culture);
    }
}
