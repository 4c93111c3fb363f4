using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ShopAffiliate.Core.Creatives;

public static class CreativeServiceCollectionExtensions
{
    /// <summary>Creatives, their store (by <c>Creatives:Storage</c>), the pixel's cache and the impression writer.</summary>
    public static IServiceCollection AddCreatives(this IServiceCollection services)
    {
        services.AddOptions<CreativeOptions>().BindConfiguration(CreativeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FileSystemCreativeStore>();
        services.AddSingleton<DatabaseCreativeStore>();
        services.AddSingleton<ICreativeStore>(sp => sp.GetRequiredService<IOptions<CreativeOptions>>().Value.Storage == CreativeStorage.Database
            ? sp.GetRequiredService<DatabaseCreativeStore>()
            : sp.GetRequiredService<FileSystemCreativeStore>());
        services.AddSingleton<CreativeCache>();
        services.AddScoped<CreativeService>();
        services.AddSingleton(sp => new ImpressionChannel(sp.GetRequiredService<IOptions<CreativeOptions>>().Value.ImpressionQueueCapacity));
        services.AddSingleton<ImpressionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ImpressionWriter>());
        return services;
    }
}
