/*! ShopAffiliate storefront script (served at /sa.js). No dependencies.
 *
 * <script src="https://APP/sa.js" data-workspace="SLUG" async></script>
 *   data-workspace    the program's slug (required)
 *   data-cookie-days  referral window in days (default 30)
 *   data-consent      "none" (default) or "optin": wait for the visitor's marketing consent before any cookie
 *   data-model        "last_click" (default: a new referral replaces the old) or "first_click"
 *   data-platform     "shopify" to write the referral into the cart (auto-detected on Shopify storefronts)
 *
 * Reads ?ref=CODE (and ?sa_click=UUID from our redirect), keeps it in the first-party cookie _sa_ref
 * ("code|clickId|landedAtUnixSeconds", the same format the WooCommerce plugin writes), copies it to Shopify cart
 * attributes _sa_ref/_sa_click, and reports a ?ref= landing that did not come through our redirect.
 */
(function (window, document) {
  "use strict";
  var script = document.currentScript;
  if (!script || window.ShopAffiliate) return;

  var COOKIE = "_sa_ref";
  var CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/;
  var UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
  var data = script.dataset || {};
  var config = {
    workspace: data.workspace || "",
    days: Math.min(365, Math.max(1, parseInt(data.cookieDays, 10) || 30)),
    optIn: data.consent === "optin",
    firstClick: data.model === "first_click",
    shopify: data.platform === "shopify" || !!(window.Shopify && window.Shopify.shop),
    endpoint: data.endpoint || new URL(script.src, window.location.href).origin
  };

  function readCookie() {
    var m = document.cookie.match(/(?:^|;\s*)_sa_ref=([^;]*)/);
    if (!m) return null;
    var parts = decodeURIComponent(m[1]).split("|");
    if (parts.length > 3 || !CODE.test(parts[0])) return null;
    return { code: parts[0].toLowerCase(), click: UUID.test(parts[1] || "") ? parts[1].toLowerCase() : "", at: parseInt(parts[2], 10) || 0 };
  }

  function writeCookie(ref) {
    var value = ref.code + "|" + ref.click + "|" + ref.at;
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + value + "; Max-Age=" + config.days * 86400 + "; Path=/; SameSite=Lax" + secure;
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    var code = params.get("ref");
    if (!code || !CODE.test(code)) return null;
    var click = params.get("sa_click") || "";
    return { code: code.toLowerCase(), click: UUID.test(click) ? click.toLowerCase() : "", at: Math.floor(Date.now() / 1000), viaRedirect: UUID.test(click) };
  }

  function newClickId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function hasConsent() {
    if (!config.optIn) return true;
    var privacy = window.Shopify && window.Shopify.customerPrivacy;
    if (privacy && typeof privacy.marketingAllowed === "function" && privacy.marketingAllowed()) return true;
    if (typeof window.wp_has_consent === "function" && window.wp_has_consent("marketing")) return true;
    return granted;
  }

  function report(ref) {
    // A landing that did not pass /r/: record it as a click (text/plain: no CORS preflight).
    if (!config.workspace) return;
    var body = JSON.stringify({ workspace: config.workspace, ref: ref.code, clickId: ref.click, url: window.location.href, referrer: document.referrer || null });
    var url = config.endpoint + "/api/track/landing";
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }))) return;
    if (window.fetch) window.fetch(url, { method: "POST", body: body, keepalive: true, mode: "no-cors", headers: { "Content-Type": "text/plain" } });
  }

  function syncCart(ref) {
    if (!config.shopify || !window.fetch || !ref) return;
    // Once per cart: a second order in the same tab gets a new cart token and so the referral again.
    var cart = (document.cookie.match(/(?:^|;\s*)cart=([^;]*)/) || [])[1] || "";
    var marker = "sa_cart_" + ref.code + "_" + ref.click + "_" + cart;
    try { if (window.sessionStorage.getItem(marker)) return; } catch (e) { /* storage blocked: just send */ }
    var root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || "/"; // e.g. "/fr/" on translated shops
    window.fetch(root + "cart/update.js", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ attributes: { _sa_ref: ref.code, _sa_click: ref.click } })
    }).then(function (r) {
      if (r.ok) { try { window.sessionStorage.setItem(marker, "1"); } catch (e) { /* ignore */ } }
    }, function () { /* offline: try again on the next page */ });
  }

  var granted = false;
  var landed = fromUrl();

  function run() {
    if (!hasConsent()) return false;
    var current = readCookie();
    if (landed) {
      if (!landed.click) landed.click = newClickId();
      // The visit counts as a click either way; under first-click an earlier referral keeps the cookie.
      if (!landed.viaRedirect) report(landed);
      if (!(config.firstClick && current)) {
        writeCookie(landed);
        current = landed;
      }
      landed = null;
    }
    syncCart(current);
    return true;
  }

  window.ShopAffiliate = {
    /** Call when the visitor accepts marketing cookies (for banners that are neither Shopify's nor WP Consent API's). */
    consent: function () { granted = true; run(); },
    /** The referral in force: {code, click, at} or null. */
    referral: readCookie
  };

  if (!run()) {
    document.addEventListener("visitorConsentCollected", run);       // Shopify Customer Privacy API
    document.addEventListener("wp_listen_for_consent_change", run);  // WP Consent API
  }
})(window, document);
