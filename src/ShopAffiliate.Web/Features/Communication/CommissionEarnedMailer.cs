using ShopAffiliate.Core.Communication;

namespace ShopAffiliate.Web.Features.Communication;

/// <summary>
/// Runs <see cref="CommissionEarnedMails"/> every <c>Mail:CommissionEarnedSeconds</c> (60 by default): new commissions
/// are mailed within a minute, without the engine's write path doing anything for it. <c>Mail:CommissionEarned=false</c>
/// turns it off.
/// </summary>
internal sealed class CommissionEarnedMailer(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<CommissionEarnedMailer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Mail:CommissionEarned", true)) return;
        var seconds = Math.Clamp(configuration.GetValue("Mail:CommissionEarnedSeconds", 60.0), 0.1, 86_400);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var sent = await scope.ServiceProvider.GetRequiredService<CommissionEarnedMails>().RunAsync(stoppingToken);
                if (sent > 0) logger.LogInformation("Enqueued {Count} commission-earned mail(s)", sent);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Mailing new commissions failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
