using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Auth;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary>
/// The admin pages inside the Shopify admin's iframe, where third-party cookies are blocked (ADR 0032). A request to
/// <c>/admin</c> that carries a Shopify session token (<c>?id_token=</c> on a page load, <c>Authorization: Bearer</c> on
/// ui.js's form posts) or says <c>embedded=1</c> is authenticated by the token alone, never by a cookie; every other
/// request keeps the staff cookie. The token makes the caller a store admin of the shop's program.
/// </summary>
public static class ShopifyEmbeddedAdmin
{
    /// <summary>The default scheme: chooses the session token or the staff cookie per request.</summary>
    public const string StaffScheme = "Staff";

    /// <summary>Where a page load without a (fresh) token goes: App Bridge there reloads it with one.</summary>
    public const string SessionTokenPath = "/shopify/session-token";

    public static bool IsEmbeddedRequest(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/admin")
        && (AuthConstants.LooksLikeJwt(http.Request.Headers.Authorization) || http.Request.Query.ContainsKey("id_token") || http.Request.Query["embedded"] == "1");

    public static AuthenticationBuilder AddStaffSchemes(this AuthenticationBuilder auth) => auth
        .AddScheme<AuthenticationSchemeOptions, ShopifyEmbeddedAuthenticationHandler>(ShopifyEmbeddedAuthenticationHandler.SchemeName, null)
        .AddPolicyScheme(StaffScheme, "Staff cookie, or a Shopify session token inside the Shopify admin", o => o.ForwardDefaultSelector = http =>
            IsEmbeddedRequest(http) ? ShopifyEmbeddedAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);

    /// <summary>
    /// A form posted with the session token in its Authorization header needs no antiforgery token: a page of another
    /// site can make the browser send cookies, never that header, so the token is itself the proof of origin.
    /// </summary>
    public static IServiceCollection AddEmbeddedAdmin(this IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IAntiforgery));
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(IAntiforgery), sp => new SessionTokenAntiforgery(
            original.ImplementationFactory?.Invoke(sp) as IAntiforgery ?? (IAntiforgery)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), original.Lifetime));
        return services;
    }

    public static IEndpointRouteBuilder MapEmbeddedAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet(SessionTokenPath, SessionTokenPage).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Launch);
        return app;
    }

    /// <summary>
    /// The bounce page (Shopify's name): loads App Bridge, which reloads <c>shopify-reload</c> with a fresh
    /// <c>id_token</c> inside the admin, and sends a top-level visitor to the Shopify admin. Only our own admin paths
    /// are reloaded, so it redirects nowhere else.
    /// </summary>
    private static IResult SessionTokenPage(HttpContext http, IOptions<ShopifyOptions> options)
    {
        var o = options.Value;
        if (!o.Enabled) return Results.Problem(statusCode: 404, title: "Shopify is not configured.", detail: "Set Shopify:ApiKey and Shopify:ApiSecret.");
        string? shop = http.Request.Query["shop"], reload = http.Request.Query["shopify-reload"];
        if (!ShopifyShopDomain.IsValid(shop))
            return Results.Problem(statusCode: 400, title: "Not a Shopify store.", detail: "The shop parameter must be a *.myshopify.com domain.");
        if (reload is null || !reload.StartsWith("/admin", StringComparison.Ordinal))
            return Results.Problem(statusCode: 400, title: "Nothing to reload.", detail: "shopify-reload must be a page of this app's admin.");
        return ShopifyAppEndpoints.Bounce(o, ShopifyShopDomain.Normalize(shop!));
    }

    private sealed class SessionTokenAntiforgery(IAntiforgery inner) : IAntiforgery
    {
        private static bool SentWithSessionToken(HttpContext http) =>
            http.User.Identity is { IsAuthenticated: true, AuthenticationType: ShopifyEmbeddedAuthenticationHandler.SchemeName }
            && AuthConstants.LooksLikeJwt(http.Request.Headers.Authorization);

        public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext) => inner.GetAndStoreTokens(httpContext);
        public AntiforgeryTokenSet GetTokens(HttpContext httpContext) => inner.GetTokens(httpContext);
        public void SetCookieTokenAndHeader(HttpContext httpContext) => inner.SetCookieTokenAndHeader(httpContext);

        public Task<bool> IsRequestValidAsync(HttpContext httpContext) =>
            SentWithSessionToken(httpContext) ? Task.FromResult(true) : inner.IsRequestValidAsync(httpContext);

        public Task ValidateRequestAsync(HttpContext httpContext) =>
            SentWithSessionToken(httpContext) ? Task.CompletedTask : inner.ValidateRequestAsync(httpContext);
    }
}

/// <summary>
/// A Shopify session token (verified as for the API: HS256 with the app's secret, audience, issuer and destination
/// agree, a minute's lifetime) for an installed, active shop: a store admin of that shop's program. On success the page
/// may be framed by that shop's admin and load App Bridge; nothing else about the response is widened.
/// </summary>
internal sealed class ShopifyEmbeddedAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ShopifyOptions> shopify, AppDbContext db, UiContext ui, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = ShopAffiliate.Admin.Ui.FrameTempDataProvider.EmbeddedAuthenticationType;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var o = shopify.Value;
        if (!o.Enabled) return AuthenticateResult.NoResult();
        string? header = Request.Headers.Authorization;
        var token = AuthConstants.LooksLikeJwt(header) ? header!["Bearer ".Length..].Trim() : Request.Query["id_token"].ToString();
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        if (!ShopifySessionToken.TryValidate(token, o, clock.GetUtcNow(), out var claims, out var error))
            return AuthenticateResult.Fail("Invalid Shopify session token: " + error);
        var shop = await db.Shops.IgnoreQueryFilters()
            .Where(s => s.Platform == ShopPlatform.Shopify && s.Domain == claims!.Shop && s.Status == ShopStatus.Active)
            .Select(s => new { s.Id, s.WorkspaceId }).FirstOrDefaultAsync(Context.RequestAborted);
        if (shop is null) return AuthenticateResult.Fail("The shop in the session token is not installed.");

        var security = PageSecurity.Of(Context);
        security.FrameAncestors = ShopifyAppEndpoints.FrameAncestorOrigins(o, claims!.Shop);
        security.ScriptOrigins = [new Uri(o.AppBridgeUrl).GetLeftPart(UriPartial.Authority)];
        ui.Embedded = new EmbeddedFrame(claims.Shop, Request.Query["host"], o.ApiKey!, o.AppBridgeUrl,
            ShopAffiliate.Admin.Localization.UiCultures.Normalize(Request.Query["lang"]));
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, $"Shopify user {claims.UserId} of {claims.Shop}"),
            new Claim(AdminSession.EmbeddedWorkspaceClaim, shop.WorkspaceId.ToString()),
            new Claim("sa:shop", shop.Id.ToString()),
            new Claim("sa:shopify-user", claims.UserId ?? ""),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A form post (fetch) gets Shopify's retry answer; a page load goes to the bounce page for a fresh token.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        string? shop = Request.Query["shop"];
        if (Request.Headers.Authorization.Count > 0 || !ShopifyShopDomain.IsValid(shop))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers["X-Shopify-Retry-Invalid-Session-Request"] = "1";
            await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 401, Title = "Open ShopAffiliate from the Shopify admin.",
                    Detail = "This page is shown inside the Shopify admin and needs its session token, which was missing, expired or not for this app.",
                },
            });
            return;
        }
        var reload = Request.Path + QueryString.Create(Request.Query.Where(q => q.Key != "id_token").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
        var bounce = QueryString.Create([KeyValuePair.Create("shop", (string?)ShopifyShopDomain.Normalize(shop!)), KeyValuePair.Create("host", (string?)Request.Query["host"].ToString()),
            KeyValuePair.Create("embedded", (string?)"1"), KeyValuePair.Create("shopify-reload", (string?)reload.ToString())]);
        Response.Redirect(ShopifyEmbeddedAdmin.SessionTokenPath + bounce);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
