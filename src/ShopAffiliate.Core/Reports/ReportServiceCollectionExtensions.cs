using Microsoft.Extensions.DependencyInjection;

namespace ShopAffiliate.Core.Reports;

public static class ReportServiceCollectionExtensions
{
    /// <summary>The report service, the rollup updater and its background worker.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddScoped<ReportService>();
        services.AddScoped<RollupUpdater>();
        services.AddSingleton<RollupProgress>();
        services.AddHostedService<RollupWorker>();
        return services;
    }
}
