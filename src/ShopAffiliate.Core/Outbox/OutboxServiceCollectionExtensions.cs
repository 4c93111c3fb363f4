using Microsoft.Extensions.DependencyInjection;

namespace ShopAffiliate.Core.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>The outbox, its dispatcher and the email handler (<see cref="Email.EmailServiceCollectionExtensions"/>).</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutbox, Outbox>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }
}
