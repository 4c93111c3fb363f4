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
}

/// <summary>
/// One limit: <paramref name="Name"/> is the policy name routes ask for (<c>.RequireRateLimiting(RateLimits.Landing)</c>)
/// and the configuration section <c>RateLimits:{Section}</c> whose <c>PermitLimit</c> and <c>Window</c> override the defaults.
/// <paramref name="FailuresOnly"/>: the middleware lets every request through and the handler counts only the requests it
/// refuses (<see cref="FailedRequestLimit"/>), so a good request is never refused by the limit.
/// </summary>
public sealed record RateLimitPolicy(
    string Name, string Section, int PermitLimit, TimeSpan Window, LimitBy By, string Title, bool WritesOnly = false, bool FailuresOnly = false);

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
        // Only deliveries that fail verification (bad or no signature, unknown store, missing headers, too large), per
        // sender: a verified delivery is never refused by a limit, only by the full intake queue (503). A limit per shop
        // named in the unverified header let anyone who knows a shop's (public) domain get its real deliveries refused.
        new(Webhooks, "Webhooks", 600, TimeSpan.FromMinutes(1), LimitBy.Client, "Too many failed webhook deliveries from this address.", FailuresOnly: true),
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
        services.AddSingleton<FailedRequestLimit>();
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
            if (policy.FailuresOnly || policy.WritesOnly && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
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
            _ => "client:" + ClientKey(http.Connection.RemoteIpAddress),
        };

        private ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct) =>
            new(TooManyAsync(context.HttpContext, policy, context.Lease, options.Window, problems, ct));
    }

    /// <summary>429 with <c>Retry-After</c> (from the lease, else the whole window) and a ProblemDetails saying when to try again.</summary>
    internal static async Task TooManyAsync(
        HttpContext http, RateLimitPolicy policy, RateLimitLease lease, TimeSpan window, IProblemDetailsService problems, CancellationToken ct)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : window;
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

/// <summary>
/// The budgets of the <see cref="RateLimitPolicy.FailuresOnly"/> policies: a handler passes each refusal through
/// <see cref="Refuse"/>, which answers it as it is while the sender has failures left and with a 429 after that. A request
/// the handler accepts never comes here, so it is never refused by the limit however many failures its sender had.
/// </summary>
public sealed class FailedRequestLimit : IDisposable
{
    private readonly Dictionary<string, (RateLimitPolicy Policy, TimeSpan Window, PartitionedRateLimiter<string> Limiter)> _limits = [];

    public FailedRequestLimit(IOptionsMonitor<RateLimitOptions> options)
    {
        foreach (var policy in RateLimits.Policies.Where(p => p.FailuresOnly))
        {
            var bound = options.Get(policy.Name);
            _limits[policy.Name] = (policy, bound.Window, PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = bound.PermitLimit, Window = bound.Window, QueueLimit = 0 })));
        }
    }

    /// <summary><paramref name="failure"/> while the client has failures left in <paramref name="policyName"/>'s window, else a 429.</summary>
    public IResult Refuse(string policyName, HttpContext http, IResult failure)
    {
        var (policy, window, limiter) = _limits[policyName];
        var lease = limiter.AttemptAcquire("client:" + RateLimits.ClientKey(http.Connection.RemoteIpAddress));
        if (lease.IsAcquired)
        {
            lease.Dispose();
            return failure;
        }
        return new TooMany(policy, window, lease);
    }

    public void Dispose()
    {
        foreach (var (_, _, limiter) in _limits.Values) limiter.Dispose();
    }

    private sealed class TooMany(RateLimitPolicy policy, TimeSpan window, RateLimitLease lease) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            using (lease)
                await RateLimits.TooManyAsync(http, policy, lease, window, http.RequestServices.GetRequiredService<IProblemDetailsService>(), http.RequestAborted);
        }
    }
}
