using Microsoft.Extensions.Options;

namespace ShopAffiliate.Web.Hosting;

/// <summary>Turns configuration failures at start into a plain list for the operator.</summary>
internal static class StartupErrors
{
    /// <summary>Runs the ValidateOnStart checks now; returns what failed (empty when all settings are good).</summary>
    public static IReadOnlyList<string> ConfigurationFailures(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception ex) when (FailuresOf(ex).Count > 0)
        {
            return FailuresOf(ex);
        }
    }

    public static IReadOnlyList<string> FailuresOf(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures.ToList(),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(FailuresOf).ToList(),
        _ => [],
    };

    public static async Task ReportAsync(IReadOnlyList<string> failures)
    {
        await Console.Error.WriteLineAsync("ShopAffiliate cannot start because of its configuration:");
        foreach (var failure in failures) await Console.Error.WriteLineAsync("  - " + failure);
    }
}
