// Small improvements on pages that work without it (no page needs this file to function).
// - <input type="checkbox" data-select-all="name"> ticks every checkbox of that name (bulk actions).
// - Escape closes an open confirm panel (<details class="confirm">).
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll) return;
    var form = box.form || document;
    form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(function (b) { b.checked = box.checked; });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details.confirm[open]").forEach(function (d) { d.open = false; });
  });
})();

// <form data-live-preview="url">: as its fields change, the form is posted to url (a handler that changes nothing) and
// each [data-live] element of the answer fills the form's own; the submit button does the same without a script.
(function () {
  "use strict";
  if (document.documentElement.dataset.embedded === "shopify") return;
  document.querySelectorAll("form[data-live-preview]").forEach(function (form) {
    var timer = 0, latest = 0;
    function refresh() {
      var mine = ++latest;
      fetch(form.dataset.livePreview, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          if (mine !== latest) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          form.querySelectorAll("[data-live]").forEach(function (el) {
            var fresh = doc.querySelector('[data-live="' + el.dataset.live + '"]');
            // The children, not the element: it stays the same live region, so screen readers announce the change.
            if (fresh) el.replaceChildren.apply(el, Array.from(fresh.childNodes, function (n) { return document.importNode(n, true); }));
          });
        })
        .catch(function () { /* the Preview button still works */ });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 400); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  });
})();

// Inside the Shopify admin (<html data-embedded="shopify">, ADR 0032) no cookie reaches us, so every request carries a
// Shopify session token from App Bridge (shopify.idToken()): a page load as ?id_token=, a form post as an
// Authorization header, sent with fetch. Links and forms are taken over only on our own origin.
(function () {
  "use strict";
  if (document.documentElement.dataset.embedded !== "shopify") return;
  var here = new URL(location.href);
  var keep = ["shop", "host"];
  // The status message after a form came in the query (no cookie here): shown now, so off the address.
  if (here.searchParams.has("sa_status")) {
    var shown = new URL(here.toString());
    shown.searchParams.delete("sa_status");
    history.replaceState(history.state, "", shown.toString());
  }

  function token() {
    return window.shopify && typeof window.shopify.idToken === "function"
      ? window.shopify.idToken() : Promise.reject(new Error("App Bridge is not loaded"));
  }

  // The frame's query (shop, host, embedded) and a fresh token: the page loads signed in.
  function go(url) {
    var target = new URL(url, location.href);
    keep.forEach(function (k) { if (here.searchParams.has(k) && !target.searchParams.has(k)) target.searchParams.set(k, here.searchParams.get(k)); });
    target.searchParams.set("embedded", "1");
    return token().then(function (t) {
      target.searchParams.set("id_token", t);
      location.assign(target.toString());
    });
  }

  function own(url) { return new URL(url, location.href).origin === location.origin; }

  document.addEventListener("click", function (e) {
    var a = e.target instanceof Element ? e.target.closest("a[href]") : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target || a.hasAttribute("download")) return;
    var href = a.getAttribute("href");
    if (!href || href.charAt(0) === "#" || !own(a.href)) return;
    e.preventDefault();
    go(a.href);
  });

  document.addEventListener("submit", function (e) {
    var form = e.target, submitter = e.submitter || null;
    if (!(form instanceof HTMLFormElement) || e.defaultPrevented) return;
    var action = (submitter && submitter.hasAttribute("formaction")) ? submitter.formAction : form.action;
    var method = ((submitter && submitter.getAttribute("formmethod")) || form.method || "get").toLowerCase();
    if (!own(action)) return;
    e.preventDefault();
    var data = new FormData(form, submitter);
    if (method === "get") {
      var url = new URL(action);
      url.search = ""; // as a browser does: the form's fields are the whole query
      data.forEach(function (v, k) { url.searchParams.append(k, v); });
      go(url);
      return;
    }
    var multipart = form.enctype === "multipart/form-data";
    token().then(function (t) {
      return fetch(action, { method: "POST", body: multipart ? data : new URLSearchParams(data), headers: { Authorization: "Bearer " + t } });
    }).then(function (response) {
      // Post-redirect-get: show where the handler sent us, signed in again.
      if (response.redirected) return go(response.url);
      return response.text().then(function (html) {
        // A page with errors (validation, 403): its main part in place of ours. Parsed, so none of its scripts run.
        var doc = new DOMParser().parseFromString(html, "text/html");
        var main = doc.querySelector("main"), current = document.querySelector("main");
        if (main && current) { current.replaceWith(main); document.title = doc.title; }
        else { document.body.textContent = doc.body ? doc.body.textContent : String(response.status); }
      });
    });
  });
})();

// A form with data-live-preview="<url>" (the commission groups' live example): after each change its fields (and
// those outside it that name it with form="...") are posted there, antiforgery token included, and the answer, a
// fragment of our own HTML, replaces [data-live-example]. It saves nothing; the Preview button does the same without
// script. Inside the Shopify admin the post carries the session token, as every post there does.
(function () {
  "use strict";
  var timer = null, seq = 0;
  function formOf(el) { return el && el.form && el.form.dataset.livePreview ? el.form : null; }
  function preview(form) {
    var target = document.querySelector("[data-live-example]");
    if (!target) return;
    var mine = ++seq;
    var headers = { "X-Requested-With": "fetch" };
    var auth = document.documentElement.dataset.embedded === "shopify" && window.shopify && typeof window.shopify.idToken === "function"
      ? window.shopify.idToken().then(function (t) { headers.Authorization = "Bearer " + t; }) : Promise.resolve();
    auth.then(function () {
      return fetch(form.dataset.livePreview, { method: "POST", body: new URLSearchParams(new FormData(form)), headers: headers });
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null || mine !== seq) return;
      var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
      target.replaceChildren.apply(target, Array.prototype.slice.call(doc.body.firstChild.childNodes));
    }).catch(function () { /* the Preview button still works */ });
  }
  function changed(e) {
    var form = formOf(e.target);
    if (!form) return;
    clearTimeout(timer);
    timer = setTimeout(function () { preview(form); }, 250);
  }
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
})();
