using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Security;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Shopify;

/// <summary>The app URL Shopify opens (install and embedded launches) and the OAuth callback.</summary>
public static class ShopifyAppEndpoints
{
    private const string StateCookie = "sa_shopify_state";
    private static readonly TimeSpan StateLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TimestampWindow = TimeSpan.FromSeconds(90);

    public static IEndpointRouteBuilder MapShopify(this IEndpointRouteBuilder app)
    {
        app.MapGet("/shopify", LaunchAsync).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Launch);
        app.MapGet("/shopify/callback", CallbackAsync).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Launch);
        // A signed-in staff member connects a store to an existing program (the store's own install creates one).
        app.MapGet("/shopify/connect", ConnectAsync).ExcludeFromDescription().RequireAuthorization();
        app.MapPost("/webhooks/shopify", ShopifyWebhookEndpoint.ReceiveAsync).WithTags("Webhooks").AllowAnonymous().WithBodyLimit(ShopifyWebhookEndpoint.MaxBodyBytes).RequireRateLimiting(RateLimits.Webhooks)
            .WithSummary("Every Shopify topic, the privacy topics included (topic in X-Shopify-Topic); HMAC-verified.");
        app.MapEmbeddedAdmin();
        return app;
    }

    private static async Task<IResult> LaunchAsync(
        HttpContext http, IOptions<ShopifyOptions> options, AppDbContext db, ShopSecrets secrets, ShopifyAuthClient auth,
        ShopifyInstaller installer, IDataProtectionProvider protection, IOptions<AppOptions> app, TimeProvider clock, CancellationToken ct)
    {
        var o = options.Value;
        if (VerifyLaunchQuery(http.Request, o, clock) is { } rejected) return rejected;
        var shopDomain = ShopifyShopDomain.Normalize(http.Request.Query["shop"]!);
        var shop = await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Platform == ShopPlatform.Shopify && s.Domain == shopDomain, ct);

        string? idToken = http.Request.Query["id_token"];
        if (!string.IsNullOrEmpty(idToken))
        {
            if (!ShopifySessionToken.TryValidate(idToken, o, clock.GetUtcNow(), out var claims, out _) || claims!.Shop != shopDomain)
                return Bounce(o, shopDomain);
            if (shop is null || shop.Status != ShopStatus.Active || secrets.Credentials(shop) is null)
            {
                // Embedded install: trade the session token for an offline token; no redirect needed.
                var token = await auth.TokenExchangeAsync(shopDomain, idToken, ct);
                await installer.InstallAsync(shopDomain, token, attachTo: null, ct);
            }
            // The admin itself, signed in by the same token (it is good for a minute; ADR 0032).
            return Results.Redirect("/admin" + QueryString.Create(new Dictionary<string, string?>
            {
                ["shop"] = shopDomain, ["host"] = http.Request.Query["host"], ["embedded"] = "1", ["id_token"] = idToken,
            }));
        }
        if (http.Request.Query["embedded"] == "1") return Bounce(o, shopDomain); // App Bridge reloads us with an id_token

        if (shop is { Status: ShopStatus.Active } && secrets.Credentials(shop) is not null)
            return Results.Redirect($"https://{shopDomain}/admin/apps/{Uri.EscapeDataString(o.ApiKey!)}");

        return StartOAuth(http, shopDomain, attachTo: null, auth, protection, app.Value);
    }

    private static async Task<IResult> ConnectAsync(
        HttpContext http, string? shop, Guid? workspace, IOptions<ShopifyOptions> options, AppDbContext db, TenantContext tenant,
        ShopifyAuthClient auth, IDataProtectionProvider protection, IOptions<AppOptions> app, CancellationToken ct)
    {
        if (!options.Value.Enabled) return Results.Problem(statusCode: 404, title: "Shopify is not configured.", detail: "Set Shopify:ApiKey and Shopify:ApiSecret.");
        var domain = (shop ?? "").Trim().ToLowerInvariant();
        if (domain.Length > 0 && !domain.Contains('.')) domain += ".myshopify.com";
        if (!ShopifyShopDomain.IsValid(domain))
            return Results.Problem(statusCode: 400, title: "Not a Shopify store.", detail: "Give the store's myshopify.com name, e.g. janes-shop or janes-shop.myshopify.com.");
        var membership = await ShopAffiliate.Admin.AdminSession.EnterAsync(db, tenant, http.User, workspace, ct);
        if (membership is null) return Results.Problem(statusCode: 404, title: "No such program.", detail: "You are not staff of that program.");
        if (membership.Role == ShopAffiliate.Core.Workspaces.StaffRole.Analyst)
            return Results.Problem(statusCode: 403, title: "Not allowed.", detail: "Only owners and managers connect stores.");
        return StartOAuth(http, domain, membership.WorkspaceId, auth, protection, app.Value);
    }

    /// <summary>Authorization-code grant. The nonce (and the program to attach to) ride in a signed cookie that lives 60 seconds.</summary>
    private static IResult StartOAuth(HttpContext http, string shopDomain, Guid? attachTo, ShopifyAuthClient auth, IDataProtectionProvider protection, AppOptions app)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var protector = protection.CreateProtector("ShopAffiliate.Shopify.OAuthState").ToTimeLimitedDataProtector();
        http.Response.Cookies.Append(StateCookie, protector.Protect($"{nonce}|{shopDomain}|{attachTo}", StateLifetime), new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, MaxAge = StateLifetime, Path = "/shopify",
        });
        return Results.Redirect(auth.AuthorizeUrl(shopDomain, app.PublicBaseUrl.TrimEnd('/') + "/shopify/callback", nonce));
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http, IOptions<ShopifyOptions> options, ShopifyAuthClient auth, ShopifyInstaller installer, AppDbContext db,
        IDataProtectionProvider protection, TimeProvider clock, CancellationToken ct)
    {
        var o = options.Value;
        if (VerifyLaunchQuery(http.Request, o, clock) is { } rejected) return rejected;
        var shopDomain = ShopifyShopDomain.Normalize(http.Request.Query["shop"]!);
        string? state = http.Request.Query["state"], code = http.Request.Query["code"];
        if (string.IsNullOrEmpty(code)) return Results.Problem(statusCode: 400, title: "Missing code.", detail: "Shopify did not send an authorization code.");

        string? expected = null;
        Guid? attachTo = null;
        if (http.Request.Cookies[StateCookie] is { Length: > 0 } cookie)
        {
            try
            {
                var parts = protection.CreateProtector("ShopAffiliate.Shopify.OAuthState").ToTimeLimitedDataProtector().Unprotect(cookie).Split('|');
                if (parts.Length == 3 && parts[1] == shopDomain)
                {
                    expected = parts[0];
                    attachTo = Guid.TryParse(parts[2], out var workspaceId) ? workspaceId : null;
                }
            }
            catch (CryptographicException)
            {
                // expired or forged: same as missing
            }
        }
        if (expected is null || state is null ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(state)))
        {
            return Results.Problem(statusCode: 403, title: "The installation could not be verified.",
                detail: "The sign-in state did not match or took longer than a minute. Start the installation again from the Shopify admin.");
        }
        http.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/shopify" });
        // The cookie and the signed query can be captured and sent again within the minute: the state is spent in the
        // database, so a replay is refused on every node and the code is never exchanged twice.
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await OneTimeValues.TrySpendAsync(db, "shopify-oauth-state", $"{shopDomain}|{state}", now + StateLifetime, now, ct))
            return Results.Problem(statusCode: 403, title: "This installation link was already used.",
                detail: "Each sign-in from Shopify works once. Start the installation again from the Shopify admin.");

        var token = await auth.ExchangeCodeAsync(shopDomain, code, ct);
        var shop = await installer.InstallAsync(shopDomain, token, attachTo, ct);
        if (attachTo is not null) return Results.Redirect(shop.WorkspaceId == attachTo ? "/admin?connected=" + Uri.EscapeDataString(shopDomain) : "/admin?connected=elsewhere");
        return Results.Redirect($"https://{shopDomain}/admin/apps/{Uri.EscapeDataString(o.ApiKey!)}");
    }

    /// <summary>The checks every request Shopify signs must pass; null when it passes.</summary>
    private static IResult? VerifyLaunchQuery(HttpRequest request, ShopifyOptions o, TimeProvider clock)
    {
        if (!o.Enabled) return Results.Problem(statusCode: 404, title: "Shopify is not configured.", detail: "Set Shopify:ApiKey and Shopify:ApiSecret.");
        if (!ShopifyShopDomain.IsValid(request.Query["shop"]))
            return Results.Problem(statusCode: 400, title: "Not a Shopify store.", detail: "The shop parameter must be a *.myshopify.com domain.");
        var pairs = request.Query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString()));
        if (!ShopifyHmac.VerifyQuery(pairs, o.Secrets))
            return Results.Problem(statusCode: 401, title: "Invalid signature.", detail: "The request was not signed by Shopify.");
        if (!ShopifyHmac.IsFresh(request.Query["timestamp"], clock.GetUtcNow(), TimestampWindow))
            return Results.Problem(statusCode: 401, title: "Expired request.", detail: "The signed link is older than 90 seconds; open the app again from the Shopify admin.");
        return null;
    }

    /// <summary>Loads App Bridge so the Shopify admin reloads the app with a fresh session token.</summary>
    internal static IResult Bounce(ShopifyOptions o, string? shopDomain)
    {
        var html = $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Loading ShopAffiliate…</title>
            <meta name="shopify-api-key" content="{WebUtility.HtmlEncode(o.ApiKey)}">
            <script data-api-key="{WebUtility.HtmlEncode(o.ApiKey)}" src="{WebUtility.HtmlEncode(o.AppBridgeUrl)}"></script>
            </head><body><p>Loading ShopAffiliate…</p><noscript>ShopAffiliate needs JavaScript inside the Shopify admin.</noscript></body></html>
            """;
        return new HtmlResult(html, SecurityHeaders.StandalonePagePolicy("'none'", FrameAncestors(o, shopDomain), new Uri(o.AppBridgeUrl).GetLeftPart(UriPartial.Authority)));
    }

    /// <summary>Only a shop that passed the domain check may frame us (with the Shopify admin); else no one may.</summary>
    private static string FrameAncestors(ShopifyOptions o, string? shopDomain) =>
        shopDomain is not null && ShopifyShopDomain.IsValid(shopDomain) ? string.Join(" ", FrameAncestorOrigins(o, shopDomain)) : "'none'";

    /// <summary>The shop's own admin origin and the Shopify admin's (<c>Shopify:AdminOrigins</c>).</summary>
    internal static IReadOnlyList<string> FrameAncestorOrigins(ShopifyOptions o, string shopDomain) =>
        [$"https://{ShopifyShopDomain.Normalize(shopDomain)}", .. o.FrameOrigins];
}
