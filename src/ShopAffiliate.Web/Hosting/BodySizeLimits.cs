using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace ShopAffiliate.Web.Hosting;

/// <summary>A route's largest request body, set on the route or group with <see cref="BodySizeLimits.WithBodyLimit{T}"/>.</summary>
public sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>
/// Request body limits per route, far below Kestrel's 30 MB default: an API body is a few kilobytes, so a megabyte of
/// it is an attack or a bug, and each one would otherwise be buffered by the JSON reader. A declared Content-Length
/// over the limit is answered 413 before the body is read; a chunked body is cut off by the server at the same limit.
/// </summary>
public static class BodySizeLimits
{
    /// <summary>Routes without a limit of their own (Razor Pages' forms, the store callbacks).</summary>
    public const long Default = 1024 * 1024;

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    public static IApplicationBuilder UseBodySizeLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? Default;
        if (http.Request.ContentLength > limit)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The request body is too large.",
                    Detail = $"This route takes at most {limit / 1024} KiB; the body has {http.Request.ContentLength / 1024} KiB.",
                },
            });
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        await next(http);
    });
}
