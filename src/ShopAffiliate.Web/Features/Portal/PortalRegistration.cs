using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Web.Auth;

namespace ShopAffiliate.Web.Features.Portal;

/// <summary>The affiliate side's wiring: its cookie, its per-route limits, screening settings and its mail.</summary>
public static class PortalRegistration
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<Applications>();
        services.AddOptions<AffiliateMailOptions>().BindConfiguration(AffiliateMailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAffiliateMail, PickupFolderMail>();
        services.AddOptions<ScreeningOptions>().BindConfiguration(ScreeningOptions.Section).ValidateOnStart();
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MagicLinks>();

        services.AddAuthentication().AddCookie(PortalSession.Scheme, o =>
        {
            o.Cookie.Name = PortalSession.CookieName;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.HttpOnly = true;
            o.LoginPath = "/portal/login";
            o.LogoutPath = "/portal/logout";
            o.AccessDeniedPath = "/portal/login";
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            // The same stamp check as staff cookies (ADR 0013): a password reset or sign-out ends every session.
            o.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
        });

        foreach (var (name, limit, window) in (IEnumerable<(string, int, TimeSpan)>)[
            (PortalSession.ApplyLimit, 5, TimeSpan.FromHours(1)),
            (PortalSession.SignInLimit, 5, TimeSpan.FromMinutes(15)),
            (PortalSession.EmailLimit, 3, TimeSpan.FromMinutes(15))])
        {
            var section = "RateLimits:" + name;
            services.AddOptions<ClientLimitOptions>(name)
                .Configure(o => (o.PermitLimit, o.Window) = (limit, window))
                .BindConfiguration(section)
                .Validate(o => o.PermitLimit is >= 1 and <= 10000, $"{section}:PermitLimit must be between 1 and 10000.")
                .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.Window <= TimeSpan.FromDays(1), $"{section}:Window must be between 00:00:01 and 1.00:00:00.")
                .ValidateOnStart();
            services.AddRateLimiter(o => o.AddPolicy(name, new ClientLimitPolicy(name)));
        }
        return builder;
    }
}

/// <summary>Bound from <c>RateLimits:Apply</c>, <c>RateLimits:PortalSignIn</c>, <c>RateLimits:PortalEmail</c>.</summary>
public sealed class ClientLimitOptions
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}

/// <summary>
/// Per client address (IPv6 per /64, as the staff sign-in limit counts), a fixed window on a form's POSTs; a GET of
/// the form is never limited. Over it: 429 with <c>Retry-After</c> and a ProblemDetails, before the handler runs.
/// The policy is one instance per name; its settings come from the request's services, so they are the host's.
/// </summary>
internal sealed class ClientLimitPolicy(string name) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method)) return RateLimitPartition.GetNoLimiter("");
        var o = Options(http);
        return RateLimitPartition.GetFixedWindowLimiter(name + "|" + SignInLimitPolicy.ClientKey(http.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = o.PermitLimit, Window = o.Window, QueueLimit = 0 });
    }

    private ClientLimitOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptionsMonitor<ClientLimitOptions>>().Get(name);

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Options(http).Window;
        return SignInLimitPolicy.WriteRejectionAsync(http, http.RequestServices.GetRequiredService<IProblemDetailsService>(), wait, "Too many attempts.", "Too many attempts from your network.", ct);
    }
}
