using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ShopAffiliate.Platforms.Shopify;

public static class ShopifyServiceCollectionExtensions
{
    /// <summary>
    /// The Shopify HTTP clients: the named HttpClient <see cref="ShopifyHttp.ClientName"/> with <see cref="ShopifyRetryHandler"/>,
    /// <see cref="ShopifyAuthClient"/> and <see cref="ShopifyAdminClient"/>. Binding <see cref="ShopifyOptions"/> is the host's job.
    /// A <see cref="ShopifyRetryHandler"/> registered before this call replaces the default one (tests pass a fast delay).
    /// </summary>
    public static IHttpClientBuilder AddShopifyClients(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient(sp => new ShopifyRetryHandler(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ShopifyAuthClient>();
        services.TryAddSingleton<ShopifyAdminClient>();
        return services.AddHttpClient(ShopifyHttp.ClientName, client =>
            {
                // Covers every attempt of one call, back-offs included.
                client.Timeout = TimeSpan.FromSeconds(60);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ShopAffiliate/1.0");
            })
            .AddHttpMessageHandler<ShopifyRetryHandler>();
    }
}
