using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Refit;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>The GraphQL Admin API: one URL per version. The base address is the shop.</summary>
[Headers("Accept: application/json")]
public interface IShopifyGraphQlApi
{
    [Post("/admin/api/{version}/graphql.json")]
    Task<IApiResponse<JsonElement>> ExecuteAsync(
        string version,
        [Header("X-Shopify-Access-Token")] string accessToken,
        [Body] GraphQlRequest request,
        CancellationToken cancellationToken = default);
}

public sealed record GraphQlRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("variables")] JsonObject? Variables = null);
