using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace ShopAffiliate.Admin.TagHelpers;

/// <summary>Links to the same list with some query values changed: every view of a table is a bookmarkable URL.</summary>
public static class QueryLinks
{
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        var query = new QueryBuilder();
        var changed = changes.Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in request.Query)
        {
            // A Shopify session token lives a minute and proves who sent this request: never copied into a link.
            if (changed.Contains(key) || key == "id_token") continue;
            foreach (var value in values) query.Add(key, value ?? "");
        }
        foreach (var (key, value) in changes)
        {
            if (!string.IsNullOrEmpty(value)) query.Add(key, value);
        }
        return request.PathBase + request.Path + query.ToQueryString();
    }
}
