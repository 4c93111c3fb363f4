using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>How our Refit clients reach a shop: one named HttpClient (with <see cref="ShopifyRetryHandler"/>), its base address per shop.</summary>
public static class ShopifyHttp
{
    /// <summary>The named HttpClient <see cref="ShopifyServiceCollectionExtensions.AddShopifyClients"/> registers.</summary>
    public const string ClientName = "Shopify";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(Json));

    internal static T For<T>(IHttpClientFactory factory, ShopifyOptions options, string shop)
    {
        var client = factory.CreateClient(ClientName);
        client.BaseAddress = options.ShopUri(shop);
        return RestService.For<T>(client, Settings);
    }

    /// <summary>Turns a failed Refit response into a <see cref="ShopifyApiException"/> that says what went wrong.</summary>
    internal static ShopifyApiException Failure(IApiResponse response, string operation, string shop)
    {
        if (response.HasRequestError(out var requestError))
            return new($"Shopify {operation} for {shop} failed: no response ({requestError.InnerException?.Message ?? requestError.Message}).",
                innerException: requestError);

        var status = response.StatusCode;
        var content = response.HasResponseError(out var apiError) ? apiError.Content : null;
        var (code, description) = ReadError(content);
        var what = status switch
        {
            HttpStatusCode.Unauthorized => "the access token is invalid or revoked",
            HttpStatusCode.Forbidden => "the app lacks a scope or protected customer data access",
            HttpStatusCode.NotFound => "the shop or API version was not found",
            HttpStatusCode.PaymentRequired => "the shop is frozen (unpaid)",
            HttpStatusCode.Locked => "the shop is locked",
            HttpStatusCode.TooManyRequests => "rate limited",
            _ when response.IsSuccessStatusCode => "the response could not be read",
            _ => null,
        };
        var detail = string.Join("; ", new[] { what, code, description }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (detail.Length == 0 && !string.IsNullOrWhiteSpace(content))
            detail = ErrorBody.Cut(content);
        return new($"Shopify {operation} for {shop} failed with HTTP {(int?)status}{(detail.Length > 0 ? ": " + detail : "")}.",
            status, code, response.Error);
    }

    /// <summary>Reads OAuth-style <c>{error, error_description}</c> and REST-style <c>{errors}</c> bodies.</summary>
    private static (string? Code, string? Description) ReadError(string? content) => ErrorBody.Read(content, root =>
        (ErrorBody.Text(root, "error"),
            ErrorBody.Text(root, "error_description")
            ?? (root.TryGetProperty("errors", out var errors) ? errors.ValueKind == JsonValueKind.String ? errors.GetString() : errors.GetRawText() : null)));
}
