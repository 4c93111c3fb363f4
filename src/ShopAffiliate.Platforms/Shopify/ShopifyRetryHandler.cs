using System.Globalization;
using System.Net;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>
/// Retries what is worth retrying against Shopify: 429 (after its Retry-After, capped), 5xx and connection failures, with
/// exponential backoff, and a GraphQL <c>THROTTLED</c> error (after the time the cost bucket needs to hold the query's
/// cost again), at most <see cref="MaxAttempts"/> attempts. Other 4xx answers are final. The request body is buffered
/// first so every attempt sends the same bytes.
/// </summary>
/// <remarks>
/// A 5xx can arrive after Shopify ran a mutation, so a retried discount creation may come back as "code taken":
/// callers treat that as possibly their own code. A throttled query did not run, so retrying it is always safe.
/// </remarks>
public sealed class ShopifyRetryHandler : DelegatingHandler
{
    public const int MaxAttempts = 4;
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    public ShopifyRetryHandler(TimeProvider timeProvider)
        : this((delay, ct) => Task.Delay(delay, timeProvider, ct))
    {
    }

    /// <summary>For tests: <paramref name="delay"/> replaces the waiting between attempts.</summary>
    public ShopifyRetryHandler(Func<TimeSpan, CancellationToken, Task> delay) => _delay = delay;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
            await request.Content.LoadIntoBufferAsync(cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await _delay(Backoff(attempt), cancellationToken);
                continue;
            }

            var throttled = attempt < MaxAttempts ? await ShopifyThrottle.WaitAsync(request, response, cancellationToken) : null;
            if (attempt >= MaxAttempts || (throttled is null && !IsTransient(response.StatusCode)))
                return response;

            var wait = throttled ?? RetryAfter(response) ?? Backoff(attempt);
            response.Dispose();
            await _delay(wait, cancellationToken);
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>1 s, 2 s, 4 s.</summary>
    private static TimeSpan Backoff(int attempt) => FirstBackoff * Math.Pow(2, attempt - 1);

    /// <summary>Retry-After as seconds (Shopify sends e.g. <c>2.0</c>) or an HTTP date; capped at <see cref="MaxRetryAfter"/>.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
            return null;
        var raw = values.FirstOrDefault()?.Trim();
        TimeSpan? wait = null;
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
            wait = TimeSpan.FromSeconds(Math.Max(0, Math.Min(seconds, MaxRetryAfter.TotalSeconds)));
        else if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                 && response.Headers.Date is { } now)
            wait = date - now;
        return wait is { } w ? w < TimeSpan.Zero ? TimeSpan.Zero : w > MaxRetryAfter ? MaxRetryAfter : w : null;
    }
}
