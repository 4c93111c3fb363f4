using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Auth;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary>
/// <c>Authorization: Bearer &lt;Shopify session token&gt;</c> from the embedded admin's fetch calls: valid for the
/// workspace of the shop it names. An invalid token gets 401 with <c>X-Shopify-Retry-Invalid-Session-Request: 1</c>,
/// so App Bridge fetches a fresh token and retries.
/// </summary>
internal sealed class ShopifySessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ShopifyOptions> shopify, AppDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ShopifySession";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!shopify.Value.Enabled) return AuthenticateResult.NoResult();
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (!ShopifySessionToken.TryValidate(token, shopify.Value, clock.GetUtcNow(), out var claims, out var error))
            return AuthenticateResult.Fail("Invalid Shopify session token: " + error);

        var shop = await db.Shops.IgnoreQueryFilters()
            .Where(s => s.Platform == ShopPlatform.Shopify && s.Domain == claims!.Shop && s.Status == ShopStatus.Active)
            .Select(s => new { s.Id, s.WorkspaceId }).FirstOrDefaultAsync(Context.RequestAborted);
        if (shop is null) return AuthenticateResult.Fail("The shop in the session token is not installed.");

        var identity = new ClaimsIdentity(
        [
            new Claim(AuthConstants.WorkspaceClaim, shop.WorkspaceId.ToString()),
            new Claim("sa:shop", shop.Id.ToString()),
            new Claim("sa:shopify-user", claims!.UserId ?? ""),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers["X-Shopify-Retry-Invalid-Session-Request"] = "1";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = 401, Title = "Session expired.", Detail = "The Shopify session token is missing, expired or not for this app; App Bridge will retry with a fresh one.",
            },
        });
    }
}
