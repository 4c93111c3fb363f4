using System.Net;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Email;

/// <summary>
/// <c>/u/{token}</c>: the unsubscribe link of non-essential mail. GET shows a page with a button (mail scanners follow
/// links; nothing changes on a GET); POST unsubscribes, from that button or as the RFC 8058 one-click request a mail
/// client sends with <c>List-Unsubscribe=One-Click</c>. No antiforgery token: the mail client has none, and the
/// unguessable token in the path already proves the request comes from the mail (a forged POST cannot name it).
/// </summary>
public static class UnsubscribeEndpoints
{
    // One stylesheet, allowed by its hash (no 'unsafe-inline'), as the statement page does.
    private const string Style = "<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}</style>";
    private static readonly string Csp = SecurityHeaders.StandalonePagePolicy(
        $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Style[7..^8])))}'") + "; form-action 'self'";

    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/u").WithTags("Email").AllowAnonymous().RequireRateLimiting(RateLimits.Unsubscribe);
        group.MapGet("/{token}", Confirm).ExcludeFromDescription();
        group.MapPost("/{token}", UnsubscribeAsync).WithSummary("Unsubscribe an address from a program's non-essential mail (RFC 8058 one-click).");
        return app;
    }

    private static IResult Confirm(UnsubscribeTokens tokens, string token)
    {
        var (_, email) = Read(tokens, token);
        var action = "/u/" + WebUtility.UrlEncode(token);
        return new HtmlResult($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Unsubscribe</title>{Style}</head><body>
            <h1>Unsubscribe</h1><p>Stop news, statements and commission notices to <strong>{WebUtility.HtmlEncode(email)}</strong>?
            Mail about your account and payouts still arrives.</p>
            <form method="post" action="{WebUtility.HtmlEncode(action)}"><button type="submit">Unsubscribe</button></form>
            <p lang="da">Afmeld nyheder, opgørelser og beskeder om provision. E-mails om din konto og dine udbetalinger sendes stadig.</p>
            </body></html>
            """, Csp);
    }

    private static async Task<IResult> UnsubscribeAsync(AppDbContext db, UnsubscribeTokens tokens, TimeProvider clock, string token, CancellationToken ct)
    {
        var (workspaceId, email) = Read(tokens, token);
        var exists = await db.EmailSuppressions.IgnoreQueryFilters().AnyAsync(s => s.WorkspaceId == workspaceId && s.Email == email, ct);
        // A second click (or the mail client's POST after the button) is the same wish: the unique index makes it one row.
        if (!exists) await DbErrors.TryInsertAsync(db, new EmailSuppression { WorkspaceId = workspaceId, Email = email, At = clock.GetUtcNow().UtcDateTime }, ct);
        return new HtmlResult($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed</title>{Style}</head>
            <body><h1>Unsubscribed</h1>
            <p>{WebUtility.HtmlEncode(email)} gets no more news, statements or commission notices from this program.</p>
            <p lang="da">Du er afmeldt.</p></body></html>
            """, Csp);
    }

    private static (Guid WorkspaceId, string Email) Read(UnsubscribeTokens tokens, string token) =>
        tokens.TryRead(token, out var workspaceId, out var email)
            ? (workspaceId, email)
            : throw ValidationFailedException.For("token", "This unsubscribe link is not valid (it may have been cut off when copied).");
}
