using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Shops;

public enum ShopPlatform
{
    Shopify,
    WooCommerce,
}

public enum ShopStatus
{
    Active,

    /// <summary>Uninstalled or disconnected: tokens dropped, no webhooks processed, data kept until redaction.</summary>
    Paused,
}

/// <summary>A connected store. Credentials and webhook secret are encrypted with ASP.NET Data Protection.</summary>
public sealed class Shop : ITenantOwned, IAuditable
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public ShopPlatform Platform { get; init; }

    /// <summary>myshopify domain for Shopify, the store's host (and path) for WooCommerce; lowercase.</summary>
    public required string Domain { get; set; }

    public string Name { get; set; } = "";
    public string Currency { get; set; } = "USD";

    /// <summary>The store's IANA time zone as the platform reported it at connect; null when it could not be read.</summary>
    public string? TimeZone { get; set; }
    public ShopStatus Status { get; set; } = ShopStatus.Active;

    /// <summary>Protected (encrypted) JSON of the platform credentials; never logged.</summary>
    public string? EncryptedCredentials { get; set; }

    /// <summary>Protected webhook secret (WooCommerce: ours, per store).</summary>
    public string? EncryptedWebhookSecret { get; set; }

    /// <summary>WooCommerce: the WordPress home URL (scheme, host, path; no trailing slash). Null for Shopify.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>WooCommerce: the site has plain permalinks (REST at <c>?rest_route=</c>).</summary>
    public bool PlainPermalinks { get; set; }

    /// <summary>WooCommerce: how REST calls authenticate (<c>Basic</c>, <c>QueryString</c>, <c>OAuth1</c>), found at connect.</summary>
    public string? ApiAuth { get; set; }

    /// <summary>WooCommerce: protected secret the companion plugin signs launch links with.</summary>
    public string? EncryptedLaunchSecret { get; set; }

    /// <summary>WooCommerce: orders modified up to this time were polled (reconciliation cursor, UTC).</summary>
    public DateTime? SyncedThrough { get; set; }

    /// <summary>What went wrong on the last connect or reconciliation step (webhooks, plugin config), for the admin; null when fine.</summary>
    public string? SyncError { get; set; }

    /// <summary>When the platform first refused our stored token or keys (401/403) since they last worked; null when they work.</summary>
    public DateTime? CredentialsFailedAt { get; set; }

    /// <summary>The running or last import of past orders (Shopify's backfill): orders created from this time on (UTC); null when none ran.</summary>
    public DateTime? ImportSince { get; set; }

    /// <summary>When that import was queued (UTC).</summary>
    public DateTime? ImportStartedAt { get; set; }

    /// <summary>When its last page was stored (UTC); null while it runs or after it failed.</summary>
    public DateTime? ImportFinishedAt { get; set; }

    /// <summary>Orders of the period read from the store and stored so far (committed pages only).</summary>
    public int ImportOrders { get; set; }

    /// <summary>How many orders the store said the period holds when the import began; null when it could not tell.</summary>
    public int? ImportTotal { get; set; }

    /// <summary>Pages stored so far; with <see cref="ImportCursor"/> the point an interrupted import resumes from.</summary>
    public int ImportPages { get; set; }

    /// <summary>The platform's cursor after the last stored page; null before the first page and after the last.</summary>
    public string? ImportCursor { get; set; }

    /// <summary>What went wrong on the import's last attempt (kept while it is retried); null when the last page worked.</summary>
    public string? ImportError { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Disconnected by staff: no orders are taken from it and its credentials are dropped (the merchant removes the app
    /// or the keys in the store itself). Connecting the store again makes it active.
    /// </summary>
    public void Disconnect()
    {
        Status = ShopStatus.Paused;
        EncryptedCredentials = null;
        CredentialsFailedAt = null;
    }
}
