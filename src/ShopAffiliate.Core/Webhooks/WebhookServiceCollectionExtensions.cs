using Microsoft.Extensions.DependencyInjection;

namespace ShopAffiliate.Core.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Events, endpoints and the commission emitter. The host adds the delivery handler and the URL policy (they need
    /// its HTTP clients and outbound guard).
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookEventInterceptor>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<WebhookService>();
        services.AddSingleton<CommissionEventEmitter>();
        services.AddHostedService(sp => sp.GetRequiredService<CommissionEventEmitter>());
        return services;
    }
}
