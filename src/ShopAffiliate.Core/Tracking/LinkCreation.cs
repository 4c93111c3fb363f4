using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Core.Tracking;

/// <summary>Creating a tracking link, for the API and the portal's link builder alike.</summary>
public static class LinkCreation
{
    /// <summary>Stores a link for <paramref name="affiliate"/> and puts it in the redirect's memory.</summary>
    public static async Task<TrackingLink> CreateAsync(
        AppDbContext db, LinkCache cache, Affiliate affiliate, string? requestedDestination, string? subId, CancellationToken ct)
    {
        if (affiliate.Status is AffiliateStatus.Rejected)
            throw new ConflictException($"{affiliate.Name} was rejected; approve them before giving them links.");
        subId = subId?.Trim();
        if (subId is { Length: > 100 })
            throw ValidationFailedException.For("subId", "A sub-id is at most 100 characters.");

        var destination = await DestinationAsync(db, affiliate.WorkspaceId, requestedDestination, ct);

        var link = new TrackingLink
        {
            WorkspaceId = affiliate.WorkspaceId,
            AffiliateId = affiliate.Id,
            Code = TrackingLink.NewCode(),
            Destination = destination,
            SubId = string.IsNullOrEmpty(subId) ? null : subId,
        };
        db.TrackingLinks.Add(link);
        await db.SaveChangesAsync(ct);
        cache.Upsert(link, affiliate.ReferralCode);
        return link;
    }

    /// <summary>
    /// Only the program's shops and allowed hosts: a tracking link (and a creative, whose link becomes one) must never be
    /// an open redirect. No destination means the program's first shop.
    /// </summary>
    public static async Task<string> DestinationAsync(AppDbContext db, Guid workspaceId, string? requested, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            var shop = await db.Shops.IgnoreQueryFilters().AsNoTracking().Where(s => s.WorkspaceId == workspaceId)
                .OrderBy(s => s.CreatedAt).Select(s => s.Domain).FirstOrDefaultAsync(ct)
                ?? throw ValidationFailedException.For("destination", "Give a destination URL: no shop is connected yet to use as the default.");
            return "https://" + shop.TrimEnd('/') + "/";
        }
        if (!SafeUrl.TryParse(requested, out var uri, out var problem))
            throw ValidationFailedException.For("destination", "The destination must be an http(s) address. " + problem);
        // Also for hosts allowed before this rule: a link never sends shoppers to an internal or metadata address.
        if (NetworkAddresses.ClassifyHost(uri.IdnHost) is not AddressClass.Public and var kind)
        {
            throw ValidationFailedException.For("destination",
                $"Links may point only at public web hosts; '{uri.IdnHost}' is {NetworkAddresses.Describe(kind)}.");
        }
        var settings = await SettingsStore.GetAsync(db, workspaceId, ct);
        if (!(await SettingsStore.AllowedHostsAsync(db, settings, ct)).Contains(uri.IdnHost))
        {
            throw ValidationFailedException.For("destination",
                $"Links may point only at the program's shops or its allowed hosts; '{uri.IdnHost}' is neither. " +
                "Add it to allowedDestinationHosts in the program settings if it is yours.");
        }
        return uri.AbsoluteUri;
    }
}
