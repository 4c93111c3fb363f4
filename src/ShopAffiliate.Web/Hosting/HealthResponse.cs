using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ShopAffiliate.Web.Hosting;

internal static class HealthResponse
{
    /// <summary><c>{"status":"Healthy","checks":{"database":"Healthy"}}</c>; no exception text leaves the server.</summary>
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        }, cancellationToken: http.RequestAborted);
    }
}
