using ShopAffiliate.Core.Communication;

namespace ShopAffiliate.Web.Features.Communication;

/// <summary>
/// Runs <see cref="CommissionEarnedMails"/> every <c>Mail:CommissionEarnedSeconds</c> (60 by default): new commissions
/// are mailed within a minute or so, without the engine's write path doing anything for it. <c>Mail:CommissionEarned=false</c>
/// turns it off.
/// </summary>
internal sealed class CommissionEarnedMailer(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<CommissionEarnedMailer> logger)
    : PeriodicMailer(scopes, clock, configuration, logger, "CommissionEarned", 60, 0.1)
{
    protected override Task<int> PassAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<CommissionEarnedMails>().RunAsync(ct);
}
