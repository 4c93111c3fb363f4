using ShopAffiliate.Core.Privacy;

namespace ShopAffiliate.Admin.Pages.Admin.Privacy;

/// <summary>The English resource key of each request kind (the Danish resx translates it).</summary>
public static class PrivacyText
{
    public static string Kind(PrivacyRequestKind kind) => kind switch
    {
        PrivacyRequestKind.DataRequest => "Customer data request",
        PrivacyRequestKind.CustomerRedact => "Customer redaction",
        PrivacyRequestKind.ShopRedact => "Shop redaction",
        PrivacyRequestKind.AffiliateErasure => "Affiliate erasure",
        _ => kind.ToString(),
    };
}
