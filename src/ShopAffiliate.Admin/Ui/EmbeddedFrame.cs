namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// A page shown inside the Shopify admin's iframe. No cookie reaches us there (third-party cookies are blocked), so
/// every request proves itself with a Shopify session token: a document load carries it as <c>id_token</c>, a form
/// post as <c>Authorization: Bearer</c> (ui.js sends forms with <c>fetch</c> when the page is embedded). The layout
/// loads App Bridge from <see cref="AppBridgeUrl"/>, which hands out those tokens (ADR 0032).
/// </summary>
/// <param name="Shop">The shop's myshopify domain, from the verified token.</param>
/// <param name="Host">Shopify's <c>host</c> query value (base64 of the admin's address), passed on as it came.</param>
public sealed record EmbeddedFrame(string Shop, string? Host, string ApiKey, string AppBridgeUrl)
{
    /// <summary>What every link inside the frame carries (never the token itself: it lives a minute).</summary>
    public IEnumerable<string> Query
    {
        get
        {
            yield return "shop=" + Uri.EscapeDataString(Shop);
            if (!string.IsNullOrEmpty(Host)) yield return "host=" + Uri.EscapeDataString(Host);
            yield return "embedded=1";
        }
    }
}
