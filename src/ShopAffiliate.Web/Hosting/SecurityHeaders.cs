using Microsoft.Extensions.Options;
using ShopAffiliate.Admin;
using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Web.Hosting;

/// <summary>Bound from <c>SecurityHeaders</c>.</summary>
public sealed class SecurityHeadersOptions
{
    public const string Section = "SecurityHeaders";

    /// <summary>Sent on every response; the default keeps paths and queries (with their tokens) on our own origin.</summary>
    public string ReferrerPolicy { get; set; } = "strict-origin-when-cross-origin";

    /// <summary><c>Strict-Transport-Security</c> max-age on https responses; 0 sends none.</summary>
    public int HstsMaxAgeDays { get; set; } = 365;

    public bool HstsIncludeSubDomains { get; set; }
}

internal sealed class SecurityHeadersOptionsValidator : IValidateOptions<SecurityHeadersOptions>
{
    /// <summary>The values browsers know (W3C Referrer Policy); anything else they ignore silently.</summary>
    private static readonly string[] ReferrerPolicies =
    [
        "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin",
        "strict-origin-when-cross-origin",
    ];

    public ValidateOptionsResult Validate(string? name, SecurityHeadersOptions o)
    {
        var failures = new List<string>();
        if (!ReferrerPolicies.Contains(o.ReferrerPolicy))
            failures.Add($"SecurityHeaders:ReferrerPolicy is '{o.ReferrerPolicy}'; use one of {string.Join(", ", ReferrerPolicies)} ('unsafe-url' would send tokens in URLs to other sites).");
        if (o.HstsMaxAgeDays is < 0 or > 730)
            failures.Add($"SecurityHeaders:HstsMaxAgeDays is {o.HstsMaxAgeDays}; it must be 0 (no HSTS) to 730.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The headers every response gets, set in one place when it starts: <c>nosniff</c>, the referrer policy, HSTS over
/// https, and a Content-Security-Policy. Admin and portal pages get a policy whose scripts must carry the response's
/// nonce (<see cref="PageSecurity"/>) and that no site may frame, except the embedded Shopify admin for its shop;
/// everything else (JSON, CSV, files) gets <c>default-src 'none'</c>. A route that sets its own policy (the small
/// pages of <see cref="HtmlResult"/>, statements) keeps it. The tracking redirect answers before this runs: a 302
/// with no body has nothing for these headers to protect, and it is the hot path (ADR 0010).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>For responses that are not our pages: nothing may load, nothing may frame.</summary>
    public const string NonPagePolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services)
    {
        services.AddOptions<SecurityHeadersOptions>().BindConfiguration(SecurityHeadersOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityHeadersOptions>, SecurityHeadersOptionsValidator>();
        // Framing is decided by frame-ancestors (and X-Frame-Options: DENY below), per request; antiforgery's own
        // SAMEORIGIN would also block the embedded admin's iframe.
        services.AddAntiforgery(o =>
        {
            o.SuppressXFrameOptionsHeader = true;
            o.Cookie.Name = "sa_antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var o = app.ApplicationServices.GetRequiredService<IOptions<SecurityHeadersOptions>>().Value;
        var hsts = o.HstsMaxAgeDays == 0 ? null
            : $"max-age={(long)TimeSpan.FromDays(o.HstsMaxAgeDays).TotalSeconds}{(o.HstsIncludeSubDomains ? "; includeSubDomains" : "")}";
        return app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (!headers.ContainsKey("Referrer-Policy")) headers["Referrer-Policy"] = o.ReferrerPolicy;
                if (hsts is not null && http.Request.IsHttps) headers.StrictTransportSecurity = hsts;
                if (headers.ContentSecurityPolicy.Count == 0)
                {
                    var page = AdminUi.IsUiPath(http.Request.Path) ? PageSecurity.Of(http) : null;
                    // The API reference UI (Development only) loads its own scripts; it may still not be framed.
                    headers.ContentSecurityPolicy = page is not null ? PagePolicy(page)
                        : http.Request.Path.StartsWithSegments("/scalar") ? "frame-ancestors 'none'" : NonPagePolicy;
                    if ((page is null || page.FrameAncestors.Count == 0) && !headers.ContainsKey("X-Frame-Options")) headers.XFrameOptions = "DENY";
                }
                return Task.CompletedTask;
            });
            return next(http);
        });
    }

    /// <summary>
    /// Our own files and nonce'd elements only. No <c>form-action</c>: the admin's connect forms end, by redirect, on
    /// the store's own authorization page, which Chromium checks against it.
    /// </summary>
    public static string PagePolicy(PageSecurity security)
    {
        var nonce = $"'nonce-{security.Nonce}'";
        var scripts = string.Join(" ", new[] { nonce }.Concat(security.ScriptOrigins));
        var ancestors = security.FrameAncestors.Count == 0 ? "'none'" : string.Join(" ", security.FrameAncestors);
        return $"default-src 'self'; script-src {scripts}; style-src 'self' {nonce}; img-src 'self' data:; "
            + $"object-src 'none'; base-uri 'none'; frame-ancestors {ancestors}";
    }

    /// <summary>For a small page of its own (<see cref="HtmlResult"/>): its styles, nothing else, framed by no one unless given.</summary>
    public static string StandalonePagePolicy(string styleSource, string? frameAncestors = null, string? scriptSource = null) =>
        $"default-src 'none'; style-src {styleSource}; img-src 'self';{(scriptSource is null ? "" : $" script-src {scriptSource};")} "
        + $"base-uri 'none'; frame-ancestors {frameAncestors ?? "'none'"}";
}
