using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Affiliates;

public enum OnboardingStep
{
    ProfileAndPayout,
    TermsAccepted,
    FirstLink,
    FirstClick,
    FirstSale,
}

public sealed record OnboardingItem(OnboardingStep Step, bool Done);

/// <summary>The checklist an affiliate sees until every step is done; each step is read from what actually happened.</summary>
public static class Onboarding
{
    public static async Task<IReadOnlyList<OnboardingItem>> ChecklistAsync(AppDbContext db, Affiliate affiliate, ProgramPage page, CancellationToken ct)
    {
        var id = affiliate.Id;
        var items = new List<OnboardingItem> { new(OnboardingStep.ProfileAndPayout, !string.IsNullOrWhiteSpace(affiliate.PayoutDetails)) };
        // A program without terms has nothing to accept.
        if (!string.IsNullOrWhiteSpace(page.Terms))
            items.Add(new(OnboardingStep.TermsAccepted, await HasAcceptedAsync(db, id, page.TermsVersion, ct)));
        items.Add(new(OnboardingStep.FirstLink, await db.TrackingLinks.AnyAsync(l => l.AffiliateId == id, ct)));
        items.Add(new(OnboardingStep.FirstClick, await db.Clicks.AnyAsync(c => c.AffiliateId == id && !c.IsBot && !c.IsDuplicate, ct)));
        items.Add(new(OnboardingStep.FirstSale, await db.Commissions.AnyAsync(c => c.AffiliateId == id, ct)));
        return items;
    }

    public static Task<bool> HasAcceptedAsync(AppDbContext db, Guid affiliateId, int version, CancellationToken ct) =>
        db.TermsAcceptances.AnyAsync(t => t.AffiliateId == affiliateId && t.Version == version, ct);

    /// <summary>Records who accepted which version when; accepting a version twice keeps the first record.</summary>
    public static async Task AcceptAsync(AppDbContext db, Affiliate affiliate, Guid userId, int version, DateTime now, CancellationToken ct)
    {
        if (await HasAcceptedAsync(db, affiliate.Id, version, ct)) return;
        var accepted = await DbErrors.TryInsertAsync(db, new TermsAcceptance
        {
            WorkspaceId = affiliate.WorkspaceId, AffiliateId = affiliate.Id, UserId = userId, Version = version, AcceptedAt = now,
        }, ct);
        if (!accepted) return; // the same acceptance posted twice at once: the unique index kept the first
        await db.Affiliates.Where(a => a.Id == affiliate.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.AcceptedTermsVersion, version.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
    }
}
