namespace ShopAffiliate.Web.Features.Communication;

/// <summary>
/// A background mail sender's loop: one pass every <c>Mail:{Name}Seconds</c> in a scope of its own, off with
/// <c>Mail:{Name}=false</c>; a failed pass is logged and the next tick tries again.
/// </summary>
internal abstract class PeriodicMailer(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger logger,
    string name, double defaultSeconds, double minSeconds) : BackgroundService
{
    /// <summary>One pass; the number of mails enqueued.</summary>
    protected abstract Task<int> PassAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue($"Mail:{name}", true)) return;
        var seconds = Math.Clamp(configuration.GetValue($"Mail:{name}Seconds", defaultSeconds), minSeconds, 86_400);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var sent = await PassAsync(scope.ServiceProvider, stoppingToken);
                if (sent > 0) logger.LogInformation("Enqueued {Count} {Kind} mail(s)", sent, name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The {Kind} mail pass failed; will retry", name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
