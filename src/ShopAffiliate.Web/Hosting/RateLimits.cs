using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin.Pages.Admin;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Web.Auth;

namespace ShopAffiliate.Web.Hosting;

/// <summary>Whose requests share one budget.</summary>
public enum LimitBy
{
    /// <summary>The client address (after trusted proxies, see <see cref="TrustedProxies"/>); IPv6 per /64.</summary>
    Client,

    /// <summary>The API caller's workspace (API key or Shopify session token); the client address before sign-in.</summary>
    Workspace,

    /// <summary>The shop a webhook names (Shopify's shop-domain header, WooCommerce's shop id in the path).</summary>
    Shop,
}

/// <summary>
/// One limit: <paramref name="Name"/> is the policy name routes ask for (<c>.RequireRateLimiting(RateLimits.Landing)</c>)
/// and the configuration section <c>RateLimits:{Section}</c> whose <c>PermitLimit</c> and <c>Window</c> override the defaults.
/// </summary>
public sealed record RateLimitPolicy(string Name, string Section, int PermitLimit, TimeSpan Window, LimitBy By, string Title, bool WritesOnly = false);

/// <summary>Bound per policy from <c>RateLimits:{Section}</c>.</summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>
/// Every limit of the app, in one table. A new public route gets one: add a row here and call
/// <c>.RequireRateLimiting(RateLimits.X)</c> on the route (or <c>[EnableRateLimiting]</c> on a page). Fixed windows,
/// no queueing: over the limit is a 429 with <c>Retry-After</c> and a ProblemDetails, before the handler runs.
/// </summary>
public static class RateLimits
{
    public const string Landing = "landing-beacon";
    public const string Connect = "store-connect";
    public const string Launch = "store-launch";
    public const string Webhooks = "webhooks";
    public const string Api = "api";
    public const string Unsubscribe = "unsubscribe";
    public const string CreativeFiles = "creative-files";

    public static readonly IReadOnlyList<RateLimitPolicy> Policies =
    [
        // Below the account lockout's 10 failures, so one client cannot lock an account within one window (ADR 0013).
        new(LoginModel.RateLimitPolicy, "SignIn", 5, TimeSpan.FromMinutes(15), LimitBy.Client, "Too many sign-in attempts.", WritesOnly: true),
        // The affiliate side's forms (POSTs only; showing a form is never limited).
        new(PortalSession.ApplyLimit, "Apply", 5, TimeSpan.FromHours(1), LimitBy.Client, "Too many applications.", WritesOnly: true),
        new(PortalSession.SignInLimit, "PortalSignIn", 5, TimeSpan.FromMinutes(15), LimitBy.Client, "Too many sign-in attempts.", WritesOnly: true),
        new(PortalSession.EmailLimit, "PortalEmail", 3, TimeSpan.FromMinutes(15), LimitBy.Client, "Too many email requests.", WritesOnly: true),
        // The public program page reads the program and its rules: generous, it is what affiliates are sent to.
        new(PortalSession.PageLimit, "ProgramPage", 300, TimeSpan.FromMinutes(1), LimitBy.Client, "Too many requests for this page."),
        // A mail client's one-click unsubscribe (and its confirm page): one person, a few addresses.
        new(Unsubscribe, "Unsubscribe", 60, TimeSpan.FromMinutes(10), LimitBy.Client, "Too many unsubscribe requests."),
        new(Landing, "Landing", 120, TimeSpan.FromMinutes(1), LimitBy.Client, "Too many landing reports."),
        // Banner bytes: browsers keep them a year (immutable), so one visitor asks for each once. The pixel /i/ and the
        // redirect /r/ are middleware without a limit: a view or click refused would be one lost.
        new(CreativeFiles, "CreativeFiles", 600, TimeSpan.FromMinutes(1), LimitBy.Client, "Too many image requests."),
        new(Connect, "Connect", 30, TimeSpan.FromMinutes(10), LimitBy.Client, "Too many store connection attempts."),
        new(Launch, "Launch", 60, TimeSpan.FromMinutes(1), LimitBy.Client, "Too many launches."),
        // Generous: a shop's flash sale sends bursts, and a refused delivery is only sent again later.
        new(Webhooks, "Webhooks", 20_000, TimeSpan.FromMinutes(1), LimitBy.Shop, "Too many webhook deliveries for this shop."),
        new(Api, "Api", 6_000, TimeSpan.FromMinutes(1), LimitBy.Workspace, "Too many API requests for this program."),
    ];

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        foreach (var policy in Policies)
        {
            services.AddOptions<RateLimitOptions>(policy.Name)
                .Configure(o => (o.PermitLimit, o.Window) = (policy.PermitLimit, policy.Window))
                .BindConfiguration($"RateLimits:{policy.Section}")
                .Validate(o => o.PermitLimit is >= 1 and <= 1_000_000, $"RateLimits:{policy.Section}:PermitLimit must be between 1 and 1000000.")
                .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.Window <= TimeSpan.FromDays(1), $"RateLimits:{policy.Section}:Window must be between 00:00:01 and 1.00:00:00.")
                .ValidateOnStart();
        }
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<RateLimitOptions>, IProblemDetailsService>((o, limits, problems) =>
        {
            foreach (var policy in Policies) o.AddPolicy(policy.Name, new Limiter(policy, limits.Get(policy.Name), problems));
        });
        return services;
    }

    /// <summary>IPv4 as is; IPv6 per /64, the block one subscriber usually holds.</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes) + "/64";
    }

    private sealed class Limiter(RateLimitPolicy policy, RateLimitOptions options, IProblemDetailsService problems) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

        public RateLimitPartition<string> GetPartition(HttpContext http)
        {
            if (policy.WritesOnly && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
                return RateLimitPartition.GetNoLimiter("");
            return RateLimitPartition.GetFixedWindowLimiter(Key(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit,
                Window = options.Window,
                QueueLimit = 0,
            });
        }

        private string Key(HttpContext http) => policy.By switch
        {
            LimitBy.Workspace when http.User.FindFirst(AuthConstants.WorkspaceClaim)?.Value is { } workspace => "workspace:" + workspace,
            LimitBy.Shop when http.Request.RouteValues["shopId"] is string shopId => "shop:" + shopId,
            LimitBy.Shop when http.Request.Headers["X-Shopify-Shop-Domain"].ToString() is { Length: > 0 } domain => "shop:" + domain.Trim().ToLowerInvariant(),
            _ => "client:" + ClientKey(http.Connection.RemoteIpAddress),
        };

        private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
        {
            var http = context.HttpContext;
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.Window;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var detail = $"{policy.Title} Try again in {seconds} seconds.";
            var written = await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = policy.Title, Detail = detail },
            });
            if (!written) await http.Response.WriteAsync(detail, ct); // a client that accepts no JSON still reads why
        }
    }
}
