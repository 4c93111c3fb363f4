using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// Starting a WooCommerce connection (ADR 0018). <c>GET /woocommerce/connect</c> only shows which store would be
/// connected to which program; the confirmed <c>POST</c> (antiforgery) probes the store and sends the merchant to its
/// key approval. A link someone else made therefore never connects a store by itself.
/// </summary>
public static class WooConnectEndpoints
{
    /// <summary>The merchant may have to sign in to WordPress before approving: the connect token lives an hour.</summary>
    private static readonly TimeSpan ConnectLifetime = TimeSpan.FromHours(1);

    private const string ConnectPurpose = "ShopAffiliate.WooCommerce.Connect.v1";

    /// <summary>Who asks to connect, from the query (GET) or the form (POST).</summary>
    private sealed record ConnectRequest(string? StoreUrl, string? Workspace, string? Code);

    /// <summary>The program the connection is for, and the connect code to spend when it is confirmed (null for a key or staff).</summary>
    private sealed record Connector(Guid WorkspaceId, string? Code);

    public static IEndpointRouteBuilder MapWooConnect(this IEndpointRouteBuilder app)
    {
        app.MapGet("/woocommerce/connect", ConfirmAsync).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Connect);
        app.MapPost("/woocommerce/connect", ConnectAsync).ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(RateLimits.Connect);
        return app;
    }

    /// <summary>
    /// The confirmation page. Who connects: a connect code from the admin (<c>code</c>, as the companion plugin sends
    /// it), a workspace API key (in <c>workspace</c> or as a Bearer header), or a signed-in owner or manager
    /// (<c>workspace</c> = the program's id or slug, optional when they have one program). Nothing is changed here.
    /// </summary>
    private static async Task<IResult> ConfirmAsync(
        HttpContext http, AppDbContext db, TenantContext tenant, IAntiforgery antiforgery, IOptions<WooCommerceOptions> options,
        IOptions<AppOptions> app, TimeProvider clock, CancellationToken ct)
    {
        var request = new ConnectRequest(http.Request.Query["store_url"], http.Request.Query["workspace"], http.Request.Query["code"]);
        var (store, connector, refused) = await CheckAsync(http, request, db, tenant, options.Value, app.Value, clock, ct);
        if (refused is not null) return refused;

        var domain = WooStoreUrl.DomainOf(store!);
        var workspaceId = connector!.WorkspaceId;
        var program = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(ct);
        var shops = await db.Shops.IgnoreQueryFilters().Where(s => s.Platform == ShopPlatform.WooCommerce && s.Domain == domain || s.WorkspaceId == workspaceId)
            .Select(s => new { s.Domain, s.Platform, s.WorkspaceId }).ToListAsync(ct);
        var elsewhere = shops.Any(s => s.Platform == ShopPlatform.WooCommerce && s.Domain == domain && s.WorkspaceId != workspaceId);
        var again = shops.Any(s => s.Platform == ShopPlatform.WooCommerce && s.Domain == domain && s.WorkspaceId == workspaceId);
        var others = shops.Where(s => s.WorkspaceId == workspaceId && !(s.Platform == ShopPlatform.WooCommerce && s.Domain == domain)).Select(s => s.Domain).ToList();

        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var warnings = new List<string>();
        if (elsewhere)
            warnings.Add($"<div class=\"error\" role=\"alert\" data-testid=\"elsewhere\">{E(domain)} is already connected to another ShopAffiliate program. It is not moved: disconnect it there first.</div>");
        if (again)
            warnings.Add($"<div class=\"hint\" data-testid=\"again\">{E(domain)} is already connected to this program. Confirming connects it again with new REST keys.</div>");
        if (others.Count > 0)
            warnings.Add($"<div class=\"error\" role=\"alert\" data-testid=\"second-store\">{E(program)} already has {(others.Count == 1 ? "a store" : others.Count + " stores")}: {E(string.Join(", ", others))}. "
                + $"Connecting {E(domain)} adds its orders to the same program.</div>");
        var form = elsewhere ? "" : $"""
            <form method="post" action="/woocommerce/connect">
            <input name="__RequestVerificationToken" type="hidden" value="{E(antiforgery.GetAndStoreTokens(http).RequestToken)}" />
            <input type="hidden" name="store_url" value="{E(request.StoreUrl)}" />
            <input type="hidden" name="workspace" value="{E(request.Workspace)}" />
            <input type="hidden" name="code" value="{E(request.Code)}" />
            <button type="submit">Connect {E(domain)}</button> <a class="button secondary" href="/admin">Cancel</a>
            </form>
            """;
        var html = $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Connect a WooCommerce store · ShopAffiliate</title><link rel="stylesheet" href="/_content/ShopAffiliate.Admin/admin.css">
            </head><body><main class="page"><h1>Connect a WooCommerce store</h1><section class="card">
            <p data-testid="confirm">Connect <b>{E(domain)}</b> ({E(store!.ToString())}) to the program <b>{E(program)}</b>?</p>
            {string.Join("\n", warnings)}
            <p class="muted">The store's WooCommerce then asks you to approve read/write REST access for ShopAffiliate. The program receives the store's orders, and the store gets a secret to sign you in to this admin.</p>
            {form}
            </section></main></body></html>
            """;
        // A confirmation that can be framed can be clicked through by someone else's page.
        http.Response.Headers.XFrameOptions = "DENY";
        return new HtmlResult(html, SecurityHeaders.StandalonePagePolicy("'self'"));
    }

    /// <summary>The confirmed connection: probes the store and redirects to its key approval with our time-limited token.</summary>
    private static async Task<IResult> ConnectAsync(
        HttpContext http, AppDbContext db, TenantContext tenant, IAntiforgery antiforgery, WooCommerceClient client,
        IOptions<WooCommerceOptions> options, IOptions<AppOptions> app, IDataProtectionProvider protection, TimeProvider clock, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return Results.Problem(statusCode: 415, title: "Not a form.", detail: "Confirm the connection on the page /woocommerce/connect shows.");
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem(statusCode: 400, title: "The confirmation could not be verified.",
                detail: "The form was not sent from this site's confirmation page, or it expired. Open the Connect link again and confirm there.");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var request = new ConnectRequest(form["store_url"], form["workspace"], form["code"]);
        var (store, connector, refused) = await CheckAsync(http, request, db, tenant, options.Value, app.Value, clock, ct);
        if (refused is not null) return refused;

        var domain = WooStoreUrl.DomainOf(store!);
        if (await db.Shops.IgnoreQueryFilters().AnyAsync(s => s.Platform == ShopPlatform.WooCommerce && s.Domain == domain && s.WorkspaceId != connector!.WorkspaceId, ct))
            return Results.Problem(statusCode: 409, title: "Connected to another program.", detail: new StoreOwnedElsewhereException(domain).Message + " Disconnect it there first.");

        WooStoreProbe probe;
        try
        {
            probe = await client.ProbeAsync(store!, ct);
        }
        catch (Exception e) when (e is WooApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return Results.Problem(statusCode: 502, title: "The store could not be reached.", detail: e.Message);
        }
        if (!probe.HasWooCommerce)
            return Results.Problem(statusCode: 400, title: "WooCommerce was not found.",
                detail: $"{store} runs WordPress, but its REST API offers no WooCommerce (wc/v3). Activate WooCommerce and try again.");
        // Spent last, so a store that could not be reached leaves the code usable for another try.
        if (connector!.Code is { } code && !await ConnectCode.TrySpendAsync(db, code, clock.GetUtcNow().UtcDateTime, ct))
            return CodeRefused();

        var token = protection.CreateProtector(ConnectPurpose).ToTimeLimitedDataProtector()
            .Protect($"{connector.WorkspaceId}|{store}|{(probe.PlainPermalinks ? 1 : 0)}", ConnectLifetime);
        var baseUrl = app.Value.PublicBaseUrl.TrimEnd('/');
        return Results.Redirect(WooAuthorizeUrl.Build(store!, probe.PlainPermalinks, options.Value.AppName, token,
            baseUrl + "/woocommerce/return", baseUrl + "/woocommerce/keys"));
    }

    /// <summary>What the confirmation page and its POST both check: the store address, who connects, and https.</summary>
    private static async Task<(Uri? Store, Connector? Connector, IResult? Refused)> CheckAsync(
        HttpContext http, ConnectRequest request, AppDbContext db, TenantContext tenant, WooCommerceOptions options, AppOptions app,
        TimeProvider clock, CancellationToken ct)
    {
        if (!WooStoreUrl.TryNormalize(request.StoreUrl, options.AllowHttpStores, out var store, out var urlError))
            return (null, null, Results.Problem(statusCode: 400, title: "Not a store address.", detail: urlError));

        var (connector, refused) = await WhoConnectsAsync(http, request, db, tenant, options, clock, ct);
        if (refused is not null) return (null, null, refused);

        var baseUrl = app.PublicBaseUrl.TrimEnd('/');
        if (!baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return (null, null, Results.Problem(statusCode: 409, title: "This server is not reachable over https.",
                detail: $"WooCommerce sends the REST keys only to an https address, and App:PublicBaseUrl is {baseUrl}. Serve ShopAffiliate over https and set App:PublicBaseUrl."));
        return (store, connector, null);
    }

    private static async Task<(Connector? Connector, IResult? Refused)> WhoConnectsAsync(
        HttpContext http, ConnectRequest request, AppDbContext db, TenantContext tenant, WooCommerceOptions options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var code = ConnectCode.LooksLikeCode(request.Code) ? request.Code : ConnectCode.LooksLikeCode(request.Workspace) ? request.Workspace : null;
        if (code is not null)
        {
            return await ConnectCode.FindLiveAsync(db, code, now, ct) is { } codeWorkspace
                ? (new Connector(codeWorkspace, code), null)
                : (null, CodeRefused());
        }

        string? header = http.Request.Headers.Authorization;
        var key = request.Workspace is { } w && w.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) ? w
            : header is not null && header.StartsWith("Bearer " + ApiKey.Prefix, StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : null;
        if (key is not null && !options.AllowWorkspaceKeyConnect)
        {
            // Refused before the key is looked up: this says nothing about whether it is a real key.
            return (null, Results.Problem(statusCode: 403, title: "Connecting with an API key is turned off.",
                detail: "This server accepts connect codes only (WooCommerce:AllowWorkspaceKeyConnect is false). Create a connect code on the " +
                    "ShopAffiliate admin's start page, paste it into the plugin's settings and press Connect again."));
        }
        if (key is not null)
        {
            return await ApiKey.FindLiveAsync(db, key, now, ct) is { } found
                ? (new Connector(found.WorkspaceId, null), null)
                : (null, Results.Problem(statusCode: 401, title: "Unknown or revoked API key.",
                    detail: "Create a connect code on the ShopAffiliate admin's start page and paste it into the plugin's settings."));
        }

        var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!signedIn.Succeeded)
        {
            // Back to the confirmation page (a GET) after signing in, also when this was the POST.
            var back = $"/woocommerce/connect?store_url={Uri.EscapeDataString(request.StoreUrl ?? "")}&workspace={Uri.EscapeDataString(request.Workspace ?? "")}";
            return (null, Results.Redirect("/admin/login?ReturnUrl=" + Uri.EscapeDataString(back)));
        }

        Guid? wanted = Guid.TryParse(request.Workspace, out var guid) ? guid : null;
        if (wanted is null && !string.IsNullOrWhiteSpace(request.Workspace))
        {
            var slug = request.Workspace.Trim().ToLowerInvariant();
            wanted = await db.Workspaces.Where(x => x.Slug == slug).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct) ?? Guid.Empty;
        }
        var membership = await ShopAffiliate.Admin.AdminSession.EnterAsync(db, tenant, signedIn.Principal!, wanted, ct);
        if (membership is null)
            return (null, Results.Problem(statusCode: 404, title: "No such program.", detail: "You are not staff of that program."));
        if (membership.Role == StaffRole.Analyst)
            return (null, Results.Problem(statusCode: 403, title: "Not allowed.", detail: "Only owners and managers connect stores."));
        return (new Connector(membership.WorkspaceId, null), null);
    }

    private static IResult CodeRefused() => Results.Problem(statusCode: 401, title: "Unknown, expired or used connect code.",
        detail: "A connect code works once, for 15 minutes. Create a new one on the ShopAffiliate admin's start page and paste it into the plugin's settings.");

    /// <summary>The program, store and permalink style our <c>user_id</c> token carries; null when forged, expired or from other keys.</summary>
    internal static (Guid WorkspaceId, Uri Store, bool Plain)? ReadConnectToken(IDataProtectionProvider protection, string token)
    {
        try
        {
            var parts = protection.CreateProtector(ConnectPurpose).ToTimeLimitedDataProtector().Unprotect(token).Split('|');
            return parts.Length == 3 && Guid.TryParse(parts[0], out var workspaceId) && Uri.TryCreate(parts[1], UriKind.Absolute, out var store)
                ? (workspaceId, store, parts[2] == "1")
                : null;
        }
        catch (CryptographicException)
        {
            return null; // expired, forged, or from another server's keys
        }
    }
}
