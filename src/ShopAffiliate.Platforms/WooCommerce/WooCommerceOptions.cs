using System.ComponentModel.DataAnnotations;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// WooCommerce settings (config section <see cref="SectionName"/>). Unlike Shopify there is no app secret: every store
/// hands us its own consumer key and secret through the <c>/wc-auth/v1/authorize</c> key flow.
/// </summary>
public sealed class WooCommerceOptions
{
    public const string SectionName = "WooCommerce";

    /// <summary>
    /// Allows <c>http://</c> stores (local test shops). Their REST calls are signed with OAuth 1.0a so the consumer secret
    /// never crosses the wire; off by default.
    /// </summary>
    public bool AllowHttpStores { get; set; }

    /// <summary>Shown to the merchant on WooCommerce's approval screen and in the key's description.</summary>
    [Required]
    [StringLength(100)]
    public string AppName { get; set; } = "ShopAffiliate";

    /// <summary>
    /// How often the orders modified since the last pass are fetched and disabled webhooks re-enabled: WooCommerce never
    /// retries a failed delivery, so this is what catches what the webhooks missed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "WooCommerce:ReconcileInterval must be from 10 seconds to 1 day.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The old way to connect: a workspace API key in <c>workspace=</c> (or as a Bearer header) on
    /// <c>/woocommerce/connect</c>, from plugins older than connect codes. It puts a key that opens the whole API in a
    /// URL (browser history, proxy logs), so turn it off once every store's plugin uses a connect code; on for now so
    /// those plugins keep connecting (issue 17, ADR 0018).
    /// </summary>
    public bool AllowWorkspaceKeyConnect { get; set; } = true;
}
