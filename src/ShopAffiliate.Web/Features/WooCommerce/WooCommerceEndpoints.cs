using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.Shopify;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <summary>
/// Connecting a WooCommerce store (<c>/woocommerce/connect</c> -> the store's key approval -> <c>/woocommerce/keys</c>),
/// its webhooks, and the companion plugin's signed admin launch.
/// </summary>
public static class WooCommerceEndpoints
{
    /// <summary>WooCommerce's POST to our callback holds a few hundred bytes.</summary>
    private const int MaxKeysBody = 16 * 1024;

    private const int MaxWebhookBody = 4 * 1024 * 1024;

    /// <summary>The merchant may have to sign in to WordPress before approving: the connect token lives an hour.</summary>
    private static readonly TimeSpan ConnectLifetime = TimeSpan.FromHours(1);

    private const string ConnectPurpose = "ShopAffiliate.WooCommerce.Connect.v1";

    public static IEndpointRouteBuilder MapWooCommerce(this IEndpointRouteBuilder app)
    {
        app.MapGet("/woocommerce/connect", ConnectAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/woocommerce/keys", KeysAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/woocommerce/return", Return).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/woocommerce/launch", LaunchAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/webhooks/woocommerce/{shopId}", ReceiveWebhookAsync).WithTags("Webhooks").AllowAnonymous()
            .WithSummary("WooCommerce order webhooks of one connected store (base64 HMAC-SHA256 of the raw body), and its unsigned ping.");
        return app;
    }

    /// <summary>
    /// Starts WooCommerce's key approval. Who connects: a workspace API key (in <c>workspace</c>, as the companion
    /// plugin's Connect button sends it, or as a Bearer header), or a signed-in owner or manager (<c>workspace</c> =
    /// the program's id or slug, optional when they have one program).
    /// </summary>
    private static async Task<IResult> ConnectAsync(
        HttpContext http, [FromQuery(Name = "store_url")] string? storeUrl, string? workspace, AppDbContext db, TenantContext tenant,
        WooCommerceClient client, IOptions<WooCommerceOptions> options, IOptions<AppOptions> app, IDataProtectionProvider protection,
        TimeProvider clock, CancellationToken ct)
    {
        if (!WooStoreUrl.TryNormalize(storeUrl, options.Value.AllowHttpStores, out var store, out var urlError))
            return Results.Problem(statusCode: 400, title: "Not a store address.", detail: urlError);

        var (workspaceId, refused) = await WhoConnectsAsync(http, workspace, db, tenant, clock, ct);
        if (refused is not null) return refused;

        var baseUrl = app.Value.PublicBaseUrl.TrimEnd('/');
        if (!baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Results.Problem(statusCode: 409, title: "This server is not reachable over https.",
                detail: $"WooCommerce sends the REST keys only to an https address, and App:PublicBaseUrl is {baseUrl}. Serve ShopAffiliate over https and set App:PublicBaseUrl.");

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

        var token = protection.CreateProtector(ConnectPurpose).ToTimeLimitedDataProtector()
            .Protect($"{workspaceId}|{store}|{(probe.PlainPermalinks ? 1 : 0)}", ConnectLifetime);
        return Results.Redirect(WooAuthorizeUrl.Build(store!, probe.PlainPermalinks, options.Value.AppName, token,
            baseUrl + "/woocommerce/return", baseUrl + "/woocommerce/keys"));
    }

    private static async Task<(Guid WorkspaceId, IResult? Refused)> WhoConnectsAsync(
        HttpContext http, string? workspace, AppDbContext db, TenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        string? header = http.Request.Headers.Authorization;
        var key = workspace is { } w && w.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) ? w
            : header is not null && header.StartsWith("Bearer " + ApiKey.Prefix, StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : null;
        if (key is not null)
        {
            return await ApiKey.FindLiveAsync(db, key, clock.GetUtcNow().UtcDateTime, ct) is { } found
                ? (found.WorkspaceId, null)
                : (Guid.Empty, Results.Problem(statusCode: 401, title: "Unknown or revoked API key.",
                    detail: "Create a key in the ShopAffiliate admin under API keys and paste it into the plugin's settings."));
        }

        var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!signedIn.Succeeded)
            return (Guid.Empty, Results.Redirect("/admin/login?ReturnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)));

        Guid? wanted = Guid.TryParse(workspace, out var guid) ? guid : null;
        if (wanted is null && !string.IsNullOrWhiteSpace(workspace))
        {
            var slug = workspace.Trim().ToLowerInvariant();
            wanted = await db.Workspaces.Where(x => x.Slug == slug).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct) ?? Guid.Empty;
        }
        var membership = await ShopAffiliate.Admin.AdminSession.EnterAsync(db, tenant, signedIn.Principal!, wanted, ct);
        if (membership is null)
            return (Guid.Empty, Results.Problem(statusCode: 404, title: "No such program.", detail: "You are not staff of that program."));
        if (membership.Role == StaffRole.Analyst)
            return (Guid.Empty, Results.Problem(statusCode: 403, title: "Not allowed.", detail: "Only owners and managers connect stores."));
        return (membership.WorkspaceId, null);
    }

    /// <summary>
    /// WooCommerce posts the new keys here. Anything but exactly 200 makes WooCommerce delete the key and show the
    /// merchant an error, so every refusal is a 4xx with a reason, and 200 means the keys work and are stored.
    /// </summary>
    private static async Task<IResult> KeysAsync(
        HttpRequest request, WooConnector connector, WooCommerceClient client, IOptions<WooCommerceOptions> options,
        IDataProtectionProvider protection, ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await WebhookBody.ReadAsync(request, MaxKeysBody, ct);
        if (body is null) return Results.Problem(statusCode: 413, title: "Body too large.", detail: "The key callback is a small JSON object.");
        if (!WooKeyCallback.TryParse(body, out var keys, out var error))
            return Results.Problem(statusCode: 400, title: "Not a WooCommerce key callback.", detail: error);

        if (ReadConnectToken(protection, keys!.UserId) is not var (workspaceId, store, plain))
            return Results.Problem(statusCode: 400, title: "Unknown or expired connection.",
                detail: "The connection was started more than an hour ago or not by ShopAffiliate. Press Connect again.");
        if (keys.KeyPermissions != "read_write")
            return Results.Problem(statusCode: 400, title: "Read and write access is needed.",
                detail: $"The key has '{keys.KeyPermissions}' access; ShopAffiliate creates webhooks and coupons, so it needs read_write.");

        WooStore verified;
        try
        {
            verified = await client.VerifyKeysAsync(store, plain, keys.ConsumerKey, keys.ConsumerSecret, ct);
        }
        catch (Exception e) when (e is WooApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(WooCommerceEndpoints)).LogWarning(e, "WooCommerce keys for {Store} did not work", store);
            return Results.Problem(statusCode: 400, title: "The keys did not work.", detail: $"A test call to {store} failed: {e.Message}");
        }

        try
        {
            var connection = await connector.ConnectAsync(workspaceId, verified, ct);
            return Results.Ok(new { status = "connected", shopId = connection.Shop.Id, problem = connection.Problem });
        }
        catch (StoreOwnedElsewhereException e)
        {
            return Results.Problem(statusCode: 409, title: "Connected to another program.", detail: e.Message + " Disconnect it there first.");
        }
    }

    /// <summary>Where WooCommerce sends the merchant's browser afterwards (<c>success=1|0</c>, our token as <c>user_id</c>).</summary>
    private static IResult Return(string? success, [FromQuery(Name = "user_id")] string? userId, IDataProtectionProvider protection)
    {
        if (success != "1") return Results.Redirect("/admin?woocommerce=denied");
        var store = userId is null ? null : ReadConnectToken(protection, userId)?.Store;
        return Results.Redirect(store is null ? "/admin" : "/admin?connected=" + Uri.EscapeDataString(WooStoreUrl.DomainOf(store)));
    }

    private static (Guid WorkspaceId, Uri Store, bool Plain)? ReadConnectToken(IDataProtectionProvider protection, string token)
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

    /// <summary>
    /// Verify the raw bytes with the store's own secret, store, answer 200. The unsigned ping WooCommerce sends while we
    /// create a webhook is answered 200 and stored nowhere. WooCommerce's delivery id is not stable, so the inbox
    /// dedupes on a hash of topic, resource and body: the same content delivered twice is stored once.
    /// </summary>
    private static async Task<IResult> ReceiveWebhookAsync(
        string shopId, HttpRequest request, AppDbContext db, ShopSecrets secrets, InboxIntake intake, TimeProvider clock, CancellationToken ct)
    {
        var shop = Guid.TryParse(shopId, out var id)
            ? await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == id && s.Platform == ShopPlatform.WooCommerce, ct)
            : null;
        // 404 for an unknown store: WooCommerce disables a webhook that keeps failing, which is right for a stale one.
        if (shop is null) return Results.Problem(statusCode: 404, title: "Unknown store.", detail: "No WooCommerce store is connected under this address.");

        var body = await WebhookBody.ReadAsync(request, MaxWebhookBody, ct);
        if (body is null)
            return Results.Problem(statusCode: 413, title: "Webhook body too large.", detail: $"Deliveries are limited to {MaxWebhookBody / 1024 / 1024} MiB.");
        string? signature = request.Headers["X-WC-Webhook-Signature"];
        if (string.IsNullOrEmpty(signature) && WooWebhookSignature.IsPing(body, request.ContentType, out _))
            return Results.Ok();

        var secret = secrets.WebhookSecret(shop);
        if (secret is null || !WooWebhookSignature.Verify(body, signature, secret))
            return Results.Problem(statusCode: 401, title: "Invalid webhook signature.", detail: "X-WC-Webhook-Signature does not match the body.");

        string? topic = request.Headers["X-WC-Webhook-Topic"], resource = request.Headers["X-WC-Webhook-Resource"];
        if (string.IsNullOrWhiteSpace(topic))
            return Results.Problem(statusCode: 400, title: "Missing webhook headers.", detail: "X-WC-Webhook-Topic is required.");
        topic = topic.Trim().ToLowerInvariant();

        return await WebhookBody.StoreAsync(intake, WooInbox.Message(shop, topic, resource, body, clock.GetUtcNow().UtcDateTime), ct);
    }

    /// <summary>
    /// The companion plugin's signed launch link: signs the WordPress user in as staff of the store's program (created
    /// as a manager on first launch: the store vouches for its own admins) and opens the admin panel.
    /// </summary>
    private static async Task<IResult> LaunchAsync(
        HttpContext http, AppDbContext db, ShopSecrets secrets, UserManager<AppUser> users, SignInManager<AppUser> signIn,
        IMemoryCache nonces, TimeProvider clock, CancellationToken ct)
    {
        var parameters = http.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        var launch = WooLaunchLink.Read(parameters, out var error);
        if (launch is null) return Results.Problem(statusCode: 400, title: "Not a launch link.", detail: error);

        var shop = Guid.TryParse(launch.Shop, out var shopId)
            ? await db.Shops.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == shopId && s.Platform == ShopPlatform.WooCommerce && s.Status == ShopStatus.Active, ct)
            : null;
        var secret = shop is null ? null : secrets.LaunchSecret(shop);
        // One answer for an unknown shop and a wrong signature: nothing to learn by probing.
        if (secret is null || !WooLaunchLink.HasValidSignature(parameters, secret))
            return Results.Problem(statusCode: 401, title: "The launch link could not be verified.", detail: "Open ShopAffiliate again from the WordPress admin.");
        var now = clock.GetUtcNow();
        if (!WooLaunchLink.IsFresh(launch, now))
            return Results.Problem(statusCode: 401, title: "The launch link expired.", detail: "Launch links work for a minute. Open ShopAffiliate again from the WordPress admin.");
        var nonceKey = $"woo-launch:{shop!.Id}:{launch.Nonce}";
        if (nonces.TryGetValue(nonceKey, out _))
            return Results.Problem(statusCode: 401, title: "The launch link was already used.", detail: "Open ShopAffiliate again from the WordPress admin.");
        nonces.Set(nonceKey, true, WooLaunchLink.MaxAge + WooLaunchLink.MaxClockSkew);

        var email = launch.Email.Trim();
        if (!email.Contains('@') || email.Length > 256)
            return Results.Problem(statusCode: 400, title: "No usable e-mail address.", detail: "The WordPress user needs an e-mail address to open ShopAffiliate.");
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
                return Results.Problem(statusCode: 400, title: "The account could not be created.", detail: string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        var isStaff = await db.StaffMembers.IgnoreQueryFilters().AnyAsync(s => s.UserId == user.Id && s.WorkspaceId == shop.WorkspaceId, ct);
        if (!isStaff)
        {
            db.StaffMembers.Add(new StaffMember { WorkspaceId = shop.WorkspaceId, UserId = user.Id, Role = StaffRole.Manager });
            await db.SaveChangesAsync(ct);
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return Results.Redirect("/admin");
    }
}

/// <summary>Stores WooCommerce order payloads in the inbox, from webhooks and from reconciliation alike.</summary>
public static class WooInbox
{
    /// <summary>Returns false when the same content was stored before.</summary>
    public static Task<bool> StoreAsync(AppDbContext db, Shop shop, string topic, string? resource, byte[] body, DateTime now, CancellationToken ct) =>
        InboxStore.TryAddAsync(db, Message(shop, topic, resource, body, now), ct);

    public static InboxMessage Message(Shop shop, string topic, string? resource, byte[] body, DateTime now) => new()
    {
        Platform = ShopPlatform.WooCommerce, ShopId = shop.Id, WorkspaceId = shop.WorkspaceId, ShopDomain = shop.Domain,
        Topic = topic, DeliveryId = DeliveryId(topic, resource, body), Body = Encoding.UTF8.GetString(body),
        ReceivedAt = now, NextAttemptAt = now,
    };

    public static string DeliveryId(string topic, string? resource, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{topic}\n{resource?.Trim().ToLowerInvariant()}\n"));
        hash.AppendData(body);
        return "wc:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
