using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin.Pages.Admin;

namespace ShopAffiliate.Web.Auth;

/// <summary>Bound from <c>RateLimits:SignIn</c>: sign-in attempts per client address.</summary>
public sealed class SignInLimitOptions
{
    public const string Section = "RateLimits:SignIn";

    /// <summary>
    /// Below the account lockout's 10 failures, so one client cannot lock an account within one window: at the
    /// defaults it takes a client 30 minutes to cause one 5-minute lockout.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "RateLimits:SignIn:PermitLimit must be between 1 and 1000.")]
    public int PermitLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "RateLimits:SignIn:Window must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Sign-in attempts (POSTs to the sign-in page) per client, in front of the per-account lockout: a client over its
/// limit gets 429 before any account is looked up, so it cannot drive an account into lockout again and again.
/// The client is the connection's address (no forwarded headers are honoured yet); IPv6 clients count per /64,
/// the block one subscriber usually holds.
/// </summary>
internal sealed class SignInLimitPolicy(IOptions<SignInLimitOptions> options, IProblemDetailsService problems) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method)) return RateLimitPartition.GetNoLimiter("");
        var o = options.Value;
        return RateLimitPartition.GetFixedWindowLimiter(ClientKey(http.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit,
            Window = o.Window,
            QueueLimit = 0,
        });
    }

    internal static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes) + "/64";
    }

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.Value.Window;
        return WriteRejectionAsync(context.HttpContext, problems, wait, "Too many sign-in attempts.", "Too many sign-in attempts from your network.", ct);
    }

    /// <summary>The 429 every per-client limit answers: <c>Retry-After</c> and a ProblemDetails saying when to try again.</summary>
    internal static async ValueTask WriteRejectionAsync(HttpContext http, IProblemDetailsService problems, TimeSpan wait, string title, string what, CancellationToken ct)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = $"{what} Try again in {seconds} seconds.";
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = title, Detail = detail },
        });
        if (!written) await http.Response.WriteAsync(detail, ct); // a client that accepts no JSON still reads why
    }
}

public static class SignInLimitRegistration
{
    public static IServiceCollection AddSignInLimit(this IServiceCollection services)
    {
        services.AddOptions<SignInLimitOptions>().BindConfiguration(SignInLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o => o.AddPolicy<string, SignInLimitPolicy>(LoginModel.RateLimitPolicy));
        return services;
    }
}
