using ShopAffiliate.Core.Communication;

namespace ShopAffiliate.Web.Features.Communication;

/// <summary>
/// Runs <see cref="MonthlyStatementMails"/> every <c>Mail:MonthlyStatementSeconds</c> (3600 by default): each pass in
/// the first days of a program's month mails last month's statements not mailed yet. <c>Mail:MonthlyStatement=false</c>
/// turns it off.
/// </summary>
internal sealed class MonthlyStatementMailer(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<MonthlyStatementMailer> logger)
    : PeriodicMailer(scopes, clock, configuration, logger, "MonthlyStatement", 3600, 1)
{
    protected override Task<int> PassAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<MonthlyStatementMails>().RunAsync(ct);
}
