using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Auth;

public static class AuthConstants
{
    public const string ApiKeyScheme = "ApiKey";
    public const string WorkspaceClaim = "sa:workspace";
    public const string ApiPolicy = "Api";
    public const string ApiBearerScheme = "ApiBearer";

    /// <summary>Three base64url parts starting with a JSON header ("ey"): a JWT, not one of our API keys.</summary>
    public static bool LooksLikeJwt(string? authorization) =>
        authorization is { Length: > 10 } h && h.StartsWith("Bearer ey", StringComparison.OrdinalIgnoreCase) && h.Count(c => c == '.') == 2;
}

/// <summary>
/// <c>Authorization: Bearer sa_…</c>: the key's SHA-256 is looked up (the secret itself is never compared or
/// stored), and the request acts for the key's workspace.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AppDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0) return AuthenticateResult.NoResult();

        if (await ApiKey.FindLiveAsync(db, token, clock.GetUtcNow().UtcDateTime, Context.RequestAborted) is not { } key)
            return AuthenticateResult.Fail("Unknown or revoked API key.");

        var identity = new ClaimsIdentity(
            [new Claim(AuthConstants.WorkspaceClaim, key.WorkspaceId.ToString()), new Claim("sa:apikey", key.Id.ToString()),
             new Claim(ShopAffiliate.Core.Audit.AuditActor.ApiKeyNameClaim, key.Name)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required.",
                Detail = "Send a workspace API key as 'Authorization: Bearer sa_…'. Keys are created in the admin panel under API keys.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = 403, Title = "Forbidden.", Detail = "This key may not do that." },
        });
    }
}

/// <summary>Sets the request's <see cref="TenantContext"/> from the authenticated workspace claim.</summary>
internal sealed class TenantMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http, TenantContext tenant)
    {
        if (Guid.TryParse(http.User.FindFirstValue(AuthConstants.WorkspaceClaim), out var workspaceId))
        {
            tenant.WorkspaceId = workspaceId;
        }
        return next(http);
    }
}

/// <summary>Who made an API call, as logs and audit trails name them: the API key's id, or the signed-in user.</summary>
public static class Actor
{
    public static string Of(ClaimsPrincipal user) =>
        user.FindFirstValue("sa:apikey") is { } key ? $"API key {key}"
        : user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
}
