namespace ShopAffiliate.Web.Tests.Isolation;

/// <summary>Who may call a route: the credential it is meant for (the others must be refused outright).</summary>
public enum Access
{
    /// <summary><c>Authorization: Bearer sa_…</c>, and the embedded admin's Shopify session token on the same routes.</summary>
    Api,

    /// <summary>A staff member's admin cookie; the program is <c>?ws=</c> or a form's <c>ws</c>.</summary>
    StaffCookie,

    /// <summary>An affiliate's portal cookie; the program is the route's <c>{slug}</c>.</summary>
    PortalCookie,

    /// <summary>Signed by the shop's secret, not by any of our credentials.</summary>
    Webhook,

    /// <summary>Anonymous by design (the rule says why); not probed.</summary>
    Public,
}

/// <summary>
/// A route pattern (as the OpenAPI document writes it, <c>{name}</c> without constraints), who may call it, and B's
/// value for its <c>{id}</c>. A protected rule also covers the routes under it; a public one only its own pattern, so
/// a new route is never public by accident.
/// </summary>
public sealed record RouteRule(string Prefix, Access Access, Func<ProgramIds, Guid>? Id = null, string? Why = null)
{
    public bool Covers(string path) =>
        path == Prefix || (Access != Access.Public && path.StartsWith(Prefix.TrimEnd('/') + "/", StringComparison.Ordinal));
}

/// <summary>
/// The isolation test's classification of every route the app maps (<see cref="CrossProgramIsolationTests"/>): one
/// line per route or prefix, the longest matching prefix wins. A new route needs one line here.
/// </summary>
public static class RouteIsolation
{
    public static readonly RouteRule[] Rules =
    [
        Api("/api/v1/affiliates", b => b.Affiliate),
        Api("/api/v1/announcements"),
        Api("/api/v1/commissions", b => b.Commission),
        Api("/api/v1/coupons", b => b.Coupon),
        Api("/api/v1/creatives", b => b.Creative),
        Api("/api/v1/disputes", b => b.Dispute),
        Api("/api/v1/email-templates"),
        Api("/api/v1/goals"),
        Api("/api/v1/groups", b => b.Group),
        Api("/api/v1/links", b => b.Link),
        Api("/api/v1/orders", b => b.Order),
        Api("/api/v1/payouts/batches", b => b.Batch),
        Api("/api/v1/reports"),
        Api("/api/v1/settings/program"),
        Api("/api/v1/simulations"),
        Api("/api/v1/webhook-endpoints", b => b.WebhookEndpoint),
        Api("/api/v1/campaigns", b => b.Campaign),

        Staff("/admin"),
        Staff("/admin/coupons", b => b.Coupon),
        Staff("/admin/payouts", b => b.Batch),
        Staff("/admin/affiliates/{id}", b => b.Affiliate),
        Staff("/admin/commissions"),
        Staff("/admin/audit"),
        Staff("/admin/creatives", b => b.Creative),
        Staff("/admin/disputes", b => b.Dispute),
        Staff("/admin/messages", b => b.Affiliate),
        Staff("/admin/settings/webhooks", b => b.WebhookEndpoint),
        Staff("/admin/settings/groups", b => b.Group),
        Staff("/shopify/connect"),
        Staff("/admin/campaigns", b => b.Campaign),
        Public("/admin/login", "signing in: the program is chosen after it"),
        Public("/admin/logout", "ends the caller's own session; it names no program"),
        Public("/admin/setup", "the first start's owner form; it refuses once a program exists"),
        Public("/admin/invitation/{token}", "a staff invitation's emailed single-use token is the credential (StaffPageTests)"),

        Portal("/portal/p/{slug}"),
        Portal("/portal/p/{slug}/commissions", b => b.Commission),
        Portal("/portal/p/{slug}/materials"),
        Portal("/portal/p/{slug}/disputes", b => b.Dispute),
        Portal("/portal/p/{slug}/payouts", b => b.Batch),
        Portal("/portal/p/{slug}/statements"),
        Portal("/portal/p/{slug}/team"),
        Public("/portal", "lists the signed-in person's own programs; it names none"),
        Public("/portal/login", "signing in: the program is chosen after it"),
        Public("/portal/logout", "ends the caller's own session; it names no program"),
        Public("/portal/{kind}", "magic-link, reset and welcome forms: the emailed token is the credential"),
        Public("/portal/magic/{token}", "the emailed single-use token is the credential"),
        Public("/p/{slug}", "the program's public page"),
        Public("/p/{slug}/apply", "the public application form"),
        Public("/p/{slug}/applied", "the thank-you page after applying"),
        Public("/ui/culture", "sets the caller's language cookie"),
        Public("/u/{token}", "one-click unsubscribe: the signed token names the address and program"),

        Webhook("/webhooks/shopify"),
        Webhook("/webhooks/woocommerce/{shopId}"),
        Public("/api/track/landing", "the storefront's beacon: carries a referral code, never a program's data"),
        Public("/shopify", "Shopify's signed launch (HMAC of the app's secret), own tests in ShopifyHostTests"),
        Public("/shopify/session-token", "the bounce page: loads App Bridge to reload one of our admin pages with a fresh token (ShopifyHostTests)"),
        Public("/shopify/callback", "Shopify's signed OAuth callback with a single-use state, own tests in ShopifyHostTests"),
        Public("/woocommerce/connect", "the store's Connect button: a confirmation, then a single-use connect code (WooCommerceHostTests)"),
        Public("/woocommerce/keys", "WooCommerce posts the keys it made for a pending connection (WooCommerceHostTests)"),
        Public("/woocommerce/return", "where WooCommerce sends the merchant back after the key grant (WooCommerceHostTests)"),
        Public("/woocommerce/launch", "the store's signed single-use launch link (WooLaunchLinkTests)"),
        Public("/health", "load balancers' probe; reports no program"),
        Public("/c/{file}", "a published creative's bytes by their SHA-256; drafts answer 404 (CreativeTests)"),
        Public("/health/ready", "orchestrators' readiness probe: the database and the inbox's lag, no program's data"),
        Public("/openapi/{documentName}.json", "the static API description"),
    ];

    /// <summary>B's value for a route parameter other than <c>{id}</c>, or for a form or query field, by name.</summary>
    public static string? Value(ProgramIds b, string name) => name switch
    {
        "slug" => b.Slug,
        "ws" or "workspace" or "workspaceId" => b.Workspace.ToString(),
        "shop" => b.ShopDomain,
        // The WooCommerce shop: its webhook route and the store-admin form take only a WooCommerce shop.
        "shopId" => b.WooShop.ToString(),
        "affiliateId" or "parentAffiliateId" or "ids" => b.Affiliate.ToString(),
        "groupId" or "targetGroup" => b.Group.ToString(),
        "orderId" => b.Order.ToString(),
        "commissionId" => b.Commission.ToString(),
        "batchId" => b.Batch.ToString(),
        "couponId" => b.Coupon.ToString(),
        "fileId" or "file" => b.CreativeFile.ToString(),
        "creative" or "creativeId" or "creativeIds" => b.Creative.ToString(),
        "campaign" or "campaignId" => b.Campaign.ToString(),
        "link" or "linkId" => b.Link.ToString(),
        "keyId" => b.ApiKeyId.ToString(),
        "deliveryId" => b.WebhookDelivery.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "storeAdminId" => b.StoreAdmin.ToString(),
        "staffId" => b.StaffMember.ToString(),
        "invitationId" => b.Invitation.ToString(),
        "month" => b.Month,
        "kind" => "PayoutSent",
        "culture" => "en",
        "announcementId" => b.Announcement.ToString(),
        _ => null,
    };

    public static RouteRule? For(string path) =>
        Rules.Where(r => r.Covers(path)).MaxBy(r => r.Prefix.Length);

    private static RouteRule Api(string prefix, Func<ProgramIds, Guid>? id = null) => new(prefix, Access.Api, id);

    private static RouteRule Staff(string prefix, Func<ProgramIds, Guid>? id = null) => new(prefix, Access.StaffCookie, id);

    private static RouteRule Portal(string prefix, Func<ProgramIds, Guid>? id = null) => new(prefix, Access.PortalCookie, id);

    private static RouteRule Webhook(string prefix) => new(prefix, Access.Webhook);

    private static RouteRule Public(string prefix, string why) => new(prefix, Access.Public, Why: why);
}
