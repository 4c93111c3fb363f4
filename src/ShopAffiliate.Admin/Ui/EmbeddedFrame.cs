namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// A page shown inside the Shopify admin's iframe. No cookie reaches us there (third-party cookies are blocked), so
/// every request proves itself with a Shopify session token: a document load carries it as <c>id_token</c>, a form
/// post as <c>Authorization: Bearer</c> (ui.js sends forms with <c>fetch</c> when the page is embedded). The layout
/// loads App Bridge from <see cref="AppBridgeUrl"/>, which hands out those tokens (ADR 0032).
/// </summary>
/// <param name="Shop">The shop's myshopify domain, from the verified token.</param>
/// <param name="Host">Shopify's <c>host</c> query value (base64 of the admin's address), passed on as it came.</param>
/// <param name="Language">The language chosen inside the frame (<c>lang</c> in the query, carried by every link: no cookie
/// can keep it there); null follows the browser's (App Bridge sends the admin's locale as Accept-Language).</param>
public sealed record EmbeddedFrame(string Shop, string? Host, string ApiKey, string AppBridgeUrl, string? Language = null)
{
    /// <summary>What every link inside the frame carries (never the token itself: it lives a minute).</summary>
    /// <remarks>The query names the language only; changing it changes what is shown, never anything stored.</remarks>
    public IEnumerable<string> Query
    {
        get
        {
            yield return "shop=" + Uri.EscapeDataString(Shop);
            if (!string.IsNullOrEmpty(Host)) yield return "host=" + Uri.EscapeDataString(Host);
            yield return "embedded=1";
            if (Language is not null) yield return "lang=" + Language;
        }
    }
}
