using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ShopAffiliate.Platforms.WooCommerce;

public static class WooCommerceServiceCollectionExtensions
{
    /// <summary>
    /// The WooCommerce HTTP client: the named HttpClient <see cref="WooCommerceClient.ClientName"/> (60 s timeout,
    /// <c>ShopAffiliate/1.0</c>) with the handler that routes and authenticates each call, and <see cref="WooCommerceClient"/>.
    /// Binding <see cref="WooCommerceOptions"/> is the host's job.
    /// </summary>
    /// <remarks>
    /// A handler added to the returned builder runs after ours, on the signed request: it must not resend it (an OAuth
    /// nonce is single use). The default logging of .NET 9+ replaces the query with <c>*</c>, so query-string keys stay out of logs.
    /// </remarks>
    public static IHttpClientBuilder AddWooCommerceClients(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<WooRequestHandler>();
        services.TryAddSingleton<WooCommerceClient>();
        return services.AddHttpClient(WooCommerceClient.ClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(60);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ShopAffiliate/1.0");
            })
            .AddHttpMessageHandler<WooRequestHandler>();
    }
}
