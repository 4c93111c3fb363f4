using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ShopAffiliate.Admin.Portal;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Pages.Portal;

/// <summary>A program's overview for its affiliate: the onboarding checklist until it is done.</summary>
[Authorize(AuthenticationSchemes = PortalSession.Scheme)]
public sealed class DashboardModel(AppDbContext db, TenantContext tenant) : PortalPageModel(db, tenant)
{
    public IReadOnlyList<OnboardingItem> Checklist { get; private set; } = [];

    public bool OnboardingDone => Checklist.All(i => i.Done);

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, ct) is { } missing) return missing;
        Checklist = await Onboarding.ChecklistAsync(Db, Current.Affiliate, await PortalSession.PageAsync(Db, Current.Workspace.Id, ct), ct);
        return Page();
    }

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
