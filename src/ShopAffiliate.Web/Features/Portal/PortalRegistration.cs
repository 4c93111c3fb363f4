using Microsoft.AspNetCore.Identity;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Web.Auth;

namespace ShopAffiliate.Web.Features.Portal;

/// <summary>The affiliate side's wiring: its cookie, its per-route limits, screening settings (its mail goes through the outbox's Mailer).</summary>
public static class PortalRegistration
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<Applications>();
        services.AddScoped<AffiliateDirectory>();
        services.AddOptions<ScreeningOptions>().BindConfiguration(ScreeningOptions.Section).ValidateOnStart();
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MagicLinks>();

        services.AddAuthentication().AddCookie(PortalSession.Scheme, o =>
        {
            o.Cookie.Name = PortalSession.CookieName;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/portal/login";
            o.LogoutPath = "/portal/logout";
            o.AccessDeniedPath = "/portal/login";
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            // The same stamp check as staff cookies (ADR 0013): a password reset or sign-out ends every session.
            o.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
        });

        // Its limits (apply, sign-in, email links) are rows of RateLimits.Policies.
        return builder;
    }
}
