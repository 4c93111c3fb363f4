using Microsoft.Extensions.Hosting;

namespace ShopAffiliate.Core.Data;

/// <summary>
/// A housekeeping job that runs at start and then hourly on every node (its work must be idempotent). A failed run is
/// reported and tried again at the next hour; it never stops the host.
/// </summary>
public abstract class HourlyJob(TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected TimeProvider Clock { get; } = clock;

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected abstract void ReportFailure(Exception e);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReportFailure(e);
            }
            await Task.Delay(Interval, Clock, stoppingToken);
        }
    }
}
