using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Admin.TagHelpers;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Payouts;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>
/// A program's overview for its affiliate: the onboarding checklist until it is done, the last 30 days' figures and
/// the balance. Every figure comes from the code the admin and the API read (<see cref="ReportService"/> with the
/// affiliate's id, <see cref="AffiliatePayouts"/> for the balance, as the payouts page), never from a query of this page's own.
/// </summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class DashboardModel(AppDbContext db, TenantContext tenant, ReportService reports, AffiliatePayouts payouts)
    : PortalPageModel(db, tenant)
{
    public IReadOnlyList<OnboardingItem> Checklist { get; private set; } = [];

    public bool OnboardingDone => Checklist.All(i => i.Done);

    /// <summary>The last 30 days (today included, the program's time zone) against the 30 before.</summary>
    public ReportSummary Summary { get; private set; } = null!;

    /// <summary>The ledger's balance per currency, the threshold, the hold period and the next approval: the payouts page's.</summary>
    public PayoutOutlook Balance { get; private set; } = null!;

    /// <summary>The currency the chart shows: the one the affiliate earned most in, else the program's.</summary>
    public string Currency { get; private set; } = "";

    public IReadOnlyList<ChartPoint> Earnings { get; private set; } = [];

    /// <summary>Nothing yet: no click ever and no commission (a new affiliate).</summary>
    public bool IsNew { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        var me = Current.Affiliate.Id;
        Checklist = await Onboarding.ChecklistAsync(Db, Current.Affiliate, await PortalSession.PageAsync(Db, Current.Workspace.Id, ct), ct);

        var today = await reports.TodayAsync(ct);
        var period = new ReportPeriod(today.AddDays(-29), today, AffiliateId: me);
        Summary = await reports.SummaryAsync(period, ct);
        Balance = await payouts.OutlookAsync(Current.Workspace.Id, me, ct);

        Currency = Summary.Current.Currencies.OrderByDescending(c => c.Commission).Select(c => c.Currency).FirstOrDefault()
                   ?? Balance.Currencies.Select(c => c.Currency).FirstOrDefault()
                   ?? Current.Workspace.Currency;
        var series = await reports.TimeseriesAsync(ReportMetric.Commission, ReportGrouping.Day, period, ct);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        Earnings = (series.Series.FirstOrDefault(s => s.Currency == Currency)?.Points ?? [])
            .Select(p => new ChartPoint(p.Start.ToString("d MMM", culture), p.Value ?? 0m)).ToList();
        IsNew = Summary.Current.Clicks == 0 && Summary.Previous.Clicks == 0 && Balance.Currencies.Count == 0
                && !await Db.Commissions.AnyAsync(c => c.AffiliateId == me, ct);
        return Page();
    }

    public CurrencyFigures? Money(SummaryFigures figures) => figures.Currencies.FirstOrDefault(c => c.Currency == Currency);

    public string Slug => Current.Workspace.Slug;

    public (string Text, string? Href) Describe(OnboardingStep step) => step switch
    {
        OnboardingStep.ProfileAndPayout => ("Add your profile and payout details", $"/portal/p/{Slug}/profile"),
        OnboardingStep.TermsAccepted => ("Accept the program terms", $"/portal/p/{Slug}/terms"),
        OnboardingStep.FirstLink => ("Create your first link", $"/portal/p/{Slug}/links"),
        OnboardingStep.FirstClick => ("Get your first click: share your link", null),
        _ => ("Make your first sale", null),
    };
}
