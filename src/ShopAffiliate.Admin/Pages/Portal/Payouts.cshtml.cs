using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Paging;
using ShopAffiliate.Core.Payouts;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// The affiliate's payouts in this program: where each currency stands against the threshold (the ledger's balance,
/// what the API's <c>/affiliates/{id}/balance</c> answers), the payout lines of past batches (paged), and one line with
/// what it paid (<c>/payouts/{batchId}</c>). Only the affiliate's own line of a batch is ever read: a batch they are
/// not in, or another program's, is a 404.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class PayoutsModel(AppDbContext db, TenantContext tenant, AffiliatePayouts payouts) : PortalPageModel(db, tenant)
{
    [BindProperty(SupportsGet = true)] public int? PageSize { get; set; }

    public PayoutOutlook Outlook { get; private set; } = null!;

    public PagedResult<AffiliatePayoutLine> History { get; private set; } = new([], 1, PageRequest.DefaultPageSize, 0);

    /// <summary>The one line asked for by batch id (the page then shows it alone) and what it paid.</summary>
    public AffiliatePayoutLine? Single { get; private set; }

    public IReadOnlyList<PaidPart> Parts { get; private set; } = [];

    public string Slug => Current.Workspace.Slug;

    /// <summary>Nothing yet: no money in the ledger and no payout ever.</summary>
    public bool IsEmpty => Outlook.Currencies.Count == 0 && History.Total == 0;

    public async Task<IActionResult> OnGetAsync(string slug, Guid? id, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var me = Current.Affiliate.Id;
        if (id is { } batch)
        {
            try
            {
                (Single, Parts) = await payouts.LineAsync(me, batch, ct);
            }
            catch (NotFoundException)
            {
                return NotFound();
            }
            return Page();
        }
        Outlook = await payouts.OutlookAsync(Current.Workspace.Id, me, ct);
        History = await payouts.HistoryAsync(me, PageRequest.Of(PageNumber(), PageSize), ct);
        return Page();
    }

    // "page" is Razor Pages' own route value (the page's name), so the pager's ?page= is read from the query itself.
    private int? PageNumber() => int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : null;
}
